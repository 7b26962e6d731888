"""Hypothesis strategies for conversations, probes, budgets, compaction settings and scenarios.

These are what ``replay fuzz`` draws from, and they are public so that you can write your own
property tests over the replay engine or your own agent::

    from hypothesis import assume, given, settings
    from replay import assert_compliant, load_scenario, run_scenario
    from replay.fuzz.strategies import scenarios

    BASE = load_scenario("scenarios/fuzz_support_bot_pinned.yaml")

    @settings(max_examples=50, deadline=None)
    @given(scenarios(BASE))
    def test_disclosure_survives(scenario):
        result = run_scenario(scenario)
        assume(result.unproven is None)  # a run that showed nothing is no evidence
        assert_compliant(result)  # no findings, and the run completed

Every strategy shrinks towards the shortest conversation first (fewest turns), then towards
the shortest messages, the fewest and earliest probes, the smallest budgets and gaps: so a
failure Hypothesis reports is the simplest conversation it could find that still fails.
Probes are drawn as turn *positions*, so shrinking can move them as well as remove them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from hypothesis import strategies as st

from replay.scenario._fuzzspec import fuzz_spec
from replay.spec._fuzz import (
    DEFAULT_PROBE_TEXTS,
    DEFAULT_VOCABULARY,
    Conversation,
    FloatRange,
    FuzzSpec,
    FuzzTurn,
    IntRange,
    PolicyChoice,
    Variation,
)
from replay.spec._loop import CompactionSpec
from replay.spec._scenario import DEFAULT_DISCLOSURE, Scenario, parse_minutes

Bounds = tuple[int, int] | IntRange
RateBounds = tuple[float, float] | FloatRange


def _bounds(value: Bounds) -> tuple[int, int]:
    return (value.min, value.max) if isinstance(value, IntRange) else (value[0], value[1])


def _rate_bounds(value: RateBounds) -> tuple[float, float]:
    return (value.min, value.max) if isinstance(value, FloatRange) else (value[0], value[1])


# Hypothesis records every choice it makes and gives up on an example that needs too many
# (its BUFFER_SIZE), so a conversation is made of a bounded number of choices whatever its
# length: a cycle of distinct messages, a cycle of gaps, a bounded number of probe positions,
# and messages built from a short phrase of drawn words repeated to the drawn length.
MAX_PHRASE_WORDS = 12
MAX_DISTINCT_MESSAGES = 16
MAX_DISTINCT_GAPS = 16
MAX_PROBES = 50


def user_messages(
    vocabulary: Sequence[str] = DEFAULT_VOCABULARY, words: Bounds = (3, 30)
) -> st.SearchStrategy[str]:
    """User messages of ``words`` (min, max) words drawn from ``vocabulary``.

    The length in words is drawn first, then a phrase of up to 12 words, repeated to that
    length. Shrinks towards fewer words, and towards the first words of the vocabulary.
    """
    lo, hi = _bounds(words)
    if lo < 1 or lo > hi:
        raise ValueError(f"words must be a range with 1 <= min <= max, got {lo}..{hi}")
    if not vocabulary:
        raise ValueError("vocabulary must hold at least one word")
    pool = st.sampled_from(tuple(vocabulary))

    @st.composite
    def draw_message(draw: st.DrawFn) -> str:
        count = draw(st.integers(lo, hi))
        phrase = draw(st.lists(pool, min_size=1, max_size=min(count, MAX_PHRASE_WORDS)))
        return " ".join(phrase[i % len(phrase)] for i in range(count))

    return draw_message()


def probe_positions(
    turns: int, rate: RateBounds = (0.0, 0.2), *, final: bool = False
) -> st.SearchStrategy[tuple[int, ...]]:
    """Sorted 1-based positions of the probe turns in a conversation of ``turns`` turns.

    Between ``ceil(rate.min * turns)`` and ``floor(rate.max * turns)`` probes, but at most 50,
    at distinct positions; ``final`` adds the last turn. Shrinks towards fewer and earlier
    probes, and each position can move on its own.
    """
    lo_rate, hi_rate = _rate_bounds(rate)
    if not 0.0 <= lo_rate <= hi_rate <= 1.0:
        raise ValueError(f"rate must satisfy 0 <= min <= max <= 1, got {lo_rate}..{hi_rate}")
    if turns < 1:
        return st.just(())
    hi = min(math.floor(hi_rate * turns + 1e-9), MAX_PROBES)
    lo = min(math.ceil(lo_rate * turns - 1e-9), hi)

    @st.composite
    def draw_positions(draw: st.DrawFn) -> tuple[int, ...]:
        chosen = draw(st.lists(st.integers(1, turns), min_size=lo, max_size=hi, unique=True))
        if final:
            chosen.append(turns)
        return tuple(sorted(set(chosen)))

    return draw_positions()


@st.composite
def conversations(
    draw: st.DrawFn,
    turns: Bounds = (1, 50),
    words: Bounds = (3, 30),
    probe_rate: RateBounds = (0.0, 0.2),
    gap_minutes: RateBounds | None = None,
    *,
    vocabulary: Sequence[str] = DEFAULT_VOCABULARY,
    probe_texts: Sequence[str] = DEFAULT_PROBE_TEXTS,
    final_probe: bool = False,
) -> Conversation:
    """Conversations of ``turns`` (min, max) user turns.

    Non-probe turns cycle through up to 16 distinct messages of ``words`` words from
    ``vocabulary`` (the way a long conversation returns to its topics); probe turns, at
    positions drawn by :func:`probe_positions`, cycle through texts from ``probe_texts``.
    ``gap_minutes`` (min, max) draws up to 16 gaps in whole seconds, cycled over the turns;
    None leaves the timing to the scenario's ``conversation.gap``.

    The number of turns is drawn first, so Hypothesis shrinks to the fewest turns first, then
    to fewer and shorter messages.
    """
    lo, hi = _bounds(turns)
    if lo < 1 or lo > hi:
        raise ValueError(f"turns must be a range with 1 <= min <= max, got {lo}..{hi}")
    if not probe_texts:
        raise ValueError("probe_texts must hold at least one text")
    count = draw(st.integers(lo, hi), label="turns")
    probes = set(draw(probe_positions(count, probe_rate, final=final_probe), label="probes"))
    users = max(count - len(probes), 1)
    messages = draw(
        st.lists(
            user_messages(vocabulary, words),
            min_size=1,
            max_size=min(users, MAX_DISTINCT_MESSAGES),
        )
    )
    asks = draw(
        st.lists(
            st.sampled_from(tuple(probe_texts)),
            min_size=1,
            max_size=max(1, min(len(probes), MAX_DISTINCT_MESSAGES)),
        )
    )
    gaps: list[float] = []
    if gap_minutes is not None:
        gap_lo, gap_hi = _rate_bounds(gap_minutes)
        # Whole seconds: they shrink to round values and print exactly in a scenario file.
        seconds = st.integers(round(gap_lo * 60), round(gap_hi * 60))
        gaps = [
            s / 60
            for s in draw(
                st.lists(seconds, min_size=1, max_size=max(1, min(count - 1, MAX_DISTINCT_GAPS)))
            )
        ]
    out = []
    asked = said = 0
    for index in range(1, count + 1):
        if index in probes:
            text, asked = asks[asked % len(asks)], asked + 1
        else:
            text, said = messages[said % len(messages)], said + 1
        after = gaps[(index - 2) % len(gaps)] if gaps and index > 1 else None
        out.append(FuzzTurn(text=text, probe=index in probes, after=after))
    return Conversation(tuple(out))


def budgets(tokens: Bounds = (256, 8192)) -> st.SearchStrategy[int]:
    """Compaction trigger budgets in tokens; shrinks towards the smallest budget."""
    lo, hi = _bounds(tokens)
    if lo < 1 or lo > hi:
        raise ValueError(f"tokens must be a range with 1 <= min <= max, got {lo}..{hi}")
    return st.integers(lo, hi)


@st.composite
def compaction_specs(
    draw: st.DrawFn,
    base: CompactionSpec,
    trigger_tokens: Bounds | None = None,
    keep_messages: Bounds | None = None,
) -> CompactionSpec:
    """``base`` with a token trigger drawn from ``trigger_tokens`` and a kept-message count
    from ``keep_messages`` (either None: keep the base's own)."""
    spec = base
    if trigger_tokens is not None:
        spec = replace(spec, trigger_kind="tokens", trigger_value=draw(budgets(trigger_tokens)))
    if keep_messages is not None:
        lo, hi = _bounds(keep_messages)
        spec = replace(spec, keep_kind="messages", keep_value=draw(st.integers(lo, hi)))
    return spec


def _policy_choices(spec: FuzzSpec, policy: str | None) -> tuple[PolicyChoice, ...]:
    if policy is None:
        return spec.policies
    return (spec.policy(policy),)


@st.composite
def variations(
    draw: st.DrawFn,
    scenario: Scenario,
    spec: FuzzSpec | None = None,
    policy: str | None = None,
) -> Variation:
    """Variations of ``scenario`` within its ``fuzz:`` ranges (or ``spec``).

    ``policy`` fixes one of the spec's policies (``replay fuzz`` searches each separately, so
    every policy gets its own minimal counterexample); otherwise the policy is drawn too.
    """
    spec = spec if spec is not None else fuzz_spec(scenario)
    choices = _policy_choices(spec, policy)
    choice = choices[0] if len(choices) == 1 else draw(st.sampled_from(choices))
    conversation = draw(
        conversations(
            spec.turns,
            spec.words,
            spec.probe_rate,
            spec.gap_minutes,
            vocabulary=spec.vocabulary,
            probe_texts=spec.probe_texts,
            final_probe=spec.final_probe,
        )
    )
    compaction = draw(compaction_specs(choice.spec, spec.trigger_tokens, spec.keep_messages))
    return Variation(choice.name, compaction, conversation)


def scenarios(
    scenario: Scenario, spec: FuzzSpec | None = None, policy: str | None = None
) -> st.SearchStrategy[Scenario]:
    """Whole scenarios: ``scenario`` with generated conversations and compaction settings."""
    return variations(scenario, spec, policy).map(lambda v: v.apply(scenario))


# ----------------------------------------------------------------------------- scenario files
#
# Whole scenario documents (the YAML data a scenario file holds), valid by construction: every
# key that can change a finding, with the combinations the loader accepts. They test tools
# that read or write scenario files, such as the counterexample writer of ``replay fuzz``
# (load -> write -> load gives an equal Scenario).


# Characters that mean something to YAML or to a text matcher, drawn often so that a writer's
# quoting mistakes show: every YAML line break (NEL and the Unicode separators included),
# indicators, quotes, escapes, a byte-order mark, tabs and spaces.
_TRICKY = "\n\r\t  \x85\u2028\u2029\ufeff#:-'\"{}[]|>&*!%@`\\,?é😀"


def _texts(min_size: int = 1, max_size: int = 30) -> st.SearchStrategy[str]:
    """Any text a YAML file can hold (no NUL, no surrogates): quotes, colons, '#', line
    breaks, leading and trailing spaces, non-ASCII."""
    return st.text(
        st.sampled_from(_TRICKY) | st.characters(codec="utf-8", exclude_characters="\x00"),
        min_size=min_size,
        max_size=max_size,
    )


_WORDS = st.sampled_from(("order", "bot", "AI", "assistant", "human", "refund", "{n}", "{turn}"))


def _sentences(min_size: int = 1) -> st.SearchStrategy[str]:
    """Short texts: mostly words, sometimes any text."""
    words = st.lists(_WORDS, min_size=1, max_size=6).map(" ".join)
    return words | _texts(min_size=min_size)


def _tool_replies() -> st.SearchStrategy[dict[str, Any]]:
    """A scripted reply calling tools, as a scenario writes it."""
    call = st.fixed_dictionaries(
        {"name": st.sampled_from(("lookup_order", "refund", "crm.find"))},
        optional={
            "arguments": st.dictionaries(st.sampled_from(("id", "n")), st.integers(0, 99))
            | st.just('{"id": 7}'),
            "id": st.sampled_from(("call_1", "toolu_2")),
        },
    )
    return st.fixed_dictionaries(
        {"tool_calls": st.lists(call, min_size=1, max_size=2)}, optional={"text": _sentences()}
    )


def _intervals() -> st.SearchStrategy[float | int | str]:
    """A duration longer than 0: the only kind a repeating interval may be."""
    return _durations().filter(lambda d: parse_minutes(d) > 0)


def _durations() -> st.SearchStrategy[float | int | str]:
    """A duration as a scenario writes it: minutes as a number, or '90s', '5m', '1h30m'."""
    numbers: st.SearchStrategy[float | int | str] = st.integers(0, 600) | st.floats(
        0, 600, allow_nan=False, allow_infinity=False
    )
    units = st.tuples(st.integers(0, 90), st.sampled_from("smhd")).map(lambda p: f"{p[0]}{p[1]}")
    strings = st.lists(units, min_size=1, max_size=3).map("".join)
    return numbers | strings


_REGEXES = (r"\bbot\b", r"virtual (agent|assistant)", r"automated system", r"not a (human|person)")


def _regexes() -> st.SearchStrategy[str]:
    return st.sampled_from(_REGEXES) | _sentences().map(re.escape)


_DISCLOSURE_IDS = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,10}", fullmatch=True)


