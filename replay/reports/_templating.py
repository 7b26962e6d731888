"""The Jinja2 environment the Markdown and HTML reports share (templates ship in the package)."""

from __future__ import annotations

import re
from functools import lru_cache

import jinja2

from replay.reports._usage import usage_rows, usage_text
from replay.spec._words import count, plural

SHOWN_FINDINGS = 20
"""Findings shown per check in Markdown, HTML and JUnit (report.json has them all): a lapse that
recurs a thousand times is read from the first ones, and the files stay small enough to open."""


def _cell(value: object) -> str:
    """Text safe inside a Markdown table cell: pipes escaped, line breaks flattened."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _fence(lines: list[str]) -> str:
    """A code fence longer than any backtick run in the text, so quoted text cannot end it."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def _count(n: int, noun: str) -> str:
    """``{{ n | count("turn") }}``: "1 turn", "3 turns" (never "turn(s)")."""
    return count(int(n), noun)


def _noun(noun: str, n: int) -> str:
    """``{{ "scenario" | noun(n) }}``: the noun alone, in the number ``n`` takes (for a count
    printed apart from its noun, as in the HTML summary cards)."""
    if int(n) == 1:
        return noun
    head, _, last = noun.rpartition(" ")
    return f"{head} {plural(last)}" if head else plural(last)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Strict (an undefined name is an error, not an empty string) and autoescaping HTML."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("replay", "reports/templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = _cell
    env.filters["fence"] = _fence
    env.filters["count"] = _count
    env.filters["noun"] = _noun
    env.globals["shown"] = SHOWN_FINDINGS
    env.globals["usage_text"] = usage_text
    env.globals["usage_rows"] = usage_rows
    return env
