"""replay.cli: the ``replay`` command line (``replay = "replay.cli:main"``).

Its names are imported on first use (PEP 562): the proxy commands' module pulls in the
tokenizer, the model clients and the HTTP client, which ``replay --version`` or ``replay
validate`` never need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the same names, for type checkers and IDEs
    from replay.cli._main import main
    from replay.cli._proxy import check_recorded, upstream_problem

_LAZY = {
    "check_recorded": "replay.cli._proxy",
    "main": "replay.cli._main",
    "upstream_problem": "replay.cli._proxy",
}

__all__ = [
    "check_recorded",
    "main",
    "upstream_problem",
]


def __getattr__(name: str) -> object:
    """Import a name on first use and keep it (PEP 562)."""
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names, those not yet imported included."""
    return sorted(set(globals()) | set(__all__))
