"""Running a scenario's code leaves replay's own ``sys.path`` as it was.

A python agent is imported in a process of its own, with its scenario's folder first on that
process's path; a callable summarizer is imported in replay's process, with the folder first
only while it is imported. Either way, after a run (one that worked or one that failed),
replay's ``sys.path`` is what it was: a folder left on it would let the next scenario import
another scenario's modules. The two imports are one function (import_named), whose messages
are pinned here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from replay.cli import main
from replay.trust._code import CodeNotFound, load_callable

AGENT = """\
import sys


def make():
    # The agent's own process: its scenario's folder comes first on its sys.path.
    raise RuntimeError("first on the agent's path: " + sys.path[0])
"""

BROKEN = """\
raise ImportError("this module does not import")
"""

SUMMARIES = """\
def summarize(messages, prompt):
    return "The customer asked about an order."
"""


def scenario(folder: Path, agent: dict[str, Any], name: str = "scenario.json") -> Path:
    path = folder / name
    data = {
        "scenario": "sys-path",
        "agent": agent,
        "conversation": {"turns": [{"user": f"Please check order #{n}."} for n in range(1, 5)]},
        "checks": ["never_claims_human"],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def summarized(folder: Path, function: str) -> dict[str, Any]:
    return {
        "system_prompt": "You are Sam. Always say you are an AI assistant.",
        "model": {"type": "simulator"},
        "compaction": {
            "policy": "summarize",
            "trigger": {"tokens": 60},
            "keep": {"messages": 1},
            "summarizer": {"type": "callable", "function": function},
        },
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "path_agent.py").write_text(AGENT, encoding="utf-8")
    (folder / "broken_mod.py").write_text(BROKEN, encoding="utf-8")
    (folder / "path_summaries.py").write_text(SUMMARIES, encoding="utf-8")
    return folder


def run(path: Path) -> int:
    before = list(sys.path)
    code = main(["run", str(path), "--trace-dir", str(path.parent / "traces")])
    assert sys.path == before
    return code


@pytest.fixture(autouse=True)
def _forget_modules() -> Any:
    """The summarizer's module is imported in this process: drop it after each test."""
    yield
    for name in ("path_summaries", "broken_mod"):
        sys.modules.pop(name, None)


def test_a_python_agent_gets_its_folder_first_in_its_own_process_only(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert str(project) not in sys.path
    assert run(scenario(project, {"type": "python", "python": "path_agent:make"})) == 3
    out = capsys.readouterr().out
    assert (
        f"agent factory path_agent:make raised RuntimeError: first on the agent's path: {project}"
        in out
    )


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        (
            "broken_mod:make",
            "agent broken_mod:make: cannot import module 'broken_mod' (ImportError: this module "
            "does not import); is it in the scenario's folder, installed or on PYTHONPATH?",
        ),
        (
            "path_agent:missing",
            "agent path_agent:missing: module 'path_agent' has no callable 'missing'",
        ),
    ],
    ids=["import-fails", "no-callable"],
)
def test_a_python_agent_that_cannot_be_imported_leaves_sys_path_and_says_why(
    project: Path, capsys: pytest.CaptureFixture[str], reference: str, message: str
) -> None:
    assert run(scenario(project, {"type": "python", "python": reference})) == 3
    assert message in capsys.readouterr().out


def test_a_callable_summarizer_is_on_sys_path_only_while_imported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scenario(project, summarized(project, "path_summaries:summarize"))
    assert run(path) == 0
    assert "4 turns, 3 compactions" in capsys.readouterr().out  # the summarizer ran
    assert "path_summaries" in sys.modules  # it was imported in this process, and it worked


@pytest.mark.parametrize(
    ("function", "message"),
    [
        (
            "broken_mod:summarize",
            "cannot import module 'broken_mod' (ImportError: this module does not import); "
            "is it installed or on PYTHONPATH?",
        ),
        ("path_summaries:missing", "module 'path_summaries' has no callable 'missing'"),
    ],
    ids=["import-fails", "no-callable"],
)
def test_a_callable_summarizer_that_cannot_be_imported_leaves_sys_path(
    project: Path, capsys: pytest.CaptureFixture[str], function: str, message: str
) -> None:
    assert run(scenario(project, summarized(project, function))) == 3
    assert message in capsys.readouterr().out


def test_load_callable_restores_sys_path_and_keeps_an_entry_it_did_not_add(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = list(sys.path)
    assert (
        load_callable("path_summaries:summarize", project)([], "")
        == "The customer asked about an order."
    )
    assert sys.path == before
    with pytest.raises(CodeNotFound, match="has no callable 'missing'"):
        load_callable("path_summaries:missing", project)
    assert sys.path == before
    with pytest.raises(CodeNotFound, match="ImportError: this module does not import"):
        load_callable("broken_mod:summarize", project)
    assert sys.path == before
    # Already on the path (the user's PYTHONPATH): it is not replay's to take away.
    monkeypatch.syspath_prepend(str(project))
    with_project = list(sys.path)
    load_callable("path_summaries:summarize", project)
    assert sys.path == with_project


@pytest.mark.parametrize("reference", ["twin_summary:summarize", "twin_pkg.summary:summarize"])
def test_two_folders_with_a_module_of_the_same_name_each_get_their_own(
    tmp_path: Path, reference: str
) -> None:
    """A second scenario's ``twin_summary.py`` is its own, not the first one's cached module: a
    run judged with another scenario's summarizer would give a verdict about code it never
    named."""
    module = reference.partition(":")[0]
    for name in ("a", "b"):
        file = tmp_path / name / (module.replace(".", "/") + ".py")
        file.parent.mkdir(parents=True)
        if "." in module:
            (file.parent / "__init__.py").write_text("", encoding="utf-8")
        file.write_text(f"def summarize(messages, prompt):\n    return {name!r}\n", "utf-8")
    before = {n: m for n, m in sys.modules.items() if n.startswith("twin_")}
    try:
        first = load_callable(reference, tmp_path / "a")
        second = load_callable(reference, tmp_path / "b")
        assert (first([], ""), second([], "")) == ("a", "b")
        assert load_callable(reference, tmp_path / "a")([], "") == "a"
    finally:
        for name in [n for n in sys.modules if n.startswith("twin_")]:
            if name not in before:
                del sys.modules[name]
