"""The public API is what ``replay/__init__.py`` exports: a curated list, resolved lazily."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types

import pytest

import replay

# The documented public API (replay/__init__.py's docstring, docs/architecture.md). A name
# added to or dropped from replay.__all__ must be added or dropped here too, on purpose.
DOCUMENTED = [
    "AgentContext",
    "CheckResult",
    "CompactionEvidence",
    "Finding",
    "InvalidInput",
    "Outcome",
    "Problem",
    "RunIncomplete",
    "RunResult",
    "Scenario",
    "StatementEvidence",
    "__version__",
    "assert_compliant",
    "load_scenario",
    "read_trace",
    "run_scenario",
    "run_scenario_file",
    "scenario_from_mapping",
    "strategies",
]

# Where each public name is defined: the lazy name must be that very object.
DEFINED_IN = {
    "AgentContext": "replay.agents._adapters",
    "CheckResult": "replay.results",
    "CompactionEvidence": "replay.results",
    "Finding": "replay.results",
    "InvalidInput": "replay.errors",
    "Outcome": "replay.results",
    "Problem": "replay.errors",
    "RunIncomplete": "replay.errors",
    "RunResult": "replay.results",
    "Scenario": "replay.spec._scenario",
    "StatementEvidence": "replay.results",
    "__version__": "replay._version",
    "assert_compliant": "replay.testing._api",
    "load_scenario": "replay.scenario._load",
    "read_trace": "replay.trace._io",
    "run_scenario": "replay.run._runner",
    "run_scenario_file": "replay.testing._api",
    "scenario_from_mapping": "replay.scenario._load",
}


def test_all_is_the_documented_list() -> None:
    assert replay.__all__ == DOCUMENTED
    assert set(DEFINED_IN) | {"strategies"} == set(DOCUMENTED)


@pytest.mark.parametrize("name", DOCUMENTED)
def test_every_public_name_resolves(name: str) -> None:
    value = getattr(replay, name)
    if name == "strategies":
        assert isinstance(value, types.ModuleType)
        assert value is importlib.import_module("replay.fuzz.strategies")
    else:
        assert value is getattr(importlib.import_module(DEFINED_IN[name]), name)


def test_star_import_gives_exactly_the_public_names() -> None:
    namespace: dict[str, object] = {}
    exec("from replay import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(DOCUMENTED)


def test_dir_lists_the_public_names() -> None:
    assert set(DOCUMENTED) <= set(dir(replay))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'run_scenari'"):
        _ = replay.run_scenari
    assert not hasattr(replay, "strategy")


def test_the_version_is_the_package_version() -> None:
    from importlib.metadata import version

    assert replay.__version__ == version("replay")


def test_the_docstring_teaches_assert_compliant() -> None:
    doc = replay.__doc__ or ""
    assert "assert_compliant(run_scenario_file(" in doc
    assert 'verdict == "pass"' not in doc


def test_the_documented_test_passes_on_a_compliant_scenario() -> None:
    from tests.helpers import SCENARIOS

    replay.assert_compliant(replay.run_scenario_file(SCENARIOS / "support_bot_pinned.yaml"))


def test_importing_replay_does_not_import_hypothesis_or_httpx() -> None:
    code = (
        "import sys, replay\n"
        "replay.__version__\n"
        "print(' '.join(sorted({'hypothesis', 'httpx', 'httpcore'} & set(sys.modules))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_strategies_import_hypothesis_only_when_used() -> None:
    code = (
        "import sys, replay\n"
        "assert 'hypothesis' not in sys.modules\n"
        "replay.strategies.scenarios\n"
        "assert 'hypothesis' in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
