"""The trace: records of every turn, and their reading and writing as JSON Lines."""

from __future__ import annotations

from replay.spec._vocab import (
    GREETING,
    MARKER,
    NOTICE,
    OPENING_KINDS,
    PROMPT,
    REPLY,
    SUMMARY,
    SYSTEM,
    USER,
    Carrier,
)
from replay.trace._io import (
    TraceCutShort,
    TraceFormatError,
    TraceWriter,
    model_call_input,
    read_trace,
)
from replay.trace._records import (
    TRACE_SCHEMA_VERSION,
    CompactionEvent,
    Message,
    ModelCall,
    ToolCall,
    TraceEnd,
    TraceHeader,
    TurnRecord,
    Usage,
    carriers_of,
    lost_disclosures,
)

__all__ = [
    "GREETING",
    "MARKER",
    "NOTICE",
    "OPENING_KINDS",
    "PROMPT",
    "REPLY",
    "SUMMARY",
    "SYSTEM",
    "TRACE_SCHEMA_VERSION",
    "USER",
    "Carrier",
    "CompactionEvent",
    "Message",
    "ModelCall",
    "ToolCall",
    "TraceCutShort",
    "TraceEnd",
    "TraceFormatError",
    "TraceHeader",
    "TraceWriter",
    "TurnRecord",
    "Usage",
    "carriers_of",
    "lost_disclosures",
    "model_call_input",
    "read_trace",
]
