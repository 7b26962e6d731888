"""Golden test: replay's command-line behaviour, byte for byte.

Every case runs ``replay`` only through its command line (``python -m replay.cli`` in a
subprocess, the module the ``replay`` entry point names), never through internal imports, so the
test survives any move of modules inside the package. A case is a short sequence of commands whose
exit codes, stdout and stderr, and every file they write (traces, report.json/md/html, junit.xml,
manifest.json, fuzz counterexamples), are compared with the fixture folder tests/golden/<case>/:

    steps/NN.cmd.json    the argv (paths as placeholders) and the exit code of step NN
    steps/NN.stdout      its standard output
    steps/NN.stderr      its standard error
    files/<path>         every file the case's commands wrote, relative to the case's output folder

Covered: ``replay run`` of every bundled scenario (scenarios/, examples/*/, the counterexamples in
fixtures/counterexamples/) with its reports, then ``check`` and ``show`` on its traces; ``run``
of the scenarios folder (JSON, reports, re-rendered by ``report``), -v, -q, --trace-dir;
``validate`` of every bundled scenario; ``verify`` of an intact and of a tampered manifest; seeded
``fuzz`` runs (one with --sweep); ``presets``, ``rules``, ``schema``, ``schema --trace``,
``--version``, ``--help``; and error paths (missing files, invalid YAML, an invalid scenario, a
truncated trace, usage errors). Not covered: ``replay proxy`` (a long-running server; the
node-agent example runs through the same recording proxy) and live-model ``--record``/``--offline``.

Only what is genuinely volatile is normalized (see :func:`normalize`). When a behaviour change is
intended, rewrite the fixtures with ``python tests/golden/regenerate.py`` and review the diff.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"

# Placeholders that stand for the volatile locations in argv, output and files.
OUT = "<OUT>"  # the case's temporary output folder (absolute)
REPO_ABS = "<REPO>"  # the checkout under test (absolute)
REPO_FROM_MANIFEST = "<REPO-FROM-MANIFEST-DIR>"  # the checkout, relative to a manifest's folder


def bundled_scenarios() -> list[str]:
    """Every bundled scenario file, relative to the checkout (a YAML with a ``scenario:`` key)."""
    found: list[str] = []
    for pattern in ("scenarios/*.yaml", "examples/*/*.yaml", "fixtures/counterexamples/*.yaml"):
        for path in sorted(REPO.glob(pattern)):
            text = path.read_text(encoding="utf-8")
            if re.search(r"^scenario:", text, flags=re.MULTILINE):
                found.append(path.relative_to(REPO).as_posix())
    return found


def cli_env() -> dict[str, str]:
    """The environment of every command: the caller's, made reproducible.

    - PYTHONPATH is the checkout under test, so its ``replay`` is imported (not another
      editable install in the same venv).
    - SOURCE_DATE_EPOCH=0: the reports' and manifest's ``generated_at`` (documented: the same
      inputs and SOURCE_DATE_EPOCH give byte-identical files).
    - COLUMNS=80: argparse wraps --help to the terminal width.
    - PYTHONHASHSEED=0, PYTHONDONTWRITEBYTECODE=1 (the examples' agents are imported from the
      checkout; no __pycache__ is written into it), PYTHONIOENCODING=utf-8.
    - REPLAY_*, provider credentials and Hypothesis settings of the caller are dropped: they
      change what replay does (trust settings, credential redaction, fuzz profiles).
    TIKTOKEN_CACHE_DIR (the offline vocabularies) is kept from the caller.
    """
    dropped = ("REPLAY_", "OPENAI_", "ANTHROPIC_", "HYPOTHESIS_")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(dropped) and k not in {"PYTHONPATH", "COLUMNS", "LINES"}
    }
    env.update(
        PYTHONPATH=str(REPO),
        SOURCE_DATE_EPOCH="0",
        COLUMNS="80",
        PYTHONHASHSEED="0",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONIOENCODING="utf-8",
    )
    return env


# ----------------------------------------------------------------------------- normalization


def _path_forms(path: Path) -> list[str]:
    """A path as given and resolved (e.g. /tmp behind a symlink), longest first."""
    forms = {str(path), os.path.realpath(path)}
    return sorted(forms, key=len, reverse=True)


def normalize(text: str, out: Path, relpath: str | None = None) -> str:
    """Replace what differs from run to run and machine to machine, and nothing else.

    1. The case's temporary output folder (absolute, e.g. in the stdout line ``report: ...``,
       in error messages and in fuzz output) -> ``<OUT>``: pytest's tmp_path differs per run.
    2. The checkout's absolute path -> ``<REPO>``: it differs per machine and worktree.
    3. In a manifest.json only (``relpath`` ends with it):
       a. the checkout relative to the manifest's folder (``command.cwd``, the inputs' paths,
          e.g. ``../../../work/repo``) -> ``<REPO-FROM-MANIFEST-DIR>``: it depends on where
          tmp_path lies;
       b. ``dependencies`` -> ``<installed dependency versions>``: read from the installed
          distribution's metadata (importlib.metadata.requires("replay"), one level down) and
          the installed versions, so it describes the venv, not the code under test (an editable
          install of another checkout changes it);
       c. ``platform`` values and ``python.version`` -> placeholders (the machine).
       d. an input's or output's ``sha256`` and ``bytes`` when that file itself holds
          something volatile (1, 2 or 4: e.g. a report re-rendered from a trace given by its
          absolute tmp path, whose error message names it; a trace with proxy response ids)
          -> ``<sha256 of the normalized file: ...>`` and the normalized file's length, so the
          value still pins the file's (normalized) content. Every other sha256 is kept as
          written (checked by comparing two captures in different folders).
    4. The recording proxy's random response ids (see RESPONSE_ID below) -> ``<response-id-N>``.
    """
    if relpath is not None and relpath.rsplit("/", 1)[-1] == "manifest.json":
        text = _normalize_manifest(text, out, out / relpath)
    for form in _path_forms(out):
        text = text.replace(form, OUT)
    for form in _path_forms(REPO):
        text = text.replace(form, REPO_ABS)
    return _number_response_ids(text)


# The ids replay's recording proxy gives the responses it serves (wire.new_id: uuid4-based, in
# each API's style): random on every run. Each distinct id becomes <response-id-N>, numbered in
# order of first appearance in the text, so which records share an id is still compared.
RESPONSE_ID = re.compile(r"\b(?:chatcmpl-[0-9a-f]{24}|msg_[0-9a-f]{24}|resp_[0-9a-f]{32})\b")


def _number_response_ids(text: str) -> str:
    numbers: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        n = numbers.setdefault(match.group(0), len(numbers) + 1)
        return f"<response-id-{n}>"

    return RESPONSE_ID.sub(number, text)


def _normalize_manifest(text: str, out: Path, manifest: Path) -> str:
    data = json.loads(text)
    if json.dumps(data, indent=2, ensure_ascii=False) + "\n" != text:
        # Not the manifest's usual formatting: leave it alone, so that the change shows in the
        # diff instead of being hidden by re-serializing.
        return text
    for entry in [*data.get("inputs", []), *data.get("outputs", [])]:  # 3d
        listed = manifest.parent / str(entry.get("path", ""))
        if not listed.is_file():
            continue
        raw = listed.read_bytes()
        try:
            normalized = normalize(raw.decode("utf-8"), out).encode("utf-8")
        except UnicodeDecodeError:
            continue
        if normalized != raw:
            digest = hashlib.sha256(normalized).hexdigest()
            entry["sha256"] = f"<sha256 of the normalized file: {digest}>"
            entry["bytes"] = len(normalized)
    if isinstance(data.get("dependencies"), dict):  # 3b
        data["dependencies"] = "<installed dependency versions>"
    if isinstance(data.get("platform"), dict):  # 3c
        data["platform"] = {key: f"<platform-{key}>" for key in data["platform"]}
    if isinstance(data.get("python"), dict) and "version" in data["python"]:  # 3c
        data["python"]["version"] = "<python-version>"
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    for repo in _path_forms(REPO):  # 3a
        for folder in _path_forms(manifest.parent):
            rel = os.path.relpath(repo, folder)
            text = text.replace(f'"{rel}/', f'"{REPO_FROM_MANIFEST}/')
            text = text.replace(f'"{rel}"', f'"{REPO_FROM_MANIFEST}"')
    return text


# ----------------------------------------------------------------------------- capture


@dataclass
class Capture:
    """Runs a case's commands in the checkout and records them as fixture files."""

    out: Path
    files: dict[str, str] = field(default_factory=dict)
    steps: int = 0

    def path(self, rel: str) -> str:
        """An argument naming ``rel`` inside the case's output folder."""
        return str(self.out / rel)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``replay ARGS`` from the checkout's root and record argv, exit code and output."""
        proc = subprocess.run(
            [sys.executable, "-m", "replay.cli", *args],
            cwd=REPO,
            env=cli_env(),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="backslashreplace",
            timeout=120,
            check=False,
        )
        self.steps += 1
        name = f"steps/{self.steps:02d}"
        cmd = {
            "argv": ["replay", *(normalize(a, self.out) for a in args)],
            "exit_code": proc.returncode,
        }
        self.files[f"{name}.cmd.json"] = json.dumps(cmd, indent=2) + "\n"
        self.files[f"{name}.stdout"] = normalize(proc.stdout, self.out)
        self.files[f"{name}.stderr"] = normalize(proc.stderr, self.out)
        return proc

    def collect_outputs(self) -> None:
        """Record every file under the output folder (``files/<path>``)."""
        for path in sorted(p for p in self.out.rglob("*") if p.is_file()):
            rel = path.relative_to(self.out).as_posix()
            data = path.read_bytes()
            try:
                self.files[f"files/{rel}"] = normalize(data.decode("utf-8"), self.out, rel)
            except UnicodeDecodeError:
                self.files[f"files/{rel}.base64"] = base64.b64encode(data).decode() + "\n"


