"""The quick schema check (jsonschema-rs) never accepts what jsonschema would refuse.

jsonschema words every error and is the authority; jsonschema-rs only says "valid" fast. The
two engines read regular expressions differently (ECMA 262 against Python's ``re``), so the
schemas' patterns must stay inside what both read alike, and a document the quick check
accepts must be one jsonschema accepts too.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replay.files import packaged_schema
from replay.files.sourcemap import QuickSchemaCheck, load_yaml
from replay.fuzz.strategies import scenario_documents

ROOT = Path(__file__).resolve().parents[1]
# Classes whose members differ between the engines (Unicode in Python, ASCII or another set in
# ECMA 262): \s also covers U+FEFF in ECMA and U+001C-U+001F in Python, \d and \w Unicode
# digits and letters in Python only.
ENGINE_DEPENDENT = re.compile(r"\\[sSdDwWbB]")


def _patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            elif key == "patternProperties" and isinstance(value, dict):
                yield from value
            yield from _patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from _patterns(item)


def test_scenario_schema_patterns_mean_the_same_in_both_engines() -> None:
    patterns = list(_patterns(packaged_schema("scenario")))
    assert patterns
    assert [p for p in patterns if ENGINE_DEPENDENT.search(p)] == []


def _python_valid(data: Any) -> bool:
    return bool(jsonschema.Draft202012Validator(packaged_schema("scenario")).is_valid(data))


QUICK = QuickSchemaCheck(packaged_schema("scenario"))


@pytest.mark.parametrize(
    "path",
    sorted(ROOT.glob("scenarios/*.yaml")) + sorted(ROOT.glob("examples/*/scenario.yaml")),
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_the_engines_agree_on_every_bundled_scenario(path: Path) -> None:
    data, _ = load_yaml(path)
    assert QUICK.accepts(data) == _python_valid(data) is True


def _mutations(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Near misses of a valid document: each string value in turn made odd, each number
    negated, each list emptied (many invalid, some still valid)."""
    odd = ("", " ", "\ufeff3h", "3h\n", "\x1c", "٣h", "x y", "a\u00a0b", "-5m", "0")

    def walk(node: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, (*path, key))
        elif isinstance(node, list):
            yield path, []
            for i, value in enumerate(node):
                yield from walk(value, (*path, i))
        elif isinstance(node, str):
            for text in odd:
                yield path, text
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            yield path, -node - 1

    for path, value in walk(document, ()):
        if not path:
            continue
        changed = copy.deepcopy(document)
        target = changed
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        yield changed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_documents())
def test_the_quick_check_never_accepts_what_jsonschema_refuses(document: dict[str, Any]) -> None:
    assert QUICK.accepts(document) and _python_valid(document)
    for changed in _mutations(document):
        if QUICK.accepts(changed):
            assert _python_valid(changed), json.dumps(changed, ensure_ascii=True)[:2000]


@given(st.text(max_size=12))
def test_durations_agree_on_any_text(text: str) -> None:
    document = {
        "scenario": "x",
        "agent": {"model": {"type": "simulator", "remind_every": text}},
        "conversation": {"turns": [{"user": "hi"}]},
        "checks": ["first_reply_discloses"],
    }
    if QUICK.accepts(document):
        assert _python_valid(document)
