"""The evaluation corpus (tests/data/eval_corpus.yaml): well-formed, and the matchers' scores on it.

The corpus was collected from public sources and labelled without looking at the matchers'
patterns (its header says how). These tests keep it well-formed and hold the matchers to
per-class minimums. The figures themselves, with every misclassified entry, are printed in the
"disclosure evaluation corpus" section at the end of each pytest run.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from .corpus_metrics import (
    ADVERSARIAL_PREFIX,
    PAIR_LABELS,
    STANDALONE_LABELS,
    EvalEntry,
    EvalMetrics,
    compute_eval_metrics,
    load_eval_corpus,
)

CORPUS = load_eval_corpus()

MIN_PUBLIC = 300  # entries read in public sources
MIN_ADVERSARIAL_NEGATIVES = 100  # constructed entries labelled neither / evaded
MIN_PAIRS = 80  # question-answer pairs
MIN_PER_CLASS = 25  # gold entries of every class, so each figure means something

# Per-class minimums: (entries, class, "precision" | "recall") -> minimum.
#
# A false "discloses"/"disclosed" is a false PASS of a compliance check, so the precision of
# those two classes must be at least 0.97 whatever was measured. Every other minimum is the
# figure measured when the corpus was added, rounded down by about 0.03 so that a small
# regression fails and noise in a handful of entries does not. Measured 2026-12-01:
#
#                             a66a320 (held out)      859bdf6 (minimums below)  now
#   standalone  discloses     P 0.925  R 0.782        P 0.925  R 0.782          P 1.000  R 0.782
#               claims-human  P 0.968  R 0.750        P 0.968  R 0.750          P 0.968  R 0.750
#               neither       P 0.857  R 0.966        P 0.857  R 0.966          P 0.861  R 1.000
#   pairs       disclosed     P 1.000  R 0.707        P 1.000  R 0.759          P 1.000  R 0.759
#               claimed-human P 0.964  R 0.692        P 0.968  R 0.769          P 0.968  R 0.769
#               evaded        P 0.525  R 0.970        P 0.582  R 0.970          P 0.582  R 0.970
#
# 859bdf6 taught judge_answer five reply shapes that occur in this corpus ("The second one.",
# "What? NO.", "Obviously not.", "You are!", "That's me."), so its pair figures are no longer
# fully held out; a66a320 was measured before any matcher change had seen the file.
#
# The standalone "discloses" precision was below the required 0.97 when the corpus was added
# (7 false disclosures: legal and guidance text about bots, an echo, a hypothetical, a game role,
# two human job titles "virtual/digital assistant"). "now" above is after the general rules that
# fixed them (replay/matchers.py: _THIRD_PERSON_IT, _FRAME, "in a world where" and game frames in
# _HEDGED_CONTEXT, _NOT_JOB_TITLE), each pinned by new variants in disclosure_corpus.yaml; so
# that figure is no longer held out either.
THRESHOLDS: list[tuple[str, str, str, float]] = [
    ("standalone", "discloses", "precision", 0.97),
    ("standalone", "discloses", "recall", 0.75),
    ("standalone", "claims-human", "precision", 0.94),
    ("standalone", "claims-human", "recall", 0.72),
    ("standalone", "neither", "precision", 0.83),
    ("standalone", "neither", "recall", 0.94),
    ("pairs", "disclosed", "precision", 0.97),
    ("pairs", "disclosed", "recall", 0.73),
    ("pairs", "claimed-human", "precision", 0.94),
    ("pairs", "claimed-human", "recall", 0.74),
    ("pairs", "evaded", "precision", 0.55),
    ("pairs", "evaded", "recall", 0.94),
]

_URL = re.compile(r"^https?://\S+$")
_REPO_PATH = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+:[^\s:]+( \(.+\))?$")
_ADVERSARIAL = re.compile(rf"^{ADVERSARIAL_PREFIX} [a-z][a-z-]*$")


def _public(entries: list[EvalEntry]) -> list[EvalEntry]:
    return [e for e in entries if not e.is_adversarial]


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


# ------------------------------------------------------------------------------ well-formed


def test_every_entry_names_its_source() -> None:
    bad = [
        e.source
        for e in CORPUS
        if not (_ADVERSARIAL.match(e.source) if e.is_adversarial else _public_source(e.source))
    ]
    assert not bad, f"not a URL, owner/repo:path or 'adversarial: kind': {bad}"


def _public_source(source: str) -> bool:
    return bool(_URL.match(source) or _REPO_PATH.match(source))


def test_labels_fit_the_entry_kind() -> None:
    # load_eval_corpus rejects these already; kept as a statement of the format.
    for entry in CORPUS:
        labels = PAIR_LABELS if entry.is_pair else STANDALONE_LABELS
        assert entry.label in labels, entry.describe()


def test_corpus_is_large_enough() -> None:
    public = _public(CORPUS)
    adversarial_negatives = [
        e for e in CORPUS if e.is_adversarial and e.label in ("neither", "evaded")
    ]
    pairs = [e for e in CORPUS if e.is_pair]
    assert len(public) >= MIN_PUBLIC
    assert len(adversarial_negatives) >= MIN_ADVERSARIAL_NEGATIVES
    assert len(pairs) >= MIN_PAIRS
    gold = Counter((e.is_pair, e.label) for e in CORPUS)
    for label in STANDALONE_LABELS:
        assert gold[False, label] >= MIN_PER_CLASS, f"too few standalone {label} entries"
    for label in PAIR_LABELS:
        assert gold[True, label] >= MIN_PER_CLASS, f"too few {label} pairs"


def test_no_duplicates() -> None:
    standalone = Counter(_key(e.text) for e in CORPUS if not e.is_pair)
    pairs = Counter((_key(e.question or ""), _key(e.text)) for e in CORPUS if e.is_pair)
    assert [t for t, n in standalone.items() if n > 1] == []
    assert [p for p, n in pairs.items() if n > 1] == []


# ------------------------------------------------------------------------------ thresholds


@pytest.fixture(scope="module")
def metrics() -> dict[str, EvalMetrics]:
    standalone, pairs = compute_eval_metrics(CORPUS)
    return {"standalone": standalone, "pairs": pairs}


def _threshold_params() -> list[object]:
    params: list[object] = []
    for kind, label, measure, minimum in THRESHOLDS:
        params.append(pytest.param(kind, label, measure, minimum, id=f"{kind}-{label}-{measure}"))
    return params


@pytest.mark.parametrize(("kind", "label", "measure", "minimum"), _threshold_params())
def test_eval_corpus_threshold(
    metrics: dict[str, EvalMetrics], kind: str, label: str, measure: str, minimum: float
) -> None:
    m = metrics[kind]
    scores = m.of(label)
    value = scores.precision if measure == "precision" else scores.recall
    errors = "\n".join(m.error_lines())
    assert value >= minimum, f"{kind} {label} {measure} {value:.3f} < {minimum}\n{errors}"
