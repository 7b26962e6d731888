"""One codec for replay's JSON records: a frozen dataclass's fields, in order, are its keys.

A record class derives from :class:`JsonRecord`; its fields say everything the JSON needs:

- the key is the field's name, unless its metadata is ``json_key("key")``;
- a field with no default is required when read; one with a default is read as that default
  when its key is absent (older traces lack what later versions added);
- a field whose metadata is ``OMIT_IF_DEFAULT`` is written only when it differs from its
  default; every other field is always written (they are what the JSON Schema requires);
- ``json_tag`` holds constant keys written first (``{"type": "turn"}``).

Values are encoded and checked by their annotation: ``str``, ``int``, ``float``, ``bool`` and
``Literal`` values as they are, ``tuple[X, ...]`` as a list, ``frozenset[str]`` as a sorted list,
``X | None`` as ``null`` or X, a nested record as its object, ``Mapping[str, Any]`` as an object.
Reading checks each value's type, so a record with a string where a count belongs is refused
(``TypeError`` naming the key), never carried on as if it were valid.

``tests/test_trace_schema_types.py`` checks the trace's JSON Schema against these classes, so the
schema, the dataclass and the codec cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal, TypeVar, Union, get_args, get_origin

_OMIT = "replay.omit_if_default"
_KEY = "replay.json_key"

T = TypeVar("T", bound="JsonRecord")
Decode = Callable[[Any, str], Any]


OMIT_IF_DEFAULT: Mapping[str, Any] = types.MappingProxyType({_OMIT: True})
"""Field metadata: write the field only when its value is not its default.

Used as ``field(default=..., metadata=OMIT_IF_DEFAULT)`` (a ``field()`` call, so that type
checkers still see the default)."""


def json_key(key: str) -> Mapping[str, Any]:
    """Field metadata: the field's JSON key is ``key`` rather than its name."""
    return types.MappingProxyType({_KEY: key})


class JsonRecord:
    """A frozen dataclass that is written to and read from JSON by its fields (see above)."""

    __slots__ = ()
    json_tag: ClassVar[Mapping[str, Any]] = {}

    def to_json(self) -> dict[str, Any]:
        """The record as a JSON object: tag keys first, then the fields in order."""
        encode: Callable[[JsonRecord], dict[str, Any]] = _compiled(type(self))[0]
        return encode(self)

    @classmethod
    def from_json(cls: type[T], record: Mapping[str, Any]) -> T:
        """Read a record written by :meth:`to_json` (or an older version of it).

        Raises ``KeyError`` for a missing required key and ``TypeError`` for a value of the
        wrong type; tag keys and unknown keys are not looked at.
        """
        decode: Callable[[Mapping[str, Any]], T] = _compiled(cls)[1]
        return decode(record)


