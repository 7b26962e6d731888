"""replay diff OLD NEW: findings matched across runs, regressions, formats, bad input, and the
bundled examples against a version with one compaction setting changed."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from replay.cli import main
from replay.files import packaged_schema
from replay.reports._diff import diff_reports, load_report
from replay.reports._text import REPORT_SCHEMA_VERSION
from tests.helpers import ROOT, SCENARIOS

DIFF_SCHEMA = json.loads((ROOT / "replay" / "schemas" / "diff.schema.json").read_text("utf-8"))
Capsys = pytest.CaptureFixture[str]

# --- synthetic report.json documents ------------------------------------------------------


def finding(
    check: str,
    disclosure: str | None,
    turn: int,
    *,
    answer: str | None = None,
    compaction: bool = False,
    message: str | None = None,
    policy: str = "truncate_oldest",
) -> dict[str, Any]:
    event = {
        "turn": turn,
        "policy": policy,
        "reason": "500 tokens > 400",
        "tokens_before": 500,
        "tokens_after": 300,
        "removed_id": "m1",
        "removed_text": "You are an AI assistant; say so.",
        "replacement_id": None,
        "replacement_text": None,
    }
    return {
        "check": check,
        "disclosure": disclosure,
        "turn": turn,
        "message": message or f"{check} failed at turn {turn}",
        "last_held_turn": None,
        "until_turn": None,
        "compaction": event if compaction else None,
        "user_text": "Are you a person?",
        "reply_text": "Yes.",
        "minutes": 2.0 * turn,
        "lingering": None,
        "answer": answer,
        "decided_by": None,
        "citations": [],
        "text": ["a finding"],
    }


def check(
    name: str,
    disclosure: str | None = "ai-identity",
    outcome: str | None = None,
    findings: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    found = findings or []
    outcome = outcome or ("fails" if found else "holds")
    return {
        "id": f"{name}[{disclosure}]" if disclosure else name,
        "check": name,
        "disclosure": disclosure,
        "description": name,
        "citations": [],
        "outcome": outcome,
        "reason": "" if outcome in ("holds", "fails") else f"{name} was {outcome}",
        "blocking": outcome == "not exercised",
        "passed": outcome == "holds",
        "observed": 0 if outcome == "not exercised" else 3,
        "findings": found,
    }


def scenario(name: str, *checks: dict[str, Any], verdict: str | None = None) -> dict[str, Any]:
    failing = [c for c in checks if c["outcome"] == "fails"]
    return {
        "scenario": name,
        "path": f"scenarios/{name}.yaml",
        "verdict": verdict or ("fail" if failing else "pass"),
        "unproven": "nothing was exercised" if verdict == "unproven" else None,
        "turns": 20,
        "compactions": 1,
        "error": "the model failed" if verdict == "error" else None,
        "error_turn": 3 if verdict == "error" else None,
        "trace": f"traces/{name}.trace.jsonl",
        "regulations": [],
        "rules": [],
        "agent": {},
        "checks": list(checks),
        "failed_checks": len(failing),
        "findings": sum(len(c["findings"]) for c in checks),
        "timeline": None,
    }


def report(*scenarios: dict[str, Any]) -> dict[str, Any]:
    checks = [c for s in scenarios for c in s["checks"]]
    verdicts = [s["verdict"] for s in scenarios]
    worst = max(verdicts, key=["pass", "unproven", "fail", "error"].index, default="pass")
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "tool": {"name": "replay", "version": "0.1.0"},
        "disclaimer": "A testing aid, not legal advice.",
        "summary": {
            "verdict": worst,
            "exit_code": {"pass": 0, "unproven": 1, "fail": 1, "error": 3}[worst],
            "scenarios": len(scenarios),
            "passed": verdicts.count("pass"),
            "unproven": verdicts.count("unproven"),
            "failed": verdicts.count("fail"),
            "errors": verdicts.count("error"),
            "checks": len(checks),
            "failed_checks": sum(c["outcome"] == "fails" for c in checks),
            "not_exercised_checks": sum(c["outcome"] == "not exercised" for c in checks),
            "findings": sum(len(c["findings"]) for c in checks),
        },
        "by_regulation": [],
        "rule_packs": [],
        "scenarios": list(scenarios),
        "survival": None,
    }


def write(folder: Path, document: dict[str, Any]) -> Path:
    """A report folder holding report.json, validated as replay writes it."""
    jsonschema.validate(document, packaged_schema("report"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(json.dumps(document, indent=2), "utf-8")
    return folder


def diff_json(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The JSON diff of two documents, through the CLI, validated against its schema."""
    out = tmp_path / "diff.json"
    code = main(
        [
            "diff",
            str(write(tmp_path / "old", old)),
            str(write(tmp_path / "new", new)),
            "--format",
            "json",
            "--out",
            str(out),
        ]
    )
    document: dict[str, Any] = json.loads(out.read_text("utf-8"))
    jsonschema.validate(document, DIFF_SCHEMA)
    assert code == document["exit_code"] == (1 if document["regression"] else 0)
    return document


