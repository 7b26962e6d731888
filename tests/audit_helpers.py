"""What the audit tests share: the fixtures' folder, the support bot's checks, report reading."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from tests.helpers import ROOT

DATA = ROOT / "tests" / "data" / "audit"
SCENARIO_CHECKS = [
    "--checks",
    "context_retains",
    "first_reply_discloses",
    "probe_discloses",
    "never_claims_human",
    "summary_retains",
    "--rules",
    "eu-ai-act-art50",
    "utah-ai-policy-act",
]
"""scenarios/support_bot_summarized.yaml's checks and rule packs, as ``replay audit``
options: the audit of a log of its conversation judges what its replay judges."""


def fixture_module(name: str = "make_fixtures") -> Any:
    """A fixture generator in tests/data/audit, imported from its file (not a package)."""
    spec = importlib.util.spec_from_file_location(name, DATA / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def report_json(out: Path) -> dict[str, Any]:
    """A report folder's report.json."""
    report: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return report


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    """``rows`` as a JSON Lines file at ``path``."""
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
