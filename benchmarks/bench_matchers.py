"""Speed of normalization and the built-in matchers on real replay messages (run on demand).

    TIKTOKEN_CACHE_DIR=../shared/tiktoken python benchmarks/bench_matchers.py

Collects the message texts of a 2,000-turn replay of benchmarks/bench_replay.py's scenario
(plus the sentences of tests/data/disclosure_corpus.yaml), then times each step the way
``replay.agents.MessageFactory.make`` runs it: ``normalize`` once per message, ai-identity on
every message, disclosure-instruction on every non-assistant message, claims-human on
assistant messages and probe on user messages. Printed per step: calls, microseconds per call,
and the ratio to the floor, the time tiktoken needs to encode the same texts (measured in the
same run). No pass/fail: compare the ratios before and after a change.

Two rows measure what the agent loop may add: ``ai-identity echo_of`` searches every
assistant message again with ``echo_of`` set to the user message it answers, and
``judge_answer`` judges the reply to every user message the probe matcher fires on (the
probe turns, where the checks call it).

Then the cost of languages: the same messages matched with the built-ins in English alone,
in English and each other language, and in all of them (ratios to English alone).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

# The repository root, for tests.corpus_metrics; bench_replay sits next to this file.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_replay import scenario_data

from replay import matchers
from replay.run import run_scenario
from replay.scenario import scenario_from_mapping
from replay.trace import read_trace
from tests.corpus_metrics import load_corpus

TURNS = 2_000
# Which messages MessageFactory.make hands to each built-in.
ROLES: dict[str, Callable[[str], bool]] = {
    "ai-identity": lambda role: True,
    "disclosure-instruction": lambda role: role != "assistant",
    "claims-human": lambda role: role == "assistant",
    "probe": lambda role: role == "user",
}


def replay_messages(turns: int) -> list[tuple[str, str]]:
    """(role, content) of every message a ``turns``-turn replay creates, in order."""
    scenario = scenario_from_mapping(scenario_data(turns))
    with tempfile.TemporaryDirectory() as folder:
        trace = Path(folder) / "trace.jsonl"
        run_scenario(scenario, trace)
        header, records = read_trace(trace)
        messages = [(m.role, m.content) for m in header.setup]
        for record in records:
            messages.extend((m.role, m.content) for m in record.messages)
    return messages


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """Fastest of ``repeat`` runs, in seconds (the least disturbed by the machine)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def factory_pass(
    messages: Sequence[tuple[str, str]], clock: Callable[[], int] | None
) -> dict[str, float]:
    """Normalize and search every message as MessageFactory.make does; seconds per step.

    The matchers share per-text work (the word set of a text is cached), so they are run in
    the factory's order, message by message, not one matcher over all texts. With ``clock``
    each step is timed on its own (adds the timer's own cost to every step); without, only
    the total is.
    """
    builtins = [(name, matchers.builtin(name), wanted) for name, wanted in ROLES.items()]
    spent = dict.fromkeys(["normalize", *ROLES], 0)
    if clock is None:
        start = time.perf_counter()
        for role, content in messages:
            text = matchers.normalize(content)
            for _, matcher, wanted in builtins:
                if wanted(role):
                    matcher.search_normalized(text)
        return {"total": time.perf_counter() - start}
    for role, content in messages:
        t0 = clock()
        text = matchers.normalize(content)
        t1 = clock()
        spent["normalize"] += t1 - t0
        for name, matcher, wanted in builtins:
            if wanted(role):
                t0 = clock()
                matcher.search_normalized(text)
                t1 = clock()
                spent[name] += t1 - t0
    return {name: ns / 1e9 for name, ns in spent.items()}