@st.composite
def _disclosure_entries(draw: st.DrawFn) -> list[Any]:
    """``disclosures:``: the built-in ``ai-identity`` and/or custom ones."""
    ids = draw(
        st.lists(
            st.from_regex(r"[a-z0-9][a-z0-9_-]{0,10}", fullmatch=True), max_size=3, unique=True
        )
    )
    builtin = draw(st.booleans()) or not ids
    entries: list[Any] = [DEFAULT_DISCLOSURE] if builtin else []
    for disclosure_id in ids:
        if disclosure_id == DEFAULT_DISCLOSURE:
            continue
        entry: dict[str, Any] = {"id": disclosure_id}
        phrases = draw(st.lists(_sentences(), max_size=3))
        patterns = draw(st.lists(_regexes(), min_size=0 if phrases else 1, max_size=2))
        if phrases:
            entry["phrases"] = phrases
        if patterns:
            entry["patterns"] = patterns
        for key, values in (
            ("exclude", st.lists(_regexes(), max_size=2)),
            ("instruction_phrases", st.lists(_sentences(), max_size=2)),
            ("instruction_patterns", st.lists(_regexes(), max_size=2)),
        ):
            value = draw(values)
            if value:
                entry[key] = value
        if draw(st.booleans()):
            entry["description"] = draw(_texts(0))
        entries.append(entry)
    return entries


