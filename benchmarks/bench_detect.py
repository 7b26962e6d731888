"""Language detectors on short chat messages: accuracy and speed (run on demand).

    python benchmarks/bench_detect.py

Every text of the labelled corpora (tests/data/corpus/<code>.yaml, and the English
tests/data/disclosure_corpus.yaml) is a short chat message or system-prompt sentence of known
language. Each detector, restricted to the built-in languages, names one per text. Printed per
detector: the model's load time, microseconds per text, accuracy overall and per language, and
the accuracy on texts of five words or fewer (where detectors fail most). py3langid is the
``languages`` extra; lingua-language-detector is measured when it is installed (it is not a
dependency). This is what chose the detector for ``replay.matchers._detect``.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from replay.matchers._builtins import LANGUAGES
from tests.corpus_metrics import language_corpora, load_corpus, load_language_corpus

SHORT = 5


def labelled() -> list[tuple[str, str]]:
    """(language, text) of every corpus text."""
    texts = [("en", e.text) for e in load_corpus()]
    for code, path in language_corpora().items():
        texts += [(code, e.text) for e in load_language_corpus(path)]
    return texts


def py3langid() -> Callable[[str], str]:
    import py3langid.langid as langid  # type: ignore[import-untyped]  # no type information

    identifier = langid.LanguageIdentifier.from_modelpath(
        Path(langid.__file__).parent / langid.MODEL_FILE, norm_probs=True
    )
    identifier.set_languages(list(LANGUAGES))
    return lambda text: str(identifier.classify(text)[0])


def lingua() -> Callable[[str], str]:
    # Not a dependency: measured when installed.
    from lingua import (  # type: ignore[import-not-found,unused-ignore]
        IsoCode639_1,
        Language,
        LanguageDetectorBuilder,
    )

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in LANGUAGES]
    detector = LanguageDetectorBuilder.from_languages(*languages).build()

    def detect(text: str) -> str:
        found = detector.detect_language_of(text)
        return "?" if found is None else found.iso_code_639_1.name.lower()

    return detect


def measure(
    name: str, make: Callable[[], Callable[[str], str]], texts: list[tuple[str, str]]
) -> None:
    try:
        start = time.perf_counter()
        detect = make()
        detect("warm up")
        loaded = time.perf_counter() - start
    except ImportError:
        print(f"{name}: not installed")
        return
    start = time.perf_counter()
    guesses = [(code, text, detect(text)) for code, text in texts]
    per_text = (time.perf_counter() - start) / len(texts) * 1e6
    right = Counter(code for code, _, guess in guesses if guess == code)
    total = Counter(code for code, _, _ in guesses)
    short = [(c, g) for c, t, g in guesses if len(t.split()) <= SHORT]
    print(
        f"{name}: load {loaded:.2f} s, {per_text:.0f} us/text, accuracy "
        f"{sum(right.values()) / len(texts):.3f} on {len(texts)} texts, "
        f"{sum(c == g for c, g in short) / max(1, len(short)):.3f} on {len(short)} of "
        f"<= {SHORT} words"
    )
    print("  " + "  ".join(f"{c} {right[c] / total[c]:.2f}" for c in sorted(total)))


def main() -> int:
    texts = labelled()
    measure("py3langid", py3langid, texts)
    measure("lingua", lingua, texts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
