"""Scenarios: the YAML files compliance reviewers write, loaded and validated into plain data.

Validation is strict and located: every problem names the file, line and column and what was
expected, and unknown keys are errors, because a typo such as ``chekcs:`` must never silently
disable a check.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from replay import matchers
from replay.errors import InvalidInput, Problem
from replay.files.sourcemap import load_yaml
from replay.scenario._schema import schema_problems
from replay.spec._loop import DEFAULT_ENCODING, PRESETS, CompactionSpec, SummarizerSpec
from replay.spec._models import LiveModelSpec, RetrySpec
from replay.spec._scenario import (
    BUILTIN_INSTRUCTION,
    BUILTIN_STATEMENT,
    DEFAULT_DISCLOSURE,
    DEFAULT_PERSONA,
    PER_REPLY_CHECKS,
    AdapterSpec,
    AgentSpec,
    CheckSpec,
    CodeReference,
    CredentialUse,
    Disclosure,
    Expectation,
    ExpectedFinding,
    ExpectedNotExercised,
    Location,
    MatcherSpec,
    ModelSpec,
    OpeningMessage,
    PathReference,
    Scenario,
    ScriptedReply,
    ScriptedToolCall,
    ScriptItem,
    _walk,
    parse_minutes,
)
from replay.spec._source import JsonPath, SourceMap
from replay.spec._vocab import AdapterKind
from replay.spec._words import did_you_mean
from replay.trust._hosts import parse_host


def _scripted_reply(data: str | Mapping[str, Any]) -> str | ScriptedReply:
    """A ``replies:`` item (valid by the schema): text, or a reply calling tools."""
    if isinstance(data, str):
        return data
    return ScriptedReply(
        text=data.get("text", ""),
        tool_calls=tuple(
            ScriptedToolCall(
                name=call["name"],
                arguments=(
                    call["arguments"]
                    if isinstance(call.get("arguments"), str)
                    else json.dumps(call.get("arguments", {}), ensure_ascii=False)
                ),
                id=call.get("id"),
            )
            for call in data["tool_calls"]
        ),
    )


# ----------------------------------------------------------------------------- loading


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file; raise InvalidInput listing every problem found."""
    path = Path(path)
    try:
        data, source = load_yaml(path)
        return scenario_from_data(data, source)
    except RecursionError:
        # A hostile file must never surface as an internal error (exit 3, no file named).
        raise InvalidInput([Problem(str(path), 1, 1, "nested too deeply to load")]) from None
    except MemoryError:
        raise InvalidInput([Problem(str(path), 1, 1, "too large to load")]) from None


def scenario_from_data(data: Any, source: SourceMap) -> Scenario:
    """Validate already-parsed scenario data (from YAML or built in Python)."""
    problems = schema_problems(data, source)
    if problems:
        raise InvalidInput(problems)
    builder = _Builder(source)
    scenario = builder.build(data)
    if builder.problems:
        raise InvalidInput(builder.problems)
    return scenario


def scenario_from_mapping(data: Mapping[str, Any], name: str = "<memory>") -> Scenario:
    """Build a scenario from a Python mapping (errors point at JSON paths, not lines)."""
    return scenario_from_data(dict(data), SourceMap(name))


