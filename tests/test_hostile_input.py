"""Hostile scenario files: each is refused with exit 2, the file named, quickly, no traceback.

Every case runs ``replay`` as a subprocess with a generous timeout, so a hang or a crash fails
the test instead of the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from replay import matchers

REPLAY = str(Path(sys.executable).with_name("replay"))
BOUND_S = 5.0  # what the issue asks of every case
TIMEOUT_S = 60.0  # generous: a busy CI machine must not turn a pass into a timeout

SCENARIO = """\
scenario: hostile
disclosures:
  - id: ai-identity
    phrases: ["i am an ai"]
    {key}:
      - {pattern}
agent:
  system_prompt: "You are Bo. Always say you are an AI."
  model: {{type: simulator, persona: Bo}}
conversation:
  turns:
    - user: "{message}"
checks:
  - first_reply_discloses
"""


def _replay(*args: str | Path) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.monotonic()
    done = subprocess.run(
        [REPLAY, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        env={**os.environ, "PYTHONFAULTHANDLER": ""},
        check=False,
    )
    return done, time.monotonic() - start


def _assert_refused(
    path: Path, *, where: tuple[int, int] | None = None, says: str = ""
) -> subprocess.CompletedProcess[str]:
    done, seconds = _replay("validate", path)
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert seconds < BOUND_S, f"{seconds:.1f} s"
    assert "Traceback" not in output, output
    if where is None:
        assert f"{path}:" in output, output
    else:
        assert f"{path}:{where[0]}:{where[1]}: " in output, output
    assert says in output, output
    return done


# ------------------------------------------------------------------ item 2: regex blowups


def test_nested_quantifier_compiles_to_a_linear_engine() -> None:
    matcher = matchers.compile_matcher("x", (), [r"(a+)+$"], [r"(b|bb)+c"])
    start = time.monotonic()
    assert matcher.search("a" * 40_000 + "!") is None
    assert time.monotonic() - start < 1.0


def test_user_regex_keeps_re_semantics_for_endpos_and_case() -> None:
    regex = matchers._user_regex("AB$")
    found = regex.search("xab cd", 0, 3)
    assert found is not None and found.span() == (1, 3)
    assert regex.search("xab cd") is None
    found = matchers._user_regex("ai assistant").search("an AI Assistant", 1)
    assert found is not None and (found.start(), found.end()) == (3, 15)


def test_catastrophic_pattern_validates_and_runs_in_linear_time(tmp_path: Path) -> None:
    path = tmp_path / "blowup.yaml"
    path.write_text(
        SCENARIO.format(key="patterns", pattern='"(a+)+$"', message="a" * 40_000 + "!"),
        encoding="utf-8",
    )
    done, seconds = _replay("validate", path)
    assert done.returncode == 0, done.stdout + done.stderr
    done, seconds = _replay("run", path)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert seconds < BOUND_S, f"{seconds:.1f} s"


@pytest.mark.parametrize(
    ("key", "pattern", "says"),
    [
        ("patterns", '"ai(?= assistant)"', "lookahead is not supported"),
        ("patterns", '"(?<!not )an ai"', "lookbehind is not supported"),
        ("exclude", '"(bot) or \\\\1"', "backreferences are not supported"),
        ("instruction_patterns", '"(?P<w>ai) (?P=w)"', "backreferences"),
        ("patterns", '"(?>ai)"', "atomic groups are not supported"),
        ("patterns", '"ai++"', "possessive"),
    ],
)
def test_pattern_the_linear_engine_cannot_take_is_located(
    tmp_path: Path, key: str, pattern: str, says: str
) -> None:
    path = tmp_path / "lookaround.yaml"
    path.write_text(SCENARIO.format(key=key, pattern=pattern, message="hi"), encoding="utf-8")
    _assert_refused(path, where=(6, 9), says=says)


def test_plainly_invalid_regex_keeps_its_message(tmp_path: Path) -> None:
    path = tmp_path / "invalid.yaml"
    path.write_text(
        SCENARIO.format(key="patterns", pattern='"(ai"', message="hi"), encoding="utf-8"
    )
    _assert_refused(path, where=(6, 9), says="invalid regular expression '(ai': missing )")


# ------------------------------------------------------------ item 3: YAML and file limits

SCENARIOS = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml"))

BROKEN_YAML = [
    "a: [1\nb: 2\n",
    "a: {b: 1\n",
    "a: 'x\n",
    "a:\n\tb: 1\n",
    "a: 1\n b: 2\n",
    "- a\nb: 1\n",
    'a: "\\q"\n',
    "a: b: c\n",
    "? [a]\n: 1\n",
    "a: !!python/object:os.system x\n",
    "a: 1\na: 2\n",
    "%YAML 9.9\n---\na: 1\n",
    "a: 1\n---\nb: 2\n",
]


def _pure(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sourcemap load with the pure-Python loader, the reference for positions."""
    import yaml

    monkeypatch.setattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(path: Path) -> tuple[object, object, object] | str:
    from replay.errors import InvalidInput
    from replay.sourcemap import load_yaml

    try:
        data, source = load_yaml(path)
    except InvalidInput as exc:
        return str(exc)
    return data, dict(source.values), dict(source.keys)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_libyaml_gives_the_pure_loaders_data_and_positions(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _load(path)
    assert not isinstance(fast, str), fast
    _pure(monkeypatch)
    assert _load(path) == fast


@pytest.mark.parametrize("text", BROKEN_YAML)
def test_libyaml_keeps_every_error_message_and_position(
    tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    fast = _load(path)
    assert isinstance(fast, str) and str(path) in fast
    _pure(monkeypatch)
    assert _load(path) == fast


def _write(tmp_path: Path, text: str, name: str = "hostile.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)

VALID_HEAD = """\
scenario: hostile
agent:
  system_prompt: "You are Bo. Always say you are an AI."
  model: {type: simulator, persona: Bo}
checks:
  - first_reply_discloses
"""


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        (BILLION_LAUGHS, (1, 4), "anchors and aliases"),
        ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", None, "nesting depth"),
        ("a: " + "{b: " * 5_000 + "1" + "}" * 5_000 + "\n", (1, 4 + 4 * 63), "nested too deep"),
        (
            VALID_HEAD
            + "conversation:\n  turns:\n"
            + "".join(
                "    " + "  " * i + "- repeat: 2\n    " + "  " * i + "  turns:\n" for i in range(40)
            )
            + "    "
            + "  " * 40
            + "- user: hi\n",
            None,
            "nested too deeply",
        ),
        (
            "\ufeffscenario: x\r\nconversation: {turns: [{user: hi}]}\r\n",
            None,
            "'checks' is required",
        ),
        ("scenario: x\x00\n", (1, 1), "binary file"),
        ("a: 1\na: 2\n", (2, 1), "duplicate key 'a'"),
        ("a:\n\tb: 1\n", (2, 1), "YAML syntax error"),
        ("base: {x: 1}\nscenario: {<<: {x: 1}}\n", None, "scenario"),
        ("a: !!python/object/apply:os.system [echo pwned]\n", (1, 4), "could not determine"),
        ("a: !!python/name:os.system\n", (1, 4), "YAML error"),
    ],
    ids=[
        "billion-laughs",
        "deep-flow-lists",
        "deep-flow-maps",
        "deep-repeat",
        "bom-crlf",
        "nul",
        "duplicate-keys",
        "tabs",
        "merge-key",
        "python-apply-tag",
        "python-name-tag",
    ],
)
def test_hostile_yaml_is_refused(
    tmp_path: Path, text: str, where: tuple[int, int] | None, says: str
) -> None:
    _assert_refused(_write(tmp_path, text), where=where, says=says)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(bytes(range(256)) * 64)
    _assert_refused(path, where=(1, 1), says="binary file")


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"scenario: caf\xe9\n")
    _assert_refused(path, where=(1, 14), says="not valid UTF-8")


def test_huge_string_is_refused_before_parsing(tmp_path: Path) -> None:
    path = _write(tmp_path, "scenario: '" + "x" * 20_000_000 + "'\n")
    _assert_refused(path, where=(1, 1), says="file too large")


def test_fifo_is_refused_before_opening(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    os.mkfifo(path)
    _assert_refused(path, where=(1, 1), says="is a FIFO")


def test_fifo_inside_a_scanned_folder_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.yaml")
    done, seconds = _replay("validate", tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert seconds < BOUND_S
    assert f"{tmp_path / 'x.yaml'}:1:1: not a regular file" in output, output


def test_symlink_to_dev_zero_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "zero.yaml"
    path.symlink_to("/dev/zero")
    _assert_refused(path, where=(1, 1), says="is a device")


def test_symlink_loop_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.symlink_to(path)
    _assert_refused(path, where=(1, 1), says="cannot read")