def _disclosure_ids(entries: Sequence[Any]) -> list[str]:
    return [e if isinstance(e, str) else e["id"] for e in entries]


_PROVIDERS = st.sampled_from(("openai", "anthropic"))


@st.composite
def _live_models(draw: st.DrawFn) -> dict[str, Any]:
    """A live model by reference: no key, a cassette path relative to the scenario."""
    data: dict[str, Any] = {
        "type": draw(_PROVIDERS),
        "model": draw(st.from_regex(r"[a-z][a-z0-9.-]{0,15}", fullmatch=True)),
    }
    optional: dict[str, st.SearchStrategy[Any]] = {
        "base_url": st.sampled_from(("http://127.0.0.1:8000/v1", "https://llm.example/api")),
        "api_key_env": st.from_regex(r"[A-Z_][A-Z0-9_]{0,12}", fullmatch=True),
        "cassette": st.sampled_from(("cassettes/a.json", "../fixtures/b.json", "c.json")),
        "timeout": st.floats(0.5, 300, allow_nan=False),
        "max_attempts": st.integers(1, 9),
        "max_retry_time": st.floats(1, 600, allow_nan=False),
        "max_retry_wait": st.floats(0, 60, allow_nan=False),
        "retry_initial_wait": st.floats(0, 10, allow_nan=False),
        "temperature": st.floats(0, 2, allow_nan=False),
        "max_tokens": st.integers(1, 4096),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            data[key] = draw(strategy)
    return data


@st.composite
def _models(draw: st.DrawFn) -> str | dict[str, Any]:
    """``agent.model``: the simulator, scripted replies, or a live model."""
    kind = draw(st.sampled_from(("simulator", "scripted", "live")))
    if kind == "live":
        return draw(_live_models())
    if draw(st.integers(0, 4)) == 0:
        return kind  # the short form
    data: dict[str, Any] = {"type": kind}
    if kind == "simulator":
        if draw(st.booleans()):
            data["persona"] = draw(_sentences())
        if draw(st.booleans()):
            data["remind_every"] = draw(_intervals())
    else:
        replies = draw(st.lists(_sentences() | _tool_replies(), max_size=3))
        if replies:
            data["replies"] = replies
        if draw(st.booleans()):
            data["default_reply"] = draw(_texts(0))
    return data


@st.composite
def _summarizers(draw: st.DrawFn) -> str | dict[str, Any]:
    kind = draw(st.sampled_from(("extractive", "scripted", "callable", "model")))
    if kind == "extractive" and draw(st.booleans()):
        return kind
    data: dict[str, Any] = {"type": kind}
    if kind == "extractive":
        if draw(st.booleans()):
            data["keep_disclosures"] = draw(st.booleans())
        if draw(st.booleans()):
            data["max_tokens"] = draw(st.integers(16, 2000))
    elif kind == "scripted":
        data["text"] = draw(_texts(0))
    elif kind == "callable":
        data["function"] = draw(
            st.sampled_from(("replay.loop:build_summarizer", "replay.loop:TokenCounter"))
        )
    else:
        data["model"] = draw(_live_models())
        if draw(st.booleans()):
            data["prompt_preset"] = "langchain"
            return data
    if draw(st.booleans()):
        data["prompt"] = draw(_sentences())
    return data


_TRIGGERS = st.one_of(
    st.builds(lambda n: {"tokens": n}, st.integers(1, 5000)),
    st.builds(lambda n: {"messages": n}, st.integers(1, 60)),
    st.builds(lambda f: {"fraction": f}, st.floats(0.01, 1.0)),
)
_KEEPS = st.one_of(
    st.builds(lambda n: {"messages": n}, st.integers(0, 40)),
    st.builds(lambda n: {"tokens": n}, st.integers(1, 4000)),
    st.builds(lambda f: {"fraction": f}, st.floats(0.01, 1.0)),
)


@st.composite
def _compactions(draw: st.DrawFn) -> dict[str, Any]:
    """``agent.compaction``: a preset or a policy, with any of the settings overridden."""
    from replay.spec._loop import POLICIES, PRESETS

    data: dict[str, Any] = {}
    preset = draw(st.none() | st.sampled_from(sorted(PRESETS)))
    if preset is not None:
        data["preset"] = preset
        values = PRESETS[preset].values
        if draw(st.integers(0, 3)) == 0:
            data["policy"] = draw(st.sampled_from(sorted(POLICIES)))
        required = set(PRESETS[preset].requires)
    else:
        values = {}
        data["policy"] = draw(st.sampled_from(sorted(POLICIES)))
        required = set()
    policy = data.get("policy", values.get("policy", "none"))
    if policy != "none" and values.get("trigger_kind") is None:
        required.add("trigger")
    if policy in ("sliding_window", "head_tail"):
        required.add("keep_messages")
    if policy == "head_tail":
        required.add("head")
    if "trigger" in required or draw(st.booleans()):
        data["trigger"] = draw(_TRIGGERS)
    if "keep_messages" in required:
        # The policy needs keep: {messages: N}; a preset's own such keep may stand.
        if values.get("keep_kind") != "messages" or "keep" in required or draw(st.booleans()):
            data["keep"] = {"messages": draw(st.integers(0, 40))}
    elif "keep" in required or draw(st.booleans()):
        data["keep"] = draw(_KEEPS)
    if "head" in required or draw(st.integers(0, 4)) == 0:
        data["head"] = draw(st.integers(0, 10))
    optional: dict[str, st.SearchStrategy[Any]] = {
        "pin_system": st.booleans(),
        "summary_role": st.sampled_from(("system", "user", "assistant")),
        "summary_prefix": _texts(0),
        "token_counting": st.sampled_from(("tiktoken", "approximate")),
        "summarizer": _summarizers(),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            data[key] = draw(strategy)
    return data


def _fraction_trigger(compaction: Mapping[str, Any]) -> bool:
    from replay.spec._loop import PRESETS

    if "trigger" in compaction:
        return "fraction" in compaction["trigger"]
    preset = PRESETS.get(compaction.get("preset", ""))
    return preset is not None and preset.values.get("trigger_kind") == "fraction"


@st.composite
def _openings(draw: st.DrawFn) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            entry: dict[str, Any] = {"greeting": draw(_sentences())}
        else:
            entry = {"notice": draw(_sentences())}
            if draw(st.booleans()):
                entry["role"] = draw(st.sampled_from(("system", "user")))
        if draw(st.booleans()):
            entry["shown_to_user"] = draw(st.booleans())
        out.append(entry)
    return out


@st.composite
def _agents(draw: st.DrawFn) -> dict[str, Any]:
    """``agent:``: the reference loop, or your own agent (python, http, command)."""
    kind = draw(st.sampled_from(("reference", "reference", "reference", "own")))
    data: dict[str, Any] = {}
    if kind == "own":
        adapter = draw(st.sampled_from(("python", "http", "command")))
        data["type"] = adapter
        if adapter == "python":
            data["python"] = draw(st.sampled_from(("my_agent:make", "pkg.agents.bot:factory")))
        elif adapter == "http":
            data["http"] = draw(st.sampled_from(("http://127.0.0.1:8000/chat", "https://a.b/c")))
        else:
            argv = draw(
                st.lists(st.sampled_from(("node", "agent.js", "--fast", "x y")), min_size=1)
            )
            data["command"] = (
                argv if draw(st.booleans()) else " ".join(a for a in argv if " " not in a) or "node"
            )
            if draw(st.booleans()):
                data["cwd"] = draw(st.sampled_from((".", "agents", "../tools/agent")))
            if draw(st.booleans()):
                data["env"] = draw(
                    st.dictionaries(
                        st.from_regex(r"[A-Z][A-Z0-9_]{0,8}", fullmatch=True), _texts(0), max_size=2
                    )
                )
        if draw(st.booleans()):
            data["timeout"] = draw(st.floats(0.1, 600, allow_nan=False))
        if draw(st.booleans()):
            data["proxy_port"] = draw(st.integers(0, 65535))
    else:
        if draw(st.booleans()):
            data["type"] = "reference"
        if draw(st.booleans()):
            data["system_prompt"] = draw(_texts(0, 200))
        if draw(st.booleans()):
            data["opening"] = draw(_openings())
        if draw(st.booleans()):
            data["compaction"] = draw(_compactions())
        if _fraction_trigger(data.get("compaction", {})) or draw(st.booleans()):
            data["context_window"] = draw(st.integers(1, 200_000))
    if draw(st.booleans()):
        data["model"] = draw(_models())
    if draw(st.booleans()):
        data["encoding"] = draw(st.sampled_from(("o200k_base", "cl100k_base")))
    return data


def _scripted(agent: Mapping[str, Any]) -> bool:
    model = agent.get("model", "simulator")
    return (model if isinstance(model, str) else model["type"]) == "scripted"


@st.composite
def _script(draw: st.DrawFn, replies: bool, depth: int = 0) -> list[dict[str, Any]]:
    """``conversation.turns``: user and probe turns (text or cycled lists, after/at times,
    scripted replies) and repeat blocks."""
    out: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, 3))):
        if depth < 2 and draw(st.integers(0, 3)) == 0:
            out.append(
                {"repeat": draw(st.integers(1, 3)), "turns": draw(_script(replies, depth + 1))}
            )
            continue
        texts = draw(st.lists(_sentences(), min_size=1, max_size=3))
        item: dict[str, Any] = {
            draw(st.sampled_from(("user", "probe"))): texts[0] if len(texts) == 1 else texts
        }
        when = draw(st.sampled_from((None, "after", "at")))
        if when is not None:
            item[when] = draw(_durations())
        if replies and draw(st.booleans()):
            item["reply"] = draw(_texts(0))
        out.append(item)
    return out


