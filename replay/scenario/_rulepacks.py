"""Rule packs: named bundles of checks tied to a legal citation, shipped as YAML in the package.

A scenario selects packs with ``rules: [eu-ai-act-art50, ...]``; their checks join the
scenario's own, and each check remembers the citation of the packs that require it so reports
can quote the law next to every finding. Every pack states that it is a testing aid, not legal
advice, and marks facts known only from secondary sources as such.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from replay.errors import InvalidInput
from replay.files._schemas import packaged_schema
from replay.files.sourcemap import load_yaml
from replay.scenario._schema import schema_problems
from replay.spec._words import did_you_mean

if TYPE_CHECKING:
    import jsonschema

SECONDARY = "secondary"


class RulePackError(LookupError):
    """A scenario names a rule pack that does not exist; the message suggests the nearest."""


@dataclass(frozen=True)
class Quote:
    """An operative sentence of the law, with where it is from and how it was checked."""

    cite: str
    text: str
    status: str
    language: str = "en"
    """The ISO 639-1 code of the language version quoted: each is equally authentic for an
    EU act, and a reviewer in Berlin reads the German one."""


@dataclass(frozen=True)
class RulePack:
    """A validated rule pack (see replay/schemas/rulepack.schema.json for each field)."""

    id: str
    title: str
    law: str
    citation: str
    cite: str
    in_force: str
    applies_to: str
    due: str
    manner: str
    status: str
    quotes: tuple[Quote, ...]
    disclaimer: str
    checks: tuple[Any, ...]
    """The checks as written in the pack (scenario ``checks:`` syntax), built per scenario."""
    status_note: str = ""
    notes: tuple[str, ...] = ()
    checked: str = ""
    path: str = ""

    @property
    def secondary(self) -> bool:
        return self.status == SECONDARY

    @property
    def citation_label(self) -> str:
        """The citation quoted next to findings; says so when it rests on secondary sources."""
        return f"{self.cite} (secondary source)" if self.secondary else self.cite

    def to_json(self) -> dict[str, Any]:
        """The pack's metadata as plain data (what reports show), without its checks."""
        return {
            "id": self.id,
            "title": self.title,
            "law": self.law,
            "citation": self.citation,
            "cite": self.cite,
            "citation_label": self.citation_label,
            "in_force": self.in_force,
            "applies_to": self.applies_to,
            "due": self.due,
            "manner": self.manner,
            "status": self.status,
            "status_note": self.status_note,
            "quotes": [q.__dict__.copy() for q in self.quotes],
            "notes": list(self.notes),
            "disclaimer": self.disclaimer,
        }


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    # Imported on first use: loading a scenario that selects no rule pack needs neither.
    import jsonschema
    import referencing

    schema = packaged_schema("rulepack")
    scenario = packaged_schema("scenario")
    # The pack's checks: list reuses the scenario's check definition, so the syntax stays one.
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(
        scenario["$id"], referencing.Resource.from_contents(scenario)
    )
    return jsonschema.Draft202012Validator(schema, registry=registry)


def load_pack_file(path: Path) -> RulePack:
    """Load and validate one rule pack file; raise InvalidInput with located problems."""
    data, source = load_yaml(path)
    problems = schema_problems(data, source, _validator())
    if not problems and data["id"] != path.stem:
        problems.append(
            source.problem(
                ("id",), f"pack id {data['id']!r} must equal the file name {path.stem!r}"
            )
        )
    if problems:
        raise InvalidInput(problems)
    return pack_from_data(data, str(path))


def pack_from_data(data: Mapping[str, Any], path: str = "") -> RulePack:
    return RulePack(
        id=data["id"],
        title=data["title"],
        law=data["law"],
        citation=data["citation"],
        cite=data["cite"],
        in_force=data["in_force"],
        applies_to=data["applies_to"],
        due=data["due"],
        manner=data["manner"],
        status=data["status"],
        quotes=tuple(
            Quote(q["cite"], q["text"], q["status"], q.get("language", "en"))
            for q in data["quotes"]
        ),
        disclaimer=data["disclaimer"],
        checks=tuple(data["checks"]),
        status_note=data.get("status_note", ""),
        notes=tuple(data.get("notes", ())),
        checked=data.get("checked", ""),
        path=path,
    )


def _pack_dir() -> Path:
    return Path(str(importlib.resources.files("replay").joinpath("rules")))


@cache
def _shipped_ids() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in _pack_dir().glob("*.yaml")))


def pack_ids() -> list[str]:
    """Ids of the rule packs shipped with the package, sorted. The folder is listed once per
    process: the pytest plugin asks for every scenario file it collects."""
    return list(_shipped_ids())


@cache
def load_pack(pack_id: str) -> RulePack:
    """The shipped rule pack ``pack_id``; RulePackError (with a did-you-mean) if unknown."""
    known = pack_ids()
    if pack_id not in known:
        suggestion = did_you_mean(pack_id, known, cutoff=0.5)
        raise RulePackError(
            f"unknown rule pack {pack_id!r}{suggestion} (known: {', '.join(known)}; "
            "list them with `replay rules`)"
        )
    try:
        return load_pack_file(_pack_dir() / f"{pack_id}.yaml")
    except InvalidInput as exc:
        # A shipped pack that does not validate is a packaging bug; say where.
        raise RulePackError("; ".join(str(p) for p in exc.problems)) from exc


def all_packs() -> list[RulePack]:
    """Every shipped rule pack, sorted by id."""
    return [load_pack(i) for i in pack_ids()]
