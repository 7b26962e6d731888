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
