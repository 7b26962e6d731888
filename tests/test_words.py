"""Counts read as English (issue 15): "1 turn", never "1 turn(s)"."""

from __future__ import annotations

import pytest

from replay.spec import count, plural


@pytest.mark.parametrize(
    ("n", "noun", "expected"),
    [
        (0, "turn", "0 turns"),
        (1, "turn", "1 turn"),
        (2, "turn", "2 turns"),
        (1, "model call", "1 model call"),
        (3, "model call", "3 model calls"),
        (2, "reply", "2 replies"),
        (2, "match", "2 matches"),
        (5, "compaction event", "5 compaction events"),
    ],
)
def test_count_agrees_with_the_number(n: int, noun: str, expected: str) -> None:
    assert count(n, noun) == expected


def test_an_explicit_plural_wins() -> None:
    assert count(2, "character of reply", "characters of reply") == "2 characters of reply"
    assert count(1, "character of reply", "characters of reply") == "1 character of reply"


def test_plural_of_irregular_nouns() -> None:
    assert plural("summary") == "summaries"
    assert plural("policy") == "policies"
