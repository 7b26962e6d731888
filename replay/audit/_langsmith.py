"""LangSmith run exports read into :class:`LoggedCall` records.

What is read
    Runs (LangSmith's spans) as JSON, one a line: what ``Client.list_runs`` yields written out
    with ``run.model_dump_json()`` (``run.json()``), the fields of LangSmith's "Run (span) data
    format" (``langsmith.schemas.Run``: ``id``, ``name``, ``run_type``, ``start_time``,
    ``end_time``, ``inputs``, ``outputs``, ``error``, ``extra``, ``parent_run_id``,
    ``trace_id``, ``dotted_order``, ``status``...). A line may also hold a list of runs, or an
    API page ``{"runs": [...]}``; a run's nested ``child_runs`` (``read_run(...,
    load_child_runs=True)``) are read as runs. ``inputs``, ``outputs`` and ``extra`` may be JSON
    text (a bulk export's Parquet columns written out as JSON Lines).

Model calls
    Only ``run_type == "llm"`` runs are model calls. Chain, tool, retriever, prompt, parser and
    other runs are the application around them (their ``inputs.messages`` are a graph's state,
    not what a model read) and yield nothing; they are not malformed. A chat model run's
    ``inputs.messages`` is the model's input: LangChain's serialized messages (the constructor
    form ``{"lc": 1, "type": "constructor", "id": [..., "HumanMessage"], "kwargs": {...}}``,
    ``messages_to_dict``'s ``{"type": "human", "data": {...}}``, or a message's own dump
    ``{"type": "human", "content": ...}``), nested one list per prompt as LangChain traces
    them (``[[...]]``); or OpenAI-style ``{"role", "content", "tool_calls", "tool_call_id"}``
    messages (``@traceable`` and ``wrap_openai``). A completion model run's one
    ``inputs.prompts`` text is read as one user message. The reply is ``outputs.generations``
    (LangChain's ``LLMResult``: the first generation's ``message``, else its ``text``), an
    OpenAI chat completion (``outputs.choices``, as ``wrap_openai`` writes it, its usage moved
    to ``usage_metadata``), or ``outputs.messages`` / ``outputs.message`` / ``outputs.output``
    holding a message. Tool calls are a message's ``tool_calls``
    (LangChain's ``{"name", "args", "id"}``, or OpenAI's ``function`` form), falling back to
    ``additional_kwargs.tool_calls``; a ``ToolMessage``'s ``tool_call_id`` names the call it
    answers. Messages are parsed by :mod:`replay.models._wire` as OpenAI Chat Completions
    messages, the proxy's own parser.

Conversations
    A thread is LangSmith's conversation: the ``extra.metadata`` key ``session_id``,
    ``thread_id`` or ``conversation_id`` (LangSmith's "Configure threads"; the first of those
    a run has), on the run or, failing that, on its nearest ancestor in the export that has one.
    A run with none is its trace's conversation (``trace_id``): LangSmith makes one trace per
    request, so such an export gives one conversation per trace. The run's top-level
    ``session_id`` is the *project's* id, never a conversation. The model is the response's
    ``model_name``, else ``extra.metadata.ls_model_name``, else
    ``extra.invocation_params.model``; the agent is ``extra.metadata.lc_agent_name`` (LangChain's
    ``create_agent(name=...)``), likewise inherited. The time is ``start_time``.

Memory
    An export is read twice when the audit can read it again (``again=``, see
    :data:`REREADS_RECORDS`): first into an index of every run's id, parent, thread and agent
    (no content), then for the calls, each yielded as its run comes. Standard input is read
    once and held.

Fail closed
    A run with ``error`` set (or ``status`` ``error``) is a failed call: its outputs (LangChain
    still writes an empty generation) are not a reply, and the conversation cannot complete.
    The error's first line is kept, not the traceback LangChain appends. An llm run whose
    ``inputs`` are empty (``LANGSMITH_HIDE_INPUTS``, or exported without them) is a call whose
    input is unknown; one whose ``outputs`` are empty has no output. A line that is not a run,
    an llm run whose messages do not have one of the shapes above, or one holding several
    prompts, is a bad record located to its file and line with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any

from replay.audit._read import BadRecords, LogRecord, parse_time
from replay.audit._records import LoggedCall
from replay.models._wire import CHAT, WireError, WireMessage, WireReply, parse_reply, parse_request
from replay.spec._scenario import Location
from replay.trace._records import Usage

THREAD_KEYS = ("session_id", "thread_id", "conversation_id")
"""The metadata keys LangSmith groups a thread's traces by, in the order its docs name them."""
AGENT = ("lc_agent_name",)
"""The metadata key LangChain's ``create_agent(name=...)`` sets on every run of the agent."""
MODEL_CALL = "llm"
Bad = Callable[[Location, str], None]
HIDDEN_INPUTS = (
    "the LangSmith run's inputs are not in the export (hidden with LANGSMITH_HIDE_INPUTS, or "
    "exported without them): what the model read is unknown"
)
_TYPES = {
    "human": "user",
    "user": "user",
    "ai": "assistant",
    "assistant": "assistant",
    "system": "system",
    "developer": "system",
    "tool": "tool",
    "function": "tool",
}
_CLASSES = {
    "HumanMessage": "human",
    "AIMessage": "ai",
    "SystemMessage": "system",
    "ToolMessage": "tool",
    "FunctionMessage": "function",
    "ChatMessage": "chat",
}
_TOOL_BLOCKS = ("tool_use", "tool_call", "server_tool_use")
"""Content blocks that are a tool call (Anthropic's, LangChain's standard blocks): the message's
``tool_calls`` carry them, so they are not shown again as parts."""


