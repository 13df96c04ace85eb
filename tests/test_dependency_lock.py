"""The lock files pin every dependency pyproject.toml asks for, at a version it allows, with sha256 hashes.

``make`` installs from requirements.lock with ``pip --require-hashes``, the Docker image from requirements-prod.lock;
a dependency added to pyproject.toml without ``make lock`` would make both installs fail (or, worse, a hand edit of
the lock would drift from pyproject.toml). This test says which.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
DEV = [Requirement(r) for r in PYPROJECT["project"]["optional-dependencies"]["dev"]]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\;]+)(.*?)(?=^\S|\Z)", re.M | re.S)


def _pins(name: str) -> dict[str, tuple[Version, int]]:
    """Package → (pinned version, number of hashes) of a lock file."""
    text = (ROOT / name).read_text(encoding="utf-8")
    return {
        canonicalize_name(m.group(1)): (Version(m.group(2)), m.group(3).count("--hash=sha256:"))
        for m in PIN.finditer(text)
    }


@pytest.mark.parametrize(
    ("lock", "required"),
    [("requirements.lock", RUNTIME + DEV), ("requirements-prod.lock", RUNTIME)],
    ids=["development", "production"],
)
def test_lock_pins_every_dependency_at_an_allowed_version_with_hashes(lock, required):
    pins = _pins(lock)
    problems = []
    for requirement in required:
        pinned = pins.get(canonicalize_name(requirement.name))
        if pinned is None:
            problems.append(f"{requirement.name}: not in {lock} (run make lock)")
        elif not requirement.specifier.contains(pinned[0], prereleases=True):
            problems.append(f"{requirement.name}: {lock} pins {pinned[0]}, pyproject.toml asks {requirement.specifier}")
    problems += [f"{name}=={version}: no sha256 hash" for name, (version, hashes) in pins.items() if not hashes]
    assert not problems, "\n".join(problems)


def test_production_lock_holds_no_test_tooling():
    prod = _pins("requirements-prod.lock")
    runtime = {canonicalize_name(r.name) for r in RUNTIME}
    assert not [r.name for r in DEV if canonicalize_name(r.name) in prod and canonicalize_name(r.name) not in runtime]


def test_the_build_backend_is_pinned_too():
    backend = Requirement(PYPROJECT["build-system"]["requires"][0])
    for lock in ("requirements.lock", "requirements-prod.lock"):
        version, hashes = _pins(lock)[canonicalize_name(backend.name)]
        assert backend.specifier.contains(version) and hashes
