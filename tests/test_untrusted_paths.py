"""Untrusted scenario files: the paths they name stay inside the project (docs/security.md).

A cassette, ``agent.cwd`` and a module found next to the scenario must resolve (symlinks and
``..`` followed) inside the scenario's folder or its project root (the nearest folder above it
holding pyproject.toml or .git); absolute paths are refused; ``--allow-outside-paths`` (or
``REPLAY_ALLOW_OUTSIDE_PATHS=1``) lifts the rule. A cassette is only overwritten if it is one.
Every refusal is exit 2 at the key's file:line:col, before anything is read, written, run or
connected.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from replay.models import ALL, NEW_EPISODES, Cassette, CassetteError

from .fakellm import FakeLLM
from .test_untrusted_code import MODULE, replay

KEY = "sk-paths-SENTINEL-31415"

LIVE = """\
scenario: {name}
agent:
  system_prompt: "You are a helpful assistant. Always tell users you are an AI assistant."
  model:
    type: openai
    model: gpt-test
    base_url: {base_url}
    api_key_env: REPLAY_TEST_KEY
    cassette: {cassette}
    max_attempts: 1
conversation:
  turns:
    - user: "Hello, I need help with order #12."
checks:
  - context_retains
"""
CASSETTE_LINE = 9  # the line of "cassette:" above
CASSETTE_COLUMN = 5


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    with FakeLLM("Hi, I'm an AI assistant.").running() as server:
        yield server


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project (pyproject.toml at its root) with a scenarios/ folder; outside/ is beside it."""
    root = tmp_path / "project"
    (root / "scenarios").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    return root


def live(folder: Path, cassette: str, base_url: str = "http://127.0.0.1:9") -> Path:
    path = folder / "scenario.yaml"
    text = LIVE.format(name="live", base_url=base_url, cassette=json.dumps(cassette))
    path.write_text(text, encoding="utf-8")
    return path


