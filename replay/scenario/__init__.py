"""Scenarios: loading and validating the YAML files reviewers write, rule packs, and writing
scenarios back.
"""

from __future__ import annotations

from replay.scenario._dump import dump_scenario, scenario_document
from replay.scenario._fuzzspec import CI_MAX_EXAMPLES, DEFAULT_DATABASE, DEFAULT_OUT, fuzz_spec
from replay.scenario._load import load_scenario, scenario_from_mapping
from replay.scenario._reach import Reach, compaction_reach
from replay.scenario._rulepacks import (
    RulePack,
    RulePackError,
    all_packs,
    load_pack,
    load_pack_file,
    pack_ids,
)
from replay.scenario._trust import ALLOW_OUTSIDE_PATHS_ENV, credential_routes, trust_problems
from replay.spec._fuzz import DEFAULT_PROBE_TEXTS, DEFAULT_VOCABULARY

__all__ = [
    "ALLOW_OUTSIDE_PATHS_ENV",
    "CI_MAX_EXAMPLES",
    "DEFAULT_DATABASE",
    "DEFAULT_OUT",
    "DEFAULT_PROBE_TEXTS",
    "DEFAULT_VOCABULARY",
    "Reach",
    "RulePack",
    "RulePackError",
    "all_packs",
    "compaction_reach",
    "credential_routes",
    "dump_scenario",
    "fuzz_spec",
    "load_pack",
    "load_pack_file",
    "load_scenario",
    "pack_ids",
    "scenario_document",
    "scenario_from_mapping",
    "trust_problems",
]
