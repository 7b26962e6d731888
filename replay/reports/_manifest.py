"""manifest.json: what went in, what came out, and how to do it again.

The manifest lists the SHA-256 of every input (scenarios, the files they reference, traces) and
every output, the tool, Python and dependency versions, the platform and the exact command. Its
``generated_at`` is the only timestamp in a report folder, and honours ``SOURCE_DATE_EPOCH``
(https://reproducible-builds.org/specs/source-date-epoch/), so the same inputs give the same
bytes. Paths are stored relative to the manifest's folder (POSIX separators), so a report folder
can be moved together with its inputs and still be verified.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import json
import os
import platform
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jsonschema

from replay._version import __version__
from replay.errors import InvalidInput, Problem
from replay.files._schemas import packaged_schema
from replay.files.sourcemap import load_json, schema_problems_at_top

MANIFEST_SCHEMA_VERSION = "1.0"
CHUNK = 1 << 20


@dataclass(frozen=True)
class FileEntry:
    """A file the manifest vouches for: where it is and what role it played."""

    path: Path
    role: str


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in chunks (traces can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def generated_at(environ: Mapping[str, str] | None = None) -> str:
    """UTC time of generation: SOURCE_DATE_EPOCH if set (reproducible builds), else now."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip():
        try:
            moment = datetime.fromtimestamp(int(epoch.strip()), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise InvalidInput(
                [
                    Problem(
                        "SOURCE_DATE_EPOCH",
                        1,
                        1,
                        f"got {epoch!r}, expected whole seconds since 1970-01-01 UTC, e.g. 0",
                    )
                ]
            ) from None
    else:
        moment = datetime.now(timezone.utc).replace(microsecond=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def relative(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` with POSIX separators (no absolute paths in reports)."""
    return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()


def dependency_versions() -> dict[str, str]:
    """Installed versions of replay's dependencies (and theirs, one level down)."""
    names: set[str] = set()
    for requirement in importlib.metadata.requires("replay") or ():
        if "extra ==" in requirement:
            continue
        names.add(_requirement_name(requirement))
    for name in list(names):
        try:
            for requirement in importlib.metadata.requires(name) or ():
                if "extra ==" not in requirement:
                    names.add(_requirement_name(requirement))
        except importlib.metadata.PackageNotFoundError:
            continue
    versions = {}
    for name in sorted(names):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    return (match.group(0) if match else requirement).lower().replace("_", "-")


def build_manifest(
    manifest_dir: Path,
    inputs: Iterable[FileEntry],
    outputs: Iterable[FileEntry],
    argv: Sequence[str],
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The manifest document for a report folder (``manifest_dir``)."""

    def entries(files: Iterable[FileEntry]) -> list[dict[str, Any]]:
        seen: dict[str, dict[str, Any]] = {}
        for entry in files:
            key = relative(entry.path, manifest_dir)
            seen[key] = {
                "path": key,
                "role": entry.role,
                "sha256": sha256_file(entry.path),
                "bytes": entry.path.stat().st_size,
            }
        return [seen[k] for k in sorted(seen)]

    return {
        "schema_version": MANIFEST_SCHEMA_VERSION,
        "generated_at": generated_at(environ),
        "tool": {"name": "replay", "version": __version__},
        "command": {
            "argv": ["replay", *argv],
            "cwd": relative(Path.cwd(), manifest_dir),
            "note": "run argv from cwd (relative to this manifest's folder) to reproduce; "
            "set SOURCE_DATE_EPOCH to generated_at's epoch for identical bytes",
        },
        "python": {
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
        },
        "platform": {
            "system": platform.system(),
            "release": platform.release(),
            "machine": platform.machine(),
        },
        "dependencies": dependency_versions(),
        "inputs": entries(inputs),
        "outputs": entries(outputs),
    }


def write_json(path: Path, data: Any) -> None:
    """Write JSON the way every report file is written: sorted keys, LF, trailing newline."""
    path.write_text(
        json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
        newline="\n",
    )


# ----------------------------------------------------------------------------- verify


@dataclass(frozen=True)
class Verification:
    """The outcome of re-hashing a manifest's files."""

    ok: tuple[str, ...]
    changed: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def intact(self) -> bool:
        return not self.changed and not self.missing


def load_manifest(path: Path) -> dict[str, Any]:
    """Read and validate a manifest; InvalidInput (exit 2) if it is not one."""
    data = load_json(path)
    validator = jsonschema.Draft202012Validator(packaged_schema("manifest"))
    problems = schema_problems_at_top(
        path, validator.iter_errors(data), "not a replay manifest.json?"
    )
    if problems:
        raise InvalidInput(problems)
    assert isinstance(data, dict)
    return data


def verify_manifest(path: Path) -> Verification:
    """Re-hash every file a manifest lists (paths are relative to the manifest's folder), and
    every file a checksums file it lists names (an audit's traces.sha256)."""
    manifest = load_manifest(path)
    base = path.parent
    ok: list[str] = []
    changed: list[str] = []
    missing: list[str] = []

    def check(name: str, sha256: str) -> bool:
        target = base / name
        if not target.is_file():
            missing.append(name)
        elif sha256_file(target) != sha256:
            changed.append(name)
        else:
            ok.append(name)
            return True
        return False

    for entry in [*manifest["inputs"], *manifest["outputs"]]:
        if check(entry["path"], entry["sha256"]) and entry["role"] == CHECKSUMS:
            # Intact, so it is the list the manifest vouches for: each file it names is
            # checked as if the manifest listed it.
            for name, sha256 in read_checksums(base / entry["path"]):
                check(name, sha256)
    return Verification(tuple(ok), tuple(changed), tuple(missing))


CHECKSUMS = "checksums"
"""The manifest role of a checksums file (``sha256sum`` format: ``HASH  PATH`` per line,
paths relative to the manifest's folder), which stands in the manifest for the many files it
lists: an audit's traces, a hundred thousand of them, in a file written line by line rather
than a manifest held in memory. ``cd DIR && sha256sum -c traces.sha256`` checks it too."""
_CHECKSUM_LINE = re.compile(r"([0-9a-f]{64})  (.+)")


def checksum_line(sha256: str, name: str) -> str:
    """One line of a checksums file (a name holding a newline or backslash is refused: the
    traces replay writes never do)."""
    if "\n" in name or "\\" in name:
        raise ValueError(f"{name!r} cannot be a line of a checksums file")
    return f"{sha256}  {name}\n"


def read_checksums(path: Path) -> Iterator[tuple[str, str]]:
    """(path, sha256) of each line of a checksums file; a line of another shape is exit 2."""
    with path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            match = _CHECKSUM_LINE.fullmatch(line.rstrip("\n"))
            if match is None:
                raise InvalidInput(
                    [Problem(str(path), number, 1, "not a checksum line (HASH  PATH)")]
                )
            yield match.group(2), match.group(1)