def _compiled(cls: type[JsonRecord]) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The class's encoder and decoder, generated from its fields on first use and kept on the
    class (as ``dataclasses`` generates ``__init__``): a record is written once per turn, so
    the writer must cost what a hand-written ``to_json`` costs, not a loop over field specs.

    The generated source is built from replay's own class definitions only (field names and
    keys written in this package), never from a trace or any other input, so reading an
    untrusted trace runs no code of its (see docs/security.md)."""
    found = cls.__dict__.get("_json_codec")
    if found is None:
        found = _generate(cls)
        type.__setattr__(cls, "_json_codec", found)
        # Later calls go straight to the generated functions, unless the class has its own.
        if "to_json" not in cls.__dict__:
            type.__setattr__(cls, "to_json", found[0])
        if "from_json" not in cls.__dict__:
            type.__setattr__(cls, "from_json", staticmethod(found[1]))
    assert isinstance(found, tuple)
    return found


_SCALAR_CHECKS = {
    str: ("type(value) is not str", "a string"),
    int: ("type(value) is not int", "an integer"),
    float: ("type(value) is not float and type(value) is not int", "a number"),
    bool: ("type(value) is not bool", "a boolean"),
}
"""Per scalar type: the test that refuses a JSON value (exact types: a JSON boolean is not an
integer) and what was expected. Written inline into generated decoders and compiled once into
the decoders of nested values (:data:`_SCALARS`), so both read the same rule."""


def _generate(cls: type[JsonRecord]) -> tuple[Callable[..., Any], Callable[..., Any]]:
    hints = typing.get_type_hints(cls)
    namespace: dict[str, Any] = {
        "_cls": cls,
        "_tag": dict(cls.json_tag),
        "_Mapping": Mapping,
        "_wrong": _wrong,
        "_json_type": _json_type,
    }
    encoder = ["def encode(self):", "    record = dict(_tag)"]
    decoder = [
        "def decode(record):",
        "    if not isinstance(record, _Mapping):",
        "        raise TypeError(f'expected an object, got {_json_type(record)}')",
        "    kwargs = {}",
    ]
    for i, f in enumerate(dataclasses.fields(cls)):  # type: ignore[arg-type]
        key = f.metadata.get(_KEY, f.name)
        hint = hints[f.name]
        namespace[f"_decode{i}"] = _decoder(hint)
        namespace[f"_default{i}"] = f.default
        written = _encoding(hint, "value", namespace)
        encoder.append(f"    value = self.{f.name}")
        if f.metadata.get(_OMIT):
            # Hand-written writers test "is not None" and emptiness, not equality: as fast here.
            if f.default is None:
                encoder.append("    if value is not None:")
            elif f.default in ((), frozenset(), False, ""):
                encoder.append("    if value:")
            else:
                encoder.append(f"    if value != _default{i}:")
            encoder.append(f"        record[{key!r}] = {written}")
        else:
            encoder.append(f"    record[{key!r}] = {written}")
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        indent = "    "
        if required:
            decoder.append(f"    value = record[{key!r}]")
        else:
            decoder.append(f"    if {key!r} in record:")
            decoder.append(f"        value = record[{key!r}]")
            indent = "        "
        if hint in _SCALAR_CHECKS:
            check, expected = _SCALAR_CHECKS[hint]
            decoder.append(f"{indent}if {check}:")
            decoder.append(f"{indent}    raise _wrong({key!r}, {expected!r}, value)")
            decoder.append(f"{indent}kwargs[{f.name!r}] = value")
        else:
            decoder.append(f"{indent}kwargs[{f.name!r}] = _decode{i}(value, {key!r})")
    encoder.append("    return record")
    decoder.append("    return _cls(**kwargs)")
    exec("\n".join(encoder) + "\n\n" + "\n".join(decoder), namespace)
    return namespace["encode"], namespace["decode"]


def _encoding(hint: Any, var: str, namespace: dict[str, Any]) -> str:
    """The expression that writes ``var``, a value of type ``hint``, as JSON (nested records
    call their own generated encoder directly)."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        inner = _encoding(next(a for a in args if a is not type(None)), var, namespace)
        return var if inner == var else f"(None if {var} is None else {inner})"
    if origin is frozenset:
        return f"sorted({var})"
    if origin is tuple:
        item = _encoding(args[0], "item", namespace)
        return f"list({var})" if item == "item" else f"[{item} for item in {var}]"
    if origin in (Mapping, dict, typing.Mapping):
        return f"dict({var})"
    if isinstance(hint, type) and issubclass(hint, JsonRecord):
        name = f"_encode_{hint.__name__}"
        namespace[name] = _compiled(hint)[0]
        return f"{name}({var})"
    _decoder(hint)  # raises for a type the codec cannot write
    return var


def _wrong(key: str, expected: str, value: Any) -> TypeError:
    return TypeError(f"{key!r}: expected {expected}, got {_json_type(value)}")


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _scalar(check: str, expected: str) -> Decode:
    namespace: dict[str, Any] = {"_wrong": _wrong}
    exec(
        f"def decode(value, key):\n    if {check}:\n"
        f"        raise _wrong(key, {expected!r}, value)\n    return value",
        namespace,
    )
    decode: Decode = namespace["decode"]
    return decode


_SCALARS: dict[Any, Decode] = {
    hint: _scalar(check, expected) for hint, (check, expected) in _SCALAR_CHECKS.items()
}


def _decoder(hint: Any) -> Decode:
    """The checking decoder of a type: the value read, or TypeError naming the key."""
    origin, args = get_origin(hint), get_args(hint)
    if hint in _SCALARS:
        return _SCALARS[hint]
    if hint is Any:
        return lambda value, key: value
    if origin is Literal:
        allowed = frozenset(args)

        def literal(value: Any, key: str) -> Any:
            if not isinstance(value, str) or value not in allowed:
                raise TypeError(f"{key!r}: expected one of {sorted(allowed)}, got {value!r}")
            return value

        return literal
    if origin in (Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1 or len(args) != 2:
            raise TypeError(f"the codec reads only X | None unions, not {hint}")
        decode = _decoder(inner[0])
        return lambda value, key: None if value is None else decode(value, key)
    if origin in (tuple, frozenset):
        if origin is tuple and (len(args) != 2 or args[1] is not Ellipsis):
            raise TypeError(f"the codec reads only tuple[X, ...], not {hint}")
        item_decode, collect = _decoder(args[0]), origin

        def items(value: Any, key: str) -> Any:
            if not isinstance(value, list):
                raise _wrong(key, "an array", value)
            return collect(item_decode(item, key) for item in value)

        return items
    if origin in (Mapping, dict, typing.Mapping):

        def mapping(value: Any, key: str) -> Any:
            if not isinstance(value, dict):
                raise _wrong(key, "an object", value)
            return value

        return mapping
    if isinstance(hint, type) and issubclass(hint, JsonRecord):
        record_class = hint

        def nested(value: Any, key: str) -> Any:
            if not isinstance(value, dict):
                raise _wrong(key, "an object", value)
            return record_class.from_json(value)

        return nested
    raise TypeError(f"the codec cannot read or write a field of type {hint}")
