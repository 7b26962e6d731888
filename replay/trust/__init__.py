"""The trust model's rules: which hosts may receive a credential, and how code a scenario names is
found.
"""

from __future__ import annotations

from replay.trust._code import NO_CODE_ENV, env_flag, find_module_file, locate_callable, refuse_code
from replay.trust._hosts import (
    ALLOW_HOSTS_ENV,
    CredentialRoute,
    allowed_hosts,
    credential_route,
    host_problem,
    parse_host,
)

__all__ = [
    "ALLOW_HOSTS_ENV",
    "NO_CODE_ENV",
    "CredentialRoute",
    "allowed_hosts",
    "credential_route",
    "env_flag",
    "find_module_file",
    "host_problem",
    "locate_callable",
    "parse_host",
    "refuse_code",
]
