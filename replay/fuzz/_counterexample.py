"""Counterexample files: the shortest failing conversation written as a scenario that replays
exactly.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from replay.errors import RunIncomplete
from replay.fuzz._results import Counterexample
from replay.results import (
    ERROR,
    FAIL,
)
from replay.scenario._dump import dump_scenario, scenario_document
from replay.scenario._fuzzspec import DEFAULT_OUT
from replay.scenario._load import load_scenario
from replay.spec._models import LiveModelSpec
from replay.spec._scenario import (
    Expectation,
    Scenario,
    ScriptItem,
)
from replay.spec._words import count


def counterexample_expect(counterexample: Counterexample) -> dict[str, Any]:
    """The ``expect:`` of a counterexample file: every finding (the pytest plugin matches
    expect finding for finding) and every check the conversation does not exercise."""
    result = counterexample.result
    if result.verdict == ERROR:
        return {"reason": f"the run could not complete: {result.error}"}
    findings = sorted(result.findings, key=lambda f: (f.turn, f.check, f.disclosure or ""))
    expect: dict[str, Any] = {
        "verdict": FAIL,
        "reason": "minimal counterexample found by replay fuzz (policy "
        f"{counterexample.variation.policy})",
        "findings": [
            {"check": f.check, "turn": f.turn}
            | ({"disclosure": f.disclosure} if f.disclosure else {})
            for f in findings
        ],
    }
    quiet = counterexample.not_exercised()
    if quiet:
        expect["not_exercised"] = [
            {"check": c.check} | ({"disclosure": c.disclosure} if c.disclosure else {})
            for c in quiet
        ]
    return expect


def counterexample_data(
    scenario: Scenario, counterexample: Counterexample, folder: Path = DEFAULT_OUT
) -> dict[str, Any]:
    """A standalone scenario that replays the counterexample exactly (name without hash), for
    a file in ``folder``."""
    variation = counterexample.variation
    setting = (
        f"the {scenario.agent.type} agent"
        if scenario.agent.adapter is not None
        else variation.compaction.describe()
    )
    return scenario_document(
        variation.apply(scenario),
        folder,
        description=f"Minimal counterexample of {scenario.name} ({scenario.path}) found by "
        f"replay fuzz: {count(counterexample.turns, 'turn')} with {setting}.",
        expect=counterexample_expect(counterexample),
    )


def write_counterexample(scenario: Scenario, counterexample: Counterexample, out: Path) -> Path:
    """Write the counterexample as ``<out>/<scenario>-<hash>.yaml`` and check it replays the same.

    The hash is of the file's content but its description (which names the scenario's path as
    it was typed), so the same counterexample always gets the same name and a different one
    never overwrites it.
    """
    data = counterexample_data(scenario, counterexample, out)
    identity = {k: v for k, v in data.items() if k != "description"}
    digest = hashlib.sha256(
        json.dumps(identity, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:10]
    name = f"{scenario.name}-{digest}"
    data["scenario"] = name
    body = dump_scenario(data)
    variation = counterexample.variation
    header = (
        f"# Minimal counterexample found by `replay fuzz {scenario.path}` (policy "
        f"{variation.policy}): {count(counterexample.turns, 'turn')}.\n"
        f"# Reproduce with: replay run <this file>\n"
    )
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.yaml"
    path.write_text(header + body, encoding="utf-8")
    _verify_written(path, scenario, counterexample)
    return path


def comparable(scenario: Scenario) -> Scenario:
    """``scenario`` without what a written copy of it may differ in and still run the same:
    where things were written (locations, the file's path), its name, description and
    expectation, and how paths it refers to are spelled (made absolute).

    The folder of a python or http agent is the scenario file's own by definition (only a
    command agent's can be given), so it is left out."""

    def where(path: str | None) -> str | None:
        return None if path is None else os.path.normpath(os.path.abspath(path))

    def live(spec: LiveModelSpec | None) -> LiveModelSpec | None:
        return None if spec is None else replace(spec, cassette=where(spec.cassette))

    def script(items: Sequence[ScriptItem]) -> tuple[ScriptItem, ...]:
        return tuple(replace(i, location=None, body=script(i.body)) for i in items)

    agent = scenario.agent
    adapter = agent.adapter
    if adapter is not None:
        adapter = replace(adapter, cwd=where(adapter.cwd) if adapter.kind == "command" else None)
    compaction = agent.compaction
    summarizer = replace(compaction.summarizer, model=live(compaction.summarizer.model))
    agent = replace(
        agent,
        adapter=adapter,
        opening=tuple(replace(o, location=None) for o in agent.opening),
        model=replace(agent.model, live=live(agent.model.live)),
        compaction=replace(compaction, summarizer=summarizer),
    )
    return replace(
        scenario,
        name="",
        path="",
        description="",
        expect=Expectation(),
        agent=agent,
        script=script(scenario.script),
        checks=tuple(replace(c, location=None) for c in scenario.checks),
    )


def _verify_written(path: Path, scenario: Scenario, counterexample: Counterexample) -> None:
    """The file must replay exactly what was found, or it is no regression test."""
    written = load_scenario(path)
    expected = counterexample.variation.apply(scenario)
    a, b = comparable(written), comparable(expected)
    if a == b:
        return
    problems = [
        f"{f.name}: {getattr(a, f.name)!r} != {getattr(b, f.name)!r}"
        for f in dataclasses.fields(Scenario)
        if f.compare and getattr(a, f.name) != getattr(b, f.name)
    ]
    raise RunIncomplete(
        f"{path}: the written counterexample does not reproduce the variation found "
        f"({'; '.join(problems)}); please report this"
    )
