"""Code a scenario names (``module:function``): located without importing, loaded only by a run."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from types import ModuleType

from replay.errors import (
    InvalidInput,
    Problem,
)
from replay.spec._scenario import Scenario

_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
_REFERENCE = re.compile(rf"{_IDENTIFIER}(?:\.{_IDENTIFIER})*:{_IDENTIFIER}")


class CodeNotFound(RuntimeError):
    """A ``module:function`` reference names no module or no callable that can be loaded."""


def reference_problem(reference: str) -> str | None:
    """Why ``module:function`` may not name a summarizer (None: it may), without importing.

    The name must be dotted identifiers, ``:``, an identifier; and the module must not be one
    of the standard library's (``os:system``, ``antigravity``, ``this``): a summarizer is the
    scenario author's own code, and standard-library modules run code on import or do harm when
    called with a conversation.
    """
    if not _REFERENCE.fullmatch(reference):
        return (
            f"{reference!r} is not a function reference; write 'package.module:function' "
            "(dotted identifiers, ':', an identifier)"
        )
    top = reference.partition(":")[0].split(".")[0]
    if top in sys.stdlib_module_names or top in sys.builtin_module_names:
        return (
            f"{reference!r} names the standard library module {top!r}; a callable summarizer "
            "must be your own module (replay refuses standard-library references)"
        )
    return None


def _search(parts: Sequence[str], folders: Sequence[str | Path]) -> Path | None:
    for folder in folders:
        base = Path(folder or ".").joinpath(*parts)
        candidates = [base.parent / f"{parts[-1]}.py", base / "__init__.py"]
        candidates += [base.parent / f"{parts[-1]}{suffix}" for suffix in EXTENSION_SUFFIXES]
        for candidate in candidates:
            try:
                if candidate.is_file():
                    return candidate
            except OSError:
                continue
    return None


def find_module_file(module_name: str, folders: Sequence[str | Path]) -> Path | None:
    """The file that would define ``module_name``, looked up without importing anything.

    Searches each folder in order for ``a/b/c.py``, ``a/b/c/__init__.py`` or an extension
    module. Failing that (an editable install's finder), asks the import system's finders for
    the *top-level* name only, which locates it without running it, and searches the rest of
    the name in that package's folders by path: ``importlib.util.find_spec`` of a dotted name
    would import the parent packages.
    """
    parts = module_name.split(".")
    found = _search(parts, folders)
    if found is not None:
        return found
    try:
        spec = importlib.util.find_spec(parts[0])
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if len(parts) == 1:
        origin = spec.origin
        return Path(origin) if origin and origin not in ("built-in", "frozen") else None
    return _search(parts[1:], list(spec.submodule_search_locations or ()))


def locate_callable(reference: str, folder: str | Path | None = None) -> Path:
    """Where ``module:function``'s module is (the scenario's folder, then sys.path), unimported.

    Raises CodeNotFound saying what is wrong; validation uses this, never ``load_callable``.
    """
    problem = reference_problem(reference)
    if problem:
        raise CodeNotFound(problem)
    module_name = reference.partition(":")[0]
    folders = ([folder] if folder is not None else []) + [entry or "." for entry in sys.path]
    found = find_module_file(module_name, folders)
    if found is None:
        raise CodeNotFound(
            f"cannot find module {module_name!r} (looked, without importing it, next to the "
            "scenario and on sys.path); is it in the scenario's folder, installed or on PYTHONPATH?"
        )
    return found


def import_named(
    reference: str,
    error: Callable[[str], Exception],
    *,
    prefix: str = "",
    hint: str = "is it installed or on PYTHONPATH?",
) -> Callable[..., object]:
    """Import ``package.module:function`` from ``sys.path`` as it is; raise ``error(message)``
    saying what is missing (the message starts with ``prefix`` and ends an import failure with
    ``hint``).

    The one import of a scenario's code: a callable summarizer (``load_callable``, in replay's
    process) and a python agent's factory (in the agent's own process, whose program includes
    this function's source: so it uses the standard library only and imports it here).
    """
    import importlib

    module_name, _, attribute = reference.partition(":")
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        raise error(
            f"{prefix}cannot import module {module_name!r} ({type(exc).__name__}: {exc}); {hint}"
        ) from exc
    function = getattr(module, attribute, None)
    if not callable(function):
        raise error(f"{prefix}module {module_name!r} has no callable {attribute!r}")
    return function  # type: ignore[no-any-return]


def load_callable(reference: str, folder: str | Path | None = None) -> Callable[..., object]:
    """Import ``package.module:function``; raise CodeNotFound saying what is missing.

    Only a run calls this (``replay validate`` uses ``locate_callable``). ``folder``, the
    scenario's folder, comes first on ``sys.path`` while the module is imported, and only then:
    ``sys.path`` is as it was afterwards, whether the import worked or not.
    """
    problem = reference_problem(reference)
    if problem:
        raise CodeNotFound(problem)
    added = folder is not None and str(folder) not in sys.path
    if added:
        sys.path.insert(0, str(folder))
    shadowed = _shadowing(reference.partition(":")[0])
    try:
        return import_named(reference, CodeNotFound)
    finally:
        # Only our own entry: what the module itself put on sys.path while importing stays.
        if added and str(folder) in sys.path:
            sys.path.remove(str(folder))
        sys.modules.update(shadowed)


def _shadowing(module_name: str) -> dict[str, ModuleType]:
    """Take out of ``sys.modules`` an imported module of this name that is not the file this
    import would load now, and return it (and its parent packages) to be put back afterwards.

    Two scenarios in different folders may each name ``summary:summarize`` for their own
    ``summary.py``; without this the second run would silently get the first one's module, and
    its verdict would be about a summarizer it never named. Callers already hold the functions
    they loaded, so putting the older modules back changes nothing for them.
    """
    parts = module_name.split(".")
    names = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for i, name in enumerate(names):
        cached_file = getattr(sys.modules.get(name), "__file__", None)
        if cached_file is None:
            continue
        expected = find_module_file(name, sys.path)
        if expected is not None and Path(cached_file).resolve() != expected.resolve():
            # This package (or module) and everything below it must be imported afresh.
            return {n: sys.modules.pop(n) for n in names[i:] if n in sys.modules}
    return {}


NO_CODE_ENV = "REPLAY_NO_CODE"
"""Set (to anything but "" or "0") to refuse every scenario that runs code: docs/security.md."""


def env_flag(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """A yes/no environment variable (``REPLAY_NO_CODE``, ``REPLAY_ALLOW_OUTSIDE_PATHS``): set
    to anything but "" or "0" is yes."""
    return (os.environ if environ is None else environ).get(name, "") not in ("", "0")


def refuse_code(scenarios: Iterable[Scenario]) -> None:
    """``--no-code``: raise InvalidInput (exit 2) naming every key of ``scenarios`` that would
    run Python code or a command; nothing has run yet."""
    problems = [
        Problem(
            ref.location.file,
            ref.location.line,
            ref.location.column,
            f"{ref.key} runs {'a command' if ref.kind == 'command' else 'Python code'} "
            f"({ref.what}); refused by --no-code / {NO_CODE_ENV}",
        )
        for scenario in scenarios
        for ref in scenario.runs_code
        if ref.kind in ("code", "command")
    ]
    if problems:
        raise InvalidInput(problems)
