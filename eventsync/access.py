"""Folders and files the operating system will not let eventsync read, as a message
naming the path and what to do (exit 2), never "a bug".

On macOS a program started in the background (a launchd agent) is kept out of
~/Documents, ~/Desktop, ~/Downloads and iCloud Drive by privacy controls (TCC) until the
user grants it access: the system call fails with EPERM ("Operation not permitted"),
where plain file permissions fail with EACCES. That difference picks the message. Never
retries, never changes a permission itself.
"""

from __future__ import annotations

import errno
import os
import sys

from eventsync.errors import EventsyncError
from eventsync.messages import Text

# Windows' ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION also arrive as EACCES.
SHARING_VIOLATIONS = (32, 33)


class AccessError(EventsyncError):
    """The system refused to let eventsync read a folder or file it needs (exit 2)."""


def refused_access(
    error: OSError, *, platform: str = sys.platform, program: str | None = None
) -> AccessError | None:
    """The message for a refusal to read `error.filename`; None when `error` is no
    refusal, or names no path (then it is not ours to explain)."""
    if error.errno not in (errno.EPERM, errno.EACCES) or error.filename is None:
        return None
    if getattr(error, "winerror", None) in SHARING_VIOLATIONS:
        return None  # in use by another program: not a permission (the writers say so)
    path = os.fsdecode(error.filename)
    if platform == "darwin" and error.errno == errno.EPERM:
        shown = program or os.path.realpath(sys.executable)
        return AccessError(Text("access.macos_privacy", path=path, program=shown))
    return AccessError(Text("access.denied", path=path, why=error.strerror or "permission denied"))
