"""pytest-xdist scheduling that replays each scenario once (imported only under xdist)."""

from __future__ import annotations

# pytest-xdist ships no type information.
from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]

from replay.spec._scenario import SCENARIO_SUFFIXES


class ScenarioFileScheduling(LoadScopeScheduling):  # type: ignore[misc]
    """xdist's ``load``, except that all tests of one scenario file go to one worker.

    A scenario file's tests share one replay, so they form one work unit (as under
    ``--dist loadfile``); every other test is a unit of its own, spread one by one as
    ``--dist load`` spreads it.
    """

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return path if path.endswith(SCENARIO_SUFFIXES) else nodeid
