"""The recording proxy on 127.0.0.1: model calls of any agent recorded as a trace."""

from __future__ import annotations

from replay.proxy._backends import (
    SUMMARIZER_MODEL,
    Backend,
    CassetteBackend,
    ModelBackend,
    ProxyRequest,
    UpstreamBackend,
)
from replay.proxy._headers import HOP_BY_HOP
from replay.proxy._recorder import CallRecorder, TurnContext
from replay.proxy._server import GENERATE, LEFT_BEHIND, RecordingProxy
from replay.proxy._splitter import TurnSplitter

__all__ = [
    "GENERATE",
    "HOP_BY_HOP",
    "LEFT_BEHIND",
    "SUMMARIZER_MODEL",
    "Backend",
    "CallRecorder",
    "CassetteBackend",
    "ModelBackend",
    "ProxyRequest",
    "RecordingProxy",
    "TurnContext",
    "TurnSplitter",
    "UpstreamBackend",
]