@st.composite
def _checks(draw: st.DrawFn, disclosures: Sequence[str], min_size: int) -> list[Any]:
    """``checks:``: names, or mappings with a disclosure and recurs_every's interval."""
    from replay.spec._scenario import CHECK_NAMES

    out: list[Any] = []
    for _ in range(draw(st.integers(min_size, 4))):
        name = draw(st.sampled_from(CHECK_NAMES))
        options: dict[str, Any] = {}
        if draw(st.booleans()):
            options["disclosure"] = draw(st.sampled_from(tuple(disclosures)))
        if name == "recurs_every":
            interval = draw(st.sampled_from(("turns", "minutes", "both")))
            if interval in ("turns", "both"):
                options["turns"] = draw(st.integers(1, 50))
            if interval in ("minutes", "both"):
                options["minutes"] = draw(_intervals())
        out.append({name: options} if bool(options) or draw(st.booleans()) else name)
    return out


def _check_runs(
    checks: Sequence[Any], rules: Sequence[str], disclosures: Sequence[str]
) -> dict[str, set[str]]:
    """check name -> the disclosures it runs over (empty for the per-reply checks)."""
    from replay.scenario._rulepacks import load_pack
    from replay.spec._scenario import PER_REPLY_CHECKS

    items = list(checks) + [c for pack in rules for c in load_pack(pack).checks]
    ran: dict[str, set[str]] = {}
    for item in items:
        name, options = (item, {}) if isinstance(item, str) else next(iter(item.items()))
        chosen = (options or {}).get("disclosure")
        runs = set() if name in PER_REPLY_CHECKS else {chosen} if chosen else set(disclosures)
        ran.setdefault(name, set()).update(runs)
    return ran


