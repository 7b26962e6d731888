"""junit.xml for CI servers: one testsuite per scenario, one testcase per check.

An audit's report (with a ``fleet`` section) starts with a ``fleet`` testsuite: one testcase
per check over the whole fleet, failing when any conversation fails it (or, when none does,
when it could not judge a conversation it had to: could not run, or a blocking not
exercised), and one ``conversations complete`` testcase, an error when any conversation could
not complete. Then the listed conversations (the worst and the sample) each have their
testsuite as a scenario does, with the evidence. A testcase per conversation and check would
be 300,000 testcases for 100,000 conversations, more than a CI server's test view shows; the
fleet's testcases fail exactly when the audit's verdict is not a pass, and the rest of the
fleet is in conversations.jsonl. The root's counts count the testcases in the file.

A failing check's failure message is its first finding and the body is every finding's
timeline text, so a CI server's test view shows reviewers the same words as the CLI. Only a
check that holds is a passing testcase: one not exercised is a failure when it stops the
scenario from passing (``blocking``) and skipped otherwise, with the reason; one that could
not run (the run stopped early, which is itself an error testcase) is skipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from replay.reports._fleet import listed_as
from replay.reports._templating import SHOWN_FINDINGS
from replay.spec._words import count


def render_junit(report: Mapping[str, Any]) -> str:
    """The JUnit XML of a report document (see replay.reports.model.build_report)."""
    fleet = report.get("fleet")
    if fleet is not None:
        return _render_fleet(report, fleet)
    summary = report["summary"]
    root = ET.Element(
        "testsuites",
        {
            "name": "replay",
            "tests": str(summary["checks"] + summary["errors"]),
            "failures": str(sum(_failures(s["checks"]) for s in report["scenarios"])),
            "errors": str(summary["errors"]),
            "skipped": str(sum(_skipped(s["checks"]) for s in report["scenarios"])),
        },
    )
    for scenario in report["scenarios"]:
        _scenario_suite(root, scenario)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _render_fleet(report: Mapping[str, Any], fleet: Mapping[str, Any]) -> str:
    scenarios = report["scenarios"]
    root = ET.Element("testsuites", {"name": "replay"})
    suite = ET.SubElement(root, "testsuite", {"name": "fleet"})
    props = ET.SubElement(suite, "properties")
    total = fleet["conversations"]
    for key, value in (
        ("conversations", total),
        *((f"verdict_{v}", n) for v, n in fleet["verdicts"].items()),
        ("listed", fleet["selection"]["listed"]),
        ("sample_seed", fleet["selection"]["seed"]),
    ):
        _prop(props, key, str(value))
    tests = failures = errors = skipped = 0
    errored = fleet["verdicts"]["error"]
    case = ET.SubElement(
        suite, "testcase", {"name": "conversations complete", "classname": "fleet"}
    )
    tests += 1
    if errored:
        errors += 1
        error = ET.SubElement(
            case,
            "error",
            {
                "message": f"{errored} of {count(total, 'conversation')} could not complete",
                "type": "RunIncomplete",
            },
        )
        error.text = (
            "A conversation that could not complete is never reported compliant; each one's "
            "error is in conversations.jsonl."
        )
    for check in fleet["checks"]:
        case = ET.SubElement(suite, "testcase", {"name": check["id"], "classname": "fleet"})
        tests += 1
        case_props = ET.SubElement(case, "properties")
        _prop(case_props, "check", check["id"])
        for citation in check["citations"]:
            _prop(case_props, "regulation", citation)
        for key in ("conversations", "failed", "could_not_run", "not_exercised", "held"):
            _prop(case_props, key, str(check[key]))
        if check["failed"]:
            failures += 1
            failure = ET.SubElement(
                case,
                "failure",
                {
                    "message": f"{check['failed']} of {count(total, 'conversation')} failed "
                    f"{check['id']} ({count(check['findings'], 'finding')})",
                    "type": check["check"],
                },
            )
            failure.text = _failing(check["id"], scenarios)
        elif check["blocking"]:
            failures += 1
            kind = "could-not-run" if check["could_not_run"] else "not-exercised"
            note = (
                f"{check['could_not_run']} of {count(total, 'conversation')} could not run "
                f"{check['id']}, {check['not_exercised']} did not exercise it"
            )
            failure = ET.SubElement(case, "failure", {"message": note, "type": kind})
            failure.text = (
                f"{note}.\n\nA check that could not run or was not exercised shows nothing, and "
                f"in {count(check['blocking'], 'conversation')} it stops the conversation from "
                "passing."
            )
        elif not check["held"]:
            skipped += 1
            ET.SubElement(
                case,
                "skipped",
                {"message": f"not exercised in any of {count(total, 'conversation')}"},
            )
    suite.attrib.update(
        {
            "tests": str(tests),
            "failures": str(failures),
            "errors": str(errors),
            "skipped": str(skipped),
        }
    )
    # The listed conversations' own suites, with the evidence.
    for scenario in scenarios:
        _scenario_suite(root, scenario)
        tests += len(scenario["checks"]) + (1 if scenario["error"] else 0)
        failures += _failures(scenario["checks"])
        errors += 1 if scenario["error"] else 0
        skipped += _skipped(scenario["checks"])
    root.attrib.update(
        {
            "tests": str(tests),
            "failures": str(failures),
            "errors": str(errors),
            "skipped": str(skipped),
        }
    )
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _failing(check_id: str, scenarios: Sequence[Mapping[str, Any]]) -> str:
    """The listed conversations that failed a check: the first finding of each."""
    lines = []
    for scenario in scenarios:
        for check in scenario["checks"]:
            if check["id"] == check_id and check["findings"]:
                first = check["findings"][0]
                lines.append(f"{scenario['scenario']}: turn {first['turn']}: {first['message']}")
    shown = f"{count(len(lines), 'listed conversation')} that failed it:"
    rest = "The others are in conversations.jsonl; each listed one has its testsuite below."
    return "\n".join([shown, *(f"  {line}" for line in lines), rest]) if lines else rest


def _scenario_suite(root: ET.Element, scenario: Mapping[str, Any]) -> None:
    """One scenario's testsuite, a testcase per check (and one for a run that did not
    complete)."""
    checks = scenario["checks"]
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": scenario["scenario"],
            "tests": str(len(checks) + (1 if scenario["error"] else 0)),
            "failures": str(_failures(checks)),
            "errors": "1" if scenario["error"] else "0",
            "skipped": str(_skipped(checks)),
            "file": scenario["path"],
        },
    )
    props = ET.SubElement(suite, "properties")
    _prop(props, "scenario", scenario["scenario"])
    _prop(props, "verdict", scenario["verdict"])
    for rule in scenario["rules"]:
        _prop(props, "rule_pack", rule)
    for regulation in scenario["regulations"]:
        _prop(props, "regulation", regulation)
    if scenario["trace"]:
        _prop(props, "trace", scenario["trace"])
    usage = scenario.get("usage")
    if usage:  # what the scenario's model calls used, for CI dashboards that chart properties
        for key in ("calls", "input_tokens", "output_tokens", "cost"):
            if usage.get(key) is not None:
                _prop(props, f"usage.{key}", str(usage[key]))
    if scenario.get("listed"):  # a conversation an audit's report lists: why
        _prop(props, "listed", listed_as(scenario))
    if scenario["error"]:
        case = ET.SubElement(
            suite, "testcase", {"name": "run completes", "classname": scenario["scenario"]}
        )
        error = ET.SubElement(
            case, "error", {"message": scenario["error"], "type": "RunIncomplete"}
        )
        error.text = "The run could not complete; it is never reported compliant."
    for check in checks:
        case = ET.SubElement(
            suite, "testcase", {"name": check["id"], "classname": scenario["scenario"]}
        )
        case_props = ET.SubElement(case, "properties")
        _prop(case_props, "scenario", scenario["scenario"])
        _prop(case_props, "check", check["id"])
        for citation in check["citations"]:
            _prop(case_props, "regulation", citation)
        if check["passed"]:
            continue
        if not check["findings"]:
            note = f"{check['outcome']}: {check['reason']}"
            if check["blocking"]:
                kind = check["outcome"]  # "not exercised" or "could not run"
                failure = ET.SubElement(
                    case, "failure", {"message": note, "type": kind.replace(" ", "-")}
                )
                did = "was not exercised" if kind == "not exercised" else "could not run"
                failure.text = (
                    f"{note}\n\nA check that {did} shows nothing, and this one stops the "
                    "scenario from passing."
                )
            else:
                ET.SubElement(case, "skipped", {"message": note})
            continue
        findings = check["findings"]
        for finding in findings[:SHOWN_FINDINGS]:
            _prop(case_props, "turn", str(finding["turn"]))
        first = findings[0]
        failure = ET.SubElement(
            case,
            "failure",
            {"message": f"turn {first['turn']}: {first['message']}", "type": check["check"]},
        )
        blocks = []
        for finding in findings[:SHOWN_FINDINGS]:
            head, *rest = finding["text"]
            lines = [f"turn {finding['turn']}: {head}", *(f"  {line}" for line in rest)]
            if finding["citations"]:
                lines.append(f"  required by: {'; '.join(finding['citations'])}")
            blocks.append("\n".join(lines))
        if len(findings) > SHOWN_FINDINGS:
            blocks.append(
                f"... and {count(len(findings) - SHOWN_FINDINGS, 'more finding')}, listed "
                "in full in report.json"
            )
        failure.text = "\n\n".join(blocks)


def _failures(checks: list[dict[str, Any]]) -> int:
    return sum(bool(c["findings"]) or c["blocking"] for c in checks)


def _skipped(checks: list[dict[str, Any]]) -> int:
    return sum(not c["passed"] and not c["findings"] and not c["blocking"] for c in checks)


def _prop(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, "property", {"name": name, "value": value})
