"""OpenAI Responses logs and Conversations items exports, read as :class:`LoggedCall`s.

Part of the ``openai`` format (:mod:`replay.audit._openai` hands these records here). Shapes
read (docs/audit.md, "OpenAI Responses logs and Conversations items"):

* ``{"request": BODY, "response": RESPONSE}``: the body of ``POST /v1/responses``
  (``instructions``, ``input`` as text or items, ``previous_response_id``, ``conversation``)
  and the response object it got back (``{"object": "response", "id", "status", "output":
  [items]}``), also wrapped as a Batch API line wraps it;
* ``POST /v1/responses/compact`` calls (``{"object": "response.compaction", "output": [...]}``):
  read, but not model calls of the conversation (their output is the compaction item later
  requests carry);
* a conversation's items (``GET /v1/conversations/{id}/items``): the list endpoint's page
  object ``{"object": "list", "data": [items], "first_id", "last_id", "has_more"}``, or one
  item per line ``{"conversation_id": ID, "item": ITEM}`` (or the item's own fields beside
  ``conversation_id``).

Shapes from the ``openai`` SDK 3.57.0's types: ``Response``, ``ResponseInputItemParam``,
``CompactedResponse``, ``ResponseCompactionItem`` (``{"type": "compaction", "id",
"encrypted_content", "created_by"}``), ``ConversationItem``, ``ConversationItemList``.

A stored conversation's Responses calls, given with its items export, are joined to the items
they produced by those items' ids: the call reads its request's ``instructions`` and the items
before them.

A ``compaction`` item is opaque (OpenAI's compaction guide: "It is opaque and not intended to
be human-interpretable"): every call whose input holds one has ``input_complete=False``, so a
check of the model's context cannot hold on it, while its reply is still judged. So does a call
that continues a response the log does not hold, or a stored conversation whose earlier items
the log does not show: never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from replay.audit._read import BadRecords, parse_time
from replay.audit._records import LoggedCall
from replay.models._wire import (
    COMPACTION,
    REFERENCE,
    RESPONSES,
    WireError,
    WireMessage,
    WireReply,
    WireRequest,
    parse_reply,
    parse_request,
)
from replay.spec._scenario import Location
from replay.trace._records import ToolCall

RESPONSES_PATH = "/v1/responses"
COMPACT_PATH = "/v1/responses/compact"
CONVERSATION_KEYS = ("conversation_id", "session_id", "thread_id")

OPAQUE_COMPACTION = (
    "an opaque compaction item replaced earlier context: its content is encrypted "
    "(encrypted_content), so what the model read in its place, and whether the disclosure "
    "survived, cannot be read; only what the model said after it can be judged"
)
COMPACTED_WHILE_ANSWERING = (
    "the server compacted this call's input while answering (a compaction item in its output, "
    "context_management): what the model read in place of the earlier context cannot be read"
)
ITEM_REFERENCE = (
    "an item_reference names an item stored server-side whose content is not in the log"
)
NO_INSTRUCTIONS_ITEM = (
    "the conversation's items hold no system or developer message: the instructions each "
    "request sent (the request's instructions parameter, never stored as an item) are unknown"
)
TERMINAL = ("completed", "incomplete")

# Items a model writes (its output) as opposed to what the application sends it.
_OUTPUT_KINDS = ("function_call", "custom_tool_call", "reasoning", "mcp_list_tools")


def is_responses(record: Mapping[str, Any], body: Any, response: Any) -> bool:
    """Whether a request/response record is a Responses call (not Chat Completions)."""
    url = record.get("url")
    if isinstance(url, str):
        path = url.split("?")[0].rstrip("/")
        return path.endswith((RESPONSES_PATH, COMPACT_PATH))
    if isinstance(body, Mapping) and "messages" not in body:
        if any(k in body for k in ("input", "instructions", "previous_response_id")):
            return True
        if "conversation" in body:
            return True
    inner = _body(response)
    return isinstance(inner, Mapping) and inner.get("object") in ("response", "response.compaction")


def is_items(data: Mapping[str, Any]) -> bool:
    """Whether a record is a Conversations items export line (a page object or one item)."""
    listed = data.get("data")
    if data.get("object") == "list" and isinstance(listed, list):
        # Every conversation item has a type; other list pages (stored chat completions,
        # files) hold objects that do not.
        return not listed or not isinstance(listed[0], Mapping) or "type" in listed[0]
    if "request" in data or "response" in data or "body" in data or "run_type" in data:
        return False
    if isinstance(data.get("item"), Mapping):
        return True
    return isinstance(data.get("type"), str) and any(k in data for k in CONVERSATION_KEYS)


def _body(response: Any) -> Any:
    if isinstance(response, Mapping) and "status_code" in response:
        return response.get("body")
    return response


def _text_id(value: Any) -> str | None:
    if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
        return str(value)
    return None


def _explicit_id(record: Mapping[str, Any], body: Mapping[str, Any]) -> str | None:
    """A conversation id the record or request names (the Conversations API id first)."""
    conversation = body.get("conversation")
    if isinstance(conversation, Mapping):
        conversation = conversation.get("id")
    found = _text_id(conversation)
    if found is not None:
        return found
    for source in (record, record.get("metadata"), body.get("metadata")):
        if isinstance(source, Mapping):
            for key in CONVERSATION_KEYS:
                found = _text_id(source.get(key))
                if found is not None:
                    return found
    return None


def _error_text(value: Any) -> str:
    if isinstance(value, Mapping):
        message = value.get("message") or value.get("code")
        return str(message) if message else "the API returned an error"
    return str(value)


def output_messages(items: Any, where: str = "output") -> tuple[WireMessage, ...]:
    """A response's output items as the messages a later request carries back (reasoning and
    compaction items kept as opaque messages, function calls on the assistant message)."""
    if not isinstance(items, list):
        raise WireError(f"no '{where}' list in the response")
    return parse_request(RESPONSES, {"input": items}).messages


@dataclass(frozen=True)
class Exchange:
    """One Responses call read from a log: its request, the response's output, the reply."""

    where: Location
    request: WireRequest
    output: tuple[WireMessage, ...]
    reply: WireReply | None
    error: str | None
    seconds: float | None
    model: str | None
    response_id: str | None
    output_ids: tuple[str, ...]
    """The ids of the response's output items (a stored conversation keeps them as items)."""
    explicit: str | None
    """The conversation id the record names (``conversation``, ``conversation_id``...)."""
    fallback: str
    """Where a call of no chain and no id belongs: the request's ``user``, else the file."""