@st.composite
def _expectations(draw: st.DrawFn, ran: Mapping[str, set[str]]) -> dict[str, Any]:
    """``expect:``: a verdict, a reason, expected findings and not-exercised checks that the
    scenario's checks can produce."""
    data: dict[str, Any] = {}
    verdict = draw(st.none() | st.sampled_from(("pass", "unproven", "fail")))
    if verdict is not None:
        data["verdict"] = verdict
    if draw(st.booleans()):
        data["reason"] = draw(_texts(0))
    names = sorted(ran)

    def entry(draw_turn: bool) -> st.SearchStrategy[dict[str, Any]]:
        @st.composite
        def build(draw: st.DrawFn) -> dict[str, Any]:
            name = draw(st.sampled_from(names))
            out: dict[str, Any] = {"check": name}
            if draw_turn:
                out["turn"] = draw(st.integers(1, 500))
            if bool(ran[name]) and draw(st.booleans()):
                out["disclosure"] = draw(st.sampled_from(sorted(ran[name])))
            return out

        return build()

    findings = [] if verdict in ("pass", "unproven") else draw(st.lists(entry(True), max_size=3))
    if findings:
        data["findings"] = findings
    taken = {(f["check"], f.get("disclosure")) for f in findings}
    quiet = draw(st.lists(entry(False), max_size=2))
    quiet = [q for q in quiet if (q["check"], q.get("disclosure")) not in taken]
    if quiet:
        data["not_exercised"] = quiet
    return data


