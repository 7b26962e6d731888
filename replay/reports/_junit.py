"""junit.xml for CI servers: one testsuite per scenario, one testcase per check.

A failing check's failure message is its first finding and the body is every finding's
timeline text, so a CI server's test view shows reviewers the same words as the CLI. Only a
check that holds is a passing testcase: one not exercised is a failure when it stops the
scenario from passing (``blocking``) and skipped otherwise, with the reason; one that could
not run (the run stopped early, which is itself an error testcase) is skipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from replay.reports._templating import SHOWN_FINDINGS
from replay.spec._words import count


def render_junit(report: Mapping[str, Any]) -> str:
    """The JUnit XML of a report document (see replay.reports.model.build_report)."""
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
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _failures(checks: list[dict[str, Any]]) -> int:
    return sum(bool(c["findings"]) or c["blocking"] for c in checks)


def _skipped(checks: list[dict[str, Any]]) -> int:
    return sum(not c["passed"] and not c["findings"] and not c["blocking"] for c in checks)


def _prop(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, "property", {"name": name, "value": value})