def exchange(
    record: Mapping[str, Any], body: Any, response: Any, where: Location, error: Any = None
) -> Exchange | None:
    """One Responses call from a request body and its response; None for a
    ``/responses/compact`` call (not a model call of the conversation). Raises
    WireError/ValueError for a record of the wrong shape."""
    request = parse_request(RESPONSES, body)
    assert isinstance(body, Mapping)
    inner = _body(response)
    url = record.get("url")
    if (isinstance(url, str) and url.split("?")[0].rstrip("/").endswith(COMPACT_PATH)) or (
        isinstance(inner, Mapping) and inner.get("object") == "response.compaction"
    ):
        return None
    failed: str | None = None
    reply: WireReply | None = None
    output: tuple[WireMessage, ...] = ()
    created: float | None = None
    status = response.get("status_code") if isinstance(response, Mapping) else None
    if response is not None and not isinstance(response, Mapping):
        raise WireError("the response is not a JSON object")
    if isinstance(status, int) and status >= 400:
        problem = inner.get("error") if isinstance(inner, Mapping) else None
        failed = f"HTTP {status}: {_error_text(problem) if problem else 'no reason given'}"
    elif isinstance(inner, Mapping):
        if inner.get("created_at") is not None:
            created = parse_time(inner["created_at"])
        state = inner.get("status")
        if isinstance(inner.get("error"), Mapping) or state in ("failed", "cancelled"):
            failed = _error_text(inner.get("error")) if inner.get("error") else f"status {state}"
        elif state is not None and state not in TERMINAL:
            failed = f"the response was {state} when it was logged (no output yet)"
        else:
            reply = parse_reply(RESPONSES, inner)
            output = output_messages(inner.get("output"))
    elif inner is not None:
        raise WireError("the response body is not a JSON object")
    if error is not None and failed is None:
        failed = _error_text(error)
    stamp = record.get("timestamp", record.get("created_at"))
    seconds = parse_time(stamp) if stamp is not None else created
    model = request.model
    if model is None and isinstance(inner, Mapping) and isinstance(inner.get("model"), str):
        model = inner["model"]
    user = body.get("user") or body.get("safety_identifier")
    return Exchange(
        where=where,
        request=request,
        output=output,
        reply=None if failed is not None else reply,
        error=failed,
        seconds=seconds,
        model=model,
        response_id=reply.id if reply is not None else _text_id(_get(inner, "id")),
        output_ids=tuple(
            str(item["id"])
            for item in (_get(inner, "output") if reply is not None else None) or ()
            if isinstance(item, Mapping) and _text_id(item.get("id")) is not None
        ),
        explicit=_explicit_id(record, body),
        fallback=str(user) if isinstance(user, str) and user else PurePath(where.file).name,
    )


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, Mapping) else None


