"""Scenario loading: a 100,000-turn literal scenario, now and as it loaded before (run on demand).

    TIKTOKEN_CACHE_DIR=../shared/tiktoken python benchmarks/bench_load.py

"Before" is the loader as it was until issue 12: PyYAML's pure-Python parser, and every
document validated by jsonschema. "Now": libyaml parses (the pure parser only words an
error), and jsonschema-rs accepts a valid document in milliseconds (jsonschema still validates,
and explains, any document it does not accept). Both run here, in the same run, on the same
file, each in a fresh child process (so peak RSS is its own), best of three CPU times.
Target: before / now >= 5.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TURNS = 100_000
REPEATS = 3
MESSAGE = (
    "Hi, I need help with order number {i}. It was supposed to arrive last Tuesday, the "
    "tracking page has not changed for four days, and I am leaving on a trip this weekend."
)


def write_scenario(path: Path, turns: int) -> None:
    lines = [
        "scenario: load-bench",
        "agent:",
        "  system_prompt: \"You are Sam, Acme's support assistant. Always tell customers you "
        'are an AI assistant."',
        "  model: {type: simulator, persona: Sam}",
        "conversation:",
        "  turns:",
        *(f'    - user: "{MESSAGE.format(i=i)}"' for i in range(turns)),
        "checks:",
        "  - first_reply_discloses",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def child(path: Path, how: str) -> dict[str, Any]:
    import yaml

    from replay.files import sourcemap
    from replay.scenario import _load as scenario

    if how == "before":

        def pure_compose(shown: str, text: str) -> yaml.Node | None:
            loader = yaml.SafeLoader(text)
            try:
                return loader.get_single_node()
            finally:
                loader.dispose()

        sourcemap._compose = pure_compose
        sourcemap.QuickSchemaCheck.accepts = lambda self, data: False  # type: ignore[method-assign]
    seconds = float("inf")
    for _ in range(REPEATS):
        start = time.process_time()
        loaded = scenario.load_scenario(path)
        seconds = min(seconds, time.process_time() - start)
    assert loaded.turn_count == TURNS
    return {"seconds": seconds, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), args.child[1])))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "literal.yaml"
        write_scenario(path, TURNS)
        size = path.stat().st_size
        runs = {
            how: json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--child", str(path), how],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            for how in ("before", "now")
        }
    print(f"{TURNS:,}-turn literal scenario, {size / 2**20:.1f} MiB")
    for how, run in runs.items():
        print(f"{how:>7}: {run['seconds']:6.2f} s CPU, peak RSS {run['rss_kb'] / 1024:6.0f} MiB")
    ratio = runs["before"]["seconds"] / runs["now"]["seconds"]
    print(f"before / now: {ratio:.1f}x (target >= 5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