def trace_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.trace.jsonl"))


def last_turn(trace: Path) -> int:
    """The highest turn number a trace records (read from its JSON Lines)."""
    turns = [0]
    for line in trace.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("type") == "turn":
            turns.append(int(record["turn"]))
    return max(turns)


def case_run_scenario(scenario: str) -> Callable[[Capture], None]:
    """run with reports, then check and show every trace (``report`` is in the folder case)."""

    def case(c: Capture) -> None:
        c.cli("run", scenario, "--report-dir", c.path("report"))
        for trace in trace_files(c.out / "report" / "traces"):
            c.cli("check", str(trace))
            c.cli("show", str(trace), "--turn", str(last_turn(trace)))

    return case


def case_run_folder(c: Capture) -> None:
    """The README's report command over the scenarios folder (with --json: the text output is
    pinned per scenario), re-rendered by ``report``; verify its manifest, intact and tampered."""
    c.cli("run", "scenarios/", "--json", "--report-dir", c.path("report"))
    c.cli("report", c.path("report"), "--out", c.path("rerendered"))
    c.cli("verify", c.path("report/manifest.json"))
    report_md = c.out / "report" / "report.md"
    report_md.write_bytes(report_md.read_bytes() + b"tampered\n")
    c.cli("verify", c.path("report/manifest.json"))


