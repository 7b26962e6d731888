"""Cassettes: recorded model exchanges (request hash -> response), for offline, exact replays.

A cassette is one JSON file (conventionally under ``fixtures/cassettes/``) holding each model
request body and the response it got, keyed by a SHA-256 of the canonical request. Replaying
from it is offline and deterministic: a request the cassette does not hold fails the run (exit
3) and never reaches the network. Only request *bodies* are stored; headers (where API keys
travel) never are, keys that look like credentials are dropped, and any known secret value is
redacted from what is written, so a cassette is safe to commit.

Modes: ``offline`` replays only; ``new_episodes`` replays what it has and records new
requests; ``all`` records every request afresh, replacing the file's content.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
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


def _redact(value: Any, secrets: Sequence[str]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            if secret:
                value = value.replace(secret, "***")
        return value
    if isinstance(value, Mapping):
        return {k: _redact(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, secrets) for v in value]
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
            "request": _redact(_strip(body), secrets),
            "response": _redact(response, secrets),
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
