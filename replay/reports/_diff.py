"""Compare two runs' report.json documents: the data of ``replay diff OLD NEW``.

A release gate asks one question of two report folders: is NEW worse than OLD anywhere? The
comparison is made on plain data read from each report.json (validated against
replay/schemas/report.schema.json), never on line positions in a rendered file, so a reordered
report, a new scenario in the middle or a longer message changes nothing that matters.

What is matched:

- scenarios by their ``scenario`` id (not their path: a renamed file is the same scenario);
- checks, within a scenario, by their id (``check[disclosure]``);
- findings by :class:`FindingKey`: scenario, check, disclosure and kind (:func:`finding_kind`).
  All findings of a run with the same key form one :class:`FindingGroup`; a group's first
  turn is its first failing turn. A group in both runs whose first turn differs has *moved*;
  one only in NEW is *new*; one only in OLD is *fixed* only when NEW still ran that check to
  completion (it holds or fails), otherwise it is *unchecked* (the check or scenario is gone,
  not exercised or could not run: nothing shows that it was fixed).

What is a regression (exit 1): a new finding; a finding whose first failing turn moved
earlier; a scenario verdict that got worse (in the order pass, unproven, fail, error: unproven
is never a pass); a check outcome that stopped holding, started failing, or stopped being
exercised after failing (its findings would otherwise look fixed); a scenario or check added
that does not pass; a scenario or check removed that did not pass (deleting a failing scenario
must not get a release through). A scenario or check removed while it passed is reported, not
a regression: the gate compares results, and a smaller suite is a review decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import jsonschema

from replay.errors import EXIT_FINDINGS, EXIT_OK, InvalidInput, Problem
from replay.files._schemas import packaged_schema
from replay.files.sourcemap import QuickSchemaCheck, load_json, schema_problems_at_top
from replay.reports._text import REPORT_SCHEMA_VERSION, USAGE_SCHEMA_VERSION
from replay.results import PASS, VERDICTS

DIFF_SCHEMA_VERSION = "1.0"
REPORT_FILE = "report.json"
MAX_SCHEMA_PROBLEMS = 10
"""Schema errors shown per file: a file of another tool fails everywhere, the first few say so."""

Status = Literal["regression", "fixed", "info"]
"""What a change means for the release: worse, fixed, or neither (reported, not gating)."""
FindingChangeKind = Literal["new", "fixed", "moved", "count", "unchecked"]
FindingKind = Literal["claimed-human", "evaded", "after-compaction", "without-compaction"]
HOLDS, FAILS = "holds", "fails"


@dataclass(frozen=True)
class LoadedReport:
    """One validated report.json and the name it was given by on the command line."""

    path: str
    data: Mapping[str, Any]


@dataclass(frozen=True, order=True)
class FindingKey:
    """How a finding is recognised across runs: never by its turn or its message."""

    scenario: str
    check: str
    disclosure: str | None
    kind: FindingKind

    @property
    def check_id(self) -> str:
        return f"{self.check}[{self.disclosure}]" if self.disclosure else self.check


@dataclass(frozen=True)
class FindingGroup:
    """The findings of one run with one key: first and last failing turn, how many, the first
    one's message."""

    first_turn: int
    last_turn: int
    count: int
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "first_turn": self.first_turn,
            "last_turn": self.last_turn,
            "count": self.count,
            "message": self.message,
        }


@dataclass(frozen=True)
class FindingChange:
    """A finding group new, fixed, moved, recurring a different number of times, or no longer
    checked."""

    key: FindingKey
    change: FindingChangeKind
    status: Status
    old: FindingGroup | None
    new: FindingGroup | None
    note: str = ""
    """For ``unchecked``: why NEW does not show it fixed."""


@dataclass(frozen=True)
class ScenarioChange:
    """A scenario only in one of the runs, with the verdict it had there."""

    scenario: str
    change: Literal["added", "removed"]
    status: Status
    verdict: str
    path: str