def refused(done: subprocess.CompletedProcess[str], where: str, *parts: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert where in done.stderr, done.stderr
    for part in parts:
        assert part in done.stderr, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "nothing was run" in done.stderr


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


# ----------------------------------------------------------------------------- cassettes


@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_cassette_path_climbing_out_of_the_project_is_refused(
    project: Path, fake_llm: FakeLLM, command: str
) -> None:
    path = live(project / "scenarios", "../../outside/new/sub/c.json", fake_llm.url)
    before = files_under(project.parent)
    args = ["--record", "all"] if command == "run" else []
    done = replay(command, path, *args, env={"REPLAY_TEST_KEY": KEY})
    refused(
        done,
        f"{path}:{CASSETTE_LINE}:{CASSETTE_COLUMN}: agent.model.cassette",
        f"resolves to {(project.parent / 'outside/new/sub/c.json').resolve()}",
        f"outside the scenario's folder {(project / 'scenarios').resolve()} and the project "
        f"root {project.resolve()}",
        "--allow-outside-paths",
    )
    assert files_under(project.parent) == before  # no folder made, no file written
    assert fake_llm.requests == []


def test_an_absolute_cassette_path_is_refused_and_never_read(project: Path) -> None:
    secret = project.parent / "outside" / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    for command in ("validate", "run"):
        done = replay(command, live(project / "scenarios", str(secret)))
        refused(done, f":{CASSETTE_LINE}:{CASSETTE_COLUMN}: ", "is an absolute path")
        assert "root:x" not in done.stdout + done.stderr
    assert secret.read_text(encoding="utf-8") == "root:x:0:0:root:/root:/bin/bash\n"


def test_a_symlink_inside_the_tree_that_leads_out_is_refused(project: Path) -> None:
    (project / "scenarios" / "cassettes").symlink_to(project.parent / "outside")
    path = live(project / "scenarios", "cassettes/c.json")
    done = replay("run", path, "--record", "all", env={"REPLAY_TEST_KEY": KEY})
    refused(
        done,
        f"{path}:{CASSETTE_LINE}:{CASSETTE_COLUMN}: agent.model.cassette 'cassettes/c.json' "
        f"resolves to {(project.parent / 'outside' / 'c.json').resolve()}",
    )
    assert list((project.parent / "outside").iterdir()) == []


def test_without_a_project_root_only_the_scenarios_folder_tree_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    path = live(tmp_path / "scenarios", "../fixtures/c.json")
    done = replay("validate", path)
    refused(done, f"{path}:{CASSETTE_LINE}:", "no pyproject.toml or .git above it")
    # A .git folder marks the root as well as pyproject.toml does.
    (tmp_path / ".git").mkdir()
    assert replay("validate", path).returncode == 0


def test_a_cassette_inside_the_project_records_and_replays(
    project: Path, fake_llm: FakeLLM
) -> None:
    """../fixtures/ from scenarios/ is inside the project root: allowed, as docs/scenarios.md
    shows it, and recording creates the folders it needs there."""
    path = live(project / "scenarios", "../fixtures/cassettes/c.json", fake_llm.url)
    done = replay("validate", path)
    assert done.returncode == 0, done.stderr
    done = replay("run", path, "--record", "all", env={"REPLAY_TEST_KEY": KEY})
    assert done.returncode in (0, 1), done.stdout + done.stderr
    cassette = project / "fixtures" / "cassettes" / "c.json"
    assert json.loads(cassette.read_text(encoding="utf-8"))["interactions"]
    assert len(fake_llm.requests) == 1
    # --record all again: the file is a cassette, so it may be replaced.
    done = replay("run", path, "--record", "all", env={"REPLAY_TEST_KEY": KEY})
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert len(fake_llm.requests) == 2


@pytest.mark.parametrize(
    "how", [("--allow-outside-paths",), ("env",)], ids=["flag", "REPLAY_ALLOW_OUTSIDE_PATHS"]
)
def test_the_user_can_allow_outside_paths(
    project: Path, fake_llm: FakeLLM, how: tuple[str, ...]
) -> None:
    path = live(project / "scenarios", "../../outside/c.json", fake_llm.url)
    flag = [] if how == ("env",) else list(how)
    env = {"REPLAY_TEST_KEY": KEY}
    if how == ("env",):
        env["REPLAY_ALLOW_OUTSIDE_PATHS"] = "1"
    done = replay("validate", path, *flag, env=env)
    assert done.returncode == 0, done.stderr
    done = replay("run", path, "--record", *flag, env=env)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert (project.parent / "outside" / "c.json").is_file()


# ----------------------------------------------------------------------------- cassette files


@pytest.mark.parametrize("mode", ["all", "new_episodes"])
def test_recording_over_a_file_that_is_not_a_cassette_is_refused(
    project: Path, fake_llm: FakeLLM, mode: str
) -> None:
    notes = project / "notes.json"
    notes.write_text('{"important": "do not overwrite"}\n', encoding="utf-8")
    path = live(project / "scenarios", "../notes.json", fake_llm.url)
    done = replay("run", path, "--record", mode, env={"REPLAY_TEST_KEY": KEY})
    refused(
        done,
        f"{path}:{CASSETTE_LINE}:{CASSETTE_COLUMN}: ",
        f"{project / 'scenarios' / '../notes.json'}: not a replay cassette",
    )
    assert notes.read_text(encoding="utf-8") == '{"important": "do not overwrite"}\n'
    assert fake_llm.requests == []
    # validate says so too: the file is read (it is inside the project), nothing is run.
    refused(replay("validate", path), f"{path}:{CASSETTE_LINE}:", "not a replay cassette")


def test_a_fifo_as_cassette_is_refused_without_blocking(project: Path, fake_llm: FakeLLM) -> None:
    fifo = project / "scenarios" / "c.json"
    os.mkfifo(fifo)
    path = live(project / "scenarios", "c.json", fake_llm.url)
    for command, args in (("validate", ()), ("run", ()), ("run", ("--record", "all"))):
        done = replay(command, path, *args, env={"REPLAY_TEST_KEY": KEY})  # 120 s timeout
        refused(done, f"{path}:{CASSETTE_LINE}:", "not a regular file")
    assert fifo.is_fifo()
    assert fake_llm.requests == []


def test_a_malformed_cassette_is_exit_2_naming_the_file(project: Path) -> None:
    cassette = project / "scenarios" / "c.json"
    for text, why in (
        ("{not json", "not JSON"),
        ('{"version": 1, "interactions": [{"no": "key"}]}', "interactions must be a list"),
        ('["a", "list"]', "expected a JSON object"),
    ):
        cassette.write_text(text, encoding="utf-8")
        done = replay("run", live(project / "scenarios", "c.json"))
        refused(done, f":{CASSETTE_LINE}:{CASSETTE_COLUMN}: {cassette}: ", why)


def test_a_cassette_replaced_by_another_file_during_the_run_is_not_overwritten(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.json"
    cassette = Cassette(path, ALL)
    path.write_text("precious\n", encoding="utf-8")  # appeared after the check
    cassette.record("openai", {"messages": []}, {"ok": True})
    with pytest.raises(OSError, match="refused to overwrite"):
        cassette.close()
    assert path.read_text(encoding="utf-8") == "precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["c.json"]  # no temporary file left


def test_the_cassette_class_refuses_what_is_not_a_cassette(tmp_path: Path) -> None:
    text = tmp_path / "source.py"
    text.write_text("print('hello')\n", encoding="utf-8")
    for mode in (ALL, NEW_EPISODES):
        with pytest.raises(CassetteError, match="not a replay cassette"):
            Cassette(text, mode)
    with pytest.raises(CassetteError, match="not a regular file"):
        Cassette(tmp_path, ALL)
    assert text.read_text(encoding="utf-8") == "print('hello')\n"


# ----------------------------------------------------------------------------- cwd and modules

COMMAND_AGENT = """\
scenario: command-agent
agent:
  type: command
  command: [{python}, -c, "import pathlib; pathlib.Path('ran.marker').write_text('x')"]
  cwd: {cwd}
conversation:
  turns:
    - user: "Hello"
checks:
  - context_retains
"""


def test_a_command_agents_cwd_outside_the_project_is_refused(project: Path) -> None:
    path = project / "scenarios" / "command.yaml"
    outside = project.parent / "outside"
    for cwd, what in (("../..", "resolves to"), (str(outside), "is an absolute path")):
        path.write_text(
            COMMAND_AGENT.format(python=json.dumps(sys.executable), cwd=json.dumps(cwd)),
            encoding="utf-8",
        )
        for command in ("validate", "run"):
            refused(replay(command, path), f"{path}:5:3: agent.cwd", what)
    assert not list(project.parent.rglob("ran.marker"))


SUMMARIZER = """\
scenario: summarizer
agent:
  system_prompt: "You are a helpful assistant. Always tell users you are an AI assistant."
  compaction:
    policy: summarize
    trigger: {tokens: 20}
    summarizer: {type: callable, function: "my_mod:summarize"}
conversation:
  turns:
    - user: "Hello, I need help with order #12."
    - user: "And with order #13."
checks:
  - context_retains
"""
PYTHON_AGENT = """\
scenario: python-agent
agent:
  type: python
  python: "my_mod:summarize"
conversation:
  turns:
    - user: "Hello"
checks:
  - context_retains
"""


def test_a_module_symlinked_out_of_the_project_is_refused_and_never_imported(
    project: Path,
) -> None:
    evil = project.parent / "outside" / "evil.py"
    evil.write_text(MODULE, encoding="utf-8")
    (project / "scenarios" / "my_mod.py").symlink_to(evil)
    for name, text, where in (
        ("summarizer.yaml", SUMMARIZER, ":7:"),
        ("python.yaml", PYTHON_AGENT, ":4:3: agent.python"),
    ):
        path = project / "scenarios" / name
        path.write_text(text, encoding="utf-8")
        for command in ("validate", "run"):
            refused(replay(command, path), f"{path}{where}", f"resolves to {evil.resolve()}")
    assert not list(project.parent.rglob("*.marker"))


def test_a_module_next_to_the_scenario_inside_the_project_is_allowed(project: Path) -> None:
    (project / "scenarios" / "my_mod.py").write_text(MODULE, encoding="utf-8")
    path = project / "scenarios" / "summarizer.yaml"
    path.write_text(SUMMARIZER, encoding="utf-8")
    done = replay("validate", path)
    assert done.returncode == 0, done.stderr
    assert "my_mod.py next to the scenario" in done.stdout


FUZZ = """\
fuzz:
  examples: 2
  turns: {min: 1, max: 2}
  words: 1
  probe_rate: 0
"""


def test_fuzz_applies_the_path_and_credential_rules(project: Path, tmp_path: Path) -> None:
    path = live(project / "scenarios", "../../outside/c.json", "https://llm.example.com/v1")
    path.write_text(path.read_text(encoding="utf-8") + FUZZ, encoding="utf-8")
    out = tmp_path / "counterexamples"
    done = replay("fuzz", path, "--no-database", "--out", out, env={"REPLAY_TEST_KEY": KEY})
    refused(
        done,
        f"{path}:{CASSETTE_LINE}:{CASSETTE_COLUMN}: agent.model.cassette",
        f"{path}:8:5: agent.model.api_key_env: refused to send the credential",
    )
    assert not out.exists()
    assert list((project.parent / "outside").iterdir()) == []


def test_fuzz_given_a_folder_is_exit_2(project: Path) -> None:
    done = replay("fuzz", project / "scenarios", "--no-database")
    refused(done, f"{project / 'scenarios'}:1:1: ", "is a directory, expected a file")