# ----------------------------------------------------------------------------- chains


@dataclass(frozen=True)
class _Chain:
    """What a response leaves in its chain's context: the history (without instructions), and
    why part of it is unknown beyond what its messages show (a link the log lacks).

    Linked to the chain it continues rather than copied: a chain of n responses holds each
    response's own messages once (memory linear in the log), and a call's input is put
    together only when the call is yielded."""

    parent: _Chain | None
    own: tuple[WireMessage, ...]
    unknown: tuple[str, ...]

    @property
    def messages(self) -> tuple[WireMessage, ...]:
        """The whole history, oldest first."""
        parts: list[tuple[WireMessage, ...]] = []
        node: _Chain | None = self
        while node is not None:
            parts.append(node.own)
            node = node.parent
        return tuple(m for part in reversed(parts) for m in part)


_EMPTY = _Chain(None, (), ())
LOOP = "the previous_response_id chain loops back on itself: its earlier context is unknown"


def _missing(previous: str) -> str:
    return (
        f"previous_response_id {previous!r} names a response that is not in the log: the "
        "earlier part of the model's input is unknown"
    )


def _stored(x: Exchange) -> tuple[str, ...]:
    """Why this request's own part of the input is unknown: a stored conversation's items."""
    if x.request.conversation is None:
        return ()
    return (
        f"conversation {x.request.conversation!r}: the items stored in it before this request "
        "are not in a Responses log (audit the conversation's items export, "
        "GET /v1/conversations/{id}/items, instead)",
    )


def _opaque(messages: Iterable[WireMessage]) -> list[str]:
    """Why messages hide part of the input: a compaction item, a reference to a stored item."""
    kinds = {m.opaque for m in messages}
    reasons = []
    if COMPACTION in kinds:
        reasons.append(OPAQUE_COMPACTION)
    if REFERENCE in kinds:
        reasons.append(ITEM_REFERENCE)
    return reasons


def _merge(reasons: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(reasons))


class _Find:
    """Union-find over exchange indexes: the calls a previous_response_id chain links."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class _Chains:
    """Each logged response's chain, built from the log's own responses without recursion (a
    chain may be thousands of responses long) and once each."""

    def __init__(self, kept: Sequence[Exchange], by_id: Mapping[str, int]) -> None:
        self.kept = kept
        self.by_id = by_id
        self.done: dict[int, _Chain] = {}

    def before(self, x: Exchange) -> _Chain:
        """The context ``x`` continues: its previous response's chain."""
        previous = x.request.previous_response_id
        if previous is None:
            return _EMPTY
        if previous not in self.by_id:
            return _Chain(None, (), (_missing(previous),))
        return self.ending(self.by_id[previous])

    def ending(self, i: int) -> _Chain:
        """The chain response ``i`` ends: what a request naming it continues."""
        stack: list[int] = []
        on_stack: set[int] = set()
        j: int | None = i
        while j is not None and j not in self.done:
            if j in on_stack:
                self.done[j] = _Chain(None, (), (LOOP,))
                break
            stack.append(j)
            on_stack.add(j)
            previous = self.kept[j].request.previous_response_id
            j = self.by_id.get(previous) if previous is not None else None
        for k in reversed(stack):
            if k in self.done:
                continue
            x = self.kept[k]
            base = self.before(x)  # computed: the loop above reached it first
            self.done[k] = _Chain(
                base, (*x.request.history, *x.output), _merge((*base.unknown, *_stored(x)))
            )
        return self.done[i]


