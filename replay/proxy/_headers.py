"""HTTP headers the proxy forwards, drops, or treats as credentials."""

from __future__ import annotations

from collections.abc import Mapping

# Headers an agent sends that the upstream needs; never written anywhere.
FORWARDED_HEADERS = (
    "authorization",
    "x-api-key",
    "api-key",
    "anthropic-version",
    "anthropic-beta",
    "openai-organization",
    "openai-project",
    "openai-beta",
    "idempotency-key",
)
# Response headers that describe one connection, not the answer: the proxy's own framing
# (its content-length, or a stream ended by closing the connection) replaces them. The body is
# relayed decoded, so its content-encoding goes too.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "content-encoding",
    }
)
# Request headers whose values are credentials: redacted from every error text.
CREDENTIAL_HEADERS = ("authorization", "x-api-key", "api-key")


def credential_values(headers: Mapping[str, str]) -> set[str]:
    """The credentials in request headers, whole and without a scheme ("Bearer sk-...").

    Short values are placeholders ("x", "none"), not keys; redacting them would garble text.
    """
    found: set[str] = set()
    lowered = {k.lower(): v for k, v in headers.items()}
    for name in CREDENTIAL_HEADERS:
        value = lowered.get(name) or ""
        found.update(v for v in (value, *value.split()[-1:]) if len(v) >= 8)
    return found
