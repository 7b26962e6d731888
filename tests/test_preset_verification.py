"""A preset's claim to be verified against its framework is tested, and so is its absence.

``Preset.verified`` (shown by ``replay presets``) names the framework releases a fidelity test
ran the preset against. Here: every verified preset has its ``test_fidelity_<name>`` in
``tests/test_fidelity_*.py``, every preset with such a test says it is verified, and the
releases it names are exactly an extra's pinned range that the installed framework satisfies.
"""

from __future__ import annotations

import ast
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from replay.spec import PRESETS

TESTS = Path(__file__).resolve().parent


def fidelity_tests() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(TESTS.glob("test_fidelity_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_fidelity_"):
                found[node.name] = path
    return found


def test_each_verified_preset_has_its_turn_by_turn_test_and_no_other_preset_has_one() -> None:
    tests = fidelity_tests()
    for preset in PRESETS.values():
        name = "test_fidelity_" + preset.name.replace("-", "_")
        if preset.verified:
            assert name in tests, f"{preset.name} claims {preset.verified}: no {name}"
        else:
            assert name not in tests, f"{tests.get(name)} verifies {preset.name}: say so"


def test_each_verified_range_is_an_extras_pin_that_the_installed_framework_meets() -> None:
    pins = [Requirement(r) for r in metadata.requires("replay") or ()]
    verified = [p for p in PRESETS.values() if p.verified]
    assert verified
    for preset in verified:
        claim = Requirement(preset.verified)
        name = canonicalize_name(claim.name)
        assert any(
            canonicalize_name(pin.name) == name and pin.specifier == claim.specifier for pin in pins
        ), f"{preset.name}: {preset.verified} is not how pyproject.toml's extras pin it"
        installed = metadata.version(claim.name)
        assert claim.specifier.contains(installed), (preset.name, installed)
