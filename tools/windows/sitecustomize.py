"""Run by Windows Python at start-up under tools/windows/test-windows only (Wine), never shipped.

Wine 8 leaves CopyFile2 unimplemented: without the attribute, shutil.copyfile and copy2
fall back to Python's own copy, as they do on Windows versions before 8.
"""

import _winapi

if hasattr(_winapi, "CopyFile2"):
    del _winapi.CopyFile2