def case_run_verbose_quiet(c: Capture) -> None:
    """-v / -q, --trace-dir without reports, and check with --scenario."""
    scenarios = ("scenarios/support_bot_summarized.yaml", "scenarios/vacuous_no_probe.yaml")
    c.cli("run", *scenarios, "-v", "--trace-dir", c.path("traces"))
    c.cli("run", *scenarios, "-q")
    trace = c.path("traces/support-bot-summarized.trace.jsonl")
    c.cli("check", trace, "--scenario", scenarios[0], "-v")
    c.cli("check", trace, "-q")
    c.cli("show", trace, "--turn", "14", "--call", "0")


def case_validate_all(c: Capture) -> None:
    c.cli("validate", *bundled_scenarios())


def case_fuzz(scenario: str, *extra: str) -> Callable[[Capture], None]:
    """A seeded fuzz run (deterministic: "a seeded run does not use the database").

    10 examples: fewer make this scenario's search slower, not faster (Hypothesis keeps looking).
    """

    def case(c: Capture) -> None:
        out = ("--out", c.path("counterexamples"), "--json", c.path("fuzz.json"))
        c.cli("fuzz", scenario, "--seed", "1", "--examples", "10", "--no-database", *extra, *out)

    return case


def case_commands(*argvs: tuple[str, ...]) -> Callable[[Capture], None]:
    def case(c: Capture) -> None:
        for argv in argvs:
            c.cli(*argv)

    return case


def case_missing_files(c: Capture) -> None:
    missing = c.path("no-such-file.yaml")
    c.cli("run", missing)
    c.cli("validate", missing)
    c.cli("check", c.path("no-such.trace.jsonl"))
    c.cli("show", c.path("no-such.trace.jsonl"), "--turn", "1")
    c.cli("report", c.path("no-such-folder"))
    c.cli("verify", c.path("no-such-manifest.json"))


def case_invalid_yaml(c: Capture) -> None:
    bad = c.out / "bad.yaml"
    bad.write_text("scenario: broken\nagent: {model: [unclosed\nconversation:\n  - : :\n")
    c.cli("validate", str(bad))
    c.cli("run", str(bad))


