"""Rate limits shared by every worker of a run (docs/scale.md).

    ChatClient --Gate.slot()--> a Limiter: in this process, in the run's limiter server
    (``replay run -j N``), or in a Dask actor (``--dask``)

The :class:`Limiter` is a state machine over an injectable clock: it grants a call or says how
long to wait, so one implementation serves one process, a pool of workers and a cluster.
"""

from replay.limits._gate import Gate, LimiterService, SharedLimits
from replay.limits._limiter import Limiter

__all__ = ["Gate", "Limiter", "LimiterService", "SharedLimits"]