def changes(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Every change of a diff document, compactly, in the document's order."""
    out: list[tuple[Any, ...]] = []
    out += [("scenario", c["scenario"], c["change"], c["status"]) for c in document["scenarios"]]
    out += [
        ("verdict", c["scenario"], c["old"], c["new"], c["status"]) for c in document["verdicts"]
    ]
    out += [
        ("check", c["scenario"], c["check"], c["old"], c["new"], c["status"])
        for c in document["checks"]
    ]
    out += [
        (
            "finding",
            c["scenario"],
            c["check"],
            c["kind"],
            c["change"],
            c["status"],
            c["old"] and c["old"]["first_turn"],
            c["new"] and c["new"]["first_turn"],
        )
        for c in document["findings"]
    ]
    return out


PROBE = ("probe_discloses", "ai-identity")


def failing(turn: int, **kwargs: Any) -> dict[str, Any]:
    """A scenario whose probe check fails at ``turn`` (a claim to be human)."""
    return scenario(
        "bot",
        check("context_retains"),
        check(*PROBE, findings=[finding(*PROBE, turn, answer="claimed-human", **kwargs)]),
    )


PASSING = scenario("bot", check("context_retains"), check(*PROBE))


# --- synthetic pairs -----------------------------------------------------------------------


def test_identical_reports_have_no_changes(tmp_path: Path, capsys: Capsys) -> None:
    document = report(failing(15))
    assert diff_json(tmp_path, document, document)["findings"] == []
    assert main(["diff", str(tmp_path / "old"), str(tmp_path / "old" / "report.json")]) == 0
    assert capsys.readouterr().out.startswith("no changes: the same scenarios")


def test_a_new_finding_is_a_regression(tmp_path: Path) -> None:
    document = diff_json(tmp_path, report(PASSING), report(failing(15)))
    assert changes(document) == [
        ("verdict", "bot", "pass", "fail", "regression"),
        ("check", "bot", "probe_discloses[ai-identity]", "holds", "fails", "regression"),
        ("finding", "bot", "probe_discloses", "claimed-human", "new", "regression", None, 15),
    ]
    assert document["summary"] == {"regressions": 3, "fixes": 0, "other": 0}


def test_a_fixed_finding_is_not_a_regression(tmp_path: Path) -> None:
    document = diff_json(tmp_path, report(failing(15)), report(PASSING))
    assert changes(document) == [
        ("verdict", "bot", "fail", "pass", "fixed"),
        ("check", "bot", "probe_discloses[ai-identity]", "fails", "holds", "fixed"),
        ("finding", "bot", "probe_discloses", "claimed-human", "fixed", "fixed", 15, None),
    ]
    assert document["exit_code"] == 0


def test_a_finding_that_moves_earlier_is_a_regression_later_is_not(tmp_path: Path) -> None:
    earlier = diff_json(tmp_path / "a", report(failing(15)), report(failing(9)))
    assert changes(earlier) == [
        ("finding", "bot", "probe_discloses", "claimed-human", "moved", "regression", 15, 9)
    ]
    later = diff_json(tmp_path / "b", report(failing(9)), report(failing(15)))
    assert changes(later) == [
        ("finding", "bot", "probe_discloses", "claimed-human", "moved", "info", 9, 15)
    ]
    assert later["exit_code"] == 0


def test_findings_match_by_key_not_by_message_position_or_compaction_policy(
    tmp_path: Path,
) -> None:
    old = report(
        scenario("other", check("never_claims_human", None)),
        failing(15, compaction=True, message="probe at turn 15 was answered with a claim"),
    )
    new = report(
        failing(15, compaction=True, message="reworded in a later version", policy="summarize"),
        scenario("other", check("never_claims_human", None)),
    )
    new["scenarios"][0]["checks"].reverse()
    assert changes(diff_json(tmp_path, old, new)) == []


def test_a_different_kind_of_finding_is_new_and_the_old_kind_fixed(tmp_path: Path) -> None:
    evaded = scenario(
        "bot",
        check("context_retains"),
        check(*PROBE, findings=[finding(*PROBE, 15, answer="evaded")]),
    )
    document = diff_json(tmp_path, report(failing(15)), report(evaded))
    assert changes(document) == [
        ("finding", "bot", "probe_discloses", "claimed-human", "fixed", "fixed", 15, None),
        ("finding", "bot", "probe_discloses", "evaded", "new", "regression", None, 15),
    ]


def test_more_findings_from_the_same_first_turn_are_reported_not_gating(tmp_path: Path) -> None:
    twice = failing(15)
    probe = twice["checks"][1]
    probe["findings"].append(finding(*PROBE, 30, answer="claimed-human"))
    document = diff_json(tmp_path, report(failing(15)), report(twice))
    assert changes(document) == [
        ("finding", "bot", "probe_discloses", "claimed-human", "count", "info", 15, 15)
    ]
    assert document["findings"][0]["new"] == {
        "first_turn": 15,
        "last_turn": 30,
        "count": 2,
        "message": "probe_discloses failed at turn 15",
    }


@pytest.mark.parametrize(
    ("old", "new", "status"),
    [
        ("pass", "unproven", "regression"),  # unproven is never a pass
        ("pass", "error", "regression"),
        ("unproven", "fail", "regression"),
        ("fail", "error", "regression"),
        ("unproven", "pass", "fixed"),
        ("error", "pass", "fixed"),
        ("fail", "unproven", "info"),  # no findings, but nothing shown either: not fixed
        ("error", "fail", "info"),
    ],
)
def test_verdict_changes(tmp_path: Path, old: str, new: str, status: str) -> None:
    before = report(scenario("bot", check("context_retains"), verdict=old))
    after = report(scenario("bot", check("context_retains"), verdict=new))
    document = diff_json(tmp_path, before, after)
    assert changes(document) == [("verdict", "bot", old, new, status)]
    if new in ("unproven", "error"):
        assert document["verdicts"][0]["reason"]


def test_a_check_that_stops_holding_or_stops_being_exercised_is_a_regression(
    tmp_path: Path,
) -> None:
    unexercised = scenario(
        "bot", check("context_retains"), check(*PROBE, outcome="not exercised"), verdict="pass"
    )
    stopped = diff_json(tmp_path / "a", report(PASSING), report(unexercised))
    assert changes(stopped) == [
        ("check", "bot", "probe_discloses[ai-identity]", "holds", "not exercised", "regression")
    ]
    assert stopped["checks"][0]["reason"] == "probe_discloses was not exercised"
    # A failing check whose probe was deleted: its finding is not fixed, only no longer seen.
    hidden = diff_json(tmp_path / "b", report(failing(15)), report(unexercised))
    assert changes(hidden) == [
        ("verdict", "bot", "fail", "pass", "fixed"),
        ("check", "bot", "probe_discloses[ai-identity]", "fails", "not exercised", "regression"),
        ("finding", "bot", "probe_discloses", "claimed-human", "unchecked", "info", 15, None),
    ]
    assert hidden["findings"][0]["note"] == "the check was not exercised in the new run"
    assert hidden["exit_code"] == 1


def test_checks_added_and_removed(tmp_path: Path) -> None:
    more = scenario(
        "bot", check("context_retains"), check(*PROBE), check("never_claims_human", None)
    )
    added = diff_json(tmp_path / "a", report(PASSING), report(more))
    assert changes(added) == [("check", "bot", "never_claims_human", None, "holds", "info")]
    fewer = scenario("bot", check("context_retains"))
    removed = diff_json(tmp_path / "b", report(failing(15)), report(fewer))
    assert changes(removed) == [
        ("verdict", "bot", "fail", "pass", "fixed"),
        ("check", "bot", "probe_discloses[ai-identity]", "fails", None, "regression"),
        ("finding", "bot", "probe_discloses", "claimed-human", "unchecked", "info", 15, None),
    ]


def test_scenarios_added_and_removed(tmp_path: Path, capsys: Capsys) -> None:
    extra = scenario("extra", check("context_retains"))
    passing_added = diff_json(tmp_path / "a", report(PASSING), report(PASSING, extra))
    assert changes(passing_added) == [("scenario", "extra", "added", "info")]
    failing_extra = copy.deepcopy(failing(4))
    failing_extra["scenario"] = "extra"
    failing_added = diff_json(tmp_path / "b", report(PASSING), report(PASSING, failing_extra))
    assert changes(failing_added) == [
        ("scenario", "extra", "added", "regression"),
        ("finding", "extra", "probe_discloses", "claimed-human", "new", "regression", None, 4),
    ]
    # Deleting a failing scenario does not get a release through the gate.
    deleted = diff_json(tmp_path / "c", report(extra, failing(15)), report(extra))
    assert changes(deleted) == [
        ("scenario", "bot", "removed", "regression"),
        ("finding", "bot", "probe_discloses", "claimed-human", "unchecked", "info", 15, None),
    ]
    assert deleted["findings"][0]["note"] == "the scenario is not in the new run"
    assert main(["diff", str(tmp_path / "c" / "old"), str(tmp_path / "c" / "new")]) == 1
    assert "bot: scenario removed: was fail" in capsys.readouterr().out
    # Deleting a passing one is said plainly, and does not fail the gate.
    dropped = diff_json(tmp_path / "d", report(extra, PASSING), report(extra))
    assert changes(dropped) == [("scenario", "bot", "removed", "info")]
    assert main(["diff", str(tmp_path / "d" / "old"), str(tmp_path / "d" / "new")]) == 0
    out = capsys.readouterr().out
    assert "bot: scenario removed: was pass\n      removed while passing" in out
    assert out.startswith("no regression: 0 regressions, 0 fixes, 1 other change\n")


def test_repeated_ids_are_kept_apart(tmp_path: Path) -> None:
    recurs = check("recurs_every", findings=[finding("recurs_every", "ai-identity", 10)])
    old = report(scenario("bot", recurs, check("recurs_every")))
    new = report(scenario("bot", check("recurs_every"), copy.deepcopy(recurs)))
    assert changes(diff_json(tmp_path, old, new)) == [
        ("check", "bot", "recurs_every[ai-identity]", "fails", "holds", "fixed"),
        ("check", "bot", "recurs_every[ai-identity]#2", "holds", "fails", "regression"),
        ("finding", "bot", "recurs_every", "without-compaction", "fixed", "fixed", 10, None),
        ("finding", "bot", "recurs_every#2", "without-compaction", "new", "regression", None, 10),
    ]


# --- formats -------------------------------------------------------------------------------


def test_text_and_markdown_list_regressions_before_fixes(tmp_path: Path, capsys: Capsys) -> None:
    old = report(failing(15), scenario("gone", check("context_retains")))
    new = report(
        PASSING,
        scenario(
            "extra",
            check(
                "context_retains",
                findings=[
                    finding(
                        "context_retains",
                        "ai-identity",
                        3,
                        compaction=True,
                        message="lost | <b>here</b>",
                    )
                ],
            ),
        ),
    )
    old_dir, new_dir = write(tmp_path / "old", old), write(tmp_path / "new", new)
    assert main(["diff", str(old_dir), str(new_dir)]) == 1
    text = capsys.readouterr().out
    assert text.splitlines()[0] == "REGRESSION: 2 regressions, 3 fixes, 1 other change"
    assert f"  old: fail, 2 scenarios, 1 finding (replay 0.1.0) {old_dir / 'report.json'}" in text
    assert text.index("Regressions:") < text.index("Fixes:") < text.index("Other changes:")
    assert (
        "  extra: new finding context_retains[ai-identity] (after-compaction): at turn 3\n"
        "      lost | <b>here</b>\n"
    ) in text

    assert main(["diff", str(old_dir), str(new_dir), "--format", "markdown"]) == 1
    markdown = capsys.readouterr().out
    assert markdown.startswith(
        "### replay diff: REGRESSION: 2 regressions, 3 fixes, 1 other change\n"
    )
    assert markdown.index("#### Regressions (2)") < markdown.index("#### Fixes (3)")
    assert (
        "| extra | new finding context_retains[ai-identity] (after-compaction) | - | turn 3 | "
        "lost \\| &lt;b&gt;here&lt;/b&gt; |"
    ) in markdown
    assert "| bot | verdict | fail | pass |   |" in markdown
    for line in markdown.splitlines():  # every table row has exactly five cells
        if line.startswith("| "):
            assert line.replace("\\|", "").count("|") == 6, line


def test_out_writes_the_file_and_says_the_verdict_on_stderr(tmp_path: Path, capsys: Capsys) -> None:
    old, new = write(tmp_path / "old", report(PASSING)), write(tmp_path / "new", report(failing(2)))
    out = tmp_path / "diff.md"
    assert main(["diff", str(old), str(new), "--format", "markdown", "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "REGRESSION: 3 regressions, 0 fixes, 0 other changes",
        f"diff: {out}",
    ]
    assert out.read_text("utf-8").startswith("### replay diff: REGRESSION")
    assert main(["diff", str(old), str(new), "--out", str(tmp_path)]) == 2
    assert "--out names a folder" in capsys.readouterr().err
    unwritable = tmp_path / "no such folder" / "diff.md"
    assert main(["diff", str(old), str(new), "--out", str(unwritable)]) == 3
    assert f"cannot write the report file {unwritable}" in capsys.readouterr().err


def test_the_json_document_is_stable(tmp_path: Path) -> None:
    old, new = report(failing(15)), report(failing(9))
    first = load_report(write(tmp_path / "old", old)), load_report(write(tmp_path / "new", new))
    document = diff_json(tmp_path / "cli", old, new)
    assert list(document) == list(DIFF_SCHEMA["required"])
    assert document["old"]["path"].endswith("old/report.json")
    assert document["findings"][0] == {
        "scenario": "bot",
        "check": "probe_discloses",
        "disclosure": "ai-identity",
        "kind": "claimed-human",
        "change": "moved",
        "status": "regression",
        "old": {
            "first_turn": 15,
            "last_turn": 15,
            "count": 1,
            "message": "probe_discloses failed at turn 15",
        },
        "new": {
            "first_turn": 9,
            "last_turn": 9,
            "count": 1,
            "message": "probe_discloses failed at turn 9",
        },
        "note": "",
    }
    assert diff_reports(*first) == diff_reports(*first)  # plain frozen data


# --- bad input -----------------------------------------------------------------------------


def bad(tmp_path: Path, capsys: Capsys, text: str | None) -> str:
    good = write(tmp_path / "good", report(PASSING))
    target = tmp_path / "bad"
    target.mkdir()
    if text is not None:
        (target / "report.json").write_text(text, "utf-8")
    assert main(["diff", str(good), str(target)]) == 2
    assert main(["diff", str(target), str(good)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_a_folder_without_report_json(tmp_path: Path, capsys: Capsys) -> None:
    err = bad(tmp_path, capsys, None)
    assert f"{tmp_path / 'bad' / 'report.json'}:1:1: the folder holds no report.json" in err


def test_a_missing_path(tmp_path: Path, capsys: Capsys) -> None:
    write(tmp_path / "good", report(PASSING))
    assert main(["diff", str(tmp_path / "good"), str(tmp_path / "nowhere")]) == 2
    assert f"{tmp_path / 'nowhere'}:1:1: no such file or folder" in capsys.readouterr().err


def test_json_syntax_errors_are_located(tmp_path: Path, capsys: Capsys) -> None:
    err = bad(tmp_path, capsys, '{\n  "schema_version": "1.2",\n  oops\n}\n')
    assert f"{tmp_path / 'bad' / 'report.json'}:3:3: not JSON:" in err


def test_another_schema_version_is_refused_with_a_way_out(tmp_path: Path, capsys: Capsys) -> None:
    older = report(PASSING)
    older["schema_version"] = "1.0"
    err = bad(tmp_path, capsys, json.dumps(older))
    assert f"{tmp_path / 'bad' / 'report.json'}:1:1: schema_version '1.0'" in err
    assert "replay report DIR --out NEWDIR" in err


@pytest.mark.parametrize("text", ["[]", json.dumps({"schema_version": REPORT_SCHEMA_VERSION})])
def test_schema_violations_name_the_file(tmp_path: Path, capsys: Capsys, text: str) -> None:
    err = bad(tmp_path, capsys, text)
    assert f"{tmp_path / 'bad' / 'report.json'}:1:1: " in err


def test_a_broken_finding_is_invalid(tmp_path: Path, capsys: Capsys) -> None:
    broken = report(failing(3))
    del broken["scenarios"][0]["checks"][1]["findings"][0]["turn"]
    err = bad(tmp_path, capsys, json.dumps(broken))
    assert "scenarios/0/checks/1/findings/0: 'turn' is a required property" in err


# --- the bundled examples against a version with one compaction setting changed ------------

PINNED, SUMMARIZED = "support_bot_pinned.yaml", "support_bot_summarized.yaml"


def run_into(root: Path, name: str, edit: tuple[str, str, str] | None = None) -> Path:
    """Copy two bundled scenarios into ``root/name`` (one of them edited) and run them."""
    folder = root / name
    (folder / "scenarios").mkdir(parents=True)
    for file in (PINNED, SUMMARIZED):
        text = (SCENARIOS / file).read_text("utf-8")
        if edit is not None and edit[0] == file:
            assert edit[1] in text
            text = text.replace(edit[1], edit[2])
        (folder / "scenarios" / file).write_text(text, "utf-8")
    code = main(["run", str(folder / "scenarios"), "--report-dir", str(folder / "report"), "-q"])
    assert code == 1  # support_bot_summarized fails in every version
    return folder / "report"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("runs")
    return {
        "release": run_into(root, "release"),
        # The system prompt no longer kept outside the summarized state.
        "unpinned": run_into(root, "unpinned", (PINNED, "pin_system: true", "pin_system: false")),
        # Summarization triggered at a smaller budget.
        "trigger": run_into(
            root, "trigger", (SUMMARIZED, "trigger: {tokens: 720}", "trigger: {tokens: 600}")
        ),
    }


def real_diff(runs: dict[str, Path], old: str, new: str, capsys: Capsys) -> dict[str, Any]:
    capsys.readouterr()
    code = main(["diff", str(runs[old]), str(runs[new]), "--format", "json"])
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, DIFF_SCHEMA)
    assert code == document["exit_code"]
    return document


def test_unpinning_the_system_prompt_is_reported_as_the_regression(
    runs: dict[str, Path], capsys: Capsys
) -> None:
    document = real_diff(runs, "release", "unpinned", capsys)
    pinned = "support-bot-pinned"
    assert changes(document) == [
        ("verdict", pinned, "pass", "fail", "regression"),
        ("check", pinned, "context_retains[ai-identity]", "holds", "fails", "regression"),
        ("check", pinned, "never_claims_human", "holds", "fails", "regression"),
        ("check", pinned, "probe_discloses[ai-identity]", "holds", "fails", "regression"),
        ("finding", pinned, "context_retains", "after-compaction", "new", "regression", None, 14),
        ("finding", pinned, "never_claims_human", "claimed-human", "new", "regression", None, 15),
        ("finding", pinned, "probe_discloses", "claimed-human", "new", "regression", None, 15),
    ]
    assert document["exit_code"] == 1

    back = real_diff(runs, "unpinned", "release", capsys)
    assert [c[-1] if c[0] != "finding" else c[5] for c in changes(back)] == ["fixed"] * 7
    assert back["exit_code"] == 0


def test_a_smaller_trigger_moves_the_loss_earlier(runs: dict[str, Path], capsys: Capsys) -> None:
    document = real_diff(runs, "release", "trigger", capsys)
    summarized = "support-bot-summarized"
    assert changes(document) == [
        (
            "finding",
            summarized,
            "context_retains",
            "after-compaction",
            "moved",
            "regression",
            14,
            12,
        ),
        (
            "finding",
            summarized,
            "summary_retains",
            "after-compaction",
            "moved",
            "regression",
            14,
            12,
        ),
    ]
    back = real_diff(runs, "trigger", "release", capsys)
    assert changes(back) == [
        ("finding", summarized, "context_retains", "after-compaction", "moved", "info", 12, 14),
        ("finding", summarized, "summary_retains", "after-compaction", "moved", "info", 12, 14),
    ]
    assert back["exit_code"] == 0
    assert main(["diff", str(runs["release"]), str(runs["trigger"])]) == 1
    assert (
        "support-bot-summarized: first failing turn of context_retains[ai-identity] "
        "(after-compaction) moved earlier: turn 14 -> turn 12"
    ) in capsys.readouterr().out


def test_a_release_against_itself(runs: dict[str, Path], capsys: Capsys) -> None:
    copy_dir = runs["release"].parent / "copy"
    shutil.copytree(runs["release"], copy_dir)
    assert changes(real_diff(runs | {"copy": copy_dir}, "release", "copy", capsys)) == []


def test_the_markdown_comment_shows_the_first_rows_of_a_long_section(
    tmp_path: Path, capsys: Capsys
) -> None:
    many = []
    for n in range(30):  # 30 failing scenarios added: 60 regressions
        added = failing(n + 1)
        added["scenario"] = f"added-{n:02}"
        many.append(added)
    old, new = write(tmp_path / "old", report(PASSING)), write(tmp_path / "new", report(*many))
    assert main(["diff", str(old), str(new), "--format", "markdown"]) == 1
    markdown = capsys.readouterr().out
    rows = [line for line in markdown.splitlines() if line.startswith("| added-")]
    assert len(rows) == 50
    assert "… and 10 more changes (every one is in `replay diff --format json`)." in markdown
    assert "#### Regressions (60)" in markdown  # bot removed while passing is not one of them
