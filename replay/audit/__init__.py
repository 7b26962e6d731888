"""Auditing recorded production conversations: logs in standard shapes read into traces.

Data flow: log files -> importers (one per format, each yielding :class:`LoggedCall`) ->
conversations -> the recording proxy's recorder and turn splitter -> traces, which every
check, report and manifest reads as it reads a replay's.
"""

from __future__ import annotations

from replay.audit._records import LoggedCall

__all__ = ["LoggedCall"]
