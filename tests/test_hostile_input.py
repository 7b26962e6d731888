"""Hostile scenario files: each is refused with exit 2, the file named, quickly, no traceback.

Every case runs ``replay`` as a subprocess with a generous timeout, so a hang or a crash fails
the test instead of the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from replay import matchers
from replay.matchers._engine import _user_regex

BOUND_S = 5.0  # what the issue asks of every case
ROOT = Path(__file__).resolve().parents[1]
MEMORY_MB = 500  # likewise: peak resident memory of the replay process
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


# ``replay``'s entry point, reporting its peak resident memory (VmHWM) into a file at exit.
# Not wait4's ru_maxrss: Linux carries the forking process's (the pytest worker's, hundreds of
# MB) high-water mark across fork and exec into it. VmHWM belongs to the new program's memory.
PROBE = """\
import atexit, os, sys

def _peak():
    with open("/proc/self/status") as status, open(os.environ["REPLAY_TEST_PEAK"], "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM:")))

atexit.register(_peak)
from replay.cli import main
sys.exit(main())
"""


def _replay(*args: str | Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run ``replay``; return its result and CPU time. Its peak memory is asserted here.

    The child is reaped with ``wait4`` to read its CPU time, and killed by a watchdog should
    it outlive :data:`TIMEOUT_S`.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as folder,
    ):
        peak_file = Path(folder) / "peak"
        child = subprocess.Popen(
            [sys.executable, "-c", PROBE, *map(str, args)],
            stdout=out,
            stderr=err,
            env={**os.environ, "PYTHONFAULTHANDLER": "", "REPLAY_TEST_PEAK": str(peak_file)},
        )
        watchdog = threading.Timer(TIMEOUT_S, child.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            watchdog.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        # CPU seconds, not wall time: what the input costs, whatever else loads the machine
        # (a hang uses none, and is ended by the watchdog, failing the exit-code assert).
        seconds = usage.ru_utime + usage.ru_stime
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(
            child.args,
            child.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )
        assert peak_file.exists(), f"replay {args} ended without reporting its memory: {done}"
        peak_mb = int(peak_file.read_text().split()[1]) / 1024  # "VmHWM:  12345 kB"
    assert peak_mb < MEMORY_MB, f"replay {args} peaked at {peak_mb:.0f} MB"
    return done, seconds


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
    start = time.process_time()  # CPU time: a backtracking engine would take hours here
    assert matcher.search("a" * 40_000 + "!") is None
    assert time.process_time() - start < 1.0


def test_user_regex_keeps_re_semantics_for_endpos_and_case() -> None:
    regex = _user_regex("AB$")
    found = regex.search("xab cd", 0, 3)
    assert found is not None and found.span() == (1, 3)
    assert regex.search("xab cd") is None
    found = _user_regex("ai assistant").search("an AI Assistant", 1)
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
    from replay.files.sourcemap import load_yaml

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
        (
            VALID_HEAD + "conversation:\n  turns:\n    - repeat: 1000000000000\n"
            "      turns: [{user: hi}]\n",
            (9, 15),
            "greater than the maximum",
        ),
        (
            VALID_HEAD + "conversation:\n  turns:\n    - repeat: 100000\n      turns: "
            "[{repeat: 100000, turns: [{repeat: 100000, turns: [{user: hi}]}]}]\n",
            (9, 5),
            "at most 1,000,000 are allowed",
        ),
        (VALID_HEAD + 'conversation:\n  turns: "hi"\n', (8, 10), "expected array"),
        (
            VALID_HEAD.replace(
                "Bo}", "Bo}\n  compaction: {policy: sliding_window, keep: {messages: -1}}"
            )
            + "conversation: {turns: [{user: hi}]}\n",
            (5, 57),
            "less than the minimum of 0",
        ),
        (
            VALID_HEAD.replace("Bo}", "Bo, remind_every: 0h}")
            + "conversation: {turns: [{user: hi}]}\n",
            (4, 55),
            "longer than 0",
        ),
        (
            VALID_HEAD + "  - recurs_every: {minutes: 0m}\nconversation: {turns: [{user: hi}]}\n",
            (7, 29),
            "longer than 0",
        ),
        (
            VALID_HEAD + 'conversation: {turns: [{user: hi, after: "-5m"}]}\n',
            (7, 42),
            "does not have the expected form",
        ),
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
        "huge-repeat-count",
        "repeat-product",
        "wrong-type",
        "negative-budget",
        "zero-reminder-interval",
        "zero-check-interval",
        "negative-time",
    ],
)
def test_hostile_yaml_is_refused(
    tmp_path: Path, text: str, where: tuple[int, int] | None, says: str
) -> None:
    _assert_refused(_write(tmp_path, text), where=where, says=says)


def test_utf16_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes("scenario: x\n".encode("utf-16"))
    _assert_refused(path, where=(1, 1), says="binary file")


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(bytes(range(256)) * 64)
    _assert_refused(path, where=(1, 1), says="binary file")


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"scenario: caf\xe9\n")
    _assert_refused(path, where=(1, 14), says="not valid UTF-8")


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = _write(tmp_path, "scenario: '" + "x" * 40_000_000 + "'\n")
    _assert_refused(path, where=(1, 1), says="file too large")


def test_20_mb_string_is_parsed_quickly(tmp_path: Path) -> None:
    # The pure-Python parser took 24 s on this; libyaml well under the bound.
    path = _write(tmp_path, "scenario: '" + "x" * 20_000_000 + "'\n")
    _assert_refused(path, where=(1, 1), says="'checks' is required")


def test_too_many_values_are_refused_while_scanning(tmp_path: Path) -> None:
    path = _write(tmp_path, "a: [" + "0, " * 400_001 + "0]\n")
    # Values: the mapping, its key, the list, then its items: the 400,001st is item 399,998.
    _assert_refused(path, where=(1, len("a: [") + 1 + 3 * 399_997), says="too many values")


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


# ------------------------------------------------------------------ traces (replay check)


@pytest.fixture(scope="module")
def good_trace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("trace")
    done, _ = _replay("run", ROOT / "scenarios/vacuous_no_probe.yaml", "--trace-dir", folder)
    assert done.returncode == 1, done.stdout + done.stderr  # unproven, by design
    (trace,) = folder.glob("*.jsonl")
    return trace


def _assert_trace_refused(path: Path, where: int, says: str) -> None:
    # replay report reads a folder of traces: this one holds only the hostile trace.
    for command in (("check", path), ("report", path.parent, "--out", path.parent.parent / "out")):
        done, seconds = _replay(*command)
        output = done.stdout + done.stderr
        assert done.returncode == 2, output
        assert seconds < BOUND_S, f"{seconds:.1f} s"
        assert "Traceback" not in output, output
        assert f"{path}:{where}:1: " in output, output
        assert says in output, output


def test_trace_nested_100000_deep_is_refused(tmp_path: Path, good_trace: Path) -> None:
    header = good_trace.read_bytes().splitlines(keepends=True)[0]
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "deep.trace.jsonl"
    path.write_bytes(header + b'{"type": "turn", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n")
    _assert_trace_refused(path, 2, "nested too deeply")


def test_fifo_trace_is_refused_before_opening(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "fifo.trace.jsonl"
    os.mkfifo(path)
    _assert_trace_refused(path, 1, "is a FIFO")


def test_trace_symlinked_to_dev_zero_is_refused(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "zero.trace.jsonl"
    path.symlink_to("/dev/zero")
    _assert_trace_refused(path, 1, "is a device")


def test_overlong_trace_line_is_refused(
    tmp_path: Path, good_trace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real bound (256 MiB) is too big to write in a test; the rule is the same.
    from replay.trace import _io as trace

    monkeypatch.setattr(trace, "MAX_RECORD_BYTES", 1024)
    path = tmp_path / "long.trace.jsonl"
    lines = good_trace.read_bytes().splitlines(keepends=True)
    path.write_bytes(lines[0] + b'{"type": "turn", "x": "' + b"y" * 4096 + b'"}\n')
    _, turns = trace.read_trace(path)
    with pytest.raises(trace.TraceFormatError, match="line 2 is longer than"):
        list(turns)