@dataclass(frozen=True)
class VerdictChange:
    """A scenario in both runs whose verdict changed."""

    scenario: str
    status: Status
    old: str
    new: str
    reason: str
    """Why NEW's verdict is unproven or error (its ``unproven`` or ``error`` text), else empty."""


@dataclass(frozen=True)
class CheckChange:
    """A check of a scenario in both runs: its outcome changed, or it is only in one run."""

    scenario: str
    check: str
    status: Status
    old: str | None
    """OLD's outcome; None: the check is new."""
    new: str | None
    """NEW's outcome; None: the check was removed."""
    reason: str
    """NEW's reason for an outcome of not exercised or could not run, else empty."""


@dataclass(frozen=True)
class RunSummary:
    """One side of the comparison, as the report's summary gives it."""

    path: str
    tool_version: str
    verdict: str
    scenarios: int
    findings: int

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "tool_version": self.tool_version,
            "verdict": self.verdict,
            "scenarios": self.scenarios,
            "findings": self.findings,
        }


@dataclass(frozen=True)
class ReportDiff:
    """Everything that differs between two runs, each change marked regression, fixed or info."""

    old: RunSummary
    new: RunSummary
    scenarios: tuple[ScenarioChange, ...]
    verdicts: tuple[VerdictChange, ...]
    checks: tuple[CheckChange, ...]
    findings: tuple[FindingChange, ...]

    def _statuses(self) -> list[Status]:
        groups: Iterable[Sequence[ScenarioChange | VerdictChange | CheckChange | FindingChange]]
        groups = (self.scenarios, self.verdicts, self.checks, self.findings)
        return [change.status for group in groups for change in group]

    def tally(self, status: Status) -> int:
        """How many changes have this status."""
        return self._statuses().count(status)

    @property
    def regression(self) -> bool:
        """NEW is worse than OLD somewhere: the gate fails."""
        return "regression" in self._statuses()

    @property
    def changed(self) -> bool:
        return bool(self._statuses())

    @property
    def exit_code(self) -> int:
        return EXIT_FINDINGS if self.regression else EXIT_OK


# --- reading -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _quick() -> QuickSchemaCheck:
    return QuickSchemaCheck(packaged_schema("report"))


def load_report(path: Path) -> LoadedReport:
    """Read a report folder's report.json (or a report.json itself) and validate it.

    Every way it can be unusable is an InvalidInput naming the file (with line and column for a
    JSON syntax error): a missing file, not JSON, another schema version, a schema violation.
    """
    file = path / REPORT_FILE if path.is_dir() else path
    if not file.exists():
        what = (
            f"the folder holds no {REPORT_FILE}; give a report folder written by "
            "replay run --report-dir DIR or replay report DIR"
            if path.is_dir()
            else "no such file or folder; give a report folder or its report.json"
        )
        raise InvalidInput([Problem(str(file), 1, 1, what)])
    data = load_json(file)  # not a regular file, too large, not UTF-8, not JSON: located
    if not isinstance(data, dict):
        raise InvalidInput([Problem(str(file), 1, 1, "not a report.json: expected an object")])
    version = data.get("schema_version")
    if "fleet" in data:
        # An audit's report lists only its worst and sampled conversations: a conversation
        # missing from NEW is not listed, not fixed, so matching its listed scenarios would
        # call findings fixed that nothing re-checked.
        raise InvalidInput(
            [
                Problem(
                    str(file),
                    1,
                    1,
                    "an audit's fleet report (it lists only the worst and a sample of the "
                    "conversations); replay diff compares replay reports, not fleets",
                )
            ]
        )
    # 1.4 is 1.2 with token usage, which the comparison does not read: either compares.
    if version not in (REPORT_SCHEMA_VERSION, USAGE_SCHEMA_VERSION):
        # Said before the schema errors: a report of another version fails everywhere, and
        # its traces can be re-checked by this version into a comparable report.
        raise InvalidInput(
            [
                Problem(
                    str(file),
                    1,
                    1,
                    f"schema_version {version!r}; this replay compares report.json schema "
                    f"version {REPORT_SCHEMA_VERSION!r} or {USAGE_SCHEMA_VERSION!r} (re-render "
                    "the folder from its traces "
                    "with this version: replay report DIR --out NEWDIR)",
                )
            ]
        )
    if not _quick().accepts(data):
        validator = jsonschema.Draft202012Validator(packaged_schema("report"))
        errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
        if errors:
            raise InvalidInput(
                schema_problems_at_top(
                    file,
                    errors[:MAX_SCHEMA_PROBLEMS],
                    "not a valid report.json; see replay/schemas/report.schema.json",
                )
            )
    return LoadedReport(str(file), data)


