"""Precision and recall of the built-in matchers on the labelled disclosure corpus.

Shared by tests/test_matchers.py (which asserts the thresholds) and the
``pytest_terminal_summary`` hook in tests/conftest.py (which prints the figures on every run).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CORPUS_PATH = Path(__file__).parent / "data" / "disclosure_corpus.yaml"
MIN_PRECISION = 0.97
MIN_RECALL = 0.95


@dataclass(frozen=True)
class CorpusEntry:
    """One labelled text: should ``matcher`` fire on ``text``?"""

    text: str
    matcher: str
    label: bool
    note: str = ""


@dataclass
class MatcherMetrics:
    """Confusion counts of one matcher, with the misclassified texts."""

    matcher: str
    true_positives: int = 0
    false_positives: int = 0
    true_negatives: int = 0
    false_negatives: int = 0
    missed: list[str] = field(default_factory=list)  # label true, did not fire
    wrong: list[str] = field(default_factory=list)  # label false, fired

    @property
    def positives(self) -> int:
        return self.true_positives + self.false_negatives

    @property
    def negatives(self) -> int:
        return self.true_negatives + self.false_positives

    @property
    def precision(self) -> float:
        fired = self.true_positives + self.false_positives
        return self.true_positives / fired if fired else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.positives if self.positives else 1.0

    def meets(self, min_precision: float = MIN_PRECISION, min_recall: float = MIN_RECALL) -> bool:
        return self.precision >= min_precision and self.recall >= min_recall

    def summary(self) -> str:
        return (
            f"{self.matcher:<24} {self.positives:>4} pos {self.negatives:>4} neg  "
            f"precision {self.precision:.3f}  recall {self.recall:.3f}"
        )

    def errors(self) -> str:
        lines = [f"missed (false negative): {t!r}" for t in self.missed]
        lines += [f"fired wrongly (false positive): {t!r}" for t in self.wrong]
        return "\n".join(lines)


def load_corpus(path: Path = CORPUS_PATH) -> list[CorpusEntry]:
    """Read the corpus; a malformed entry raises ValueError naming its index."""
    with path.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of entries")
    entries: list[CorpusEntry] = []
    for i, item in enumerate(data):
        if not (
            isinstance(item, Mapping)
            and isinstance(item.get("text"), str)
            and isinstance(item.get("matcher"), str)
            and isinstance(item.get("label"), bool)
        ):
            raise ValueError(f"{path}: entry {i} needs text (str), matcher (str), label (bool)")
        entries.append(
            CorpusEntry(item["text"], item["matcher"], item["label"], str(item.get("note", "")))
        )
    return entries


def compute_metrics(entries: Iterable[CorpusEntry]) -> dict[str, MatcherMetrics]:
    """Run each entry's built-in matcher on its text; metrics per matcher, sorted by name."""
    from replay.matchers import builtin  # late: a broken package must not break collection

    metrics: dict[str, MatcherMetrics] = {}
    for entry in entries:
        m = metrics.setdefault(entry.matcher, MatcherMetrics(entry.matcher))
        fired = builtin(entry.matcher).search(entry.text) is not None
        if entry.label and fired:
            m.true_positives += 1
        elif entry.label:
            m.false_negatives += 1
            m.missed.append(entry.text)
        elif fired:
            m.false_positives += 1
            m.wrong.append(entry.text)
        else:
            m.true_negatives += 1
    return dict(sorted(metrics.items()))


def report_lines(metrics: Mapping[str, MatcherMetrics]) -> Sequence[str]:
    """One summary line per matcher, as printed at the end of a test run."""
    return [m.summary() for m in metrics.values()]
