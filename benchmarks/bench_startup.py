"""Start-up CPU of ``replay --version``, ``replay validate`` and of the package imports (run on
demand).

    python benchmarks/bench_startup.py [--repeat 15]

Each command runs in a fresh interpreter, ``--repeat`` times; its CPU time (user + sys, from
``getrusage(RUSAGE_CHILDREN)``) is the best of those runs, and the ratio is to the floor, a bare
``python -c pass`` timed in the same run, so a loaded machine moves both. The commands run the
console script's own code (``from replay.cli import main``), so the figures hold however replay
is installed. After the timing, one more untimed run of each lists the runtime libraries it
loaded (the HTTP client, templating, tokenizer, YAML, schema and regex libraries): what a
command imports and does not need is where its start-up goes.
Target: ``replay --version`` and ``replay validate`` under 0.3 s CPU each.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = "scenarios/support_bot_pinned.yaml"
CLI = "import sys; from replay.cli import main; sys.exit(main())"
TARGET = 0.3
"""Seconds of CPU: replay --version and replay validate must start within this."""

COMMANDS: dict[str, list[str]] = {
    "python -c pass (floor)": ["-c", "pass"],
    "import replay": ["-c", "import replay"],
    "import replay.spec": ["-c", "import replay.spec"],
    "import replay.checks": ["-c", "import replay.checks"],
    "replay --version": ["-c", CLI, "--version"],
    f"replay validate {Path(SCENARIO).name}": ["-c", CLI, "validate", SCENARIO],
}
TARGETED = ("replay --version", f"replay validate {Path(SCENARIO).name}")

RUNTIME_LIBRARIES = (
    "httpx",
    "httpcore",
    "tenacity",
    "jinja2",
    "tiktoken",
    "hypothesis",
    "yaml",
    "jsonschema",
    "jsonschema_rs",
    "re2",
)

# Prepended to a command's code (untimed run only): which runtime libraries it had loaded at exit.
REPORT_LOADED = (
    "import atexit, sys\n"
    "atexit.register(lambda: sys.stderr.write('LOADED ' + ' '.join(sorted("
    f"{{m.partition('.')[0] for m in sys.modules}} & {set(RUNTIME_LIBRARIES)!r}))))\n"
)


def cpu_seconds(argv: list[str]) -> float:
    """User + sys CPU of one run of ``python argv`` (a fresh interpreter), in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, *argv],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def loaded(argv: list[str]) -> list[str]:
    """The runtime libraries a run of ``python argv`` imported."""
    code_at = argv.index("-c") + 1
    argv = [*argv]
    argv[code_at] = REPORT_LOADED + argv[code_at]
    done = subprocess.run(
        [sys.executable, *argv],
        cwd=ROOT,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = next((x for x in done.stderr.splitlines() if x.startswith("LOADED")), "LOADED")
    return line.split()[1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs of each command")
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    # Interleaved, so a change in the machine's load touches every command alike.
    for _ in range(args.repeat):
        for name, argv in COMMANDS.items():
            times[name].append(cpu_seconds(argv))
    floor = min(times["python -c pass (floor)"])
    print(f"CPU seconds (user + sys), best and median of {args.repeat} fresh interpreters")
    print(f"  {'command':<40} {'best':>6} {'median':>7} {'x floor':>8}  loads")
    for name, argv in COMMANDS.items():
        best, median = min(times[name]), statistics.median(times[name])
        libraries = " ".join(loaded(argv)) or "-"
        print(f"  {name:<40} {best:6.3f} {median:7.3f} {best / floor:8.1f}  {libraries}")
    worst = max(min(times[name]) for name in TARGETED)
    verdict = "met" if worst < TARGET else "NOT met"
    print(f"target: --version and validate < {TARGET} s CPU: {verdict} (slowest {worst:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
