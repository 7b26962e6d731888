"""Cassettes: recorded model exchanges (request hash -> response), for offline, exact replays.

A cassette is one JSON file (conventionally under ``fixtures/cassettes/``) holding each model
request body and the response it got, keyed by a SHA-256 of the canonical request. Replaying
from it is offline and deterministic: a request the cassette does not hold fails the run (exit
3) and never reaches the network. Only request *bodies* are stored; headers (where API keys
travel) never are, keys that look like credentials are dropped, and any known secret value is
redacted from what is written (raw, JSON-escaped, repr'd, URL- and HTML-encoded: :func:`redact`),
so a cassette is safe to commit.

Modes: ``offline`` replays only; ``new_episodes`` replays what it has and records new
requests; ``all`` records every request afresh, replacing the file's content.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
import tempfile
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

CASSETTE_VERSION = 1
OFFLINE, NEW_EPISODES, ALL = "offline", "new_episodes", "all"
MODES = (OFFLINE, NEW_EPISODES, ALL)
_CREDENTIAL_KEYS = frozenset({"authorization", "api_key", "api-key", "x-api-key", "apikey"})


class CassetteError(ValueError):
    """A cassette file cannot be read; the message names the file and what is wrong."""


def request_key(provider: str, body: Mapping[str, Any]) -> str:
    """The SHA-256 of a request's canonical JSON (sorted keys, no insignificant spaces)."""
    canonical = json.dumps(
        {"provider": provider, "request": _strip(body)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _strip(value: Any) -> Any:
    """``value`` without credential-looking keys, at any depth."""
    if isinstance(value, Mapping):
        return {k: _strip(v) for k, v in value.items() if str(k).lower() not in _CREDENTIAL_KEYS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


REDACTED = "***"


@functools.lru_cache(maxsize=64)
def _forms(secrets: tuple[str, ...]) -> tuple[str, ...]:
    """Every form the secrets can take in output, longest first (so no part of one survives)."""
    found: set[str] = set()
    for secret in secrets:
        for value in {secret, secret.strip()}:
            if not value:
                continue
            found.add(value)
            escaped = json.dumps(value)[1:-1]  # JSON-escaped, ASCII
            found.add(escaped)
            found.add(json.dumps(escaped)[1:-1])  # escaped twice (JSON in a JSON string)
            found.add(json.dumps(value, ensure_ascii=False)[1:-1])
            found.add(repr(value)[1:-1])  # repr'd str
            found.add(ascii(value)[1:-1])
            found.add(repr(value.encode("utf-8", "backslashreplace"))[2:-1])  # repr'd bytes
            found.add(html.escape(value))
            found.add(html.escape(value, quote=False))
            for quoted in (
                urllib.parse.quote(value, safe=""),
                urllib.parse.quote(value),
                urllib.parse.quote_plus(value),
            ):
                found.add(quoted)
                found.add(re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), quoted))
    return tuple(sorted(found, key=len, reverse=True))


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by ``***``, in every form output can hold it.

    The one redaction used for error messages, replies, traces and cassettes: the raw value and
    the value without surrounding whitespace (a key read with its trailing newline), each also
    JSON-escaped (once or twice), repr'd and ascii()'d (as str and bytes), URL-encoded (either
    hex case) and HTML-escaped.
    """
    for form in _forms(tuple(s for s in secrets if s)):
        if form in text:
            text = text.replace(form, REDACTED)
    return text


def redact_data(value: Any, secrets: Sequence[str]) -> Any:
    """A JSON-like value with :func:`redact` applied to every string in it, keys included."""
    if not any(secrets):
        return value
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, Mapping):
        return {
            (redact(k, secrets) if isinstance(k, str) else k): redact_data(v, secrets)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact_data(v, secrets) for v in value]
    return value


def default_mode(path: Path, record: str | None = None) -> str:
    """``record`` if given; otherwise offline when the cassette exists, else record it once."""
    if record is not None:
        return record
    return OFFLINE if path.exists() else NEW_EPISODES


# Recordings are written at close, and every this many new exchanges in between, so a long
# recording interrupted hard loses little, and recording N exchanges does not rewrite the
# file N times (which would cost O(N^2) bytes).
FLUSH_EVERY = 100


class Cassette:
    """One cassette file, loaded once; new exchanges are saved at close (and now and then)."""

    def __init__(self, path: Path, mode: str = OFFLINE) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown cassette mode {mode!r} (known: {', '.join(MODES)})")
        self.path = path
        self.mode = mode
        self._interactions: list[dict[str, Any]] = []
        self._index: dict[str, Any] = {}
        self._unsaved = 0
        if mode != ALL and path.exists():
            self._load()

    @property
    def offline(self) -> bool:
        return self.mode == OFFLINE

    def __len__(self) -> int:
        return len(self._interactions)

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") != CASSETTE_VERSION:
                raise CassetteError(
                    f"{self.path}: cassette version {data.get('version')!r}, expected "
                    f"{CASSETTE_VERSION}; re-record it with --record all"
                )
            for item in data["interactions"]:
                self._interactions.append(item)
                self._index[item["key"]] = item["response"]
        except (OSError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise CassetteError(
                f"{self.path}: not a replay cassette ({type(exc).__name__}: {exc}); "
                "re-record it with --record all"
            ) from exc

    def lookup(self, provider: str, body: Mapping[str, Any]) -> Any | None:
        """The recorded response to this request, or None.

        In ``all`` mode the file's old content was not loaded, so only this run's recordings
        are found (a deterministic agent asking the same thing twice).
        """
        return self._index.get(request_key(provider, body))

    def record(
        self,
        provider: str,
        body: Mapping[str, Any],
        response: Any,
        *,
        secrets: Sequence[str] = (),
    ) -> None:
        """Store one exchange (secrets redacted); it reaches the file at close or a flush."""
        if self.offline:
            raise RuntimeError("an offline cassette does not record")
        key = request_key(provider, body)
        item = {
            "key": key,
            "provider": provider,
            "request": redact_data(_strip(body), secrets),
            "response": redact_data(response, secrets),
        }
        if key in self._index:
            self._interactions = [i for i in self._interactions if i["key"] != key]
        self._interactions.append(item)
        self._index[key] = item["response"]
        self._unsaved += 1
        if self._unsaved >= FLUSH_EVERY:
            self.save()

    def close(self) -> None:
        """Save what was recorded since the last save."""
        if self._unsaved:
            self.save()

    def save(self) -> None:
        """Write the cassette atomically with stable formatting (diff-friendly, reproducible)."""
        text = json.dumps(
            {"version": CASSETTE_VERSION, "interactions": self._interactions},
            indent=2,
            sort_keys=True,
            ensure_ascii=False,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".cassette-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text + "\n")
        os.replace(tmp, self.path)
        self._unsaved = 0
