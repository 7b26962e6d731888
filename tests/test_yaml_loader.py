"""The one-pass YAML loader gives what the node-graph loader gives (issue 14: loading speed).

``load_yaml`` reads a plain document in one pass over libyaml's events and leaves everything
unusual to the node-graph loader, which words every error. Both must agree on the data, the
source map (lines and columns of every value and key, in the same order) and the errors.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from replay.errors import InvalidInput
from replay.files import sourcemap
from replay.files.sourcemap import _load_graph, _load_plain, _Unusual, load_yaml
from replay.spec._source import SourceMap

ROOT = Path(__file__).resolve().parents[1]
YAML_FILES = sorted(
    p
    for pattern in (
        "scenarios/*.yaml",
        "examples/**/*.yaml",
        "replay/rules/*.yaml",
        "tests/**/*.yaml",
    )
    for p in ROOT.glob(pattern)
)


def _graph(text: str) -> tuple[object, list[object], list[object]]:
    data, source = _load_graph("f.yaml", text)
    return data, list(source.values.items()), list(source.keys.items())


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_yaml_file_loads_the_same_in_one_pass(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        expected = _graph(text)
    except InvalidInput:
        with pytest.raises(_Unusual):
            _load_plain(text)
        return
    data, values, keys = _load_plain(text)
    assert (data, list(values.items()), list(keys.items())) == expected


def test_the_shipped_files_mostly_take_the_one_pass_path() -> None:
    plain = 0
    for path in YAML_FILES:
        try:
            _load_plain(path.read_text(encoding="utf-8"))
            plain += 1
        except _Unusual:
            pass
    assert len(YAML_FILES) > 20 and plain >= 0.8 * len(YAML_FILES)


PLAIN = [
    "a: 1\nb: [x, 2.5, true, null, ~, 2026-01-01]\nc: {d: 'e', f: \"g\"}\n",
    "- 1\n- - 2\n  - [3, {x: y}]\n- {}\n- []\n",
    "1: one\n2.5: two\ntrue: three\n",
    "s: !!str 12\nt: !!int '7'\nu: |\n  block\n  text\nv: >\n  folded\n",
    "just a scalar\n",
    "a: !!map {b: 1}\nc: !!seq [1]\n",
    # Plain decimals take a shortcut past the resolver; what YAML 1.1 reads otherwise does not
    # (octal 0123, 00, 1_000, signs, non-ASCII digits, quoted digits, 12e3).
    "a: [0, 7, 123, 0123, 00, 1_000, +5, -5, \u0663, '12', \"34\", 12e3, 99999999999999999999]\n",
    "n: 0\nm: 10\n",
]
UNUSUAL = [
    "a: 1\na: 2\n",  # duplicate key
    "a: &x 1\nb: *x\n",  # anchor and alias
    "base: {a: 1}\nm:\n  <<: {b: 2}\n",  # merge key
    "? [a]\n: 1\n",  # a key that is a list
    "~: 1\n",  # a null key
    "a: !!set {x}\n",  # a tagged collection
    "a: !!python/object/apply:os.system [echo]\n",
    "a: [1, 2\n",  # syntax error
    "a: 1\n---\nb: 2\n",  # two documents
    "a: !!int nope\n",  # a value its tag cannot hold
    "date: 2026-13-45\n",  # read as a date that does not exist
    "# only a comment\n",
    "[" * 70 + "]" * 70 + "\n",  # nested deeper than MAX_DEPTH
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_documents_agree(text: str) -> None:
    data, values, keys = _load_plain(text)
    assert (data, list(values.items()), list(keys.items())) == _graph(text)


@pytest.mark.parametrize("text", UNUSUAL)
def test_unusual_documents_go_to_the_node_graph_loader_and_fail_as_it_says(
    text: str, tmp_path: Path
) -> None:
    with pytest.raises(_Unusual):
        _load_plain(text)
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    assert _outcome(lambda: load_yaml(path)) == _outcome(lambda: _load_graph(str(path), text))


def _outcome(load: Callable[[], tuple[Any, SourceMap]]) -> object:
    """What a loader gives, comparable: its data and source map, or its problems."""
    try:
        data, source = load()
    except InvalidInput as exc:
        return ("problems", list(exc.problems))
    return ("data", data, list(source.values.items()), list(source.keys.items()))


def test_too_many_values_is_left_to_the_node_graph_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sourcemap, "MAX_NODES", 3)
    with pytest.raises(_Unusual):
        _load_plain("[1, 2, 3, 4]\n")
    _load_plain("[1, 2]\n")


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [("a: !!int nope\n", 4, "'nope' is not a valid int"), ("d: 2026-13-45\n", 4, "timestamp")],
)
def test_a_value_its_tag_cannot_hold_is_a_located_problem(
    text: str, column: int, words: str, tmp_path: Path
) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_yaml(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (1, column)
    assert words in problem.message


LONG = "scenario: s\nconversation:\n  turns:\n" + "".join(
    f"    - user: 'message {i}'\n      reply: 'reply {i}'\n" for i in range(50)
)


def test_a_valid_document_holds_no_position_inside_its_turns_until_one_is_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(LONG, encoding="utf-8")
    reads: list[Path] = []
    read = sourcemap._DeepPositions._read

    def counting(self: sourcemap._DeepPositions) -> object:
        reads.append(self._path)
        return read(self)

    monkeypatch.setattr(sourcemap._DeepPositions, "_read", counting)
    monkeypatch.setattr(sourcemap, "LAZY_ABOVE", 0)  # this small document stands for a long one
    _, source = load_yaml(path)
    turn = ("conversation", "turns", 7)
    assert source.locate(turn) == (4 + 2 * 7, 7)  # a turn's own position is held
    assert reads == []
    # Inside a turn: read again from the file, exact, once.
    assert source.locate((*turn, "reply")) == (5 + 2 * 7, 14)
    assert source.locate((*turn, "reply"), key=True) == (5 + 2 * 7, 7)
    assert source.locate(("conversation", "turns", 9, "user")) == (4 + 2 * 9, 13)
    assert reads == [path.absolute()]


def test_a_file_changed_since_it_was_loaded_is_located_no_deeper_than_what_was_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sourcemap, "LAZY_ABOVE", 0)
    path = tmp_path / "s.yaml"
    path.write_text(LONG, encoding="utf-8")
    _, source = load_yaml(path)
    path.write_text("# two new lines\n\n" + LONG, encoding="utf-8")
    # Never a position in the changed text: the turn's own position, from the load.
    assert source.locate(("conversation", "turns", 7, "reply")) == (4 + 2 * 7, 7)


def test_a_small_document_keeps_every_position_and_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(LONG, encoding="utf-8")
    assert len(LONG) <= sourcemap.LAZY_ABOVE
    monkeypatch.setattr(sourcemap, "read_text", lambda p: pytest.fail(f"read again: {p}"))
    _, source = load_yaml(path, LONG)
    assert source.locate(("conversation", "turns", 7, "reply")) == (5 + 2 * 7, 14)
