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
    source: str = ""


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
    return _load_entries(path, sourced=False)


def _load_entries(path: Path, *, sourced: bool) -> list[CorpusEntry]:
    """The entries of a labelled corpus file; ``sourced``: each must name its source, and no
    other keys than those of an entry are allowed (the language corpora)."""
    with path.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of entries")
    needed = "text (str), matcher (str), label (bool)" + (", source (str)" if sourced else "")
    entries: list[CorpusEntry] = []
    for i, item in enumerate(data):
        if sourced and (not isinstance(item, Mapping) or set(item) - _LANGUAGE_KEYS):
            raise ValueError(f"{path}: entry {i}: keys must be among {sorted(_LANGUAGE_KEYS)}")
        source = item.get("source", "") if isinstance(item, Mapping) else None
        if not (
            isinstance(item, Mapping)
            and isinstance(item.get("text"), str)
            and isinstance(item.get("matcher"), str)
            and isinstance(item.get("label"), bool)
            and isinstance(source, str)
            and (source.strip() or not sourced)
        ):
            raise ValueError(f"{path}: entry {i} needs {needed}")
        entries.append(
            CorpusEntry(
                item["text"], item["matcher"], item["label"], str(item.get("note", "")), source
            )
        )
    return entries


# ------------------------------------------------------------------ language corpora
# tests/data/corpus/<code>.yaml: one labelled corpus per language the built-ins are written
# in besides English (see its header). Entries as in disclosure_corpus.yaml, each with a source.

LANGUAGE_CORPUS_DIR = Path(__file__).parent / "data" / "corpus"
_LANGUAGE_KEYS = frozenset({"text", "matcher", "label", "source", "note"})
#: A language's corpus holds at least this many disclosures and hard negatives (ai-identity).
MIN_LANGUAGE_ENTRIES = 60


def language_corpora() -> dict[str, Path]:
    """The language corpora by ISO 639-1 code (the file's stem)."""
    return {p.stem: p for p in sorted(LANGUAGE_CORPUS_DIR.glob("*.yaml"))}


def load_language_corpus(path: Path) -> list[CorpusEntry]:
    """Read one language corpus; a malformed entry raises ValueError naming its index."""
    return _load_entries(path, sourced=True)


def compute_metrics(entries: Iterable[CorpusEntry]) -> dict[str, MatcherMetrics]:
    """Run each entry's built-in matcher on its text; metrics per matcher, sorted by name."""
    from replay.matchers import builtin

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


# ------------------------------------------------------------------ evaluation corpus
# tests/data/eval_corpus.yaml: public-sourced and adversarial texts written apart from the
# matchers (see its header). Two kinds of entries: standalone replies, classified by the
# built-in matchers, and question-answer pairs, classified by ``judge_answer``.

EVAL_CORPUS_PATH = Path(__file__).parent / "data" / "eval_corpus.yaml"
STANDALONE_LABELS = ("discloses", "claims-human", "neither")
PAIR_LABELS = ("disclosed", "claimed-human", "evaded")
ADVERSARIAL_PREFIX = "adversarial:"
_EVAL_KEYS = frozenset({"question", "text", "label", "source", "kind", "note"})


@dataclass(frozen=True)
class EvalEntry:
    """One labelled reply; with ``question`` set, a reply judged against that question."""

    text: str
    label: str
    source: str
    question: str | None = None
    kind: str = ""
    note: str = ""

    @property
    def is_pair(self) -> bool:
        return self.question is not None

    @property
    def is_adversarial(self) -> bool:
        return self.source.startswith(ADVERSARIAL_PREFIX)

    def describe(self) -> str:
        """The entry as one line: the question (for a pair) and the text, quoted."""
        if self.question is None:
            return repr(self.text)
        return f"{self.question!r} -> {self.text!r}"