def case_invalid_scenario(c: Capture) -> None:
    bad = c.out / "invalid.yaml"
    bad.write_text(
        "scenario: invalid\n"
        "agent:\n"
        "  model: {type: no-such-model}\n"
        "  compaction: {preset: no-such-preset}\n"
        "disclosures: [no-such-disclosure]\n"
        "conversation:\n"
        "  turns:\n"
        "    - user: hello\n"
        "    - bogus: 1\n"
        "checks: [no_such_check]\n"
    )
    c.cli("validate", str(bad))
    c.cli("run", str(bad))


def case_truncated_trace(c: Capture) -> None:
    c.cli("run", "scenarios/vacuous_no_probe.yaml", "--trace-dir", c.path("traces"))
    trace = c.out / "traces" / "vacuous-no-probe.trace.jsonl"
    data = trace.read_bytes()
    cut = c.out / "cut" / "vacuous-no-probe.trace.jsonl"
    cut.parent.mkdir()
    cut.write_bytes(data[: len(data) // 2])
    c.cli("check", str(cut))
    c.cli("show", str(cut), "--turn", "1")
    c.cli("report", str(cut.parent), "--out", c.path("cut-report"))
    c.cli("show", str(trace), "--turn", "99")


def _case_id(scenario: str) -> str:
    return "run-" + scenario.removesuffix(".yaml").replace("/", "-")


def all_cases() -> dict[str, Callable[[Capture], None]]:
    """Every golden case by name (the name of its fixture folder)."""
    cases: dict[str, Callable[[Capture], None]] = {
        _case_id(s): case_run_scenario(s) for s in bundled_scenarios()
    }
    cases.update(
        {
            "run-scenarios-folder-report": case_run_folder,
            "run-verbose-quiet-check": case_run_verbose_quiet,
            "validate-bundled": case_validate_all,
            "fuzz-support-bot-seed1-sweep": case_fuzz(
                "scenarios/fuzz_support_bot.yaml", "--sweep", "--length", "16"
            ),
            "fuzz-support-bot-pinned-seed1": case_fuzz("scenarios/fuzz_support_bot_pinned.yaml"),
            "version-help": case_commands(("--version",), ("--help",), ("run", "--help")),
            "presets": case_commands(("presets",)),
            "rules": case_commands(("rules",)),
            "schema": case_commands(("schema",)),
            "schema-trace": case_commands(("schema", "--trace")),
            "error-missing-files": case_missing_files,
            "error-invalid-yaml": case_invalid_yaml,
            "error-invalid-scenario": case_invalid_scenario,
            "error-truncated-trace": case_truncated_trace,
            "error-usage": case_commands((), ("no-such-command",), ("show", "x.trace.jsonl")),
        }
    )
    return cases


def capture(name: str, out: Path) -> dict[str, str]:
    """Run case ``name`` with ``out`` (an empty folder) as its output folder: fixture files."""
    out.mkdir(parents=True, exist_ok=True)
    c = Capture(out=out)
    all_cases()[name](c)
    c.collect_outputs()
    return c.files


def read_fixture(name: str) -> dict[str, str]:
    folder = GOLDEN_DIR / name
    return {
        p.relative_to(folder).as_posix(): p.read_bytes().decode("utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def write_fixture(name: str, files: dict[str, str]) -> None:
    folder = GOLDEN_DIR / name
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


# ----------------------------------------------------------------------------- tests

CASES = sorted(all_cases())


def test_every_fixture_has_a_case() -> None:
    """A fixture folder without a case (or a case without a fixture) is a stale golden set."""
    folders = sorted(p.name for p in GOLDEN_DIR.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert folders == CASES, "run tests/golden/regenerate.py after adding or removing a case"


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str, tmp_path: Path) -> None:
    expected = read_fixture(name)
    actual = capture(name, tmp_path / "out")
    missing = sorted(expected.keys() - actual.keys())
    extra = sorted(actual.keys() - expected.keys())
    assert not missing and not extra, f"files missing: {missing}; unexpected files: {extra}"
    for rel in sorted(expected, key=_step_order):
        if expected[rel] != actual[rel]:
            diff = "".join(
                difflib.unified_diff(
                    expected[rel].splitlines(keepends=True),
                    actual[rel].splitlines(keepends=True),
                    fromfile=f"tests/golden/{name}/{rel}",
                    tofile=f"actual/{rel}",
                    n=2,
                )
            )
            pytest.fail(f"{name}: {rel} differs from the golden file\n{diff}", pytrace=False)


def _step_order(rel: str) -> tuple[int, str]:
    """Compare the steps (in order, exit code first) before the files they wrote."""
    return (0 if rel.startswith("steps/") else 1, rel)
