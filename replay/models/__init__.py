"""What writes replies: scripted replies, the simulator, live clients and their wire formats,
cassettes.

Names are imported on first use (PEP 562): importing one of these modules (the loop imports
``replay.models._base``) runs this file, and eager imports here would load the HTTP client and
the wire formats into every command that never calls a live model (``replay validate``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the same names, for type checkers and IDEs; at run time see _LAZY
    from replay.models._base import Model, ModelError, ModelRequest, close_all
    from replay.models._cassettes import (
        ALL,
        FLUSH_EVERY,
        NEW_EPISODES,
        OFFLINE,
        Cassette,
        CassetteError,
        check_cassette,
        default_mode,
        redact,
        redact_data,
    )
    from replay.models._live import MAX_BODY_BYTES, ChatClient, CredentialRefused, parse_retry_after
    from replay.models._scripted import ScriptedModel
    from replay.models._simulator import (
        DOMAINS,
        DisclosureTiming,
        SimulatorModel,
        disclosure_timing,
        text_domain,
    )
    from replay.models._wire import (
        CHAT,
        COMPACTION,
        IMAGE,
        MESSAGES,
        REASONING,
        REFERENCE,
        RESPONSES,
        SSEAssembler,
        WireError,
        WireMessage,
        WireReply,
        WireRequest,
        new_id,
        parse_reply,
        parse_request,
        render_json,
        render_sse,
        render_sse_error,
    )

# Public name -> the module that defines it.
_LAZY: dict[str, str] = {
    "Model": "replay.models._base",
    "ModelError": "replay.models._base",
    "ModelRequest": "replay.models._base",
    "close_all": "replay.models._base",
    "ALL": "replay.models._cassettes",
    "FLUSH_EVERY": "replay.models._cassettes",
    "NEW_EPISODES": "replay.models._cassettes",
    "OFFLINE": "replay.models._cassettes",
    "Cassette": "replay.models._cassettes",
    "CassetteError": "replay.models._cassettes",
    "check_cassette": "replay.models._cassettes",
    "default_mode": "replay.models._cassettes",
    "redact": "replay.models._cassettes",
    "redact_data": "replay.models._cassettes",
    "MAX_BODY_BYTES": "replay.models._live",
    "ChatClient": "replay.models._live",
    "CredentialRefused": "replay.models._live",
    "parse_retry_after": "replay.models._live",
    "ScriptedModel": "replay.models._scripted",
    "DOMAINS": "replay.models._simulator",
    "DisclosureTiming": "replay.models._simulator",
    "SimulatorModel": "replay.models._simulator",
    "disclosure_timing": "replay.models._simulator",
    "text_domain": "replay.models._simulator",
    "CHAT": "replay.models._wire",
    "COMPACTION": "replay.models._wire",
    "IMAGE": "replay.models._wire",
    "MESSAGES": "replay.models._wire",
    "REASONING": "replay.models._wire",
    "REFERENCE": "replay.models._wire",
    "RESPONSES": "replay.models._wire",
    "SSEAssembler": "replay.models._wire",
    "WireError": "replay.models._wire",
    "WireMessage": "replay.models._wire",
    "WireReply": "replay.models._wire",
    "WireRequest": "replay.models._wire",
    "new_id": "replay.models._wire",
    "parse_reply": "replay.models._wire",
    "parse_request": "replay.models._wire",
    "render_json": "replay.models._wire",
    "render_sse": "replay.models._wire",
    "render_sse_error": "replay.models._wire",
}

__all__ = [
    "ALL",
    "CHAT",
    "COMPACTION",
    "DOMAINS",
    "FLUSH_EVERY",
    "IMAGE",
    "MAX_BODY_BYTES",
    "MESSAGES",
    "NEW_EPISODES",
    "OFFLINE",
    "REASONING",
    "REFERENCE",
    "RESPONSES",
    "Cassette",
    "CassetteError",
    "ChatClient",
    "CredentialRefused",
    "DisclosureTiming",
    "Model",
    "ModelError",
    "ModelRequest",
    "SSEAssembler",
    "ScriptedModel",
    "SimulatorModel",
    "WireError",
    "WireMessage",
    "WireReply",
    "WireRequest",
    "check_cassette",
    "close_all",
    "default_mode",
    "disclosure_timing",
    "new_id",
    "parse_reply",
    "parse_request",
    "parse_retry_after",
    "redact",
    "redact_data",
    "render_json",
    "render_sse",
    "render_sse_error",
    "text_domain",
]


def __getattr__(name: str) -> object:
    try:
        module_name = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value  # once: later lookups do not come back here
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
