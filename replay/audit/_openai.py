"""The OpenAI log importer: Chat Completions and Responses calls (one request and its response
per JSON line), Batch API files, and Conversations items exports.

Shapes read (docs/audit.md, "OpenAI Chat Completions logs"):

* ``{"request": BODY, "response": COMPLETION}``: a request body as sent to
  ``POST /v1/chat/completions`` and the chat completion object it got back (the shape most
  gateways and hand-written loggers write);
* ``{"request": BODY, "response": {"status_code": N, "body": COMPLETION}}`` or
  ``{"body": BODY, "response": {...}}``: the Batch API's request line and its output line's
  ``response`` in one record;
* the Batch API's files themselves: input lines ``{"custom_id", "method", "url", "body"}``
  and output lines ``{"id", "custom_id", "response": {"status_code", "request_id", "body"},
  "error"}`` (the OpenAPI ``BatchRequestOutput``), given together and joined by
  ``custom_id``.

Responses calls (``POST /v1/responses``: a body with ``input``/``instructions``, a response
object) and Conversations items exports are read by :mod:`replay.audit._responses`: their
``previous_response_id`` chains are resolved from the whole log, so they are yielded after
the Chat Completions calls.

Bodies are parsed by :mod:`replay.models._wire`, the proxy's own parser of the wire formats.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import PurePath
from typing import Any

from replay.audit._read import BadRecords, LogRecord, parse_time
from replay.audit._records import LoggedCall
from replay.audit._responses import (
    Exchange,
    ItemLog,
    exchange,
    exchange_calls,
    is_items,
    is_responses,
)
from replay.models._wire import CHAT, WireError, WireReply, parse_reply, parse_request
from replay.spec._scenario import Location

CONVERSATION_KEYS = ("conversation_id", "session_id", "thread_id")
"""Where a record names its conversation: at the top level, then in the request's (or the
record's) ``metadata``; failing those, the request's ``user``; failing that, the log file."""
CHAT_PATH = "/v1/chat/completions"


def _conversation(record: Mapping[str, Any], body: Mapping[str, Any], where: Location) -> str:
    for source in (record, record.get("metadata"), body.get("metadata")):
        if isinstance(source, Mapping):
            for key in CONVERSATION_KEYS:
                value = source.get(key)
                if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
                    return str(value)
    user = body.get("user")
    if isinstance(user, str) and user:
        return user
    # No id: the file is one conversation (the turn splitter refuses a second one in it).
    return PurePath(where.file).name


def _is_request_only(data: Mapping[str, Any]) -> bool:
    return "response" not in data and "custom_id" in data and isinstance(data.get("body"), Mapping)


def _is_output_only(data: Mapping[str, Any]) -> bool:
    return (
        "custom_id" in data
        and "request" not in data
        and "body" not in data
        and ("response" in data or "error" in data)
    )


def _error_text(value: Any) -> str:
    if isinstance(value, Mapping):
        message = value.get("message") or value.get("code")
        return str(message) if message else "the API returned an error"
    return str(value)


def _reply(response: Any) -> tuple[WireReply | None, str | None, float | None]:
    """(the reply, the error the call ended with, the response's ``created`` time).

    Raises WireError when the response has neither a completion's shape nor an error's."""
    if response is None:
        return None, None, None
    if not isinstance(response, Mapping):
        raise WireError("the response is not a JSON object")
    status = response.get("status_code")
    body = response.get("body", response) if "status_code" in response else response
    if isinstance(status, int) and status >= 400:
        error = body.get("error") if isinstance(body, Mapping) else None
        return None, f"HTTP {status}: {_error_text(error) if error else 'no reason given'}", None
    if isinstance(body, Mapping) and isinstance(body.get("error"), Mapping):
        return None, _error_text(body["error"]), None
    reply = parse_reply(CHAT, body)
    created = body.get("created") if isinstance(body, Mapping) else None
    return reply, None, parse_time(created) if created is not None else None


def _call(
    record: Mapping[str, Any], body: Any, response: Any, where: Location, error: Any = None
) -> LoggedCall:
    """One call from a request body and its response (raises WireError/ValueError)."""
    request = parse_request(CHAT, body)
    assert isinstance(body, Mapping)
    url = record.get("url")
    if isinstance(url, str) and not url.split("?")[0].rstrip("/").endswith(CHAT_PATH):
        raise WireError(
            f"url {url!r}: only Chat Completions ({CHAT_PATH}) and Responses (/v1/responses) "
            "requests are read"
        )
    reply, failed, created = _reply(response)
    if error is not None and failed is None:
        failed = _error_text(error)
    seconds = created
    stamp = record.get("timestamp", record.get("created_at"))
    if stamp is not None:
        seconds = parse_time(stamp)
    model = request.model
    if model is None and isinstance(response, Mapping):
        inner = response.get("body", response)
        if isinstance(inner, Mapping) and isinstance(inner.get("model"), str):
            model = inner["model"]
    return LoggedCall(
        conversation=_conversation(record, body, where),
        where=where,
        input=request.messages,
        output=reply if failed is None else None,
        seconds=seconds,
        model=model,
        error=failed,
    )


def import_calls(records: Iterable[LogRecord], bad: BadRecords) -> Iterator[LoggedCall]:
    """The calls of OpenAI log records (Chat Completions, Responses, Batch API files,
    Conversations items); a malformed record is counted in ``bad`` (with its location and
    what is wrong) and yields nothing."""
    pending: dict[str, LogRecord] = {}
    outputs: dict[str, LogRecord] = {}
    exchanges: list[Exchange] = []
    items = ItemLog()
    for item in records:
        data = item.data
        if not isinstance(data, Mapping):
            bad.add(item.where, "not a JSON object")
            continue
        try:
            if _is_request_only(data):  # a Batch API input line: wait for its output line
                key = str(data["custom_id"])
                if key in outputs:
                    out = outputs.pop(key)
                    yield from _joined(item, out, exchanges)
                else:
                    pending[key] = item
                continue
            if _is_output_only(data):
                key = str(data["custom_id"])
                if key in pending:
                    yield from _joined(pending.pop(key), item, exchanges)
                else:
                    outputs[key] = item
                continue
            if is_items(data):
                items.add(data, item.where)
                continue
            body = data.get("request", data.get("body"))
            if body is None:
                raise WireError(
                    'no "request" (or "body"): expected {"request": {...chat completions or '
                    'responses request...}, "response": {...}}, or a conversation\'s items'
                )
            yield from _one(
                data, body, data.get("response"), item.where, data.get("error"), exchanges
            )
        except (WireError, ValueError) as exc:
            bad.add(item.where, str(exc))
    for item in pending.values():
        # A request whose output line was not given: the call's output is unknown.
        try:
            yield from _one(item.data, item.data["body"], None, item.where, None, exchanges)
        except (WireError, ValueError) as exc:
            bad.add(item.where, str(exc))
    for key, item in outputs.items():
        bad.add(
            item.where,
            f"a Batch API output line (custom_id {key!r}) whose input line was not given: give "
            "the batch's input file too",
        )
    items.prepare(bad)
    yield from exchange_calls(exchanges, bad, items)
    yield from items.calls()


def _one(
    record: Mapping[str, Any],
    body: Any,
    response: Any,
    where: Location,
    error: Any,
    exchanges: list[Exchange],
) -> Iterator[LoggedCall]:
    """A Chat Completions call now; a Responses call kept for its chain (raises WireError)."""
    if is_responses(record, body, response):
        found = exchange(record, body, response, where, error)
        if found is not None:
            exchanges.append(found)
        return
    yield _call(record, body, response, where, error)


def _joined(
    request: LogRecord, output: LogRecord, exchanges: list[Exchange]
) -> Iterator[LoggedCall]:
    data = {**request.data, **{k: v for k, v in output.data.items() if k in ("error",)}}
    yield from _one(
        data,
        request.data["body"],
        output.data.get("response"),
        request.where,
        data.get("error"),
        exchanges,
    )


def sniff(data: Any) -> bool:
    """Whether a first record looks like this format's: a request and its response (Chat
    Completions or Responses), a Batch API line, or a Conversations items export line."""
    return isinstance(data, Mapping) and (
        isinstance(data.get("request"), Mapping)
        or ("custom_id" in data and ("body" in data or "response" in data))
        or (isinstance(data.get("body"), Mapping) and "response" in data)
        or is_items(data)
    )