class _Builder:
    """Turns schema-valid data into typed objects, collecting the semantic problems."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.runs_code: list[CodeReference] = []
        self.paths: list[PathReference] = []
        self.credentials: list[CredentialUse] = []
        self.languages: tuple[str, ...] = ()

    def uses(self, kind: Literal["code", "command", "network"], path: JsonPath, what: str) -> None:
        key = ".".join(str(part) for part in path)
        self.runs_code.append(CodeReference(kind, key, self.loc(path), what))

    def names_path(
        self,
        kind: Literal["cassette", "folder", "module"],
        path: JsonPath,
        written: str,
        target: Path,
    ) -> None:
        """Record a path the scenario names (checked by :func:`outside_paths`, never opened)."""
        key = ".".join(str(part) for part in path)
        location = self.loc(path, key=True)
        self.paths.append(PathReference(kind, key, location, written, str(target)))

    def names_module(self, path: JsonPath, module: str, found: Path | None) -> None:
        """A module found in the scenario's folder is a path it names: a symlink there must not
        lead out of the project. One found on ``sys.path`` is your installed code, not named
        by the scenario."""
        base = Path(self.source.file).parent
        if found is not None and found.is_relative_to(base):
            self.names_path("module", path, module, found)

    def folder_note(self, found: Path) -> str:
        base = Path(self.source.file).parent
        try:
            inside = found.resolve().relative_to(base.resolve())
        except (OSError, ValueError):
            return str(found)
        return f"{inside} next to the scenario"

    def fail(self, path: JsonPath, message: str) -> None:
        self.problems.append(self.source.problem(path, message))

    def loc(self, path: JsonPath, *, key: bool = False) -> Location:
        line, column = self.source.locate(path, key=key)
        return Location(self.source.file, line, column)

    def build(self, data: Mapping[str, Any]) -> Scenario:
        # The schema checked the codes; the built-in disclosures read these languages.
        self.languages = tuple(data.get("languages", ()))
        disclosures = self.disclosures(data.get("disclosures", [DEFAULT_DISCLOSURE]))
        agent = self.agent(data.get("agent", {}))
        conversation = data["conversation"]
        script = tuple(
            self.script_item(item, ("conversation", "turns", i))
            for i, item in enumerate(conversation["turns"])
        )
        known = {d.id for d in disclosures}
        checks = tuple(
            self.check(item, ("checks", i), known) for i, item in enumerate(data.get("checks", ()))
        )
        rules = tuple(data.get("rules", ()))
        # The schema already requires checks: unless rules: is given.
        checks = self.rule_checks(rules, checks, known)
        scenario = Scenario(
            name=data["scenario"],
            path=self.source.file,
            agent=agent,
            disclosures=disclosures,
            script=script,
            checks=checks,
            gap_minutes=parse_minutes(conversation.get("gap", 1)),
            description=data.get("description", ""),
            regulations=tuple(data.get("regulations", ())),
            expect=self.expectation(data.get("expect", {}), checks),
            raw=data,
            source=self.source,
            rules=rules,
            languages=self.languages,
            runs_code=tuple(self.runs_code),
            paths=tuple(self.paths),
            credentials=tuple(self.credentials),
        )
        self.check_script(scenario)
        if "fuzz" in data and not self.problems:
            # Imported here: the fuzz section is checked by its own module, which builds on this
            # (and only once the rest is valid, so one mistake is not reported twice).
            from replay.scenario._fuzzspec import fuzz_problems

            self.problems.extend(fuzz_problems(scenario, self.source))
        return scenario

    # -- disclosures

    def disclosures(self, items: Sequence[Any]) -> tuple[Disclosure, ...]:
        out: list[Disclosure] = []
        seen: set[str] = set()
        for i, item in enumerate(items):
            path: JsonPath = ("disclosures", i)
            if isinstance(item, str):
                disclosure = self.builtin_disclosure(item, path)
            else:
                disclosure = self.custom_disclosure(item, path)
            if disclosure is None:
                continue
            if disclosure.id in seen:
                self.fail(path, f"disclosure {disclosure.id!r} is listed twice")
                continue
            seen.add(disclosure.id)
            out.append(disclosure)
        return tuple(out)

    def builtin_disclosure(self, name: str, path: JsonPath) -> Disclosure | None:
        if name != DEFAULT_DISCLOSURE:
            self.fail(
                path,
                f"unknown built-in disclosure {name!r} (built in: {DEFAULT_DISCLOSURE!r}); "
                "define your own with id:, phrases: and patterns:",
            )
            return None
        return Disclosure(
            id=name,
            statement=replace(BUILTIN_STATEMENT, languages=self.languages),
            instruction=replace(BUILTIN_INSTRUCTION, languages=self.languages),
            description="The speaker states that it is an AI, a bot or an automated system.",
        )

    def custom_disclosure(self, item: Mapping[str, Any], path: JsonPath) -> Disclosure | None:
        if not any(item.get(k) for k in ("phrases", "patterns")):
            self.fail(path, f"disclosure {item['id']!r} needs at least one of phrases, patterns")
            return None
        statement = self.matcher(
            item["id"],
            item.get("phrases", ()),
            item.get("patterns", ()),
            item.get("exclude", ()),
            path,
            ("patterns", "exclude"),
        )
        if item.get("instruction_phrases") or item.get("instruction_patterns"):
            instruction = self.matcher(
                f"{item['id']}-instruction",
                item.get("instruction_phrases", ()),
                item.get("instruction_patterns", ()),
                (),
                path,
                ("instruction_patterns", "exclude"),
            )
        else:
            instruction = replace(BUILTIN_INSTRUCTION, languages=self.languages)
        if statement is None or instruction is None:
            return None
        return Disclosure(item["id"], statement, instruction, item.get("description", ""))

    def matcher(
        self,
        name: str,
        phrases: Sequence[str],
        patterns: Sequence[str],
        exclude: Sequence[str],
        path: JsonPath,
        regex_keys: tuple[str, str],
    ) -> MatcherSpec | None:
        bad = False
        pattern_key, exclude_key = regex_keys
        for key, values in ((pattern_key, patterns), (exclude_key, exclude)):
            for j, pattern in enumerate(values):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    self.fail((*path, key, j), f"invalid regular expression {pattern!r}: {exc}")
                    bad = True
                    continue
                try:
                    # User patterns run on RE2 (linear time): refuse what it cannot take.
                    matchers.compile_matcher(name, (), (), (pattern,), negation_aware=False)
                except matchers.UnsupportedRegex as exc:
                    self.fail((*path, key, j), f"unsupported regular expression {pattern!r}: {exc}")
                    bad = True
        if bad:
            return None
        spec = MatcherSpec(name, None, tuple(phrases), tuple(patterns), tuple(exclude))
        matchers.matcher_for(spec)  # compiled now, so a run starts with it (and raises nothing)
        return spec

    # -- agent

    def agent(self, data: Mapping[str, Any]) -> AgentSpec:
        model = self.model(data.get("model", "simulator"))
        kind = data.get("type", "reference")
        if kind != "reference":
            return AgentSpec(
                type=kind,
                adapter=self.adapter(kind, data),
                model=model,
                encoding=data.get("encoding", DEFAULT_ENCODING),
            )
        spec = self.compaction(data.get("compaction", {}), ("agent", "compaction"))
        window = data.get("context_window")
        if spec.trigger_kind == "fraction" and window is None:
            self.fail(
                ("agent", "compaction", "trigger"),
                "a fraction trigger needs agent.context_window (the model's window in tokens)",
            )
        return AgentSpec(
            system_prompt=data.get("system_prompt"),
            opening=tuple(
                self.opening(item, ("agent", "opening", i))
                for i, item in enumerate(data.get("opening", ()))
            ),
            model=model,
            compaction=spec,
            encoding=data.get("encoding", DEFAULT_ENCODING),
            context_window=window,
        )

    def opening(self, data: Mapping[str, Any], path: JsonPath) -> OpeningMessage:
        shown = bool(data.get("shown_to_user", False))
        if "greeting" in data:
            return OpeningMessage(
                "greeting", data["greeting"], "assistant", shown, location=self.loc(path)
            )
        return OpeningMessage(
            "notice", data["notice"], data.get("role", "system"), shown, location=self.loc(path)
        )

    def compaction(self, data: Mapping[str, Any], path: JsonPath) -> CompactionSpec:
        values: dict[str, Any] = {}
        preset_name = data.get("preset")
        if preset_name is not None:
            preset = PRESETS.get(preset_name)
            if preset is None:
                self.fail(
                    (*path, "preset"),
                    f"unknown compaction preset {preset_name!r}"
                    + did_you_mean(preset_name, PRESETS)
                    + f" (known: {', '.join(sorted(PRESETS))})",
                )
                return CompactionSpec()
            values.update(preset.values, preset=preset_name)
            for key in preset.requires:
                if key not in data:
                    self.fail(path, f"preset {preset_name!r} needs {key!r}: {preset.note}")
        for key in (
            "policy",
            "head",
            "pin_system",
            "summary_role",
            "summary_prefix",
            "token_counting",
        ):
            if key in data:
                values[key] = data[key]
        if "trigger" in data:
            ((kind, value),) = data["trigger"].items()
            values.update(trigger_kind=kind, trigger_value=value)
        if "keep" in data:
            ((kind, value),) = data["keep"].items()
            values.update(keep_kind=kind, keep_value=value)
        if "summarizer" in data:
            values["summarizer"] = self.summarizer(data["summarizer"], (*path, "summarizer"))
        spec = CompactionSpec(**values)
        if spec.policy != "none" and spec.trigger_kind is None:
            example = (
                "trigger: {messages: 20}"  # a window is sized in messages
                if spec.policy in ("sliding_window", "head_tail")
                else "trigger: {tokens: 4000}"
            )
            self.fail(path, f"policy {spec.policy!r} needs a trigger, e.g. {example}")
        if spec.policy in ("sliding_window", "head_tail") and spec.keep_kind != "messages":
            self.fail(path, f"policy {spec.policy!r} needs keep: {{messages: N}}")
        if spec.policy == "head_tail" and "head" not in values:
            self.fail(path, "policy 'head_tail' needs head: N (messages kept from the start)")
        return spec

    def summarizer(self, data: str | Mapping[str, Any], path: JsonPath) -> SummarizerSpec:
        if isinstance(data, str):
            data = {"type": data}
        prompt = data.get("prompt")
        if "prompt_preset" in data:
            from replay.spec._loop import PROMPT_PRESETS

            if prompt is not None:
                self.fail((*path, "prompt_preset"), "give 'prompt' or 'prompt_preset', not both")
            prompt = PROMPT_PRESETS[data["prompt_preset"]]
        spec = SummarizerSpec(
            type=data["type"],
            keep_disclosures=data.get("keep_disclosures", False),
            max_tokens=data.get("max_tokens", 256),
            prompt=prompt,
            text=data.get("text"),
            function=data.get("function"),
            model=self.live_model(data["model"], (*path, "model")).live
            if "model" in data
            else None,
        )
        needs = {"scripted": "text", "callable": "function", "model": "model"}.get(spec.type)
        if needs and needs not in data:
            self.fail(path, f"a {spec.type} summarizer needs {needs!r}")
        allowed = {
            "extractive": {"keep_disclosures", "max_tokens"},
            "scripted": {"text"},
            "callable": {"function"},
            "model": {"model", "prompt_preset"},
        }[spec.type] | {"type", "prompt"}
        for key in sorted(set(data) - allowed):
            self.fail((*path, key), f"{key!r} does not apply to a {spec.type} summarizer")
        if spec.type == "callable" and spec.function:
            # Located by path, never imported: validating a scenario runs none of its code.
            from replay.trust._code import CodeNotFound, locate_callable

            try:
                found = locate_callable(spec.function, Path(self.source.file).parent)
            except CodeNotFound as exc:
                self.fail((*path, "function"), str(exc))
            else:
                self.names_module((*path, "function"), spec.function.partition(":")[0], found)
                self.uses(
                    "code", (*path, "function"), f"{spec.function} ({self.folder_note(found)})"
                )
        return spec

    def adapter(self, kind: AdapterKind, data: Mapping[str, Any]) -> AdapterSpec:
        target = data.get(kind)
        for other in ("python", "http", "command"):
            if other != kind and other in data:
                self.fail(("agent", other), f"{other!r} does not apply to a {kind} agent")
        if target is None:
            example = {
                "python": 'python: "my_package.agent:make_agent"',
                "http": 'http: "http://127.0.0.1:8000/chat"',
                "command": 'command: ["node", "agent.js"]',
            }[kind]
            self.fail(("agent",), f"a {kind} agent needs {kind!r}, e.g. {example}")
            target = ""
        if kind != "command":
            for key in ("cwd", "env"):
                if key in data:
                    self.fail(("agent", key), f"{key!r} applies to a command agent only")
        if kind == "command":
            import shlex

            argv = tuple(shlex.split(target) if isinstance(target, str) else target)
            if not argv:
                self.fail(("agent", "command"), "the command is empty")
            target = argv
        base = Path(self.source.file).parent
        if "cwd" in data:
            self.names_path("folder", ("agent", "cwd"), data["cwd"], base / data["cwd"])
        self.adapter_uses(kind, target, data)
        return AdapterSpec(
            kind=kind,
            target=target,
            timeout=float(data.get("timeout", 60.0)),
            cwd=str(base / data["cwd"]) if "cwd" in data else str(base),
            env=tuple(sorted(data.get("env", {}).items())),
            proxy_port=data.get("proxy_port", 0),
        )

    def adapter_uses(self, kind: str, target: Any, data: Mapping[str, Any]) -> None:
        if kind == "python" and isinstance(target, str) and target:
            from replay.trust._code import find_module_file

            module = target.partition(":")[0]
            base = Path(self.source.file).parent
            found = (
                find_module_file(module, [base, *(e or "." for e in sys.path)]) if module else None
            )
            where = self.folder_note(found) if found else "module not found without importing"
            self.names_module(("agent", "python"), module, found)
            self.uses("code", ("agent", "python"), f"{target} ({where}), in a subprocess")
        elif kind == "command" and target:
            import shlex

            env = ", ".join(f"{k}=..." for k, _ in sorted(data.get("env", {}).items()))
            self.uses(
                "command",
                ("agent", "command"),
                shlex.join(target) + (f" (with {env})" if env else ""),
            )
        elif kind == "http" and target:
            self.uses("network", ("agent", "http"), f"each turn is posted to {target}")

    def live_model(self, data: Mapping[str, Any], path: JsonPath = ("agent", "model")) -> ModelSpec:
        from replay.spec._models import DEFAULT_BASE_URLS

        base = Path(self.source.file).parent
        url = data.get("base_url") or DEFAULT_BASE_URLS.get(data["type"], "?")
        key = data.get("api_key_env")
        sends = f"${key}" if key else "no credential"
        if key:
            self.credentials.append(
                CredentialUse(
                    ".".join(str(p) for p in (*path, "api_key_env")),
                    self.loc((*path, "api_key_env"), key=True),
                    key,
                    data["type"],
                    url,
                )
            )
        if "cassette" in data:
            cassette_file = base / data["cassette"]
            self.names_path("cassette", (*path, "cassette"), data["cassette"], cassette_file)
        cassette = f"; cassette {data['cassette']}" if "cassette" in data else ""
        self.uses(
            "network",
            path,
            f"{data['type']} model {data['model']}: sends the conversation and {sends} to {url}"
            f" (host {_host_of(url)}){cassette}",
        )
        defaults = RetrySpec()
        live = LiveModelSpec(
            provider=data["type"],
            model=data["model"],
            base_url=data.get("base_url"),
            api_key_env=data.get("api_key_env"),
            cassette=str(base / data["cassette"]) if "cassette" in data else None,
            timeout=float(data.get("timeout", 60.0)),
            retry=RetrySpec(
                max_attempts=data.get("max_attempts", defaults.max_attempts),
                max_time=float(data.get("max_retry_time", defaults.max_time)),
                max_wait=float(data.get("max_retry_wait", defaults.max_wait)),
                initial_wait=float(data.get("retry_initial_wait", defaults.initial_wait)),
            ),
            temperature=data.get("temperature"),
            max_tokens=data.get("max_tokens"),
        )
        return ModelSpec(type=data["type"], live=live)

    def model(self, data: str | Mapping[str, Any]) -> ModelSpec:
        if isinstance(data, str):
            return ModelSpec(type=data)
        if data["type"] in ("openai", "anthropic"):
            return self.live_model(data)
        remind = data.get("remind_every")
        if remind is not None and parse_minutes(remind) <= 0:
            self.fail(
                ("agent", "model", "remind_every"), "an interval must be longer than 0, e.g. 3h"
            )
        spec = ModelSpec(
            type=data["type"],
            persona=data.get("persona", DEFAULT_PERSONA),
            remind_every_minutes=None if remind is None else parse_minutes(remind),
            replies=tuple(_scripted_reply(r) for r in data.get("replies", ())),
            default_reply=data.get("default_reply"),
        )
        wrong = {
            "simulator": ("replies", "default_reply"),
            "scripted": ("persona", "remind_every"),
        }[spec.type]
        for key in wrong:
            if key in data:
                self.fail(("agent", "model", key), f"{key!r} does not apply to a {spec.type} model")
        return spec

    # -- conversation

    def script_item(self, data: Mapping[str, Any], path: JsonPath) -> ScriptItem:
        if "repeat" in data:
            body = tuple(
                self.script_item(item, (*path, "turns", i)) for i, item in enumerate(data["turns"])
            )
            return ScriptItem(repeat=data["repeat"], body=body, location=self.loc(path))
        probe = "probe" in data
        text = data["probe" if probe else "user"]
        if "after" in data and "at" in data:
            self.fail(path, "give either 'after' (time since the previous turn) or 'at', not both")
        return ScriptItem(
            text=(text,) if isinstance(text, str) else tuple(text),
            probe=probe,
            reply=data.get("reply"),
            after=None if "after" not in data else parse_minutes(data["after"]),
            at=None if "at" not in data else parse_minutes(data["at"]),
            location=self.loc(path),
        )

    def check_script(self, scenario: Scenario) -> None:
        total = scenario.turn_count
        if total > 1_000_000:
            self.fail(("conversation", "turns"), f"{total} turns; at most 1,000,000 are allowed")
        model = scenario.agent.model
        if model.type != "scripted":
            for path, item in _walk(scenario.script, ("conversation", "turns")):
                if item.reply is not None:
                    self.fail(
                        (*path, "reply"),
                        "a scripted 'reply' needs agent.model: scripted "
                        f"(the {model.type} model writes its own replies)",
                    )

    # -- checks

    def check(self, item: str | Mapping[str, Any], path: JsonPath, known: set[str]) -> CheckSpec:
        options: Mapping[str, Any] = {}
        if isinstance(item, str):
            name = item
        else:
            ((name, given),) = item.items()
            options = given or {}
        disclosure = options.get("disclosure")
        if disclosure is not None and disclosure not in known:
            self.fail(
                (*path, name, "disclosure"),
                f"check {name!r} names disclosure {disclosure!r}, which the scenario does not "
                f"define (defined: {', '.join(sorted(known))})",
            )
        turns = options.get("turns")
        minutes = options.get("minutes")
        if name == "recurs_every" and turns is None and minutes is None:
            self.fail(path, "recurs_every needs 'turns', 'minutes' or both, e.g. {minutes: 3h}")
        if name != "recurs_every" and (turns is not None or minutes is not None):
            self.fail(path, f"'turns' and 'minutes' apply to recurs_every, not to {name}")
        if minutes is not None and parse_minutes(minutes) <= 0:
            self.fail((*path, name, "minutes"), "an interval must be longer than 0, e.g. 3h")
        return CheckSpec(
            name=name,
            disclosures=(disclosure,) if disclosure else tuple(sorted(known)),
            every_turns=turns,
            every_minutes=None if minutes is None else parse_minutes(minutes),
            location=self.loc(path),
        )

    def rule_checks(
        self, rules: Sequence[str], own: tuple[CheckSpec, ...], known: set[str]
    ) -> tuple[CheckSpec, ...]:
        """The union of the scenario's own checks and those of its rule packs.

        A check both the scenario and a pack ask for (same name and parameters) runs once and
        carries the pack's citation, so the report can quote the law next to its findings.
        """
        from replay.scenario._rulepacks import RulePackError, load_pack

        merged: dict[tuple[Any, ...], CheckSpec] = {_check_key(c): c for c in own}
        for i, pack_id in enumerate(rules):
            path: JsonPath = ("rules", i)
            try:
                pack = load_pack(pack_id)
            except RulePackError as exc:
                self.fail(path, str(exc))
                continue
            for j, item in enumerate(pack.checks):
                before = len(self.problems)
                spec = self.check(item, path, known)
                if len(self.problems) > before:
                    self.problems[before:] = [
                        replace(p, message=f"rule pack {pack_id!r}, check {j + 1}: {p.message}")
                        for p in self.problems[before:]
                    ]
                    continue
                key = _check_key(spec)
                if key in merged:
                    spec = merged[key]
                    if pack.citation_label in spec.citations:
                        continue
                merged[key] = replace(spec, citations=(*spec.citations, pack.citation_label))
        return tuple(merged.values())

    def expectation(self, data: Mapping[str, Any], checks: Sequence[CheckSpec]) -> Expectation:
        # An expected finding that no check can produce would never be met, and a test suite
        # that marks it as an expected failure would hide that; so it is an input error.
        ran: dict[str, set[str]] = {}
        for c in checks:
            ran.setdefault(c.name, set()).update(
                () if c.name in PER_REPLY_CHECKS else c.disclosures
            )
        listed = [("findings", i, f) for i, f in enumerate(data.get("findings", ()))]
        listed += [("not_exercised", i, f) for i, f in enumerate(data.get("not_exercised", ()))]
        for key, i, f in listed:
            path: JsonPath = ("expect", key, i)
            what = "expected finding" if key == "findings" else "expected not-exercised check"
            if f["check"] not in ran:
                self.fail(
                    (*path, "check"),
                    f"{what} names check {f['check']!r}, which the scenario does not "
                    f"run (it runs: {', '.join(sorted(ran))})",
                )
            elif "disclosure" in f and f["disclosure"] not in ran[f["check"]]:
                self.fail(
                    (*path, "disclosure"),
                    f"{what} names disclosure {f['disclosure']!r}, which check "
                    f"{f['check']!r} does not check (it checks: "
                    f"{', '.join(sorted(ran[f['check']])) or 'no single disclosure'})",
                )
        if data.get("verdict") in ("pass", "unproven") and data.get("findings"):
            self.fail(
                ("expect", "findings"),
                f"expect.verdict is {data['verdict']!r} but findings are listed",
            )
        both = {(f["check"], f.get("disclosure")) for f in data.get("findings", ())} & {
            (f["check"], f.get("disclosure")) for f in data.get("not_exercised", ())
        }
        if both:
            self.fail(
                ("expect", "not_exercised"),
                "a check cannot be both an expected finding and expected not exercised: "
                + ", ".join(sorted(c for c, _ in both)),
            )
        return Expectation(
            verdict=data.get("verdict"),
            findings=tuple(
                ExpectedFinding(f["check"], f["turn"], f.get("disclosure"))
                for f in data.get("findings", ())
            ),
            reason=data.get("reason", ""),
            not_exercised=tuple(
                ExpectedNotExercised(f["check"], f.get("disclosure"))
                for f in data.get("not_exercised", ())
            ),
        )


def _host_of(url: str) -> str:
    try:
        return parse_host(url)[1]
    except ValueError:
        return "?"


def _check_key(spec: CheckSpec) -> tuple[Any, ...]:
    return (spec.name, spec.disclosures, spec.every_turns, spec.every_minutes)
