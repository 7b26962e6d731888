"""The built-in matchers in the EU's languages: each language's labelled corpus
(tests/data/corpus/<code>.yaml) meets the same bar as English, with every language active."""

from __future__ import annotations

import pytest

from replay.matchers import BUILTIN_MATCHERS
from replay.matchers._builtins import LANGUAGES

from .corpus_metrics import (
    MIN_LANGUAGE_ENTRIES,
    MIN_PRECISION,
    MIN_RECALL,
    compute_metrics,
    language_corpora,
    load_language_corpus,
)

CORPORA = language_corpora()

def test_every_language_has_a_corpus() -> None:
    assert sorted(CORPORA) == sorted(code for code in LANGUAGES if code != "en")

@pytest.mark.parametrize("code", sorted(CORPORA))
def test_language_corpus_is_large_enough(code: str) -> None:
    entries = load_language_corpus(CORPORA[code])
    texts = [e.text for e in entries]
    assert len(texts) == len(set(texts)), "duplicate corpus entries"
    assert {e.matcher for e in entries} <= set(BUILTIN_MATCHERS)
    identity = [e for e in entries if e.matcher == "ai-identity"]
    assert sum(e.label for e in identity) >= MIN_LANGUAGE_ENTRIES
    assert sum(not e.label for e in identity) >= MIN_LANGUAGE_ENTRIES
    for name in BUILTIN_MATCHERS:
        of_name = [e for e in entries if e.matcher == name]
        assert sum(e.label for e in of_name) >= 10, f"{name}: too few positives"
        assert sum(not e.label for e in of_name) >= 10, f"{name}: too few negatives"

@pytest.mark.parametrize("code", sorted(CORPORA))
def test_language_precision_and_recall(code: str) -> None:
    metrics = compute_metrics(load_language_corpus(CORPORA[code]))
    failing = [m for m in metrics.values() if not m.meets()]
    assert not failing, "\n".join(
        f"{code} {m.summary()} (need precision >= {MIN_PRECISION}, recall >= {MIN_RECALL})\n"
        + m.errors()
        for m in failing
    )
