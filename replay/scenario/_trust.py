"""What a scenario may reach: paths inside the project, credentials only to their provider's
hosts.
"""

from __future__ import annotations

from pathlib import Path

from replay.errors import Problem
from replay.spec._scenario import CredentialUse, Scenario
from replay.trust._hosts import CredentialRoute, credential_route

# ----------------------------------------------------------------------------- trust rules
# Applied where untrusted files come in (replay validate, run and fuzz; docs/security.md), not
# by load_scenario itself: a scenario's data stays loadable anywhere (the fuzz writer loads its
# counterexamples from wherever --out is), and the caller chooses the policy.

PROJECT_MARKERS = ("pyproject.toml", ".git")
"""What marks a project root: the nearest folder above a scenario holding one of these."""
ALLOW_OUTSIDE_PATHS_ENV = "REPLAY_ALLOW_OUTSIDE_PATHS"


def project_root(folder: str | Path) -> Path | None:
    """The nearest folder at or above ``folder`` (resolved) that holds pyproject.toml or .git.

    Chosen over the current folder so that what a scenario may reach does not depend on where
    replay is started from (CI may run it from ``$HOME`` or ``/``); a checkout's root holds
    ``.git``, a Python project's ``pyproject.toml``.
    """
    start = Path(folder).resolve()
    for candidate in (start, *start.parents):
        for marker in PROJECT_MARKERS:
            try:
                if (candidate / marker).exists():
                    return candidate
            except OSError:
                continue
    return None


def allowed_folders(scenario_file: str | Path) -> tuple[Path, ...]:
    """The folders a scenario's paths may resolve into: its own folder tree and the project
    root's (when there is one)."""
    folder = Path(scenario_file).parent.resolve()
    root = project_root(folder)
    return (folder,) if root is None or root == folder else (folder, root)


def outside_paths(scenario: Scenario) -> list[Problem]:
    """One problem per path the scenario names that resolves (symlinks and ``..`` followed)
    outside :func:`allowed_folders`, or that is absolute. Reads no file, only resolves names."""
    if not scenario.paths:  # most scenarios name none: no need to look for the project root
        return []
    folders = allowed_folders(scenario.path)
    where = f"the scenario's folder {folders[0]}"
    if len(folders) > 1:
        where += f" and the project root {folders[1]}"
    else:
        where += " (no pyproject.toml or .git above it marks a project root)"
    problems = []
    for ref in scenario.paths:
        loc = ref.location
        written = Path(ref.written)
        try:
            target = Path(ref.path).resolve()
        except (OSError, RuntimeError) as exc:  # a symlink loop
            problems.append(
                Problem(
                    loc.file,
                    loc.line,
                    loc.column,
                    f"{ref.key} {ref.written!r} cannot be resolved ({exc}); name a file inside "
                    "the project",
                )
            )
            continue
        if written.is_absolute():
            what = "is an absolute path"
        elif any(target.is_relative_to(f) for f in folders):
            continue
        else:
            what = f"resolves to {target}, outside {where}"
        problems.append(
            Problem(
                loc.file,
                loc.line,
                loc.column,
                f"{ref.key} {ref.written!r} {what}; a scenario may name only files inside its "
                "folder or its project. Move the file there and name it relative to the "
                f"scenario, or, if you trust this scenario, pass --allow-outside-paths (or set "
                f"{ALLOW_OUTSIDE_PATHS_ENV}=1)",
            )
        )
    return problems


def credential_routes(
    scenario: Scenario, hosts: frozenset[str] = frozenset()
) -> list[tuple[CredentialUse, CredentialRoute]]:
    """Each credential the scenario's live models send, with where to and the rule's verdict
    (``hosts``: the hosts the user allowed, command line and environment together)."""
    return [
        (use, credential_route(use.provider, use.url, use.variable, hosts))
        for use in scenario.credentials
    ]


def credential_problems(scenario: Scenario, hosts: frozenset[str] = frozenset()) -> list[Problem]:
    """One problem per credential the rule refuses, at its ``api_key_env`` key."""
    return [
        Problem(
            use.location.file,
            use.location.line,
            use.location.column,
            f"{use.key}: refused to send the credential ${use.variable} to {route.host} "
            f"({use.url}): {route.reason}",
        )
        for use, route in credential_routes(scenario, hosts)
        if not route.allowed
    ]


def trust_problems(
    scenario: Scenario,
    *,
    allow_outside_paths: bool = False,
    hosts: frozenset[str] = frozenset(),
    record: str | None = None,
) -> list[Problem]:
    """What the trust rules refuse in ``scenario`` (docs/security.md), before anything runs.

    Paths outside the project (unless ``allow_outside_paths``), credentials to hosts the rule
    does not allow (``hosts``: those the user allowed), and cassette files that are not
    cassettes (``record``: the run's --record mode, for the hint). Only names are resolved;
    a cassette is read only once its path has passed.
    """
    problems = [] if allow_outside_paths else outside_paths(scenario)
    problems += credential_problems(scenario, hosts)
    if problems:
        return problems  # never read a file a refused path names
    for ref in scenario.paths:
        if ref.kind != "cassette":
            continue
        # Imported only for a scenario with a cassette: the models package loads the HTTP
        # client, which validating any other scenario does not need.
        from replay.models._cassettes import CassetteError, check_cassette

        try:
            check_cassette(Path(ref.path))
        except CassetteError as exc:
            fix = " (--record all replaces only a cassette)" if record == "all" else ""
            problems.append(
                Problem(ref.location.file, ref.location.line, ref.location.column, f"{exc}{fix}")
            )
    return problems