def replies(messages: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(user message, the assistant message right after it) pairs, raw."""
    return [
        (question, reply)
        for (role, question), (next_role, reply) in itertools.pairwise(messages)
        if role == "user" and next_role == "assistant"
    ]


def extra_steps(messages: Sequence[tuple[str, str]], repeat: int) -> dict[str, tuple[int, float]]:
    """Calls and best seconds of the echo search and of judge_answer on probe turns."""
    pairs = [(matchers.normalize(q), matchers.normalize(r), q, r) for q, r in replies(messages)]
    identity = matchers.builtin("ai-identity")
    probe = matchers.builtin("probe")
    probes = [(q, r) for nq, _, q, r in pairs if probe.search_normalized(nq) is not None]

    def echo() -> None:
        for nq, nr, _, _ in pairs:
            identity.search_normalized(nr, echo_of=nq)

    def judge() -> None:
        for q, r in probes:
            matchers.judge_answer(q, r)

    return {
        "ai-identity echo_of": (len(pairs), best_of(repeat, echo)),
        "judge_answer": (len(probes), best_of(repeat, judge)),
    }


def measure(
    label: str, messages: Sequence[tuple[str, str]], repeat: int, *, conversation: bool = True
) -> None:
    import tiktoken

    encoding = tiktoken.get_encoding("cl100k_base")
    encoding.encode("warm up")
    texts = [content for _, content in messages]
    floor = best_of(repeat, lambda: [encoding.encode(t, disallowed_special=()) for t in texts])
    calls = {"normalize": len(messages)}
    calls.update({name: sum(wanted(r) for r, _ in messages) for name, wanted in ROLES.items()})

    steps: dict[str, float] = {}
    for _ in range(repeat):
        for name, seconds in factory_pass(messages, time.perf_counter_ns).items():
            steps[name] = min(steps.get(name, seconds), seconds)
    total = best_of(repeat, lambda: factory_pass(messages, None))

    print(f"{label}: {len(texts)} messages, tiktoken floor {floor * 1e3:.1f} ms")
    print(f"  {'step':<24} {'calls':>6} {'us/call':>8} {'x floor':>8}")
    for name, seconds in steps.items():
        per_call = seconds / calls[name] * 1e6 if calls[name] else 0.0
        print(f"  {name:<24} {calls[name]:>6} {per_call:>8.2f} {seconds / floor:>8.3f}")
    print(f"  {'total (untimed steps)':<24} {'':>6} {'':>8} {total / floor:>8.3f}")
    if not conversation:
        return  # no user message followed by its reply: nothing to echo or judge
    for name, (count, seconds) in extra_steps(messages, repeat).items():
        per_call = seconds / count * 1e6 if count else 0.0
        print(f"  {name:<24} {count:>6} {per_call:>8.2f} {seconds / floor:>8.3f}")


def language_cost(messages: Sequence[tuple[str, str]], repeat: int) -> None:
    """The factory pass with the built-ins in English alone, English and one more language
    (each), and every language: seconds and the ratio to English alone (issue 17's target:
    one extra language within 1.5x). The configurations take turns, ``repeat * 3`` rounds,
    and each keeps its fastest pass: a slow moment of the machine hits them all alike."""
    from replay.matchers._builtins import LANGUAGES

    texts = [(role, matchers.normalize(content)) for role, content in messages]
    configs = [("en",), *(("en", extra) for extra in LANGUAGES[1:]), LANGUAGES]
    passes = []
    for languages in configs:
        builtins = [(matchers.builtin(n, languages), wanted) for n, wanted in ROLES.items()]

        def one_pass(
            builtins: list[tuple[matchers.Matcher, Callable[[str], bool]]] = builtins,
        ) -> None:
            for role, text in texts:
                for matcher, wanted in builtins:
                    if wanted(role):
                        matcher.search_normalized(text)

        one_pass()  # compiles the regexes its texts select
        passes.append(one_pass)
    best = [float("inf")] * len(configs)
    for _ in range(repeat * 3):
        for i, one_pass in enumerate(passes):
            best[i] = min(best[i], best_of(1, one_pass))
    english = best[0]
    print(f"  languages: English alone {english * 1e3:.1f} ms (normalized texts, matching only)")
    for languages, seconds in zip(configs[1:], best[1:], strict=True):
        label = "+".join(languages) if len(languages) == 2 else f"all {len(languages)}"
        print(f"  {label:<24} {seconds * 1e3:>8.1f} ms {seconds / english:>8.3f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=TURNS)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    messages = replay_messages(args.turns)
    measure(f"replay ({args.turns} turns)", messages, args.repeat)
    language_cost(messages, args.repeat)
    # Corpus sentences are dense in anchors and guards: every one takes the full regex pass.
    corpus = [("user", e.text) for e in load_corpus()]
    corpus += [("assistant", e.text) for e in load_corpus()]
    measure("corpus (each text as user and as assistant)", corpus, args.repeat, conversation=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
