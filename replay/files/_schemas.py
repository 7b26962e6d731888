"""The JSON Schemas shipped in ``replay/schemas/``, read one way for every format."""

from __future__ import annotations

import importlib.resources
import json
from functools import cache
from typing import Any, Literal, get_args

SchemaName = Literal["scenario", "rulepack", "trace", "report", "manifest", "survival", "diff"]
SCHEMA_NAMES: tuple[SchemaName, ...] = get_args(SchemaName)


@cache
def packaged_schema_text(name: SchemaName) -> str:
    """The text of ``replay/schemas/<name>.schema.json``, as ``replay schema`` prints it."""
    resource = importlib.resources.files("replay").joinpath(f"schemas/{name}.schema.json")
    return resource.read_text(encoding="utf-8")


@cache
def packaged_schema(name: SchemaName) -> dict[str, Any]:
    """The parsed schema, read once per process. Shared: callers must not modify it."""
    schema: dict[str, Any] = json.loads(packaged_schema_text(name))
    return schema