@st.composite
def scenario_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Scenario files as YAML data (what ``yaml.safe_load`` of one gives), valid by
    construction: rules and regulations, built-in and custom disclosures (phrases, patterns,
    exclude, instruction phrases and patterns), the reference agent (system prompt, opening
    greetings and notices, compaction presets and policies with their settings overridden,
    every summarizer) or your own agent, the simulator, scripted or live models, the
    conversation (repeats, cycled texts, probes, times, scripted replies), checks with their
    parameters and ``expect:``.

    For tests of tools that read and write scenario files; load one with
    ``scenario_from_mapping`` or write it to a file. A callable summarizer names a function of
    replay itself, so the document loads anywhere (it is not meant to be run; the standard
    library is refused, see docs/security.md).
    """
    from replay.scenario._rulepacks import pack_ids

    data: dict[str, Any] = {
        "scenario": draw(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,15}", fullmatch=True))
    }
    if draw(st.booleans()):
        data["description"] = draw(_texts(0))
    rules = draw(st.lists(st.sampled_from(pack_ids()), max_size=2, unique=True))
    if rules:
        data["rules"] = rules
    if draw(st.booleans()):
        data["regulations"] = draw(st.lists(_sentences(), min_size=1, max_size=2))
    entries = draw(_disclosure_entries())
    if entries != [DEFAULT_DISCLOSURE] or draw(st.booleans()):
        data["disclosures"] = entries
    ids = _disclosure_ids(entries)
    agent = draw(_agents())
    if bool(agent) or draw(st.booleans()):
        data["agent"] = agent
    conversation: dict[str, Any] = {"turns": draw(_script(_scripted(agent)))}
    if draw(st.booleans()):
        conversation["gap"] = draw(_durations())
    data["conversation"] = conversation
    checks = draw(_checks(ids, min_size=0 if rules else 1))
    if checks:
        data["checks"] = checks
    if draw(st.booleans()):
        data["expect"] = draw(_expectations(_check_runs(checks, rules, ids)))
    return data
