"""The language a conversation is held in, for what ``replay`` writes in it (the simulator's
replies): never for deciding what a message says, which every active grammar reads.

The built-in matchers do not route a message to one language: even this detector places about
one short chat message in fifty in the wrong language ("Hola" and "Tak" are German to it; see
docs/languages.md and benchmarks/bench_detect.py), and a claim to be human that was read in
the wrong language would be missed. Here a wrong answer costs only the language of a
simulated reply.

Detection uses py3langid (the ``languages`` extra; a 4.6 MB model restricted to the built-in
languages), loaded on first use; without it, or for a text it cannot place with confidence,
the answer is English.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path

from replay.matchers._builtins import BUILTIN_MATCHERS, LANGUAGES
from replay.matchers._normalize import normalize


def conversation_language(system: Sequence[str], users: Sequence[str]) -> str:
    """The ISO 639-1 code of the language a conversation is held in: that of the built-in
    disclosure instruction its system prompts give, else the detected language of its first
    user messages, else "en"."""
    instruction = BUILTIN_MATCHERS["disclosure-instruction"]
    for text in system:
        found = instruction.search_normalized(normalize(text))
        if found is not None:
            return found.language
    sample = " ".join(users)[:2000]
    return detect_language(sample) if sample.strip() else "en"


#: Below this probability (or under this many words) a detected language is not trusted: a
#: greeting ("Hi", "Hallo") belongs to several languages, and English is the default.
MIN_CONFIDENCE = 0.95
MIN_WORDS = 3


@functools.lru_cache(maxsize=256)
def detect_language(text: str) -> str:
    """The built-in language ``text`` is most likely in (py3langid), or "en" when it is short,
    the detector is unsure or not installed."""
    classify = _classifier()
    if classify is None or len(text.split()) < MIN_WORDS:
        return "en"
    code, probability = classify(text)
    return code if code in LANGUAGES and probability >= MIN_CONFIDENCE else "en"


@functools.cache
def _classifier() -> Callable[[str], tuple[str, float]] | None:
    try:
        import py3langid.langid as langid  # type: ignore[import-untyped]  # no type information
    except ImportError:
        return None
    # The model file ships inside the package; its path is relative to it.
    model = Path(langid.__file__).parent / langid.MODEL_FILE
    identifier = langid.LanguageIdentifier.from_modelpath(model, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))

    def classify(text: str) -> tuple[str, float]:
        code, probability = identifier.classify(text)
        return str(code), float(probability)

    return classify
