"""What the test suite needs installed under Windows Python, as pip requirements.

Used by tools/windows/test-windows, which installs these for win_amd64 from Linux with
`pip install --target ... --platform win_amd64`. pip judges environment markers by the
machine it runs on, not the target, so the markers are judged here as on 64-bit Windows:

    requirements.py PYPROJECT        eventsync's dependencies and the test tools of its
                                     `dev` extra, one a line
    requirements.py --missing SITE   what the packages in SITE need on Windows only
                                     (colorama for pytest, tzdata for tzlocal) and SITE lacks

The project itself is not among them: the suite imports it from the source tree.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PYTHON_VERSION = "3.13"
WINDOWS = {
    "os_name": "nt",
    "sys_platform": "win32",
    "platform_system": "Windows",
    "platform_machine": "AMD64",
    "platform_python_implementation": "CPython",
    "implementation_name": "cpython",
    "python_version": PYTHON_VERSION,
    "python_full_version": f"{PYTHON_VERSION}.0",
    "extra": "",
}

# Left out of the `dev` extra: numpy (pandas) aborts on load under Wine 8, and the lint
# and type-check tools run natively (`make lint`).
NOT_FOR_WINDOWS_TESTS = re.compile(r"^(pandas|numpy|ruff|mypy|types-.*|.*-stubs)$")


def on_windows(requirement: Requirement) -> bool:
    return requirement.marker is None or requirement.marker.evaluate(WINDOWS)


def without_marker(requirement: Requirement) -> str:
    bare = Requirement(str(requirement))
    bare.marker = None
    return str(bare)


def suite_requirements(pyproject: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(line) for line in project["dependencies"]]
    wanted += [
        requirement
        for requirement in map(Requirement, project["optional-dependencies"]["dev"])
        if not NOT_FOR_WINDOWS_TESTS.match(canonicalize_name(requirement.name))
    ]
    return [without_marker(r) for r in wanted if on_windows(r)]


def missing_requirements(site: Path) -> list[str]:
    installed = list(importlib.metadata.distributions(path=[str(site)]))
    names = {canonicalize_name(dist.metadata["Name"]) for dist in installed}
    missing: set[str] = set()
    for dist in installed:
        for line in dist.requires or []:
            requirement = Requirement(line)
            if canonicalize_name(requirement.name) not in names and on_windows(requirement):
                missing.add(without_marker(requirement))
    return sorted(missing)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pyproject", nargs="?", type=Path)
    parser.add_argument("--missing", metavar="SITE", type=Path)
    args = parser.parse_args()
    if args.missing is not None:
        lines = missing_requirements(args.missing)
    elif args.pyproject is not None:
        lines = suite_requirements(args.pyproject)
    else:
        parser.error("name pyproject.toml or --missing SITE")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
