"""Fuzz options are resolved in one place (resolve_options), and a seeded run is reproducible:
the same output every time, and nothing read from or written to an example database or
Hypothesis's ``.hypothesis`` folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

from replay.fuzz._search import (
    FuzzOptions,
    FuzzSettings,
    hypothesis_settings,
    hypothesis_storage,
    resolve_options,
)
from replay.scenario._fuzzspec import CI_MAX_EXAMPLES, DEFAULT_DATABASE, DEFAULT_OUT
from replay.spec._fuzz import DEFAULT_EXAMPLES

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "fuzz_support_bot.yaml"
REPLAY = [sys.executable, "-m", "replay.cli"]

# The scenario's summarizer, as the scenario author's own module next to it: Hypothesis scans
# local modules for constants and caches them under .hypothesis/constants, so this module
# makes the run leave a .hypothesis folder behind however replay itself is installed.
SUMMARIES = """\
def summarize(messages, prompt):
    return "The customer asked about order #4417 and the delivery of several items."
"""


def seeded_project(folder: Path) -> Path:
    """A copy of scenarios/fuzz_support_bot.yaml with a smaller fuzz section (a quick run) and
    a callable summarizer of its own, in ``folder``."""
    data = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    data["agent"]["compaction"]["summarizer"] = {
        "type": "callable",
        "function": "summaries:summarize",
    }
    data["fuzz"]["turns"] = {"min": 1, "max": 40}
    folder.mkdir()
    (folder / "summaries.py").write_text(SUMMARIES, encoding="utf-8")
    path = folder / "fuzz_support_bot.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def fuzz_seeded(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HYPOTHESIS_")}
    return subprocess.run(
        [*REPLAY, "fuzz", "--seed", "1", "--examples", "5", "fuzz_support_bot.yaml"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_seeded_run_is_reproducible_and_writes_no_hypothesis_folder(tmp_path: Path) -> None:
    outputs = []
    for run in ("first", "second"):
        project = tmp_path / run
        seeded_project(project)
        done = fuzz_seeded(project)
        assert done.returncode == 1, done.stderr  # the summarizer drops the disclosure
        assert "seed 1, no example database" in done.stdout
        assert not (project / ".hypothesis").exists()
        (written,) = (project / DEFAULT_OUT).iterdir()
        outputs.append((done.stdout, done.stderr, written.name, written.read_bytes()))
    assert outputs[0] == outputs[1]


def test_a_run_with_a_database_keeps_hypothesis_files_where_hypothesis_does(
    tmp_path: Path,
) -> None:
    """The counterpart: only database-less runs move Hypothesis's files out of the way."""
    database = resolve_options(FuzzOptions(database=tmp_path / "db"))
    before = _hypothesis_home()
    with hypothesis_storage(database):
        assert _hypothesis_home() == before
    with hypothesis_storage(resolve_options(FuzzOptions(seed=1))):
        inside = _hypothesis_home()
        assert inside != before and inside.is_dir()
    assert _hypothesis_home() == before
    assert not inside.exists()  # removed with what Hypothesis put there


def _hypothesis_home() -> Path:
    from hypothesis.configuration import storage_directory

    return storage_directory(intent_to_write=False).home_directory


# ----------------------------------------------------------------------------- precedence


def test_defaults_come_from_the_fuzz_section_then_replay() -> None:
    assert resolve_options(FuzzOptions()) == FuzzSettings(
        examples=DEFAULT_EXAMPLES,
        seed=None,
        derandomize=False,
        database=DEFAULT_DATABASE,
        out=DEFAULT_OUT,
    )
    assert resolve_options(FuzzOptions(), section_examples=7).examples == 7


def test_examples_option_beats_the_fuzz_section_and_ci_caps_both() -> None:
    assert resolve_options(FuzzOptions(examples=3), section_examples=7).examples == 3
    assert resolve_options(FuzzOptions(ci=True), section_examples=5000).examples == CI_MAX_EXAMPLES
    capped = resolve_options(FuzzOptions(ci=True, examples=5000), section_examples=7)
    assert capped.examples == CI_MAX_EXAMPLES
    assert resolve_options(FuzzOptions(ci=True), section_examples=7).examples == 7


@pytest.mark.parametrize(
    "options",
    [
        FuzzOptions(seed=1),
        FuzzOptions(derandomize=True),
        FuzzOptions(ci=True),
        FuzzOptions(seed=0, database=Path("elsewhere")),
        FuzzOptions(database=None),
    ],
    ids=["seed", "derandomize", "ci", "seed-0-with-database", "no-database"],
)
def test_reproducible_runs_use_no_example_database(options: FuzzOptions) -> None:
    resolved = resolve_options(options)
    assert resolved.database is None
    assert resolved.hypothesis().database is None


def test_a_random_run_uses_the_database_it_is_given(tmp_path: Path) -> None:
    resolved = resolve_options(FuzzOptions(database=tmp_path / "db"))
    assert resolved.database == tmp_path / "db"
    database = resolved.hypothesis().database
    assert isinstance(database, DirectoryBasedExampleDatabase)
    assert not (tmp_path / "db").exists()  # created by a search that saves, not by resolving


def test_ci_derandomizes_and_the_seed_is_kept() -> None:
    ci = resolve_options(FuzzOptions(ci=True, seed=4))
    assert ci.derandomize and ci.seed == 4 and ci.database is None
    assert ci.hypothesis().derandomize
    first, second = ci.random(), ci.random()
    assert first is not None and second is not None and first.random() == second.random()
    assert resolve_options(FuzzOptions()).random() is None


def test_hypothesis_settings_is_the_resolved_settings() -> None:
    for options in (FuzzOptions(ci=True), FuzzOptions(seed=2), FuzzOptions(examples=9)):
        assert repr(hypothesis_settings(options, 50)) == repr(
            resolve_options(options, 50).hypothesis()
        )


def test_the_loaded_hypothesis_profile_changes_nothing() -> None:
    """The environment does not decide a run: Hypothesis loads its "ci" profile when a CI
    variable is set (and a test suite loads its own), but a fuzz run's settings are built on
    Hypothesis's defaults, so the same options give the same search everywhere."""
    options = FuzzOptions(seed=3, examples=11)
    expected = repr(resolve_options(options).hypothesis())
    current = settings.default
    try:
        settings.register_profile("replay-test-odd", max_examples=2, stateful_step_count=3)
        for profile in ("ci", "replay-test-odd"):
            settings.load_profile(profile)
            assert repr(resolve_options(options).hypothesis()) == expected
    finally:
        settings.register_profile("replay-test-restore", current)
        settings.load_profile("replay-test-restore")
    resolved = resolve_options(options).hypothesis()
    assert resolved.stateful_step_count == settings.get_profile("default").stateful_step_count