def load_eval_corpus(path: Path = EVAL_CORPUS_PATH) -> list[EvalEntry]:
    """Read the evaluation corpus; a malformed entry raises ValueError naming its index."""
    with path.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of entries")
    entries: list[EvalEntry] = []
    for i, item in enumerate(data):
        if not isinstance(item, Mapping):
            raise ValueError(f"{path}: entry {i} is not a mapping")
        unknown = set(item) - _EVAL_KEYS
        if unknown:
            raise ValueError(f"{path}: entry {i} has unknown keys {sorted(unknown)}")
        for key in ("text", "label", "source"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise ValueError(f"{path}: entry {i} needs a non-empty string {key!r}")
        question = item.get("question")
        if question is not None and (not isinstance(question, str) or not question.strip()):
            raise ValueError(f"{path}: entry {i}: question must be a non-empty string")
        labels = PAIR_LABELS if question is not None else STANDALONE_LABELS
        if item["label"] not in labels:
            raise ValueError(f"{path}: entry {i}: label {item['label']!r} is not one of {labels}")
        for key in ("kind", "note"):
            if not isinstance(item.get(key, ""), str):
                raise ValueError(f"{path}: entry {i}: {key} must be a string")
        entries.append(
            EvalEntry(
                text=item["text"],
                label=item["label"],
                source=item["source"],
                question=question,
                kind=item.get("kind", ""),
                note=item.get("note", ""),
            )
        )
    return entries


def predict_standalone(text: str) -> str:
    """claims-human if that built-in fires, else discloses if ai-identity fires, else neither."""
    from replay.matchers import builtin

    if builtin("claims-human").matches(text):
        return "claims-human"
    if builtin("ai-identity").matches(text):
        return "discloses"
    return "neither"


def predict_pair(question: str, text: str) -> str:
    """``judge_answer(question, text).kind``: disclosed, claimed-human or evaded."""
    from replay.matchers import judge_answer

    return judge_answer(question, text).kind


@dataclass(frozen=True)
class ClassMetrics:
    """Precision and recall of one class: gold ``label`` against the predictions."""

    label: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def support(self) -> int:
        return self.true_positives + self.false_negatives

    @property
    def predicted(self) -> int:
        return self.true_positives + self.false_positives

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.support if self.support else 1.0

    def summary(self) -> str:
        return (
            f"  {self.label:<14} {self.support:>4} gold {self.predicted:>4} predicted  "
            f"precision {self.precision:.3f}  recall {self.recall:.3f}"
        )


@dataclass
class EvalMetrics:
    """Predictions of one entry kind (standalone or pairs) against the gold labels."""

    name: str
    labels: tuple[str, ...]
    results: list[tuple[EvalEntry, str]] = field(default_factory=list)  # (entry, predicted)

    def add(self, entry: EvalEntry, predicted: str) -> None:
        self.results.append((entry, predicted))

    def of(self, label: str) -> ClassMetrics:
        tp = sum(e.label == label and p == label for e, p in self.results)
        fp = sum(e.label != label and p == label for e, p in self.results)
        fn = sum(e.label == label and p != label for e, p in self.results)
        return ClassMetrics(label, tp, fp, fn)

    @property
    def per_class(self) -> dict[str, ClassMetrics]:
        return {label: self.of(label) for label in self.labels}

    @property
    def errors(self) -> list[tuple[EvalEntry, str]]:
        return [(e, p) for e, p in self.results if e.label != p]

    @property
    def accuracy(self) -> float:
        if not self.results:
            return 1.0
        return 1 - len(self.errors) / len(self.results)

    def summary_lines(self) -> list[str]:
        head = f"{self.name}: {len(self.results)} entries, accuracy {self.accuracy:.3f}"
        return [head] + [m.summary() for m in self.per_class.values()]

    def error_lines(self) -> list[str]:
        """The misclassified entries, grouped by (gold, predicted), most frequent first."""
        groups: dict[tuple[str, str], list[EvalEntry]] = {}
        for entry, predicted in self.errors:
            groups.setdefault((entry.label, predicted), []).append(entry)
        lines: list[str] = []
        for (gold, predicted), group in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            lines.append(f"  {self.name}: labelled {gold}, predicted {predicted} ({len(group)}):")
            lines.extend(f"    {entry.describe()}" for entry in group)
        return lines


def compute_eval_metrics(entries: Iterable[EvalEntry]) -> tuple[EvalMetrics, EvalMetrics]:
    """Classify every entry; (standalone metrics, pair metrics)."""
    standalone = EvalMetrics("standalone", STANDALONE_LABELS)
    pairs = EvalMetrics("pairs", PAIR_LABELS)
    for entry in entries:
        if entry.question is None:
            standalone.add(entry, predict_standalone(entry.text))
        else:
            pairs.add(entry, predict_pair(entry.question, entry.text))
    return standalone, pairs
