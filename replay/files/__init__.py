"""Reading input files: regular files only, YAML and JSON with the position of every value, schema
checks.
"""

from __future__ import annotations

from replay.files._regular import NotRegularFile, open_regular
from replay.files._sourcemap import (
    JsonPath,
    QuickSchemaCheck,
    SourceMap,
    load_json,
    load_yaml,
    schema_problems_at_top,
)

__all__ = [
    "JsonPath",
    "NotRegularFile",
    "QuickSchemaCheck",
    "SourceMap",
    "load_json",
    "load_yaml",
    "open_regular",
    "schema_problems_at_top",
]
