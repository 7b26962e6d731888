"""Where each value of a loaded file stands: the positions located errors are reported at."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from replay.errors import Problem

JsonPath = tuple[str | int, ...]


@dataclass(frozen=True)
class SourceMap:
    """Where each value (and each mapping key) of a loaded YAML document stands in its file."""

    file: str
    values: Mapping[JsonPath, tuple[int, int]] = field(default_factory=dict)
    keys: Mapping[JsonPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``path``, or of its nearest located parent."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))

    def problem(self, path: JsonPath, message: str, *, key: bool = False) -> Problem:
        line, column = self.locate(path, key=key)
        return Problem(self.file, line, column, message)
