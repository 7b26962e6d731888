"""Argument types the commands share (argparse calls them; a bad value is argparse's exit 2)."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def whole_number(least: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``least``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"expected a number >= {least}, got {value}")
        return value

    parse.__name__ = "whole number"  # argparse names the type in its error: "invalid whole number"
    return parse


COUNT = whole_number(0)
"""0 or more (``--max-bad``, ``--worst``, ``--sample``)."""
POSITIVE = whole_number(1)
"""1 or more (``--examples``, ``--length``)."""