def exchange_calls(
    exchanges: Sequence[Exchange], bad: BadRecords, items: ItemLog | None = None
) -> Iterator[LoggedCall]:
    """The calls of a log's Responses exchanges: each ``previous_response_id`` resolved from
    the log's own responses (a response the log does not hold is unknown, never guessed), each
    call's conversation its id, else its chain's, else its ``user``, else its file. A call of
    a stored conversation whose items ``items`` holds is handed to them (joined there)."""
    by_id: dict[str, int] = {}
    kept: list[Exchange] = []
    for x in exchanges:
        if x.response_id is not None and x.response_id in by_id:
            first = kept[by_id[x.response_id]].where
            bad.add(
                x.where,
                f"response {x.response_id!r} is logged twice (first at {first.file}:"
                f"{first.line}): one of the two records is not this response",
            )
            continue
        if x.response_id is not None:
            by_id[x.response_id] = len(kept)
        kept.append(x)
    links = _Find(len(kept))
    for i, x in enumerate(kept):
        previous = x.request.previous_response_id
        if previous is not None and previous in by_id:
            links.join(i, by_id[previous])
    names: dict[int, str] = {}
    sizes: dict[int, int] = {}
    for i, x in enumerate(kept):
        root = links.root(i)
        sizes[root] = sizes.get(root, 0) + 1
        if x.explicit is not None:
            names.setdefault(root, x.explicit)
    chains = _Chains(kept, by_id)
    starts: dict[int, str] = {}
    for i, x in enumerate(kept):
        if x.request.conversation is not None and items is not None and items.attach(x):
            continue
        prior = chains.before(x)
        messages = (*x.request.messages[: x.request.instructions], *prior.messages)
        messages += x.request.history
        unknown = [*prior.unknown, *_stored(x), *_opaque(messages)]
        if any(m.opaque == COMPACTION for m in x.output):
            unknown.append(COMPACTED_WHILE_ANSWERING)
        reasons = _merge(unknown)
        root = links.root(i)
        if x.explicit is not None:
            conversation = x.explicit
        elif root in names:  # a chain is one conversation: one call's id names it all
            conversation = names[root]
        elif sizes[root] > 1 or x.request.previous_response_id is not None:
            if root not in starts:  # walked once per chain, not once per call
                starts[root] = _chain_name(root, kept, by_id)
            conversation = starts[root]
        else:  # stateless (the whole input sent each time): as Chat Completions
            conversation = x.fallback
        yield LoggedCall(
            conversation=conversation,
            where=x.where,
            input=messages,
            output=x.reply,
            seconds=x.seconds,
            model=x.model,
            error=x.error,
            input_complete=not reasons,
            unknown_because="; ".join(reasons) or None,
        )


def _chain_name(i: int, kept: Sequence[Exchange], by_id: Mapping[str, int]) -> str:
    """A chain without an id is named by its start in the log (whatever order the log is in):
    the response that start continues when the log lacks it, else the start's own id."""
    seen = {i}
    while True:
        x = kept[i]
        previous = x.request.previous_response_id
        if previous is None or previous not in by_id or by_id[previous] in seen:
            return previous or x.response_id or x.fallback
        i = by_id[previous]
        seen.add(i)


# ----------------------------------------------------------------------------- items


