"""replay: prove that an AI agent's required disclosures survive long conversations.

The public API is small; everything else is internal and may change. The one way to write a
Python test of a scenario::

    from replay import assert_compliant, run_scenario_file

    def test_support_bot_keeps_its_disclosure():
        assert_compliant(run_scenario_file("scenarios/support_bot_pinned.yaml"))

``assert_compliant`` fails with the ``replay run`` timeline unless every check held: a run
that found nothing to check ("unproven") or could not complete ("error") is never compliant.
Under pytest the ``replay_run`` fixture does the same relative to the rootdir (docs/pytest.md).

Data flows one way: scenario -> replay (agent under test) -> trace -> checks -> findings ->
reports. See docs/architecture.md.

``import replay`` is cheap: every name below is imported on first use (PEP 562), so
``import replay.spec`` or ``import replay.checks`` does not pull in the HTTP client, the
templates or Hypothesis (``replay.strategies`` needs the optional extra ``replay[fuzz]``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from replay._version import __version__

if TYPE_CHECKING:  # the same names, for type checkers and IDEs; at run time see _LAZY
    from replay.agents._adapters import AgentContext
    from replay.errors import InvalidInput, Problem, RunIncomplete
    from replay.fuzz import strategies
    from replay.results import (
        CheckResult,
        CompactionEvidence,
        Finding,
        Outcome,
        RunResult,
        StatementEvidence,
    )
    from replay.run._runner import run_scenario
    from replay.scenario._load import load_scenario, scenario_from_mapping
    from replay.spec._scenario import Scenario
    from replay.testing._api import assert_compliant, run_scenario_file
    from replay.trace._io import read_trace

# Public name -> the module that defines it ("" after the module: the name is the module).
_LAZY: dict[str, tuple[str, str]] = {
    "AgentContext": ("replay.agents._adapters", "AgentContext"),
    "CheckResult": ("replay.results", "CheckResult"),
    "CompactionEvidence": ("replay.results", "CompactionEvidence"),
    "Finding": ("replay.results", "Finding"),
    "InvalidInput": ("replay.errors", "InvalidInput"),
    "Outcome": ("replay.results", "Outcome"),
    "Problem": ("replay.errors", "Problem"),
    "RunIncomplete": ("replay.errors", "RunIncomplete"),
    "RunResult": ("replay.results", "RunResult"),
    "Scenario": ("replay.spec._scenario", "Scenario"),
    "StatementEvidence": ("replay.results", "StatementEvidence"),
    "assert_compliant": ("replay.testing._api", "assert_compliant"),
    "load_scenario": ("replay.scenario._load", "load_scenario"),
    "read_trace": ("replay.trace._io", "read_trace"),
    "run_scenario": ("replay.run._runner", "run_scenario"),
    "run_scenario_file": ("replay.testing._api", "run_scenario_file"),
    "scenario_from_mapping": ("replay.scenario._load", "scenario_from_mapping"),
    "strategies": ("replay.fuzz.strategies", ""),
}

__all__ = [
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


def __getattr__(name: str) -> object:
    """Import a public name on first use and keep it (PEP 562)."""
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = getattr(module, attribute) if attribute else module
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    """The module's names, the public ones not yet imported included."""
    return sorted(set(globals()) | set(__all__))