@dataclass(frozen=True)
class _Run:
    where: Location
    data: Mapping[str, Any]

    @property
    def id(self) -> str:
        return str(self.data.get("id") or "")

    @property
    def parent(self) -> str:
        return str(self.data.get("parent_run_id") or "")

    def section(self, key: str) -> Any:
        """``inputs``, ``outputs`` or ``extra``: an object, or JSON text of one (a bulk export
        read from Parquet); None when absent. Raises ValueError for anything else."""
        value = self.data.get(key)
        if isinstance(value, str):
            try:
                value = json.loads(value) if value.strip() else None
            except ValueError as exc:
                raise ValueError(f"'{key}' is text that is not JSON ({exc})") from None
        if value is not None and not isinstance(value, Mapping):
            raise ValueError(f"'{key}' must be an object, got {type(value).__name__}")
        return value

    def metadata(self) -> Mapping[str, Any]:
        extra = self.section("extra") or {}
        metadata = extra.get("metadata")
        return metadata if isinstance(metadata, Mapping) else {}


def _is_run(data: Any) -> bool:
    return isinstance(data, Mapping) and isinstance(data.get("run_type"), str) and "id" in data


def _runs_of(where: Location, data: Any, bad: Bad) -> Iterator[_Run]:
    """The runs of one JSON record (a run, a list of runs, an API page), each followed by its
    loaded ``child_runs``, depth first (without recursion: a hostile line nests deep)."""
    if isinstance(data, Mapping) and "run_type" not in data and isinstance(data.get("runs"), list):
        data = data["runs"]
    pending: list[Iterator[Any]] = [iter(data if isinstance(data, list) else [data])]
    while pending:
        item: Any = next(pending[-1], _END)
        if item is _END:
            pending.pop()
            continue
        if not _is_run(item):
            bad(
                where,
                "not a LangSmith run: expected an object with 'id', 'run_type', 'inputs', "
                "'outputs', 'start_time'... (a langsmith.schemas.Run, as Client.list_runs "
                f"gives it), got {_shape(item)}",
            )
            continue
        yield _Run(where, item)
        children = item.get("child_runs")
        if children:
            pending.append(iter(children if isinstance(children, list) else [children]))


_END = object()


def _shape(value: Any) -> str:
    if isinstance(value, Mapping):
        keys = ", ".join(sorted(str(k) for k in value)[:8])
        return f"an object with keys {keys or '(none)'}"
    return f"a JSON {type(value).__name__}"


# ------------------------------------------------------------------------------ messages


def _role(kind: Any, data: Mapping[str, Any]) -> str:
    if kind == "chat":  # ChatMessage: a free role
        kind = data.get("role")
    role = _TYPES.get(str(kind).lower()) if isinstance(kind, str) else None
    if role is None:
        raise ValueError(f"a message of unknown type or role {kind!r}")
    return role


