"""Reading input files: every file replay reads and did not write must be a regular file.

``replay.files.sourcemap`` (YAML and JSON with the position of every value, schema checks) is a
module of its own, so that reading a trace or a cassette imports no YAML or schema library.
"""

from __future__ import annotations

from replay.files._regular import NotRegularFile, open_regular

__all__ = ["NotRegularFile", "open_regular"]