@dataclass
class ItemLog:
    """The Conversations items read so far, per conversation, in the order given."""

    items: dict[str, list[tuple[Location, Mapping[str, Any], float | None]]] = field(
        default_factory=dict
    )
    newest_first: dict[str, bool] = field(default_factory=dict)
    more: dict[str, Location] = field(default_factory=dict)
    """Per conversation, the page that said ``has_more`` when no page came after it."""
    ready: dict[str, _Items] = field(default_factory=dict)
    by_item: dict[str, _Run] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    """A conversation read from pages (named by its file) joined to Responses calls of a
    stored conversation takes that conversation's id."""

    def add(self, data: Mapping[str, Any], where: Location) -> None:
        """One export line: a page object or one item (raises WireError/ValueError)."""
        conversation = None
        for key in CONVERSATION_KEYS:
            conversation = _text_id(data.get(key))
            if conversation is not None:
                break
        name = conversation or PurePath(where.file).name
        stamp = data.get("timestamp", data.get("created_at"))
        seconds = parse_time(stamp) if stamp is not None else None
        order = data.get("order")
        if order is not None and order not in ("asc", "desc"):
            raise WireError(f'"order" must be "asc" or "desc", not {order!r}')
        if order is not None:
            if self.newest_first.get(name, order == "desc") != (order == "desc"):
                raise WireError(f"conversation {name!r}: pages of both orders (asc and desc)")
            self.newest_first[name] = order == "desc"
        page = data.get("object") == "list"
        if page:
            entries = data["data"]
        else:
            item = data.get("item")
            entries = [item if isinstance(item, Mapping) else _item_fields(data)]
        checked = []
        for n, entry in enumerate(entries):
            label = f"data[{n}]" if page else "item"
            if not isinstance(entry, Mapping):
                raise WireError(f"{label}: an item must be an object, got {entry!r}")
            _item_message(entry, label)  # located here, not when the calls are made
            checked.append((where, entry, seconds))
        self.items.setdefault(name, []).extend(checked)  # a bad line adds none of its items
        if page and data.get("has_more") is True:
            self.more[name] = where
        else:
            self.more.pop(name, None)

    def prepare(self, bad: BadRecords) -> None:
        """Put each conversation's items in order and find its calls: every run of model
        output items (an assistant message, its function calls and reasoning) is a call
        whose input is the items before it. A conversation that cannot be read whole is a
        located bad record."""
        for name, entries in self.items.items():
            if name in self.more:
                # The export stops before the conversation does: a prefix is not the whole.
                bad.add(
                    self.more[name],
                    f"conversation {name!r}: its last page says has_more (the list goes on "
                    "after it): give every page (the SDK's list iterator pages through them)",
                )
                continue
            if self.newest_first.get(name, False):
                entries = entries[::-1]
            elif name not in self.newest_first and _reads_newest_first(entries):
                where = entries[0][0]
                bad.add(
                    where,
                    f"conversation {name!r}: its items read newest first (it starts with an "
                    "assistant message and ends with a user message), as the items list returns "
                    'them by default (order=desc): export with order=asc, or add "order": '
                    '"desc" (or "asc") to each line',
                )
                continue
            found = _runs(name, entries)
            self.ready[name] = found
            for run in found.runs:
                for item_id in run.ids:
                    self.by_item.setdefault(item_id, run)

    def attach(self, x: Exchange) -> bool:
        """Join a Responses call of a stored conversation to the run of items it produced
        (matched by its output items' ids, never by content): the call then has the items
        before it as its input, with the request's own instructions, and is yielded in the
        conversation's order. False when the export does not hold the call's output."""
        run = next((self.by_item[i] for i in x.output_ids if i in self.by_item), None)
        if run is None or run.exchange is not None:
            return False
        run.exchange = x
        if x.explicit is not None:
            self.names.setdefault(run.name, x.explicit)
        return True

    def calls(self) -> Iterator[LoggedCall]:
        """The calls of every conversation :meth:`prepare` read, in each one's order."""
        for name, found in self.ready.items():
            shown = self.names.get(name, name)
            for run in found.runs:
                yield run.call(shown, found.messages)


