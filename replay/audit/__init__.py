"""Auditing recorded production conversations: logs in standard shapes read into traces.

Data flow: log files -> importers (one per format, each yielding :class:`LoggedCall`) ->
conversations -> the recording proxy's recorder and turn splitter -> traces, which every
check, report and manifest reads as it reads a replay's.
"""

from __future__ import annotations

from replay.audit._audit import (
    DEFAULT_CHECKS,
    FORMATS,
    AuditWritten,
    audit_logs,
    audit_scenario,
)
from replay.audit._convert import Conversation, conversations, write_conversation
from replay.audit._read import BadRecords, LogRecord, parse_time, read_records
from replay.audit._records import LoggedCall

__all__ = [
    "DEFAULT_CHECKS",
    "FORMATS",
    "AuditWritten",
    "BadRecords",
    "Conversation",
    "LogRecord",
    "LoggedCall",
    "audit_logs",
    "audit_scenario",
    "conversations",
    "parse_time",
    "read_records",
    "write_conversation",
]
