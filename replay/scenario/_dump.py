"""Writing a ``Scenario`` back as YAML data (used for fuzz counterexamples)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from replay.errors import InvalidInput
from replay.scenario._load import scenario_from_mapping
from replay.spec._fuzz import Conversation, FuzzTurn
from replay.spec._loop import PRESETS, PROMPT_PRESETS, CompactionSpec, SummarizerSpec
from replay.spec._models import LiveModelSpec
from replay.spec._scenario import (
    DEFAULT_DISCLOSURE,
    AgentSpec,
    CheckSpec,
    Expectation,
    ModelSpec,
    OpeningMessage,
    Scenario,
    ScriptedReply,
    ScriptItem,
)

# ----------------------------------------------------------------------------- counterexamples
#
# A counterexample file is a standalone scenario: the writer below turns a loaded Scenario back
# into scenario YAML, every key that can change a finding included (rules, regulations,
# disclosures, the agent's opening messages, model, compaction and summarizer, checks with
# their parameters, gap, expect). Loading what it writes gives an equal Scenario (see
# tests/test_fuzz.py), and write_counterexample checks that for every file it writes.


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _relative(path: str, folder: Path) -> str:
    """A file a scenario refers to, as a scenario file in ``folder`` names it (scenario paths
    are resolved against the scenario's folder)."""
    return Path(os.path.relpath(path, folder)).as_posix()


def live_model_data(spec: LiveModelSpec, folder: Path) -> dict[str, Any]:
    """A live model by reference: endpoint, model name, key variable (never the key), cassette
    (relative to ``folder``), and the limits that differ from the defaults."""
    data: dict[str, Any] = {"type": spec.provider, "model": spec.model}
    if spec.base_url is not None:
        data["base_url"] = spec.base_url
    if spec.api_key_env is not None:
        data["api_key_env"] = spec.api_key_env
    if spec.cassette is not None:
        data["cassette"] = _relative(spec.cassette, folder)
    default = LiveModelSpec(spec.provider, spec.model)
    if spec.timeout != default.timeout:
        data["timeout"] = _number(spec.timeout)
    for key, value, default_value in (
        ("max_attempts", spec.retry.max_attempts, default.retry.max_attempts),
        ("max_retry_time", spec.retry.max_time, default.retry.max_time),
        ("max_retry_wait", spec.retry.max_wait, default.retry.max_wait),
        ("retry_initial_wait", spec.retry.initial_wait, default.retry.initial_wait),
    ):
        if value != default_value:
            data[key] = _number(value)
    if spec.temperature is not None:
        data["temperature"] = _number(spec.temperature)
    if spec.max_tokens is not None:
        data["max_tokens"] = spec.max_tokens
    return data


def _reply_data(reply: str | ScriptedReply) -> str | dict[str, Any]:
    if isinstance(reply, str):
        return reply
    calls: list[dict[str, Any]] = []
    for call in reply.tool_calls:
        item: dict[str, Any] = {"name": call.name, "arguments": call.arguments}
        if call.id is not None:
            item["id"] = call.id
        calls.append(item)
    return {"text": reply.text, "tool_calls": calls} if reply.text else {"tool_calls": calls}


def model_data(spec: ModelSpec, folder: Path) -> dict[str, Any]:
    """What writes the replies: the simulator, scripted replies, or a live model."""
    if spec.live is not None:
        return live_model_data(spec.live, folder)
    data: dict[str, Any] = {"type": spec.type}
    if spec.type == "scripted":
        if spec.replies:
            data["replies"] = [_reply_data(r) for r in spec.replies]
        if spec.default_reply is not None:
            data["default_reply"] = spec.default_reply
        return data
    data["persona"] = spec.persona
    if spec.remind_every_minutes is not None:
        data["remind_every"] = _number(spec.remind_every_minutes)
    return data


def compaction_data(spec: CompactionSpec, folder: Path = Path(".")) -> dict[str, Any]:
    """The scenario YAML for a compaction spec, every setting a scenario can give explicit.

    With a preset, the settings only a preset can give (``trigger_inclusive``,
    ``start_on_user``, ``marker_text``, ``count_pinned``, ``runs_every_call``,
    ``window_excludes_turn``, ``cut_back_to_user``, ``trigger_skips_summary``,
    ``summarize_leading_reply``, ``keep_lone_summary``, ``buffer_apart_from_summary``,
    ``count_reply_priming``, ``view_of_history``) come from it again on loading.
    """
    data: dict[str, Any] = {}
    preset = PRESETS.get(spec.preset) if spec.preset else None
    if preset is not None:
        data["preset"] = spec.preset
    if preset is None or preset.values.get("policy") != spec.policy:
        data["policy"] = spec.policy
    if spec.trigger_kind is not None:
        data["trigger"] = {spec.trigger_kind: _number(spec.trigger_value)}
    if spec.keep_kind is not None:
        data["keep"] = {spec.keep_kind: _number(spec.keep_value)}
    # A preset's required keys are written even at their zero value: loading demands them.
    if (
        spec.policy == "head_tail"
        or spec.head
        or (preset is not None and "head" in preset.requires)
    ):
        data["head"] = spec.head
    data.update(
        pin_system=spec.pin_system,
        summary_role=spec.summary_role,
        summary_prefix=spec.summary_prefix,
        token_counting=spec.token_counting,
        summarizer=summarizer_data(spec.summarizer, folder),
    )
    return data


def summarizer_data(spec: SummarizerSpec, folder: Path = Path(".")) -> dict[str, Any]:
    data: dict[str, Any] = {"type": spec.type}
    if spec.type == "extractive":
        data.update(keep_disclosures=spec.keep_disclosures, max_tokens=spec.max_tokens)
    elif spec.type == "scripted":
        data["text"] = spec.text or ""
    elif spec.type == "callable":
        data["function"] = spec.function
    elif spec.type == "model" and spec.model is not None:
        data["model"] = live_model_data(spec.model, folder)
    if spec.prompt is not None:
        preset = next((k for k, v in PROMPT_PRESETS.items() if v == spec.prompt), None)
        if spec.type == "model" and preset is not None:
            data["prompt_preset"] = preset
        else:
            data["prompt"] = spec.prompt
    return data


def opening_data(message: OpeningMessage) -> dict[str, Any]:
    if message.kind == "greeting":
        return {"greeting": message.content, "shown_to_user": message.shown_to_user}
    return {"notice": message.content, "role": message.role, "shown_to_user": message.shown_to_user}


def agent_data(agent: AgentSpec, folder: Path) -> dict[str, Any]:
    """The agent section: the reference loop with its compaction, or your own agent."""
    adapter = agent.adapter
    if adapter is not None:
        data: dict[str, Any] = {
            "type": adapter.kind,
            adapter.kind: list(adapter.target)
            if isinstance(adapter.target, tuple)
            else adapter.target,
        }
        if adapter.kind == "command":
            # Relative to the counterexample's folder, so the command runs where it ran.
            if adapter.cwd is not None:
                data["cwd"] = _relative(adapter.cwd, folder)
            if adapter.env:
                data["env"] = dict(adapter.env)
        # A python agent's module is imported from the scenario's folder (or sys.path): a
        # scenario cannot name another folder, so keep the module importable from where the
        # counterexample runs (docs/fuzzing.md).
        if adapter.timeout != 60.0:
            data["timeout"] = _number(adapter.timeout)
        if adapter.proxy_port:
            data["proxy_port"] = adapter.proxy_port
        data["model"] = model_data(agent.model, folder)
        data["encoding"] = agent.encoding
        return data
    data = {}
    if agent.system_prompt is not None:
        data["system_prompt"] = agent.system_prompt
    if agent.opening:
        data["opening"] = [opening_data(o) for o in agent.opening]
    data["model"] = model_data(agent.model, folder)
    data["compaction"] = compaction_data(agent.compaction, folder)
    data["encoding"] = agent.encoding
    if agent.context_window is not None:
        data["context_window"] = agent.context_window
    return data


def script_data(items: Sequence[ScriptItem]) -> list[dict[str, Any]]:
    """Script items as written: texts unexpanded ({n}, {turn}), repeats kept as blocks."""
    out: list[dict[str, Any]] = []
    for item in items:
        if item.repeat:
            out.append({"repeat": item.repeat, "turns": script_data(item.body)})
            continue
        text: str | list[str] = item.text[0] if len(item.text) == 1 else list(item.text)
        data: dict[str, Any] = {"probe" if item.probe else "user": text}
        if item.reply is not None:
            data["reply"] = item.reply
        if item.after is not None:
            data["after"] = _number(item.after)
        if item.at is not None:
            data["at"] = _number(item.at)
        out.append(data)
    return out


def turn_data(turn: FuzzTurn) -> dict[str, Any]:
    """One generated turn as a scenario turn."""
    (data,) = script_data(Conversation((turn,)).script())
    return data


def check_data(check: CheckSpec, all_disclosures: Sequence[str]) -> Any:
    """One check as written under ``checks:`` (``all_disclosures``: the sorted disclosure ids
    a check without ``disclosure:`` runs over)."""
    options: dict[str, Any] = {}
    if len(check.disclosures) == 1 and tuple(check.disclosures) != tuple(all_disclosures):
        options["disclosure"] = check.disclosures[0]
    if check.every_turns is not None:
        options["turns"] = check.every_turns
    if check.every_minutes is not None:
        options["minutes"] = _number(check.every_minutes)
    return {check.name: options} if options else check.name


def checks_data(scenario: Scenario, disclosures: Any) -> list[Any]:
    """The scenario's own checks: those its rule packs do not already bring.

    ``Scenario.checks`` holds the scenario's own checks merged with its packs' (each with the
    packs' citations). Writing only the checks no pack cites gives the same merge back when it
    keeps their order; otherwise every check is written (the packs add their citations to
    them again on loading).
    """
    ids = sorted(d.id for d in scenario.disclosures)
    every = [check_data(c, ids) for c in scenario.checks]
    if not scenario.rules:
        return every
    own = [check_data(c, ids) for c in scenario.checks if not c.citations]
    probe: dict[str, Any] = {
        "scenario": scenario.name,
        "rules": list(scenario.rules),
        "conversation": {"turns": [{"user": "-"}]},
    }
    if disclosures is not None:
        probe["disclosures"] = disclosures
    if own:
        probe["checks"] = own
    try:
        merged = scenario_from_mapping(probe, scenario.path).checks
    except InvalidInput:
        return every
    return own if _checks_key(merged) == _checks_key(scenario.checks) else every


def _checks_key(checks: Sequence[CheckSpec]) -> list[CheckSpec]:
    return [replace(c, location=None) for c in checks]


def expect_data(expect: Expectation) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if expect.verdict is not None:
        data["verdict"] = expect.verdict
    if expect.reason:
        data["reason"] = expect.reason
    if expect.findings:
        data["findings"] = [
            {"check": f.check, "turn": f.turn}
            | ({"disclosure": f.disclosure} if f.disclosure else {})
            for f in expect.findings
        ]
    if expect.not_exercised:
        data["not_exercised"] = [
            {"check": f.check} | ({"disclosure": f.disclosure} if f.disclosure else {})
            for f in expect.not_exercised
        ]
    return data


def scenario_document(
    scenario: Scenario,
    folder: Path,
    *,
    description: str | None = None,
    expect: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``scenario`` as scenario YAML data for a file in ``folder``: loading it gives an equal
    Scenario (its ``fuzz:`` section, which no Scenario field holds, is left out).

    Disclosures are written as the scenario's YAML gave them (``scenario.raw``): their
    matchers are compiled and cannot be written back. Paths (cassettes, a command agent's
    folder) are written relative to ``folder``. ``description`` and ``expect`` replace the
    scenario's own.
    """
    data: dict[str, Any] = {"scenario": scenario.name}
    text = scenario.description if description is None else description
    if text:
        data["description"] = text
    if scenario.rules:
        data["rules"] = list(scenario.rules)
    if scenario.regulations:
        data["regulations"] = list(scenario.regulations)
    if scenario.languages:
        data["languages"] = list(scenario.languages)
    written_expect = expect_data(scenario.expect) if expect is None else dict(expect)
    if written_expect:
        data["expect"] = written_expect
    data["agent"] = agent_data(scenario.agent, folder)
    disclosures = scenario.raw.get("disclosures")
    if disclosures is not None:
        data["disclosures"] = disclosures
    elif [d.id for d in scenario.disclosures] != [DEFAULT_DISCLOSURE]:
        raise ValueError(
            f"scenario {scenario.name!r}: its disclosures are not in its YAML data (raw), so "
            "they cannot be written"
        )
    data["conversation"] = {
        "gap": _number(scenario.gap_minutes),
        "turns": script_data(scenario.script),
    }
    checks = checks_data(scenario, disclosures)
    if checks:
        data["checks"] = checks
    return data


class _Dumper(yaml.SafeDumper):
    """Writes multi-line strings (system prompts) as literal blocks, as a reviewer would."""


# Line breaks to YAML besides \n and \r. PyYAML (with allow_unicode) writes them unescaped in
# plain, single-quoted and block scalars, where a loader reads them as line breaks (NEL
# becomes "\n", or a space when folded): only a double-quoted scalar escapes them.
_UNICODE_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style: str | None = None
    if any(ch in value for ch in _UNICODE_BREAKS):
        style = '"'
    elif "\n" in value:
        style = "|"  # PyYAML falls back to a quoted style where a literal block cannot hold it
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_scenario(data: Mapping[str, Any]) -> str:
    """Scenario YAML data as the text of a scenario file."""
    return yaml.dump(dict(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
