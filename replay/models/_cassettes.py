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

A cassette is only ever overwritten if it is one: an existing file that is not a regular file
(a FIFO, a device, a folder) or not a replay cassette (JSON of the shape written here) is
refused before anything runs (:func:`check_cassette`), and checked again just before each save.
"""

from __future__ import annotations

import contextlib
import errno
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

from replay.files._regular import NotRegularFile, open_regular

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


def _stat(path: Path) -> os.stat_result | None:
    """``path``'s status (symlinks followed), or None if nothing is there."""
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def _not_regular(path: Path) -> CassetteError:
    return CassetteError(
        f"{path}: not a regular file (a folder, FIFO, device or socket); a cassette is a JSON "
        "file: name another file in agent.model.cassette"
    )


def parse_cassette(path: Path, text: str) -> list[dict[str, Any]]:
    """The interactions of a cassette's text; CassetteError if it is not a replay cassette."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, and hostile nesting
        raise CassetteError(
            f"{path}: not a replay cassette (not JSON: {type(exc).__name__}: {exc}); re-record "
            "it with --record all, or name another file"
        ) from None
    if not isinstance(data, dict) or "interactions" not in data:
        raise CassetteError(
            f"{path}: not a replay cassette (expected a JSON object with version and "
            "interactions); name another file, or delete it and record with --record"
        )
    if data.get("version") != CASSETTE_VERSION:
        raise CassetteError(
            f"{path}: cassette version {data.get('version')!r}, expected "
            f"{CASSETTE_VERSION}; re-record it with --record all"
        )
    items = data["interactions"]
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and isinstance(i.get("key"), str) and "response" in i for i in items
    ):
        raise CassetteError(
            f"{path}: not a replay cassette (interactions must be a list of objects with key "
            "and response); re-record it with --record all"
        )
    return items


def read_cassette(path: Path) -> list[dict[str, Any]] | None:
    """The interactions of the cassette at ``path``, or None if nothing is there.

    Only a regular file is opened (:func:`replay.files.open_regular`: a FIFO would block the
    read forever, ``/dev/zero`` fill memory); anything that is not a replay cassette raises
    CassetteError.
    """
    try:
        handle, _ = open_regular(path)
    except FileNotFoundError:
        return None
    except (NotRegularFile, IsADirectoryError):
        raise _not_regular(path) from None
    except OSError as exc:
        raise CassetteError(f"{path}: cannot be read as a cassette ({exc})") from None
    try:
        with handle:
            text = handle.read().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CassetteError(
            f"{path}: not a replay cassette ({type(exc).__name__}: {exc}); "
            "re-record it with --record all"
        ) from None
    return parse_cassette(path, text)


def check_cassette(path: Path) -> None:
    """Refuse (CassetteError) an existing ``path`` that is not a regular file holding a replay
    cassette; nothing there is fine. Run before recording, so ``--record all`` never replaces
    a file that is not a cassette (``/etc/passwd``, a source file, a FIFO)."""
    read_cassette(path)


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
        self._verified: tuple[int, int, int, int] | None = None
        """(device, inode, size, mtime) of the file as last read or written: unchanged, it
        is still a cassette, and need not be parsed again before a save."""
        if mode == ALL:
            check_cassette(path)  # not loaded, but it will be replaced: it must be a cassette
            self._verified = self._identity()
        else:
            self._load()

    @property
    def offline(self) -> bool:
        return self.mode == OFFLINE

    def __len__(self) -> int:
        return len(self._interactions)

    def _identity(self) -> tuple[int, int, int, int] | None:
        found = _stat(self.path)
        if found is None:
            return None
        return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)

    def _load(self) -> None:
        for item in read_cassette(self.path) or ():
            self._interactions.append(item)
            self._index[item["key"]] = item["response"]
        self._verified = self._identity()

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
        self._check_replaceable()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".cassette-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text + "\n")
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        self._verified = self._identity()
        self._unsaved = 0

    def _check_replaceable(self) -> None:
        """Refuse to replace what is there now unless it is the cassette read or written last
        (or another cassette): the file may have changed since the run began."""
        if self._identity() in (None, self._verified):
            return
        try:
            check_cassette(self.path)
        except CassetteError as exc:
            # An OSError, so the run ends as one that could not complete (exit 3), naming
            # the file; nothing was written.
            raise OSError(errno.EEXIST, f"refused to overwrite: {exc}", str(self.path)) from None
