"""The scenario JSON Schema and the explainer that turns its errors into located, readable
problems.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from replay.errors import Problem
from replay.files._schemas import packaged_schema
from replay.files.sourcemap import QuickSchemaCheck
from replay.spec._source import JsonPath, SourceMap
from replay.spec._words import did_you_mean

if TYPE_CHECKING:
    import jsonschema
    from jsonschema.exceptions import ValidationError


@lru_cache(maxsize=1)
def _quick_check() -> QuickSchemaCheck:
    return QuickSchemaCheck(packaged_schema("scenario"))


def schema_problems(
    data: Any, source: SourceMap, validator: jsonschema.protocols.Validator | None = None
) -> list[Problem]:
    """Validate against the scenario JSON Schema (or ``validator``'s schema); one located,
    readable problem per error."""
    if validator is None:
        if _quick_check().accepts(data):
            return []
        # jsonschema (a tenth of a second to import) is needed only to word what is wrong.
        import jsonschema

        validator = jsonschema.Draft202012Validator(packaged_schema("scenario"))
    problems = []
    for error in validator.iter_errors(data):
        problems.extend(_explain(error, source))
    return sorted(set(problems))


def _explain(error: ValidationError, source: SourceMap) -> list[Problem]:
    path: JsonPath = tuple(error.absolute_path)
    if error.validator in ("oneOf", "anyOf") and error.context:
        branch = _intended_branch(error)
        if branch:
            return [p for e in branch for p in _explain(e, source)]
        from jsonschema.exceptions import best_match

        chosen = best_match(error.context)
        if chosen is not None and tuple(chosen.absolute_path) != path:
            return _explain(chosen, source)
        return [source.problem(path, f"{_where(path)}: {_expected(error)}")]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(_schema_of(error).get("properties", {}))
        out = []
        for key in error.instance:
            if key in allowed:
                continue
            suggestion = did_you_mean(str(key), allowed)
            out.append(
                source.problem(
                    (*path, key),
                    f"unknown key {key!r} in {_where(path)}{suggestion} "
                    f"(expected one of: {', '.join(allowed)})",
                    key=True,
                )
            )
        return out
    if error.validator == "propertyNames":
        return [source.problem(path, f"{_where(path)}: {error.message}")]
    return [source.problem(path, f"{_where(path)}: {_expected(error)}")]


def _schema_of(error: ValidationError) -> Mapping[str, Any]:
    return error.schema if isinstance(error.schema, Mapping) else {}


def _intended_branch(error: ValidationError) -> list[ValidationError] | None:
    """For a oneOf over mappings, the errors of the branch the author evidently meant.

    A turn with a ``probe:`` key is meant to be a probe turn; reporting "not valid under any of
    the given schemas" would hide the real mistake inside it.
    """
    by_branch: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        by_branch.setdefault(int(sub.schema_path[0]), []).append(sub)

    def top_level(errors: list[ValidationError], validators: tuple[str, ...]) -> bool:
        return any(e.validator in validators and not e.relative_path for e in errors)

    # First rule out the forms of the wrong type (a string where a mapping is allowed), then
    # the mappings missing their defining key (a turn without "user:" is not a user turn).
    candidates = [i for i, errs in by_branch.items() if not top_level(errs, ("type",))]
    if len(candidates) > 1:
        narrower = [
            i for i in candidates if not top_level(by_branch[i], ("required", "const", "enum"))
        ]
        candidates = narrower or candidates
    if len(candidates) == 1:
        return by_branch[candidates[0]]
    return None


def _where(path: JsonPath) -> str:
    if not path:
        return "scenario"
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _did_you_mean(error: ValidationError, allowed: list[Any]) -> str:
    """``; did you mean 'sliding_window'?`` for a misspelled name, as for a misspelled key."""
    if not isinstance(error.instance, str):
        return ""
    return did_you_mean(
        error.instance, [str(o) for o in allowed if isinstance(o, str)], forgiving=True
    )


def _expected(error: ValidationError) -> str:
    v = error.validator
    if v == "required":
        return error.message.replace("is a required property", "is required")
    if v == "enum":
        allowed = cast(list[Any], error.validator_value)
        options = ", ".join(repr(o) for o in allowed)
        return f"got {error.instance!r}, expected one of {options}{_did_you_mean(error, allowed)}"
    if v == "type":
        got = f"{type(error.instance).__name__} {error.instance!r}"
        return f"got {got}, expected {error.validator_value}"
    if v in ("oneOf", "anyOf"):
        description = _schema_of(error).get("description")
        hint = f" ({description})" if description else ""
        return f"got {error.instance!r}, which matches none of the allowed forms{hint}"
    if v == "pattern":
        form = _schema_of(error).get("description", f"pattern {error.validator_value}")
        return f"{error.instance!r} does not have the expected form ({form})"
    if v in ("minItems", "minProperties") and not error.instance:
        return "must not be empty"
    return error.message
