"""Reading input files: every file replay reads and did not write must be a regular file.

``replay.files.sourcemap`` (YAML and JSON with the position of every value, schema checks) is a
module of its own, so that reading a trace or a cassette imports no YAML or schema library.
The schemas shipped in ``replay/schemas/`` are read by ``packaged_schema``.
"""

from __future__ import annotations

from replay.files._regular import NotRegularFile, open_regular
from replay.files._schemas import SchemaName, packaged_schema, packaged_schema_text

__all__ = [
    "NotRegularFile",
    "SchemaName",
    "open_regular",
    "packaged_schema",
    "packaged_schema_text",
]