@dataclass
class _Run:
    """One call of a conversation's items: its output items, where its input ends."""

    name: str
    start: int
    """How many of the conversation's messages come before it (its input)."""
    entries: list[tuple[Location, Mapping[str, Any], float | None]]
    ids: tuple[str, ...]
    reply: WireReply
    exchange: Exchange | None = None
    """The Responses call that produced these items, when the log holds it too."""

    def call(self, conversation: str, messages: Sequence[WireMessage]) -> LoggedCall:
        context = tuple(messages[: self.start])
        x = self.exchange
        if x is not None:  # the request's instructions, then the stored items it read
            lead = x.request.messages[: x.request.instructions]
            unknown = _opaque(context)
            if any(m.opaque == COMPACTION for m in x.output):
                unknown.append(COMPACTED_WHILE_ANSWERING)
            return LoggedCall(
                conversation=conversation,
                where=x.where,
                input=(*lead, *context),
                output=x.reply,
                seconds=x.seconds,
                model=x.model,
                error=x.error,
                input_complete=not unknown,
                unknown_because="; ".join(_merge(unknown)) or None,
            )
        unknown = _opaque(context)
        if not any(m.role == "system" for m in context):
            unknown.append(NO_INSTRUCTIONS_ITEM)
        where = next((w for w, i, _ in self.entries if _is_message(i)), self.entries[0][0])
        return LoggedCall(
            conversation=conversation,
            where=where,
            input=context,
            output=self.reply,
            seconds=next((s for _, _, s in self.entries if s is not None), None),
            input_complete=not unknown,
            unknown_because="; ".join(unknown) or None,
        )


@dataclass
class _Items:
    """A conversation's items as messages, in order, and its calls."""

    messages: list[WireMessage]
    runs: list[_Run]


def _item_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    skip = (*CONVERSATION_KEYS, "timestamp", "created_at", "order")
    return {k: v for k, v in data.items() if k not in skip}


def _is_output(item: Mapping[str, Any]) -> bool:
    kind = item.get("type") or "message"
    if kind == "message":
        return item.get("role") == "assistant"
    return kind in _OUTPUT_KINDS or (isinstance(kind, str) and kind.endswith("_call"))


def _item_message(item: Mapping[str, Any], where: str) -> WireMessage:
    try:
        messages = parse_request(RESPONSES, {"input": [item]}).messages
    except WireError as exc:  # the parser names it input[0]: say where it is in the record
        text = str(exc)
        shown = where + text[len("input[0]") :] if text.startswith("input[0]") else text
        raise WireError(shown) from None
    if len(messages) != 1:
        raise WireError(f"{where}: not one conversation item")
    return messages[0]


def _reads_newest_first(entries: Sequence[tuple[Location, Mapping[str, Any], Any]]) -> bool:
    roles = [
        e.get("role")
        for _, e, _ in entries
        if (e.get("type") or "message") == "message" and e.get("role") in ("user", "assistant")
    ]
    return len(roles) >= 2 and roles[0] == "assistant" and roles[-1] == "user"


def _runs(name: str, entries: Sequence[tuple[Location, Mapping[str, Any], float | None]]) -> _Items:
    messages: list[WireMessage] = []
    runs: list[_Run] = []
    run: list[tuple[Location, Mapping[str, Any], float | None]] = []

    def flush() -> None:
        if not run:
            return
        texts: list[str] = []
        calls: list[ToolCall] = []
        for _, item, _ in run:
            message = _item_message(item, "item")
            if _is_message(item):
                texts.append(message.text)
            calls.extend(message.tool_calls)
        ids = tuple(str(i["id"]) for _, i, _ in run if _text_id(i.get("id")) is not None)
        reply = WireReply(text="".join(texts), tool_calls=tuple(calls))
        runs.append(_Run(name, len(messages), list(run), ids, reply))
        for _, item, _ in run:
            _append(messages, _item_message(item, "item"))
        run.clear()

    for entry in entries:
        if _is_output(entry[1]):
            run.append(entry)
            continue
        flush()
        _append(messages, _item_message(entry[1], "item"))
    flush()
    return _Items(messages, runs)


def _is_message(item: Mapping[str, Any]) -> bool:
    return (item.get("type") or "message") == "message"


def _append(context: list[WireMessage], message: WireMessage) -> None:
    """Add a message as a request carries it: a function call right after the assistant's
    text is part of that assistant message (as the wire parser joins them)."""
    if context and message.tool_calls and not message.text and message.opaque is None:
        last = context[-1]
        if last.role == "assistant" and last.opaque is None:
            context[-1] = WireMessage(
                last.role, last.text, last.tool_calls + message.tool_calls, None, last.parts
            )
            return
    context.append(message)
