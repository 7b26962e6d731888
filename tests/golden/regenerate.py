"""Rewrite the golden fixtures of tests/test_golden.py from the current behaviour.

Run it ONLY when a change of replay's command-line behaviour is intended (a new message, a new
report field, a new bundled scenario), then review the fixture diff (``git diff tests/golden``)
as part of the change. After a refactoring that must not change behaviour (e.g. moving modules
into subpackages), do not regenerate: run ``python -m pytest tests/test_golden.py`` instead.

    TIKTOKEN_CACHE_DIR=... python tests/golden/regenerate.py [CASE ...]

Without arguments every case is rewritten and fixture folders of cases that no longer exist are
removed; with arguments only the named cases. Each case is captured twice, in two different
temporary folders, and the script stops if the two captures differ (something volatile that
the normalizer in tests/test_golden.py does not handle).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.test_golden import GOLDEN_DIR, all_cases, capture, write_fixture


def main(argv: list[str]) -> int:
    cases = all_cases()
    names = argv or sorted(cases)
    unknown = [n for n in names if n not in cases]
    if unknown:
        print(f"unknown case(s): {' '.join(unknown)}", file=sys.stderr)
        return 2
    for name in names:
        with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
            files = capture(name, Path(first) / "out")
            again = capture(name, Path(second) / "a" / "deeper" / "out")
        if files != again:
            differing = sorted(
                k for k in files.keys() | again.keys() if files.get(k) != again.get(k)
            )
            print(f"{name}: not deterministic: {', '.join(differing)}", file=sys.stderr)
            return 1
        shutil.rmtree(GOLDEN_DIR / name, ignore_errors=True)
        write_fixture(name, files)
        print(f"wrote tests/golden/{name}/ ({len(files)} files)")
    if not argv:
        for folder in GOLDEN_DIR.iterdir():
            if folder.is_dir() and folder.name not in cases and folder.name != "__pycache__":
                shutil.rmtree(folder)
                print(f"removed stale tests/golden/{folder.name}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
