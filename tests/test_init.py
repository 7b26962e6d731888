"""``replay init``: for each kind of agent, a starter project that validates, runs green with
``replay run`` and with ``pytest`` in its folder; it never overwrites a file."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from replay.cli import main
from replay.cli._init import AGENT_KINDS, PRESET_SETUPS, ask
from replay.scenario import pack_ids
from replay.spec._loop import PRESETS

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "replay" / "cli" / "init_templates"
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:langsmith_plugin"]
PYTEST += ["-p", "no:cacheprovider", "-p", "no:xdist"]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def on_path(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """`python` is this interpreter, as setup-python makes it in the generated CI workflow
    (the command agents are `python agent.py`); the environment for the subprocesses."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    monkeypatch.setenv("PATH", path)
    return {**os.environ, "PATH": path}


@pytest.fixture
def service() -> Iterator[list[subprocess.Popen[str]]]:
    """The http kind's agent_server.py processes a test started, stopped at its end."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        process.terminate()
        process.wait(timeout=30)


def start_server(folder: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """Start the generated agent_server.py and wait for its 'listening' line."""
    process = subprocess.Popen(
        [sys.executable, "agent_server.py"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    assert "listening on" in process.stdout.readline()
    return process


def init(folder: Path, *options: str) -> int:
    return main(["init", str(folder), "--no-input", *options])


@pytest.mark.parametrize("kind", AGENT_KINDS)
def test_each_kind_validates_runs_green_and_pytest_collects_it(
    kind: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    on_path: dict[str, str],
    service: list[subprocess.Popen[str]],
) -> None:
    folder = tmp_path / "project"  # does not exist yet: init makes it
    ports = ["--http-port", str(free_port()), "--proxy-port", str(free_port())]
    assert init(folder, "--agent", kind, *(ports if kind == "http" else [])) == 0
    out = capsys.readouterr().out
    assert "replay run scenarios/ --report-dir reports" in out and "pytest" in out
    expected = {"scenarios/support-assistant.yaml", "pytest.ini", ".github/workflows/replay.yml"}
    expected |= {"scenarios/agent.py"} if kind in ("python", "command", "proxy") else set()
    expected |= {"agent_server.py"} if kind == "http" else set()
    expected |= {"record_session.py"} if kind == "proxy" else set()
    assert set(tree(folder)) == expected
    if kind == "http":  # the documented flow: the service runs before replay talks to it
        service.append(start_server(folder, on_path))

    assert main(["validate", str(folder / "scenarios")]) == 0
    code = main(["run", str(folder / "scenarios"), "--report-dir", str(folder / "reports")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "PASS  support-assistant" in out
    assert (folder / "reports" / "report.html").is_file()

    tests = subprocess.run(
        PYTEST, cwd=folder, capture_output=True, text=True, env=on_path, timeout=300
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    summary = tests.stdout.strip().splitlines()[-1]
    passed = re.search(r"(\d+) passed", summary)
    assert passed and int(passed.group(1)) >= 4, summary  # one test per check
    assert "failed" not in summary and "error" not in summary and "skipped" not in summary

    if kind == "proxy":  # the standalone flow: replay proxy, the agent, replay check
        recorded = subprocess.run(
            [sys.executable, "record_session.py"],
            cwd=folder,
            capture_output=True,
            text=True,
            env=on_path,
            timeout=300,
        )
        assert recorded.returncode == 0, recorded.stdout + recorded.stderr
        assert "PASS  support-assistant" in recorded.stdout
        assert (folder / "traces" / "session.trace.jsonl").is_file()


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_preset_runs_green_and_compacts(
    preset: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(tmp_path, "--preset", preset) == 0
    scenario = tmp_path / "scenarios" / "support-assistant.yaml"
    assert f"preset: {preset}" in scenario.read_text()
    capsys.readouterr()
    assert main(["validate", str(scenario)]) == 0
    warnings = [line for line in capsys.readouterr().out.splitlines() if "warning" in line]
    if preset == "crewai-legacy":  # as its comment says: this conversation never fills it
        (warning,) = warnings
        assert "compaction never triggers" in warning
    else:
        assert warnings == []
    assert main(["run", str(scenario), "-q"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    # Green because the system prompt survives compaction, not because none ran; CrewAI's
    # legacy executor loses it whenever it compacts, so its starter never fills the window.
    compactions = int(re.search(r"(\d+) compactions?\)", header).group(1))  # type: ignore[union-attr]
    assert (compactions == 0) if preset == "crewai-legacy" else (compactions > 0), header


def test_every_preset_has_a_setup() -> None:
    assert set(PRESET_SETUPS) == set(PRESETS)


@pytest.mark.parametrize("kind", ["reference", "command"])
def test_every_rule_pack_at_once_runs_green(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], on_path: dict[str, str]
) -> None:
    rules = [option for pack in pack_ids() for option in ("--rules", pack)]
    assert init(tmp_path, "--agent", kind, *rules) == 0
    scenario = tmp_path / "scenarios" / "support-assistant.yaml"
    document = yaml.safe_load(scenario.read_text())
    assert document["rules"] == pack_ids()
    capsys.readouterr()
    code = main(["run", str(scenario), "-v"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "14 turns" in out and "recurs_every" in out  # the three-hour packs' check ran, and held


def test_never_overwrites_and_writes_nothing_when_a_file_exists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "support-assistant.yaml").write_text("mine\n")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "replay.yml").write_text("my workflow\n")
    before = tree(tmp_path)
    assert init(tmp_path, "--agent", "python") == 2
    err = capsys.readouterr().err
    assert "2 files already exist, so nothing was written" in err
    assert str(tmp_path / "scenarios" / "support-assistant.yaml") in err
    assert str(tmp_path / ".github" / "workflows" / "replay.yml") in err
    assert "pytest.ini" not in err and "agent.py" not in err  # only the files that exist
    assert tree(tmp_path) == before  # not even the files that did not exist


def test_a_second_init_into_the_same_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(tmp_path) == 0
    before = tree(tmp_path)
    assert init(tmp_path) == 2
    err = capsys.readouterr().err
    # pytest.ini exists now, so it counts as the project's own pytest configuration
    assert "2 files already exist" in err and "support-assistant.yaml" in err
    assert tree(tmp_path) == before


def test_an_existing_pytest_configuration_is_left_alone_and_the_lines_are_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n')
    assert init(tmp_path) == 0
    out = capsys.readouterr().out
    assert not (tmp_path / "pytest.ini").exists()
    assert pyproject.read_text().endswith('addopts = "-q"\n')
    assert "pyproject.toml already configures pytest" in out
    snippet = out.split("add:\n", 1)[1].split("\n  and if", 1)[0]
    assert [line.strip() for line in snippet.splitlines()] == [
        "[tool.pytest.ini_options]",
        'replay_scenarios = ["scenarios/**/*.yaml", "scenarios/**/*.yml"]',
    ]


def test_a_pyproject_without_pytest_settings_gets_a_pytest_ini(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert init(tmp_path) == 0
    assert (tmp_path / "pytest.ini").is_file()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--preset", "langchain-sumarization"],
            "--preset 'langchain-sumarization': unknown compaction preset; did you mean "
            "'langchain-summarization'?",
        ),
        (
            ["--rules", "eu-ai-act", "--rules", "ca-sb234"],
            "unknown rule pack 'eu-ai-act'; did you mean 'eu-ai-act-art50'?",
        ),
        (["--rules", "ca-sb234"], "unknown rule pack 'ca-sb234'; did you mean 'ca-sb243'?"),
        (["--agent", "python", "--preset", "langchain-trim"], "--preset applies to --agent"),
        (["--name", "my agent"], "--name 'my agent': a scenario name is"),
        (["--proxy-port", "8788"], "--proxy-port applies to --agent http"),
        (["--agent", "http", "--http-port", "70000"], "--http-port 70000: expected a port"),
    ],
)
def test_bad_options_are_exit_2_and_write_nothing(
    options: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "project"
    assert init(folder, *options) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not folder.exists()


def test_both_unknown_rule_packs_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(tmp_path / "p", "--rules", "eu-ai-act", "--rules", "ca-sb234") == 2
    err = capsys.readouterr().err
    assert "'eu-ai-act-art50'" in err and "'ca-sb243'" in err


def test_an_unknown_agent_kind_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["init", "--agent", "langchain"])
    assert exit_.value.code == 2
    assert "invalid choice: 'langchain'" in capsys.readouterr().err


def test_a_file_as_dir_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("x")
    assert init(tmp_path / "file") == 2
    assert "not a folder" in capsys.readouterr().err


def workflow(folder: Path) -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load(
        (folder / ".github" / "workflows" / "replay.yml").read_text()
    )
    return document


@pytest.mark.parametrize("kind", AGENT_KINDS)
def test_the_ci_workflow_is_yaml_with_the_expected_steps(kind: str, tmp_path: Path) -> None:
    assert init(tmp_path, "--agent", kind) == 0
    document = workflow(tmp_path)
    assert set(document[True]) == {"push", "pull_request"}  # YAML 1.1 reads the key `on` as True
    (job,) = document["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    steps = job["steps"]
    runs = [step.get("run", "") for step in steps]
    uses = [step.get("uses", "") for step in steps]
    assert uses[0].startswith("actions/checkout@") and "actions/setup-python@v5" in uses
    (install,) = [step for step in steps if "pip install" in step.get("run", "")]
    assert 'pip install "$REPLAY_PIP_SPEC"' in install["run"]
    assert "vars.REPLAY_PIP_SPEC" in install["env"]["REPLAY_PIP_SPEC"]
    assert "replay validate scenarios/" in runs
    run_index = runs.index("replay run scenarios/ --report-dir reports")
    (upload,) = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["if"] == "always()" and upload["with"]["path"] == "reports/"
    assert steps.index(upload) > run_index
    assert runs[-1] == "python -m pytest -q"
    starts = [i for i, run in enumerate(runs) if "python agent_server.py" in run]
    assert (starts[0] < run_index) if kind == "http" else not starts
    assert ("python record_session.py" in runs) == (kind == "proxy")


def test_the_http_kind_uses_the_ports_given(tmp_path: Path) -> None:
    assert init(tmp_path, "--agent", "http", "--http-port", "9100", "--proxy-port", "9101") == 0
    agent = yaml.safe_load((tmp_path / "scenarios" / "support-assistant.yaml").read_text())["agent"]
    assert agent["http"] == "http://127.0.0.1:9100/chat" and agent["proxy_port"] == 9101
    server = (tmp_path / "agent_server.py").read_text()
    assert '"9100"' in server and "http://127.0.0.1:9101/v1" in server
    assert "/dev/tcp/127.0.0.1/9100" in (tmp_path / ".github/workflows/replay.yml").read_text()


def test_missing_flags_are_asked_for_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(["langchain", "reference", "langchain-trm", "langchain-trim", "ca-sb243"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert main(["init", str(tmp_path), "--name", "asked"]) == 0
    document = yaml.safe_load((tmp_path / "scenarios" / "asked.yaml").read_text())
    assert document["agent"]["compaction"]["preset"] == "langchain-trim"
    assert document["rules"] == ["ca-sb243"]
    assert next(answers, None) is None  # a bad answer was asked again, every answer was used
    assert "choose one of" in capsys.readouterr().err


def test_enter_or_end_of_input_takes_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("builtins.input", lambda prompt: "")
    assert ask("Which?", "python", ("python", "http")) == "python"

    def closed(prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr("builtins.input", closed)
    assert ask("Which?", "http", ("python", "http")) == "http"


def test_the_templates_ship_as_package_data() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    section = pyproject.split("[tool.setuptools.package-data]", 1)[1]
    globs = json.loads(re.search(r"^replay = (\[.*\])$", section, re.M).group(1))  # type: ignore[union-attr]
    templates = sorted(TEMPLATES.iterdir())
    assert templates
    for template in templates:
        relative = str(template.relative_to(ROOT / "replay"))
        assert any(fnmatch.fnmatch(relative, glob) for glob in globs), relative


def test_the_failing_example_fails_for_its_documented_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], on_path: dict[str, str]
) -> None:
    assert init(tmp_path, "--failing-example") == 0
    assert "replay run examples/" in capsys.readouterr().out
    example = tmp_path / "examples" / "support-assistant-trim-drops-system-prompt.yaml"
    assert main(["validate", str(example)]) == 0
    capsys.readouterr()
    assert main(["run", str(example), "--json"]) == 1
    (result,) = json.loads(capsys.readouterr().out)
    found = {(f["check"], f["turn"]) for c in result["checks"] for f in c["findings"]}
    documented = yaml.safe_load(example.read_text())["expect"]["findings"]
    assert found == {(f["check"], f["turn"]) for f in documented}
    assert found == {
        ("context_retains", 1),
        ("first_reply_discloses", 1),
        ("probe_discloses", 13),
        ("never_claims_human", 13),
    }
    assert main(["run", str(tmp_path / "scenarios")]) == 0  # the starter itself stays green
    # pytest collects both: the starter's 4 checks pass, the example's 4 findings are strict
    # xfails.
    tests = subprocess.run(
        PYTEST, cwd=tmp_path, capture_output=True, text=True, env=on_path, timeout=300
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert re.search(r"\b4 passed, 4 xfailed\b", tests.stdout), tests.stdout
    assert (
        "replay validate scenarios/ examples/"
        in (tmp_path / ".github" / "workflows" / "replay.yml").read_text()
    )


def test_the_failing_example_with_an_existing_pytest_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "tox.ini").write_text("[pytest]\naddopts = -q\n")
    assert init(tmp_path, "--failing-example") == 0
    out = capsys.readouterr().out
    assert not (tmp_path / "pytest.ini").exists()
    assert "tox.ini already configures pytest" in out and "To collect examples/ too" in out
    assert "    examples/**/*.yaml\n" in out
    assert "add scenarios and examples to them" in out


def test_the_http_kind_without_its_service_is_exit_3_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()  # nothing listens there: the documented "start it first" was skipped
    ports = ["--http-port", str(port), "--proxy-port", str(free_port())]
    assert init(tmp_path, "--agent", "http", *ports) == 0
    capsys.readouterr()
    assert main(["run", str(tmp_path / "scenarios")]) == 3
    assert f"cannot reach the agent at http://127.0.0.1:{port}/chat" in capsys.readouterr().out


class _Dist:
    def __init__(self, direct_url: str | None, version: str = "0.1.0") -> None:
        self._direct_url, self.version = direct_url, version

    def read_text(self, name: str) -> str | None:
        assert name == "direct_url.json"
        return self._direct_url


@pytest.mark.parametrize(
    ("direct_url", "spec"),
    [
        (None, "replay==0.1.0"),  # from an index: the same version from the same index
        (
            '{"url": "https://github.com/o/replay", '
            '"vcs_info": {"vcs": "git", "commit_id": "abc"}}',
            "replay @ git+https://github.com/o/replay@abc",
        ),
        (
            '{"url": "https://example.org/replay-0.1.0.tar.gz", "archive_info": {}}',
            "replay @ https://example.org/replay-0.1.0.tar.gz",
        ),
        ('{"url": "file:///work/replay", "dir_info": {"editable": true}}', ""),
        ("not json", ""),
    ],
)
def test_the_workflow_installs_replay_from_where_this_copy_came_from(
    monkeypatch: pytest.MonkeyPatch, direct_url: str | None, spec: str
) -> None:
    # Never a guessed `replay==VERSION` for a local copy: a PyPI package of that name need not
    # be this one.
    import importlib.metadata

    from replay.cli._init import install_spec

    monkeypatch.setattr(importlib.metadata, "distribution", lambda name: _Dist(direct_url))
    assert install_spec() == spec
