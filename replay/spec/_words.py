"""Counts that read as English: "1 turn", "2 turns", "0 findings", never "turn(s)"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# Nouns whose plural is not the noun plus "s"; everything else takes "s" (or "es" after a
# sibilant). A short table, not an inflection library: these are the nouns replay counts.
_IRREGULAR = {
    "child": "children",
    "person": "people",
    "reply": "replies",
    "summary": "summaries",
    "property": "properties",
    "entry": "entries",
    "policy": "policies",
    "strategy": "strategies",
}


def plural(noun: str) -> str:
    """The plural of one of replay's nouns ("turn" -> "turns", "reply" -> "replies")."""
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def count(n: int, noun: str, plural_form: str | None = None) -> str:
    """``n`` and the noun in the number it takes: ``count(1, "turn")`` is "1 turn",
    ``count(3, "model call")`` is "3 model calls". Only the last word is inflected, so
    multi-word nouns ("compaction event") work; pass ``plural_form`` for anything else."""
    if n == 1:
        return f"{n} {noun}"
    if plural_form is None:
        head, _, last = noun.rpartition(" ")
        plural_form = f"{head} {plural(last)}" if head else plural(last)
    return f"{n} {plural_form}"


def did_you_mean(
    typed: str, names: Iterable[str], *, cutoff: float = 0.6, forgiving: bool = False
) -> str:
    """``"; did you mean 'x'?"`` for the name closest to ``typed`` (difflib's ratio at least
    ``cutoff``), or "" when none is close. ``forgiving``: hyphens and case do not count, so
    ``Sliding-Window`` finds ``sliding_window``."""
    names = list(names)
    if forgiving:
        keys = {n.replace("-", "_").casefold(): n for n in names}
        close = difflib.get_close_matches(
            typed.replace("-", "_").casefold(), list(keys), n=1, cutoff=cutoff
        )
        return f"; did you mean {keys[close[0]]!r}?" if close else ""
    close = difflib.get_close_matches(typed, names, n=1, cutoff=cutoff)
    return f"; did you mean {close[0]!r}?" if close else ""
