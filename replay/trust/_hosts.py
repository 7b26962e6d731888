"""Credential routing: an API key goes only to its provider's hosts, loopback, or hosts the user
allowed.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from replay.spec._models import ANTHROPIC, OPENAI

# ----------------------------------------------------------------------------- credentials
# Which host may receive which credential (docs/security.md, "Credentials"). A scenario names
# both the variable (api_key_env) and the endpoint (base_url), so without a rule an edited
# scenario could send any secret of the environment anywhere. The rule, checked by `replay
# validate`, before `replay run` starts and again by every client before it connects:
#   - a credential goes to its provider's own host over https, to a host the user allowed
#     (--allow-host HOST, REPLAY_ALLOW_HOSTS) over https, or to a loopback host (any scheme:
#     the bytes never leave the machine);
#   - never over plain http to any other host, allowed or not (anyone on the path reads it);
#   - well-known credentials of other services (cloud, CI, code hosting, package registries)
#     are never sent, to any host: no model endpoint needs them.

PROVIDER_HOSTS = {OPENAI: "api.openai.com", ANTHROPIC: "api.anthropic.com"}
"""The host each provider's key is meant for (the default base URLs' hosts)."""
LOOPBACK_NAMES = frozenset({"localhost"})
ALLOW_HOSTS_ENV = "REPLAY_ALLOW_HOSTS"
"""Environment variable: more hosts allowed to receive a credential (comma or space separated)."""


@dataclass(frozen=True)
class CredentialRoute:
    """Where one credential goes, and whether (and why) the rule allows it."""

    variable: str
    provider: str
    url: str
    host: str
    allowed: bool
    reason: str
    """Allowed: why (``openai's own host``, ``--allow-host / REPLAY_ALLOW_HOSTS``,
    ``loopback``). Refused: what is wrong and how to fix it."""

    def describe(self) -> str:
        """``credential $X -> host H (allowed because: ...)``, as validate and run -v print it."""
        verdict = f"allowed because: {self.reason}" if self.allowed else "REFUSED"
        return f"credential ${self.variable} -> host {self.host} ({verdict})"


def normalise_host(text: str) -> str:
    """A host name as compared: lower case, no trailing dot, IPv6 without brackets."""
    return text.strip().strip("[]").rstrip(".").lower()


def host_problem(text: str) -> str | None:
    """Why ``text`` is not a host name ``--allow-host`` can take (None: it is one)."""
    host = normalise_host(text)
    if not host or any(c in host for c in "/@*?# ") or host.count(":") == 1:
        return (
            f"{text!r} is not a host name; give the host alone, e.g. --allow-host "
            "llm.example.com (no scheme, port, path or wildcard)"
        )
    return None


def allowed_hosts(
    extra: Sequence[str] = (), environ: Mapping[str, str] | None = None
) -> frozenset[str]:
    """The hosts the user allowed: ``extra`` (the command line) and ``$REPLAY_ALLOW_HOSTS``.

    Raises ValueError naming the bad entry (the caller words it as a usage error).
    """
    env = os.environ if environ is None else environ
    listed = [(h, "--allow-host") for h in extra]
    listed += [(h, ALLOW_HOSTS_ENV) for h in env.get(ALLOW_HOSTS_ENV, "").replace(",", " ").split()]
    hosts = set()
    for host, source in listed:
        problem = host_problem(host)
        if problem:
            raise ValueError(f"{source}: {problem}")
        hosts.add(normalise_host(host))
    return frozenset(hosts)


def parse_host(url: str) -> tuple[str, str]:
    """(scheme, host) of ``url`` as httpx will connect to it (ValueError if it has none).

    httpx's own parser, not urllib's: the check must see the host the request goes to, and
    two URL parsers can disagree on a crafted URL (``https://a@b\\@c``).
    """
    # Imported here: only a scenario with a live model has a URL to check, and httpx costs a
    # tenth of a second of start-up that `replay validate` of any other scenario need not pay.
    import httpx

    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise ValueError(f"cannot parse {url!r}: {exc}") from None
    if not parsed.host:
        raise ValueError(f"{url!r} names no host")
    return parsed.scheme, normalise_host(parsed.host)


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or ``localhost``: the request never leaves the machine."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def credential_route(
    provider: str, url: str, variable: str, allowed: frozenset[str] = frozenset()
) -> CredentialRoute:
    """Whether the key in ``$variable`` may be sent to ``url`` (see the rule above)."""
    fix = (
        "; if you trust this scenario and the host, allow it with --allow-host {host} (or "
        f"{ALLOW_HOSTS_ENV}={{host}})"
    )
    own = PROVIDER_HOSTS.get(provider, "?")
    try:
        scheme, host = parse_host(url)
    except ValueError as exc:
        return CredentialRoute(variable, provider, url, "?", False, f"{exc}; nothing is sent")
    if variable in UNRELATED_SECRETS:
        return CredentialRoute(
            variable,
            provider,
            url,
            host,
            False,
            f"${variable} is another service's credential, never sent as a model key; export "
            f"the model's key under a name of its own (e.g. {provider.upper()}_API_KEY) and "
            "name that in api_key_env",
        )
    if is_loopback(host):
        return CredentialRoute(variable, provider, url, host, True, "loopback (this machine)")
    if scheme != "https":
        return CredentialRoute(
            variable,
            provider,
            url,
            host,
            False,
            f"${variable} would travel unencrypted over {scheme}:// to {host}; a credential "
            "goes over plain http only to a loopback host (127.0.0.1, ::1, localhost), even "
            "when the host is allowed: write https:// in base_url",
        )
    if host == own:
        return CredentialRoute(variable, provider, url, host, True, f"{provider}'s own host")
    if host in allowed:
        return CredentialRoute(
            variable, provider, url, host, True, f"--allow-host / {ALLOW_HOSTS_ENV}"
        )
    return CredentialRoute(
        variable,
        provider,
        url,
        host,
        False,
        f"${variable} would be sent to {host}, which is not {provider}'s own host ({own}) "
        "nor a loopback host" + fix.format(host=host),
    )


UNRELATED_SECRETS = frozenset(
    {
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AZURE_CLIENT_SECRET",
        "ARM_CLIENT_SECRET",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "GITLAB_TOKEN",
        "CI_JOB_TOKEN",
        "ACTIONS_RUNTIME_TOKEN",
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
        "NPM_TOKEN",
        "NODE_AUTH_TOKEN",
        "PYPI_TOKEN",
        "PYPI_API_TOKEN",
        "TWINE_PASSWORD",
        "DOCKER_PASSWORD",
        "DOCKERHUB_TOKEN",
        "HF_TOKEN",
        "SSH_AUTH_SOCK",
        "VAULT_TOKEN",
        "KUBECONFIG",
    }
)
"""Variables that hold other services' credentials: never sent as a model key (the host rule
covers them too; this refuses them even to a provider's own host, which must not see them)."""
