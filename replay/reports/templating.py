"""The Jinja2 environment the Markdown and HTML reports share (templates ship in the package)."""

from __future__ import annotations

from functools import lru_cache

import jinja2


def _cell(value: object) -> str:
    """Text safe inside a Markdown table cell: pipes escaped, line breaks flattened."""
    return " ".join(str(value).split()).replace("|", "\\|")


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
    return env
