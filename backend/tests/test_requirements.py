"""The hash-pinned requirement files must install with the pip that ships with Python 3.11 (pip 23).

In ``--require-hashes`` mode, pip 23 refuses a dependency that another package asks for with an
extra (pytest-cov asks for ``coverage[toml]``) against a pin written without that extra, as soon
as a newer release of the package is published. So every extra a pinned package requires must be
pinned with that extra.
"""

import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

BACKEND = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[([^\]]*)\])?==")


def pinned() -> dict[str, set[str]]:
    """Map each pinned package to the extras its pin names."""
    pins: dict[str, set[str]] = {}
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (BACKEND / name).read_text().splitlines():
            match = PIN.match(line)
            if match:
                extras = {e.strip() for e in (match.group(2) or "").split(",") if e.strip()}
                pins[canonicalize_name(match.group(1))] = extras
    return pins


def required_extras() -> dict[str, set[str]]:
    """Map each package to the extras that installed, pinned packages always require of it."""
    pins = pinned()
    wanted: dict[str, set[str]] = {}
    for dist in metadata.distributions():
        if canonicalize_name(dist.metadata["Name"]) not in pins:
            continue
        for text in dist.requires or []:
            req = Requirement(text)
            if req.extras and (req.marker is None or req.marker.evaluate({"extra": ""})):
                wanted.setdefault(canonicalize_name(req.name), set()).update(req.extras)
    return wanted


def test_every_extra_a_pinned_package_requires_is_pinned_with_that_extra() -> None:
    pins = pinned()
    missing = {
        name: sorted(extras - pins.get(name, set()))
        for name, extras in required_extras().items()
        if extras - pins.get(name, set())
    }
    assert missing == {}


def test_sees_the_extra_pytest_cov_requires() -> None:
    assert "toml" in required_extras().get("coverage", set())
