"""The trace's JSON Schema, its record classes and their one codec agree, key by key.

Each record class is written and read by ``replay.spec._codec`` from its fields alone, so this
test is what keeps the schema (what other tools validate traces against) from drifting away from
the dataclasses: the same keys, the same required keys, the same JSON types and enums.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import pytest

from replay.errors import InvalidInput
from replay.files import packaged_schema
from replay.spec._codec import _KEY, _OMIT, JsonRecord
from replay.trace import read_trace
from replay.trace._records import (
    CompactionEvent,
    Message,
    ModelCall,
    ToolCall,
    TraceEnd,
    TraceHeader,
    TurnRecord,
    Usage,
)

SCHEMA = packaged_schema("trace")
RECORDS: dict[str, type[JsonRecord]] = {
    "message": Message,
    "model_call": ModelCall,
    "compaction": CompactionEvent,
    "turn": TurnRecord,
    "header": TraceHeader,
    "end": TraceEnd,
    "tool_call": ToolCall,
}


def _definition(name: str) -> dict[str, Any]:
    if name == "usage":
        usage: dict[str, Any] = SCHEMA["$defs"]["model_call"]["properties"]["usage"]
        return usage
    found: dict[str, Any] = SCHEMA["$defs"][name]
    return found


def _keys(cls: type[JsonRecord]) -> dict[str, dataclasses.Field[Any]]:
    return {f.metadata.get(_KEY, f.name): f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]


def _json_types(hint: Any, *, omitted_when_none: bool) -> set[str]:
    """The JSON types a value of this annotation is written as."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        found = _json_types(inner[0], omitted_when_none=False)
        return found if omitted_when_none else found | {"null"}
    if origin is Literal or hint is str:
        return {"string"}
    if hint is bool:
        return {"boolean"}
    if hint is int:
        return {"integer"}
    if hint is float:
        return {"number"}
    if origin in (tuple, frozenset):
        return {"array"}
    if origin is Mapping or (isinstance(hint, type) and issubclass(hint, JsonRecord)):
        return {"object"}
    raise AssertionError(f"unexpected annotation {hint}")


def _schema_types(prop: dict[str, Any]) -> set[str]:
    if "$ref" in prop:
        return {"object"}
    if "enum" in prop:
        return {"string" if isinstance(v, str) else "null" for v in prop["enum"]}
    kind = prop["type"]
    return set(kind) if isinstance(kind, list) else {kind}


CASES = [*RECORDS.items(), ("usage", Usage)]


@pytest.mark.parametrize(("name", "cls"), CASES, ids=[n for n, _ in CASES])
def test_schema_and_record_have_the_same_keys(name: str, cls: type[JsonRecord]) -> None:
    definition = _definition(name)
    keys = set(cls.json_tag) | set(_keys(cls))
    assert set(definition["properties"]) == keys
    written_always = set(cls.json_tag) | {
        key for key, f in _keys(cls).items() if not f.metadata.get(_OMIT)
    }
    required = set(definition.get("required", []))
    if name == "header":
        # A header's checks, rules and regulations came after version 2's first readers: the
        # schema does not require them and the reader defaults them; everything else it
        # requires is what the writer always writes.
        assert required <= written_always
        assert all(
            _keys(cls)[k].default is not dataclasses.MISSING for k in written_always - required
        )
    elif name == "usage":
        assert required == set()
    else:
        assert required == written_always
    for key, value in cls.json_tag.items():
        assert definition["properties"][key] == {"const": value}


@pytest.mark.parametrize(("name", "cls"), CASES, ids=[n for n, _ in CASES])
def test_schema_and_record_have_the_same_types(name: str, cls: type[JsonRecord]) -> None:
    properties = _definition(name)["properties"]
    hints = typing.get_type_hints(cls)
    for key, f in _keys(cls).items():
        hint = hints[f.name]
        expected = _json_types(hint, omitted_when_none=bool(f.metadata.get(_OMIT)))
        assert _schema_types(properties[key]) == expected, key
        if get_origin(hint) is Literal:
            assert set(properties[key]["enum"]) == set(get_args(hint)), key


def _trace(tmp_path: Path, turn: dict[str, Any]) -> Path:
    header = TraceHeader("s", "s.yaml", ("ai-identity",)).to_json()
    end = TraceEnd(1, True).to_json()
    path = tmp_path / "t.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in (header, turn, end)), encoding="utf-8")
    return path


def _turn(**message_changes: Any) -> dict[str, Any]:
    message = Message(id="m1", role="user", kind="user", turn=1, tokens=3, content="hi")
    record = TurnRecord(1, 0.0, "hi", False, (message,)).to_json()
    record["messages"][0].update(message_changes)
    return record


def test_a_valid_record_reads_back_equal(tmp_path: Path) -> None:
    header, turns = read_trace(_trace(tmp_path, _turn()))
    assert [t.to_json() for t in turns] == [_turn()]
    assert header.to_json() == TraceHeader("s", "s.yaml", ("ai-identity",)).to_json()


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"tokens": "3"}, "'tokens': expected an integer, got a string"),
        ({"tokens": True}, "'tokens': expected an integer, got a boolean"),
        ({"content": None}, "'content': expected a string, got null"),
        ({"kind": "robot"}, "'kind': expected one of"),
        ({"disclosures": "ai-identity"}, "'disclosures': expected an array, got a string"),
        ({"tool_calls": [{"id": 1, "name": "f", "arguments": ""}]}, "'id': expected a string"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_at_its_line(
    tmp_path: Path, change: dict[str, Any], said: str
) -> None:
    """Before the codec, a count written as a string was carried on into the checks."""
    path = _trace(tmp_path, _turn(**change))
    _, turns = read_trace(path)
    with pytest.raises(InvalidInput, match=rf":2:.*{said}"):
        list(turns)


def test_a_missing_required_key_is_refused(tmp_path: Path) -> None:
    record = _turn()
    del record["messages"][0]["content"]
    _, turns = read_trace(_trace(tmp_path, record))
    with pytest.raises(InvalidInput, match=r":2:.*'content'"):
        list(turns)


@pytest.mark.parametrize(
    "end",
    [{"type": "end", "turns": "1", "finished": True}, {"type": "end", "turns": 1}],
    ids=["turns as a string", "no finished"],
)
def test_a_malformed_end_record_is_refused_never_read_as_finished(
    tmp_path: Path, end: dict[str, Any]
) -> None:
    path = _trace(tmp_path, _turn())
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines[:2], json.dumps(end)]) + "\n", encoding="utf-8")
    _, turns = read_trace(path)
    with pytest.raises(InvalidInput, match=r":3:.*bad end record"):
        list(turns)
