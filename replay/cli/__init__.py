"""The ``replay`` command line (argparse lives only in this package)."""

from __future__ import annotations

from replay.cli._main import main
from replay.cli._proxy import check_recorded, upstream_problem

__all__ = [
    "check_recorded",
    "main",
    "upstream_problem",
]
