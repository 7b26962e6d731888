"""What an import really loads: the layers below the runtime stay free of its libraries.

The import-linter contracts in pyproject.toml check the static import graph; these tests check
what a fresh interpreter actually has in ``sys.modules`` after an import, which also catches an
import that a package ``__init__`` or a lazily-resolved name pulls in at run time.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers import ROOT

# The libraries of the HTTP client, the retries and the report templates.
HTTP_AND_TEMPLATES = ("httpx", "httpcore", "tenacity", "jinja2")


def loaded_after(statement: str) -> set[str]:
    """The modules a fresh interpreter has loaded by running ``statement`` and not before."""
    code = (
        "import json, sys\n"
        "before = set(sys.modules)\n"
        f"{statement}\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    modules: list[str] = json.loads(done.stdout)
    assert modules, "the import loaded nothing: the test would prove nothing"
    return set(modules)


def top_level(modules: set[str]) -> set[str]:
    return {name.partition(".")[0] for name in modules}


def third_party(modules: set[str]) -> set[str]:
    """Top-level names that are neither the standard library nor replay itself."""
    return {
        name
        for name in top_level(modules)
        if name != "replay" and name not in sys.stdlib_module_names and not name.startswith("_")
    }


def test_the_helpers_see_a_third_party_import() -> None:
    # The check below must be able to fail: yaml is third-party and is seen as such.
    assert "yaml" in third_party(loaded_after("import yaml"))
    assert "httpx" in top_level(loaded_after("import httpx"))


def test_import_replay_is_light() -> None:
    modules = loaded_after("import replay")
    assert third_party(modules) == set()
    # Only the version is read eagerly; every other public name waits for its first use.
    assert {m for m in modules if m.startswith("replay")} == {"replay", "replay._version"}


def test_import_replay_spec_imports_nothing_third_party() -> None:
    modules = loaded_after("import replay.spec")
    assert "replay.spec" in modules
    assert third_party(modules) == set()


@pytest.mark.parametrize("module", ["replay.results", "replay.errors", "replay._version"])
def test_the_rest_of_the_spec_layer_imports_nothing_third_party(module: str) -> None:
    modules = loaded_after(f"import {module}")
    assert module in modules
    assert third_party(modules) == set()


def test_import_replay_checks_imports_no_http_or_templating_library() -> None:
    modules = loaded_after("import replay.checks")
    assert "replay.checks._runner" in modules
    assert top_level(modules).isdisjoint(HTTP_AND_TEMPLATES), sorted(
        top_level(modules) & set(HTTP_AND_TEMPLATES)
    )


def test_checking_a_trace_needs_no_http_or_templating_library() -> None:
    # What a check actually runs: the built-in matchers compiled and searched.
    modules = loaded_after(
        "from replay.checks._judge import judge_reply\n"
        "from replay.matchers._builtins import builtin\n"
        "assert builtin('ai-identity').search(\"Hi, I'm an AI assistant.\")"
    )
    assert top_level(modules).isdisjoint(HTTP_AND_TEMPLATES)


def test_the_built_in_matchers_compile_their_regexes_on_first_use() -> None:
    # Compiling the built-in regexes (hundreds, in nine languages) was most of a command's
    # start-up: loading a scenario (which names the built-ins) must not compile them; a search
    # compiles only regexes of the matcher searched, those its text selects, each once.
    code = (
        "import json, re\n"
        "compiled = []\n"
        "original = re.compile\n"
        "re.compile = lambda p, flags=0: compiled.append(str(p)) or original(p, flags)\n"
        "from replay.scenario._load import load_scenario\n"
        "scenario = load_scenario('scenarios/support_bot_pinned.yaml')\n"
        "from replay.matchers._builtins import BUILTIN_MATCHERS\n"
        "at_load = list(compiled)\n"
        "probe = BUILTIN_MATCHERS['probe']\n"
        "assert probe.search('Are you a bot?')\n"
        "assert probe.search('Is this a real person?')\n"
        "print(json.dumps({\n"
        "    'at_load': at_load,\n"
        "    'first_use': compiled[len(at_load):],\n"
        "    'probe': [p.pattern for m in (probe, *probe.languages) for p in m.patterns],\n"
        "    'all': [\n"
        "        p.pattern\n"
        "        for b in BUILTIN_MATCHERS.values()\n"
        "        for m in (b, *b.languages)\n"
        "        for p in m.patterns\n"
        "    ],\n"
        "}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert len(seen["all"]) > len(seen["probe"]) > 0
    assert set(seen["at_load"]).isdisjoint(seen["all"])
    first_use = seen["first_use"]
    assert first_use and len(first_use) == len(set(first_use))  # each at most once
    assert set(first_use) <= set(seen["probe"])  # only the probe's own regexes
    assert len(first_use) < len(seen["probe"])  # and only those the two texts selected


def test_a_deferred_matcher_is_the_matcher_compiled_up_front() -> None:
    from replay.matchers._builtins import BUILTIN_MATCHERS
    from replay.matchers._engine import Matcher

    for matcher in BUILTIN_MATCHERS.values():
        eager = Matcher(
            matcher.name,
            (),
            matcher.patterns,
            matcher.exclude,
            matcher.guard,
            anchors=matcher.anchors,
            needs=matcher.needs,
            grammar=matcher.grammar,
            languages=matcher.languages,
        )
        assert eager == matcher
        assert hash(eager) == hash(matcher)
        assert repr(eager) == repr(matcher)
        for text in ("I'm an AI assistant.", "Are you human?", "Always tell users you're a bot."):
            assert eager.search(text) == matcher.search(text)


def test_import_replay_cli_loads_no_command() -> None:
    # The console script imports replay.cli first: the proxy commands (tokenizer, model
    # clients, HTTP) wait until a command needs them.
    modules = loaded_after("import replay.cli")
    assert {m for m in modules if m.startswith("replay.cli.")} == set()
    assert third_party(modules) == set()


def test_the_command_line_loads_no_runner_until_a_command_runs() -> None:
    # What the console script imports before any command: not the runner, the agents, the
    # models, the proxy or the tokenizer (replay --version and replay validate need none).
    modules = loaded_after("from replay.cli import main")
    assert "replay.cli._main" in modules
    runtime = {".".join(m.split(".")[:2]) for m in modules if m.startswith("replay.")}
    assert runtime.isdisjoint(
        {"replay.run", "replay.agents", "replay.loop", "replay.models", "replay.proxy"}
    ), sorted(runtime)
    assert top_level(modules).isdisjoint({"tiktoken", "tenacity", "httpcore", "hypothesis"})
