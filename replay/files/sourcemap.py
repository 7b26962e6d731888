"""Load YAML keeping the line and column of every node, so errors can point into the file."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs
import yaml

from replay.errors import InvalidInput, Problem
from replay.files._regular import NotRegularFile, open_regular
from replay.spec._source import JsonPath, SourceMap

if TYPE_CHECKING:  # jsonschema only words errors: imported where it does
    import jsonschema

#: Limits on what one scenario (or other YAML/JSON input) file may hold. They bound the time
#: and memory of loading a hostile file; real scenarios stay far below them.
MAX_FILE_BYTES = 32 * 1024 * 1024
#: Values (scalars, mappings, lists) in one file: a literal 100,000-turn conversation holds
#: about 300,000. Each costs about a kilobyte while it is loaded, so this bounds memory too.
MAX_NODES = 400_000
#: Nesting of YAML collections (mappings and sequences) inside one another.
MAX_DEPTH = 64
#: Anchors (``&name``) and aliases (``*name``) are refused: each use of an alias copies its
#: anchored value, so a few nested ones expand to billions of values ("billion laughs"), and
#: a merge key over aliases (``<<: [*a, *a]``) grows the same way. No scenario needs them.


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, turning every way it can fail into an InvalidInput.

    Only a regular file of at most :data:`MAX_FILE_BYTES` is read: a FIFO, device or socket
    (also behind a symlink, e.g. to ``/dev/zero``) is refused before it is opened for reading.
    """
    shown = str(path)
    try:
        handle, size = open_regular(path)
        with handle:
            if size > MAX_FILE_BYTES:
                raise InvalidInput([Problem(shown, 1, 1, _too_large(size))])
            raw = handle.read(MAX_FILE_BYTES + 1)
    except NotRegularFile as exc:
        raise InvalidInput([Problem(shown, 1, 1, exc.reason)]) from None
    except FileNotFoundError:
        raise InvalidInput([Problem(shown, 1, 1, "no such file")]) from None
    except IsADirectoryError:
        raise InvalidInput([Problem(shown, 1, 1, "is a directory, expected a file")]) from None
    except OSError as exc:
        raise InvalidInput([Problem(shown, 1, 1, f"cannot read: {exc.strerror}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidInput([Problem(shown, 1, 1, _too_large(len(raw)))])
    if b"\x00" in raw:
        raise InvalidInput([Problem(shown, 1, 1, "binary file, expected UTF-8 YAML text")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InvalidInput([Problem(shown, line, column, "not valid UTF-8 text")]) from None


def _too_large(size: int) -> str:
    return (
        f"file too large ({size:,} bytes; a scenario may hold at most "
        f"{MAX_FILE_BYTES // (1024 * 1024)} MiB)"
    )


def _screen(shown: str, text: str) -> None:
    """Refuse nesting beyond :data:`MAX_DEPTH`, more than :data:`MAX_NODES` values, and any
    anchor or alias.

    Runs over libyaml's event stream (no recursion, no alias expansion) before anything is
    built, so neither an alias bomb nor a 100,000-deep nesting costs more than one pass.
    """

    def refuse(event: yaml.Event, message: str) -> InvalidInput:
        mark = event.start_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return InvalidInput([Problem(shown, line, column, message)])

    depth = nodes = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.NodeEvent) and not isinstance(event, yaml.AliasEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise refuse(
                    event,
                    f"too many values (more than {MAX_NODES:,}); a long conversation can use "
                    "'repeat:' instead of writing every turn out",
                )
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise refuse(
                event,
                "YAML anchors and aliases (&name, *name) are not allowed in a scenario: each "
                "alias copies its value, so a few can expand to billions; write the value out",
            )
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise refuse(
                    event,
                    f"nested too deeply (more than {MAX_DEPTH} levels of mappings and lists)",
                )
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


def _syntax_error(shown: str, exc: yaml.YAMLError) -> InvalidInput:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or "invalid YAML"
        return InvalidInput([Problem(shown, line, column, f"YAML syntax error: {reason}")])
    return InvalidInput([Problem(shown, 1, 1, f"YAML error: {exc}")])


def _compose(shown: str, text: str) -> yaml.Node | None:
    """The document's node graph, by libyaml; a syntax error is worded by the pure loader.

    libyaml words errors differently (and marks them elsewhere), so an error found by it is
    reported as the pure-Python loader reports it, keeping every message as it was.
    """
    try:
        _screen(shown, text)
        loader = yaml.CSafeLoader(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as fast:
        pure = yaml.SafeLoader(text)
        try:
            pure.get_single_node()
        except yaml.YAMLError as exc:
            raise _syntax_error(shown, exc) from None
        except RecursionError:
            pass
        finally:
            pure.dispose()
        raise _syntax_error(shown, fast) from None


_STR = "tag:yaml.org,2002:str"


class _Unusual(Exception):
    """The document holds something :func:`_load_plain` leaves to the node-graph loader."""


def _load_plain(
    text: str, depth: int | None = None
) -> tuple[Any, dict[JsonPath, tuple[int, int]], dict[JsonPath, tuple[int, int]]]:
    """The data and source map of a plain document, in one pass over libyaml's events.

    The common case of :func:`load_yaml`: no node graph is composed and the events are not
    read twice (once to screen, once to compose). Anything else (a syntax error, a limit
    exceeded, an anchor or alias, a tag on a collection, a merge key, a key that is not a
    string, number or boolean, a duplicate key, a second document, an empty one) raises
    :class:`_Unusual`, and the node-graph loader below, which words every such problem,
    decides: so both give the same data, map and errors, which a test checks on every
    bundled scenario and on hostile ones.
    """
    constructor = yaml.SafeLoader("")
    values: dict[JsonPath, tuple[int, int]] = {}
    keys: dict[JsonPath, tuple[int, int]] = {}
    # One frame per open collection: [container, its path, the pending key of a mapping].
    stack: list[list[Any]] = []
    root: list[Any] = []
    nodes = documents = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            container: dict[str, Any] | list[Any] | None = None
            if isinstance(event, yaml.ScalarEvent):
                tag = event.tag
                text_value = event.value
                if (
                    tag is None
                    and not event.style  # plain: libyaml says "", the Python parser None
                    and event.implicit[0]
                    and text_value.isascii()
                    and text_value.isdigit()
                    and (text_value[0] != "0" or text_value == "0")
                ):
                    # A plain decimal, the resolver's int (YAML 1.1 reads a leading 0 as
                    # octal: left to it). Most numbers of a scenario; the resolver and the
                    # constructor cost ten times as much, per value.
                    value: Any = int(text_value)
                else:
                    if tag is None or tag == "!":
                        tag = constructor.resolve(  # type: ignore[no-untyped-call]
                            yaml.ScalarNode, text_value, event.implicit
                        )
                    if tag == _STR:
                        value = text_value
                    else:
                        node = yaml.ScalarNode(tag, text_value, style=event.style)
                        node.start_mark = event.start_mark
                        value = constructor.construct_object(node, deep=True)
            elif isinstance(event, yaml.CollectionStartEvent):
                if event.tag is not None and event.tag not in _PLAIN_TAGS:
                    raise _Unusual
                if len(stack) >= MAX_DEPTH:
                    raise _Unusual
                value = container = {} if isinstance(event, yaml.MappingStartEvent) else []
            elif isinstance(event, yaml.CollectionEndEvent):
                frame = stack.pop()
                if frame[2] is not None:
                    raise _Unusual  # a key without a value: libyaml would have said so
                continue
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Unusual
                continue
            elif isinstance(event, yaml.AliasEvent):
                raise _Unusual
            else:  # stream and document ends
                continue
            if event.anchor is not None:
                raise _Unusual
            nodes += 1
            if nodes > MAX_NODES:
                raise _Unusual
            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            if not stack:
                if root:
                    raise _Unusual
                root.append(value)
                path: JsonPath = ()
            else:
                frame = stack[-1]
                parent = frame[0]
                if type(parent) is list:
                    path = (*frame[1], len(parent))
                    parent.append(value)
                elif frame[2] is None:  # a key
                    if container is not None or not isinstance(value, (str, int, float, bool)):
                        raise _Unusual
                    key = value if isinstance(value, str) else str(value)
                    if key in parent:
                        raise _Unusual
                    frame[2] = key
                    key_path: JsonPath = (*frame[1], key)
                    if depth is None or len(key_path) <= depth:
                        keys[key_path] = where
                    continue
                else:
                    path = (*frame[1], frame[2])
                    parent[frame[2]] = value
                    frame[2] = None
            if depth is None or len(path) <= depth:
                values[path] = where
            if container is not None:
                stack.append([container, path, None])
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
        raise _Unusual from None
    finally:
        constructor.dispose()
    if not root or stack:
        raise _Unusual
    return root[0], values, keys


def load_yaml(path: Path, text: str | None = None) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain Python data plus its source map.

    Duplicate keys are errors (PyYAML would silently keep the last one, and a duplicated
    ``checks:`` would silently drop checks).
    """
    shown = str(path)
    if text is None:
        text = read_text(path)
    if not text.strip():
        raise InvalidInput([Problem(shown, 1, 1, "empty file, expected a YAML mapping")])
    # A small document keeps every position: reading it again for one deep position (a
    # repeat block's turns, an expectation) would cost more than the memory it saves.
    lazy = len(text) > LAZY_ABOVE
    try:
        data, plain_values, plain_keys = _load_plain(text, SHALLOW if lazy else None)
    except _Unusual:
        pass
    else:
        if not lazy:
            return data, SourceMap(shown, plain_values, plain_keys)
        # The absolute path: a later lookup must find the file whatever the working folder.
        deep = _DeepPositions(path.absolute(), hashlib.sha256(text.encode()).digest())
        return data, SourceMap(
            shown, _Positions(plain_values, deep, "values"), _Positions(plain_keys, deep, "keys")
        )
    return _load_graph(shown, text)


LAZY_ABOVE = 256 * 1024
"""Characters above which a document's deep positions are left in the file (:data:`SHALLOW`):
a literal conversation of about a thousand turns."""


SHALLOW = 3
"""Positions a valid document's source map holds from the start: of values and keys at most
this deep (a turn, ``("conversation", "turns", 7)``, whose position every turn keeps). The
deeper ones (inside each turn: two of every three positions of a long conversation) are read
again from the file the first time one is asked for, which is when a problem or a located
reference needs one, so a valid literal conversation of 100,000 turns never holds them."""


class _DeepPositions:
    """Every position of a document, read again from its file on first use.

    The file is checked against the SHA-256 of the text that was loaded: if it changed since,
    its positions would point at other text, and the source map keeps only its shallow
    positions (a problem is then located at the nearest of those, never at a wrong line).
    """

    def __init__(self, path: Path, digest: bytes) -> None:
        self._path = path
        self._digest = digest
        self._tables: tuple[dict[JsonPath, tuple[int, int]], ...] | None = None

    def table(self, which: str) -> dict[JsonPath, tuple[int, int]] | None:
        if self._tables is None:
            self._tables = self._read()
        if not self._tables:
            return None
        return self._tables[0] if which == "values" else self._tables[1]

    def _read(self) -> tuple[dict[JsonPath, tuple[int, int]], ...]:
        try:
            text = read_text(self._path)
            if hashlib.sha256(text.encode()).digest() != self._digest:
                return ()
            _, values, keys = _load_plain(text)
        except (InvalidInput, _Unusual):
            return ()
        return values, keys


class _Positions(Mapping[JsonPath, tuple[int, int]]):
    """A source-map table: its shallow positions, the deeper ones from :class:`_DeepPositions`.

    A lookup of a path at most :data:`SHALLOW` long is answered from the shallow table, which is
    complete at that depth; any other lookup, iteration or length reads the deep table.
    """

    def __init__(
        self, shallow: dict[JsonPath, tuple[int, int]], deep: _DeepPositions, which: str
    ) -> None:
        self._shallow = shallow
        self._deep = deep
        self._which = which

    def _all(self) -> Mapping[JsonPath, tuple[int, int]]:
        return self._deep.table(self._which) or self._shallow

    def __getitem__(self, path: JsonPath) -> tuple[int, int]:
        if len(path) <= SHALLOW:
            return self._shallow[path]
        return self._all()[path]

    def __contains__(self, path: object) -> bool:
        if isinstance(path, tuple) and len(path) <= SHALLOW:
            return path in self._shallow
        return path in self._all()

    def __iter__(self) -> Iterator[JsonPath]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def _load_graph(shown: str, text: str) -> tuple[Any, SourceMap]:
    """:func:`load_yaml` through libyaml's node graph: the reference, and every error's words."""
    node = _compose(shown, text)
    if node is None:
        raise InvalidInput([Problem(shown, 1, 1, "empty file, expected a YAML mapping")])

    values: dict[JsonPath, tuple[int, int]] = {}
    keys: dict[JsonPath, tuple[int, int]] = {}
    problems: list[Problem] = []
    constructor = yaml.SafeLoader("")

    def where(n: yaml.Node) -> tuple[int, int]:
        return n.start_mark.line + 1, n.start_mark.column + 1

    def build(n: yaml.Node, path: JsonPath) -> Any:
        values[path] = where(n)
        if isinstance(n, (yaml.MappingNode, yaml.SequenceNode)) and n.tag not in _PLAIN_TAGS:
            # A tagged collection (!!python/object/apply:..., !!set) is no plain data.
            line, column = where(n)
            problems.append(
                Problem(
                    shown,
                    line,
                    column,
                    f"YAML error: could not determine a constructor for the tag {n.tag!r}",
                )
            )
            return None
        if isinstance(n, yaml.MappingNode):
            constructor.flatten_mapping(n)
            result: dict[Any, Any] = {}
            for key_node, value_node in n.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, column = where(key_node)
                    problems.append(Problem(shown, line, column, "mapping keys must be scalars"))
                    continue
                key = constructor.construct_object(key_node, deep=True)
                if not isinstance(key, (str, int, float, bool)):
                    line, column = where(key_node)
                    problems.append(Problem(shown, line, column, "mapping keys must be scalars"))
                    continue
                key = str(key) if not isinstance(key, str) else key
                if key in result:
                    line, column = where(key_node)
                    problems.append(Problem(shown, line, column, f"duplicate key {key!r}"))
                    continue
                key_path = (*path, key)
                keys[key_path] = where(key_node)
                result[key] = build(value_node, key_path)
            return result
        if isinstance(n, yaml.SequenceNode):
            return [build(item, (*path, i)) for i, item in enumerate(n.value)]
        try:
            return constructor.construct_object(n, deep=True)
        except yaml.constructor.ConstructorError as exc:
            line, column = where(n)
            problems.append(Problem(shown, line, column, f"YAML error: {exc.problem}"))
            return None
        except (ValueError, OverflowError) as exc:
            # PyYAML's constructors raise these for a value its tag cannot hold: an explicit
            # "!!int nope", or a plain 2026-13-45 read as a date.
            line, column = where(n)
            tag = n.tag.rsplit(":", 1)[-1]
            problems.append(
                Problem(
                    shown, line, column, f"YAML error: {n.value!r} is not a valid {tag} ({exc})"
                )
            )
            return None

    data = build(node, ())
    constructor.dispose()
    if problems:
        raise InvalidInput(problems)
    return data, SourceMap(shown, values, keys)


def load_json(path: Path) -> Any:
    """Read a JSON file; every way it can fail is an InvalidInput located to line and column."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            [Problem(str(path), exc.lineno, exc.colno, f"not JSON: {exc.msg}")]
        ) from None


class QuickSchemaCheck:
    """Says, fast, that a document is valid against a JSON Schema; jsonschema explains the rest.

    jsonschema (pure Python) is the authority and words every error; on a 100,000-turn scenario
    it takes seconds, where jsonschema-rs takes milliseconds. So a document is first checked by
    jsonschema-rs, and only one it does not accept is validated (and explained) by jsonschema:
    the verdict is jsonschema's whenever the two could differ in the strict direction. They
    could differ in the other direction only through regular-expression semantics (ECMA 262
    against Python's ``re``), which is why the schemas' patterns use explicit ASCII classes, no
    ``\\s``, ``\\d`` or ``\\w`` (tests/test_scenario.py checks that they do).
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        self._validator = jsonschema_rs.validator_for(schema)

    def accepts(self, data: Any) -> bool:
        """True: ``data`` is valid. False: jsonschema must say (it may still be valid)."""
        try:
            return bool(self._validator.is_valid(data))
        except ValueError:  # a value JSON has no type for (a YAML date, bytes): ask jsonschema
            return False


def schema_problems_at_top(
    path: Path, errors: Iterable[jsonschema.ValidationError], hint: str
) -> list[Problem]:
    """JSON Schema errors of a JSON file (which has no positions) as problems at line 1."""
    return [
        Problem(
            str(path),
            1,
            1,
            f"{'/'.join(str(p) for p in e.absolute_path) or 'top level'}: {e.message} ({hint})",
        )
        for e in errors
    ]
