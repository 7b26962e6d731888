"""Untrusted scenario files: validating never imports or runs the code a scenario names.

See docs/security.md: ``replay validate`` locates callable summarizers by path and lists them,
refuses standard-library references, and ``replay run --no-code`` refuses any scenario that
names Python code or a command.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import MINIMAL, ROOT, write

PROMPT = MINIMAL.splitlines(keepends=True)[2]
MODULE = """\
from pathlib import Path

Path(__file__).with_name("imported.marker").write_text("imported")


def summarize(messages, prompt):
    Path(__file__).with_name("called.marker").write_text("called")
    return "The user asked about order #12."
"""


def with_summarizer(function: str, trigger: int = 100) -> str:
    return MINIMAL.replace(
        "agent:\n",
        "agent:\n  compaction:\n    policy: summarize\n"
        f"    trigger: {{tokens: {trigger}}}\n"
        f"    summarizer: {{type: callable, function: '{function}'}}\n",
    )


def replay(
    *args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "replay.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        timeout=120,
    )


def test_validate_never_imports_a_module_next_to_the_scenario(tmp_path: Path) -> None:
    (tmp_path / "my_mod.py").write_text(MODULE, encoding="utf-8")
    path = write(tmp_path, with_summarizer("my_mod:summarize"))
    # Even with the scenario's folder on PYTHONPATH (and as the working directory).
    done = replay("validate", path, cwd=tmp_path, env={"PYTHONPATH": f"{ROOT}:{tmp_path}"})
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "imported.marker").exists()
    assert (
        "runs code: agent.compaction.summarizer.function = my_mod:summarize "
        "(my_mod.py next to the scenario)"
    ) in done.stdout
    assert f"({path}:6:" in done.stdout


def test_validate_finds_a_package_module_by_path_without_importing_its_parents(
    tmp_path: Path,
) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text(
        "open(__file__ + '.marker', 'w').write('parent imported')\n", encoding="utf-8"
    )
    (package / "sums.py").write_text(MODULE, encoding="utf-8")
    done = replay("validate", write(tmp_path, with_summarizer("pkg.sums:summarize")))
    assert done.returncode == 0, done.stderr
    assert "pkg/sums.py next to the scenario" in done.stdout
    assert not list(tmp_path.rglob("*.marker"))


def test_a_missing_module_is_exit_2_at_the_key_without_importing(tmp_path: Path) -> None:
    path = write(tmp_path, with_summarizer("no_such_module_xyz:summarize"))
    done = replay("validate", path)
    assert done.returncode == 2
    assert f"{path}:6:" in done.stderr
    assert "cannot find module 'no_such_module_xyz'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "reference",
    ["antigravity:open", "this:s", "os:system", "unittest.__main__:main", "builtins:eval"],
)
def test_standard_library_references_are_refused(tmp_path: Path, reference: str) -> None:
    path = write(tmp_path, with_summarizer(reference))
    done = replay("validate", path)
    assert done.returncode == 2, done.stdout
    assert f"{path}:6:" in done.stderr
    assert "names the standard library module" in done.stderr
    assert "Traceback" not in done.stderr
    # ``this`` prints the Zen of Python on import; nothing was imported.
    assert "Beautiful is better" not in done.stdout + done.stderr


@pytest.mark.parametrize("reference", ["my_mod", "my_mod:", ":f", "my mod:f", "a..b:f", "a:b.c"])
def test_malformed_references_are_refused(tmp_path: Path, reference: str) -> None:
    path = write(tmp_path, with_summarizer(reference))
    done = replay("validate", path)
    assert done.returncode == 2
    # The schema's pattern catches most; the dotted-identifier check the rest ("a..b").
    assert f"{path}:6:44: " in done.stderr
    assert "expected form" in done.stderr or "is not a function reference" in done.stderr


def test_validate_lists_agents_commands_and_hosts(tmp_path: Path) -> None:
    python_agent = MINIMAL.replace(
        "agent:\n", "agent:\n  type: python\n  python: 'my_agent:make_agent'\n"
    ).replace(PROMPT, "")
    (tmp_path / "my_agent.py").write_text("raise SystemExit('imported')\n", encoding="utf-8")
    done = replay("validate", write(tmp_path, python_agent, "py.yaml"))
    assert done.returncode == 0, done.stderr
    assert "runs code: agent.python = my_agent:make_agent (my_agent.py next to the scenario)" in (
        done.stdout
    )

    live = MINIMAL.replace(
        "agent:\n",
        "agent:\n  model: {type: openai, model: gpt-4o-mini, api_key_env: OPENAI_API_KEY}\n",
    )
    done = replay("validate", write(tmp_path, live, "live.yaml"))
    assert done.returncode == 0, done.stderr
    assert "connects: agent.model = openai model gpt-4o-mini: sends the conversation and " in (
        done.stdout
    )
    assert "$OPENAI_API_KEY to https://api.openai.com/v1 (host api.openai.com)" in done.stdout


def test_no_code_refuses_python_and_command_agents_and_callable_summarizers(
    tmp_path: Path,
) -> None:
    (tmp_path / "my_mod.py").write_text(MODULE, encoding="utf-8")
    summarizer = write(tmp_path, with_summarizer("my_mod:summarize"), "summarizer.yaml")
    no_prompt = MINIMAL.replace(PROMPT, "")
    python_agent = write(
        tmp_path,
        no_prompt.replace(
            "agent:\n", "agent:\n  type: python\n  python: 'my_mod:summarize'\n"
        ).replace("minimal", "python-agent"),
        "python.yaml",
    )
    command_agent = write(
        tmp_path,
        no_prompt.replace(
            "agent:\n", "agent:\n  type: command\n  command: [node, agent.js]\n"
        ).replace("minimal", "command-agent"),
        "command.yaml",
    )
    for flag, env in ((("--no-code",), {}), ((), {"REPLAY_NO_CODE": "1"})):
        done = replay("run", *flag, summarizer, python_agent, command_agent, env=env)
        assert done.returncode == 2, done.stdout
        assert f"{summarizer}:6:" in done.stderr
        assert "agent.compaction.summarizer.function runs Python code" in done.stderr
        assert f"{python_agent}:4:" in done.stderr
        assert "agent.python runs Python code" in done.stderr
        assert f"{command_agent}:4:" in done.stderr
        assert "agent.command runs a command (node agent.js)" in done.stderr
        assert "refused by --no-code" in done.stderr
        assert "Traceback" not in done.stderr
    assert not list(tmp_path.glob("*.marker"))


def test_no_code_lets_a_scenario_without_code_run(tmp_path: Path) -> None:
    done = replay("run", "--no-code", write(tmp_path, MINIMAL))
    assert done.returncode in (0, 1), done.stderr
    assert "refused" not in done.stderr


def test_run_imports_and_calls_a_legit_callable_summarizer(tmp_path: Path) -> None:
    (tmp_path / "my_mod.py").write_text(MODULE, encoding="utf-8")
    path = write(tmp_path, with_summarizer("my_mod:summarize", trigger=20))
    done = replay("run", path)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert (tmp_path / "imported.marker").exists()
    assert (tmp_path / "called.marker").exists()


FUZZED_AGENT = """\
scenario: fuzzed-python-agent
agent: {type: python, python: "my_mod:summarize"}
conversation:
  turns: [{user: "hello"}]
checks: [context_retains]
fuzz:
  examples: 2
  turns: {min: 1, max: 2}
  words: 1
  probe_rate: 0
"""


def test_fuzz_honours_no_code(tmp_path: Path) -> None:
    """replay fuzz refuses code like replay run: before any example is generated or run."""
    (tmp_path / "my_mod.py").write_text(MODULE, encoding="utf-8")
    path = write(tmp_path, FUZZED_AGENT)
    out = tmp_path / "cx"
    for flag, env in ((("--no-code",), {}), ((), {"REPLAY_NO_CODE": "1"})):
        done = replay("fuzz", path, *flag, "--no-database", "--out", out, env=env)
        assert done.returncode == 2, done.stdout + done.stderr
        assert f"{path}:2:" in done.stderr
        assert "agent.python runs Python code" in done.stderr
        assert "refused by --no-code / REPLAY_NO_CODE" in done.stderr
        assert "Traceback" not in done.stdout + done.stderr
    assert not list(tmp_path.glob("*.marker"))
    assert not out.exists()
