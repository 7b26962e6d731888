"""Report rendering from traces at 1,000 and 10,000 turns (run on demand, not in CI's tests).

    TIKTOKEN_CACHE_DIR=../shared/tiktoken python benchmarks/bench_reports.py

Each size runs in a fresh child process: it replays the benchmark conversation of
bench_replay.py into a trace, then times ``replay report`` (re-check the trace and render
report.json, report.md, report.html, junit.xml and manifest.json) and measures the peak RSS
growth of that step alone. Charts are folded to at most 600 columns, compaction events listed
are capped at 200 and findings shown per check at 20, so the HTML stays small while the time
grows linearly with the trace. report.json keeps every finding, so it (and the memory needed to
write it) grows with the number of findings, not with the number of turns.
Targets: time(10k)/time(1k) <= 12, HTML bytes ratio < 3.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_replay import scenario_data

SIZES = (1_000, 10_000)


def child(turns: int) -> dict[str, Any]:
    from replay.reports import entries_from_traces, write_reports
    from replay.run import run_scenario
    from replay.scenario import scenario_from_mapping

    scenario = scenario_from_mapping(scenario_data(turns))
    with tempfile.TemporaryDirectory() as folder:
        report_dir = Path(folder) / "report"
        trace = report_dir / "traces" / "bench.trace.jsonl"
        run_scenario(scenario, trace)
        before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        entries = entries_from_traces([trace], report_dir)
        write_reports(
            report_dir, entries, inputs=(), argv=["report", "bench"], traces_are_outputs=False
        )
        seconds = time.perf_counter() - start
        after_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        sizes = {p.name: p.stat().st_size for p in report_dir.iterdir() if p.is_file()}
        return {
            "turns": turns,
            "seconds": seconds,
            "rss_growth_kb": after_kb - before_kb,
            "trace_bytes": trace.stat().st_size,
            "html_bytes": sizes["report.html"],
            "json_bytes": sizes["report.json"],
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    runs = {}
    for turns in SIZES:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(turns)],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": "0"},
        ).stdout
        runs[turns] = json.loads(out)
    print(
        f"{'turns':>7} {'seconds':>8} {'turns/s':>9} {'RSS+ MiB':>9} {'trace MiB':>9} "
        f"{'html KiB':>9} {'json KiB':>9}"
    )
    for turns, run in runs.items():
        print(
            f"{turns:>7} {run['seconds']:>8.3f} {turns / run['seconds']:>9.0f} "
            f"{run['rss_growth_kb'] / 1024:>9.1f} {run['trace_bytes'] / 2**20:>9.2f} "
            f"{run['html_bytes'] / 1024:>9.1f} {run['json_bytes'] / 1024:>9.1f}"
        )
    small, large = runs[SIZES[0]], runs[SIZES[1]]
    print(f"scaling time(10k)/time(1k): {large['seconds'] / small['seconds']:.2f} (linear ~10)")
    print(f"html bytes(10k)/bytes(1k): {large['html_bytes'] / small['html_bytes']:.2f} (flat ~1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