def _tool_calls(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A LangChain message's tool calls in OpenAI's form (``args`` as JSON text)."""
    calls: list[dict[str, Any]] = []
    structured = data.get("tool_calls")
    invalid = data.get("invalid_tool_calls")
    if structured or invalid:
        for call in [*(structured or ()), *(invalid or ())]:
            if not isinstance(call, Mapping):
                raise ValueError(f"a tool call must be an object, got {call!r}")
            if isinstance(call.get("function"), Mapping):  # already OpenAI's form
                calls.append(dict(call))
                continue
            args = call.get("args", "")
            arguments = args if isinstance(args, str) else json.dumps(args, ensure_ascii=False)
            calls.append(
                {
                    "id": call.get("id") or "",
                    "type": "function",
                    "function": {"name": call.get("name") or "", "arguments": arguments},
                }
            )
        return calls
    additional = data.get("additional_kwargs")
    if isinstance(additional, Mapping) and isinstance(additional.get("tool_calls"), list):
        return list(additional["tool_calls"])  # older LangChain: OpenAI's own form
    return calls


def _content(value: Any) -> Any:
    if isinstance(value, list):
        return [b for b in value if not (isinstance(b, Mapping) and b.get("type") in _TOOL_BLOCKS)]
    return value


def _openai_message(item: Any) -> dict[str, Any]:
    """One traced message (any of the shapes LangSmith holds) as an OpenAI chat message."""
    if isinstance(item, list) and len(item) == 2 and all(isinstance(p, str) for p in item):
        item = {"role": item[0], "content": item[1]}  # LangChain's (role, text) tuple
    if not isinstance(item, Mapping):
        raise ValueError(f"a message must be an object, got {_shape(item)}")
    if item.get("lc") == 1 and item.get("type") == "constructor":
        path = item.get("id")
        name = str(path[-1]) if isinstance(path, list) and path else ""
        kind = _CLASSES.get(name.removesuffix("Chunk"))
        data = item.get("kwargs")
        if kind is None or not isinstance(data, Mapping):
            raise ValueError(f"a serialized LangChain object that is not a message: {name!r}")
    elif isinstance(item.get("data"), Mapping) and "type" in item:  # messages_to_dict
        kind, data = item["type"], item["data"]
    elif "role" in item:  # OpenAI's form
        kind, data = item["role"], item
    elif "type" in item and "content" in item:  # a message's own model_dump
        kind, data = item["type"], item
    else:
        raise ValueError(f"not a message: {_shape(item)}")
    role = _role(kind, data)
    message: dict[str, Any] = {"role": role, "content": _content(data.get("content"))}
    calls = _tool_calls(data) if role == "assistant" else []
    if calls:
        message["tool_calls"] = calls
    if role == "tool":
        call_id = data.get("tool_call_id")
        if call_id is None and kind == "function":
            call_id = data.get("name")
        message["tool_call_id"] = call_id
    return message


def _messages(items: Iterable[Any]) -> tuple[WireMessage, ...]:
    try:
        return parse_request(CHAT, {"messages": [_openai_message(m) for m in items]}).messages
    except WireError as exc:
        raise ValueError(str(exc)) from None


def _prompt(inputs: Mapping[str, Any]) -> list[Any] | None:
    """The one prompt's messages of an llm run's inputs; None when the inputs are hidden."""
    if not inputs:
        return None
    if "messages" in inputs:
        messages = inputs["messages"]
        if not isinstance(messages, list):
            raise ValueError(f"'inputs.messages' must be a list, got {_shape(messages)}")
        if messages and all(isinstance(m, list) for m in messages) and not _is_pair(messages[0]):
            if len(messages) != 1:
                raise ValueError(
                    f"the run holds {len(messages)} prompts; LangChain traces one a run, so "
                    "which one the output answers is unknown"
                )
            return list(messages[0])
        return messages
    prompts = inputs.get("prompts")
    if isinstance(prompts, list) and prompts:
        if len(prompts) != 1 or not isinstance(prompts[0], str):
            raise ValueError("'inputs.prompts' must hold one prompt text")
        return [{"role": "user", "content": prompts[0]}]
    raise ValueError(
        "an llm run whose inputs hold no 'messages' (nor 'prompts'): keys "
        + ", ".join(sorted(str(k) for k in inputs))
    )


def _is_pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(p, str) for p in value)


# ------------------------------------------------------------------------------ the reply


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _usage(data: Mapping[str, Any], llm_output: Mapping[str, Any]) -> Usage | None:
    usage = data.get("usage_metadata")
    if isinstance(usage, Mapping):
        return Usage(_number(usage.get("input_tokens")), _number(usage.get("output_tokens")))
    tokens = llm_output.get("token_usage")
    if isinstance(tokens, Mapping):
        return Usage(_number(tokens.get("prompt_tokens")), _number(tokens.get("completion_tokens")))
    return None


def _generation_reply(outputs: Mapping[str, Any]) -> tuple[WireReply, str | None]:
    generations = outputs["generations"]
    first = generations[0] if isinstance(generations, list) and generations else None
    if isinstance(first, list):
        first = first[0] if first else None
    if not isinstance(first, Mapping):
        raise ValueError("'outputs.generations' holds no generation")
    llm_output = outputs.get("llm_output")
    llm_output = llm_output if isinstance(llm_output, Mapping) else {}
    info = first.get("generation_info")
    info = info if isinstance(info, Mapping) else {}
    message = first.get("message")
    if message is None:  # a completion model's generation: text only
        text = first.get("text")
        if not isinstance(text, str):
            raise ValueError("a generation with neither a 'message' nor a 'text'")
        finish = info.get("finish_reason")
        reply = WireReply(text, finish_reason=None if finish is None else str(finish))
        return reply, _text_or_none(llm_output.get("model_name"))
    (said,) = _messages([message])
    if said.role != "assistant":
        raise ValueError(f"the generation's message is a {said.role} message, not the model's")
    data = (
        message.get("kwargs", message.get("data", message)) if isinstance(message, Mapping) else {}
    )
    data = data if isinstance(data, Mapping) else {}
    metadata = data.get("response_metadata")
    metadata = metadata if isinstance(metadata, Mapping) else {}
    finish = info.get("finish_reason", metadata.get("finish_reason", metadata.get("stop_reason")))
    reply = WireReply(
        said.text,
        said.tool_calls,
        finish_reason=None if finish is None else str(finish),
        usage=_usage(data, llm_output),
        id=_text_or_none(metadata.get("id")),
    )
    model = metadata.get("model_name", metadata.get("model", llm_output.get("model_name")))
    return reply, _text_or_none(model)


def _text_or_none(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) else None


def _reply(outputs: Mapping[str, Any]) -> tuple[WireReply, str | None]:
    """(the model's reply, the model the response names) from an llm run's outputs."""
    if "generations" in outputs:
        return _generation_reply(outputs)
    if "choices" in outputs:  # an OpenAI chat completion (wrap_openai, @traceable)
        try:
            reply = parse_reply(CHAT, outputs)
        except WireError as exc:
            raise ValueError(str(exc)) from None
        if reply.usage is None:  # wrap_openai moves the usage to LangChain's usage_metadata
            reply = replace(reply, usage=_usage(outputs, {}))
        return reply, _text_or_none(outputs.get("model"))
    for key in ("messages", "message", "output"):
        value = outputs.get(key)
        if value is None:
            continue
        said = [m for m in _messages(value if isinstance(value, list) else [value])]
        mine = [m for m in said if m.role == "assistant"]
        if not mine:
            raise ValueError(f"'outputs.{key}' holds no assistant message")
        return WireReply(mine[-1].text, mine[-1].tool_calls), None
    raise ValueError(
        "an llm run whose outputs hold no reply ('generations', 'choices' or 'messages'): keys "
        + ", ".join(sorted(str(k) for k in outputs))
    )


def _error(run: _Run) -> str | None:
    error = run.data.get("error")
    if error not in (None, ""):
        text = str(error)
        # LangChain appends the traceback to the exception's repr: keep what went wrong
        head = text.split("Traceback (most recent call last)", 1)[0].strip()
        return (head or text.strip()).splitlines()[0]
    if str(run.data.get("status") or "").lower() == "error":
        return "the run's status is error"
    return None


# ------------------------------------------------------------------------------ calls


@dataclass
class _Index:
    """What the first read of an export keeps of every run (never its content): its parent
    and the thread and agent its own metadata names, to find a run's nearest ancestor's."""

    runs: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    records: int = 0
    """How many records the first read saw (a second read ignores any written since)."""

    def add(self, run: _Run) -> None:
        try:
            metadata = run.metadata()
        except ValueError:
            metadata = {}  # reported when the run is read as a call (an llm run's) or not at all
        self.runs[run.id] = (run.parent, _first(metadata, THREAD_KEYS), _first(metadata, AGENT))

    def inherited(self, run_id: str, slot: int) -> str | None:
        """The thread (slot 1) or agent (slot 2) of the run, else of its nearest ancestor."""
        seen: set[str] = set()
        current: str | None = run_id
        while current and current not in seen and current in self.runs:
            seen.add(current)
            entry = self.runs[current]
            if entry[slot] is not None:
                return entry[slot]
            current = entry[0]
        return None


def _first(metadata: Mapping[str, Any], keys: Iterable[str]) -> str | None:
    for key in keys:
        value = metadata.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
            return str(value)
    return None


def _call(run: _Run, index: _Index) -> LoggedCall:
    """The call an llm run records. Raises ValueError for a run of the wrong shape."""
    inputs = run.section("inputs") or {}
    outputs = run.section("outputs") or {}
    extra = run.section("extra") or {}
    prompt = _prompt(inputs)
    messages = () if prompt is None else _messages(prompt)
    error = _error(run)
    reply: WireReply | None = None
    response_model: str | None = None
    if error is None and outputs:
        reply, response_model = _reply(outputs)
    stamp = run.data.get("start_time")
    seconds = parse_time(stamp) if stamp not in (None, "") else None
    metadata = run.metadata()
    params = extra.get("invocation_params")
    params = params if isinstance(params, Mapping) else {}
    model = (
        response_model
        or _text_or_none(metadata.get("ls_model_name"))
        or _text_or_none(params.get("model"))
        or _text_or_none(params.get("model_name"))
        or _text_or_none(inputs.get("model"))
    )
    trace = str(run.data.get("trace_id") or "")
    thread = _first(metadata, THREAD_KEYS) or index.inherited(run.parent, 1)
    return LoggedCall(
        conversation=thread or trace or PurePath(run.where.file).name,
        where=run.where,
        input=messages,
        output=reply,
        seconds=seconds,
        model=model,
        agent=_first(metadata, AGENT) or index.inherited(run.parent, 2),
        error=error,
        input_complete=prompt is not None,
        unknown_because=None if prompt is not None else HIDDEN_INPUTS,
    )


Again = Callable[[], Iterable[LogRecord]]
"""The same records once more, from the start, each time it is called."""
REREADS_RECORDS = True
"""``import_calls`` takes ``again=``: the records once more. Given it, an export is read
twice and never held in memory: the first read keeps only each run's parent, thread and
agent (an :class:`_Index`), the second reads the calls as their runs come."""


def _ignore(where: Location, message: str) -> None:
    """The second read's reports: the first read made them already."""


def import_calls(
    records: Iterable[LogRecord], bad: BadRecords, again: Again | None = None
) -> Iterator[LoggedCall]:
    """The model calls of a LangSmith run export, in file order; a record that is not a run,
    or an llm run of the wrong shape, is counted in ``bad`` (with its location and what is
    wrong) and yields nothing.

    Two reads, since a run's thread may be named only on an ancestor written after it (an
    export's runs come in any order; each conversation's calls are put in time order
    afterwards): ``records`` once into an index of every run's parent, thread and agent, then
    ``again()`` (the same records once more) for the calls. Without ``again``, a list is read
    twice and any other iterable (standard input) once and held in memory."""
    if again is None and isinstance(records, Sequence):
        again = lambda: records  # noqa: E731 (a list reads again as it is)
    index = _Index()
    held: list[LogRecord] | None = None if again is not None else []
    for record in records:
        index.records += 1
        for run in _runs_of(record.where, record.data, bad.add):
            index.add(run)
        if held is not None:
            held.append(record)
    if held is not None:
        second: Iterable[LogRecord] = held
    else:
        assert again is not None
        second = again()
    read: dict[str, Location] = {}
    for number, record in enumerate(second):
        if number >= index.records:
            return  # written since the first read: not part of this audit
        for run in _runs_of(record.where, record.data, _ignore):
            if str(run.data.get("run_type")).lower() != MODEL_CALL:
                continue  # the application around the model calls: context, not a call
            first = read.get(run.id) if run.id else None
            if run.id:
                read.setdefault(run.id, run.where)
            if first is not None:
                # two exports that overlap: the call was made once, and is read once
                bad.add(
                    run.where,
                    f"LangSmith llm run {run.id} is given twice (first at {first.file}:"
                    f"{first.line}): give each run once",
                )
                continue
            try:
                yield _call(run, index)
            except (ValueError, TypeError, KeyError, RecursionError) as exc:
                name = run.data.get("name")
                bad.add(run.where, f"LangSmith llm run {name!r} ({run.id}): {exc}")


def sniff(data: Any) -> bool:
    """Whether a first record looks like a LangSmith run (or a list or page of runs)."""
    if isinstance(data, Mapping) and "run_type" not in data and isinstance(data.get("runs"), list):
        data = data["runs"]
    if isinstance(data, list):
        data = data[0] if data else None
    return _is_run(data) and isinstance(data, Mapping) and "start_time" in data