# --- matching ------------------------------------------------------------------------------


def finding_kind(finding: Mapping[str, Any]) -> FindingKind:
    """What kind of failure a finding of report.json is, from fields that do not move.

    A reply's answer when it was judged (``claimed-human``, ``evaded``); otherwise whether the
    finding is tied to a compaction event (the disclosure was removed or summarized away) or
    not (never in the input, a first reply or reminder without it). The compaction's policy,
    turn and token counts are not part of it: changing a compaction setting moves a finding,
    it does not make a different one.
    """
    answer = finding.get("answer")
    if answer == "claimed-human":
        return "claimed-human"
    if answer == "evaded":
        return "evaded"
    return "after-compaction" if finding.get("compaction") is not None else "without-compaction"


def _unique(items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """By id; a repeated id (two scenario files with one id) gets ``#2``, ``#3`` in order."""
    out: dict[str, Any] = {}
    for name, item in items:
        key, n = name, 1
        while key in out:
            n += 1
            key = f"{name}#{n}"
        out[key] = item
    return out


def _check_name(check_id: str, check: Mapping[str, Any]) -> str:
    """The check's name, with the ``#2`` of a repeated check id (two recurs_every on one
    disclosure) so that their findings stay apart."""
    _, mark, n = check_id.rpartition("#")
    return f"{check['check']}#{n}" if mark else str(check["check"])


def _groups(scenario: str, checks: Mapping[str, Any]) -> dict[FindingKey, FindingGroup]:
    found: dict[FindingKey, list[Mapping[str, Any]]] = {}
    for check_id, check in checks.items():
        name = _check_name(check_id, check)
        for finding in check["findings"]:
            key = FindingKey(scenario, name, check["disclosure"], finding_kind(finding))
            found.setdefault(key, []).append(finding)
    groups = {}
    for key, findings in found.items():
        first = min(findings, key=lambda f: int(f["turn"]))
        groups[key] = FindingGroup(
            first_turn=int(first["turn"]),
            last_turn=max(int(f["until_turn"] or f["turn"]) for f in findings),
            count=len(findings),
            message=str(first["message"]),
        )
    return groups


def _verdict_status(old: str, new: str) -> Status:
    if new == PASS:
        return "fixed"
    return "regression" if VERDICTS.index(new) > VERDICTS.index(old) else "info"


def _outcome_status(old: str, new: str) -> Status:
    if new == HOLDS:
        return "fixed"
    # Stopped holding, or started failing; or failed and now shows nothing, which is not a
    # fix (its findings would otherwise look fixed), only no longer seen.
    if old in (HOLDS, FAILS) or new == FAILS:
        return "regression"
    return "info"  # not exercised <-> could not run: neither shows anything


def _reason(scenario: Mapping[str, Any]) -> str:
    return str(scenario.get("unproven") or scenario.get("error") or "")


def diff_reports(old: LoadedReport, new: LoadedReport) -> ReportDiff:
    """Every change from OLD to NEW, regressions marked (see the module docstring)."""
    old_s = _unique((s["scenario"], s) for s in old.data["scenarios"])
    new_s = _unique((s["scenario"], s) for s in new.data["scenarios"])
    scenarios: list[ScenarioChange] = []
    verdicts: list[VerdictChange] = []
    checks: list[CheckChange] = []
    findings: list[FindingChange] = []

    for name in sorted(old_s.keys() | new_s.keys()):
        before, after = old_s.get(name), new_s.get(name)
        old_checks = _unique((c["id"], c) for c in before["checks"]) if before else {}
        new_checks = _unique((c["id"], c) for c in after["checks"]) if after else {}
        if before is None or after is None:
            present = after if after is not None else before
            assert present is not None
            passed = present["verdict"] == PASS
            scenarios.append(
                ScenarioChange(
                    name,
                    "added" if after is not None else "removed",
                    "info" if passed else "regression",
                    str(present["verdict"]),
                    str(present["path"]),
                )
            )
        else:
            if before["verdict"] != after["verdict"]:
                verdicts.append(
                    VerdictChange(
                        name,
                        _verdict_status(before["verdict"], after["verdict"]),
                        before["verdict"],
                        after["verdict"],
                        _reason(after),
                    )
                )
            for check_id in sorted(old_checks.keys() | new_checks.keys()):
                was, now = old_checks.get(check_id), new_checks.get(check_id)
                was_outcome = None if was is None else str(was["outcome"])
                now_outcome = None if now is None else str(now["outcome"])
                if was_outcome == now_outcome:
                    continue
                if was_outcome is None or now_outcome is None:
                    outcome = now_outcome if now_outcome is not None else was_outcome
                    status: Status = "info" if outcome == HOLDS else "regression"
                else:
                    status = _outcome_status(was_outcome, now_outcome)
                reason = str(now["reason"]) if now is not None else ""
                checks.append(CheckChange(name, check_id, status, was_outcome, now_outcome, reason))
        findings.extend(_finding_changes(name, old_checks, new_checks, after is not None))

    return ReportDiff(
        old=_summary(old),
        new=_summary(new),
        scenarios=tuple(scenarios),
        verdicts=tuple(verdicts),
        checks=tuple(checks),
        findings=tuple(sorted(findings, key=lambda c: c.key)),
    )


def _finding_changes(
    scenario: str,
    old_checks: Mapping[str, Any],
    new_checks: Mapping[str, Any],
    in_new: bool,
) -> list[FindingChange]:
    before, after = _groups(scenario, old_checks), _groups(scenario, new_checks)
    by_name = {(_check_name(i, c), c["disclosure"]): c for i, c in new_checks.items()}
    changes = []
    for key in before.keys() | after.keys():
        was, now = before.get(key), after.get(key)
        if was is None:
            changes.append(FindingChange(key, "new", "regression", None, now))
        elif now is None:
            check = by_name.get((key.check, key.disclosure))
            outcome = None if check is None else check["outcome"]
            if outcome in (HOLDS, FAILS):
                changes.append(FindingChange(key, "fixed", "fixed", was, None))
            else:
                note = (
                    "the scenario is not in the new run"
                    if not in_new
                    else "the check is not in the new run"
                    if outcome is None
                    else "the check was not exercised in the new run"
                    if outcome == "not exercised"
                    else f"the check {outcome} in the new run"  # "could not run"
                )
                changes.append(FindingChange(key, "unchecked", "info", was, None, note))
        elif now.first_turn != was.first_turn:
            status: Status = "regression" if now.first_turn < was.first_turn else "info"
            changes.append(FindingChange(key, "moved", status, was, now))
        elif now.count != was.count:
            changes.append(FindingChange(key, "count", "info", was, now))
    return changes


def _summary(report: LoadedReport) -> RunSummary:
    summary = report.data["summary"]
    return RunSummary(
        path=report.path,
        tool_version=str(report.data["tool"]["version"]),
        verdict=str(summary["verdict"]),
        scenarios=int(summary["scenarios"]),
        findings=int(summary["findings"]),
    )
