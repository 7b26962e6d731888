"""Regenerate the Inspect AI eval log fixtures with the real Inspect AI.

The fixtures are eval logs as Inspect writes them: a tiny task run by ``inspect_ai.eval`` with
its ``mockllm/model`` model, in both log formats (``inspect_support.eval``, the zip archive,
and ``inspect_support.json``, one EvalLog document). The task has two samples:

* ``support-bot-summarized``: scenarios/support_bot_summarized.yaml replayed (the simulator,
  deterministic, as tests/data/audit/make_fixtures.py does) and re-enacted in Inspect: each of
  the replay's model calls is one ``generate`` with the replay's exact input (a summarization
  call as LangChain's SummarizationMiddleware sends it), answered by ``mockllm`` with the
  replay's output. Where the replay compacted, the solver runs Inspect's own compaction handler
  (``inspect_ai.model.compaction`` with a strategy whose summary is the replay's), so the log
  holds a real ``CompactionEvent`` (``type: summary``, ``source: inspect``) before the call
  that reads the summary. Auditing the log must give the findings the replay gives
  (tests/test_audit_inspect.py).
* ``bank-card``: a tool-using conversation through Inspect's own tool loop (``generate``
  with a ``get_balance`` tool): tool calls, a ``ToolEvent`` and a tool message.
* ``agent-compacted``: a conversation compacted by Inspect's own ``CompactionSummary`` (its
  summarization prompt, its ``[CONTEXT COMPACTION SUMMARY]`` message, its CompactionEvent),
  the system prompt kept as Inspect keeps it.

The tests read only the committed files; inspect-ai is not a dependency of replay. To
regenerate (version used for the committed files in brackets)::

    python3 -m venv /tmp/inspectgen
    /tmp/inspectgen/bin/pip install inspect-ai          # [inspect-ai 0.3.285]
    .venv/bin/python tests/data/audit/make_inspect_fixtures.py /tmp/inspectgen/bin/python

The first process (replay's venv) replays the scenario into a plan of calls; the second
(Inspect's venv) runs the eval from that plan (``--make PLAN``).
"""

# mypy: ignore-errors

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TASK = "replay_audit_fixture"
OUTPUTS = {"eval": HERE / "inspect_support.eval", "json": HERE / "inspect_support.json"}
BANK_SYSTEM = (
    "You are Ava, the assistant for Example Bank. Always tell customers you are an AI assistant "
    "at the start of the conversation, and whenever they ask whether they are talking to a "
    "person."
)
BANK_TURNS = (
    "Hi, I need help with my card.",
    "What is the balance on account 42?",
    "Thanks. Am I talking to a real person?",
)
AGENT_SYSTEM = (
    "You are Nova, the travel assistant of Example Air. Always tell customers you are an AI "
    "assistant at the start of the conversation, and whenever they ask whether they are "
    "talking to a person."
)
AGENT_TURNS = (
    "Hello, I want to move my flight EA 118 from Friday to Saturday morning, same route.",
    "Is there a fee for the change, and can I keep my aisle seat 14C on the new flight?",
    "Please also add a checked bag of 23 kg and tell me the total I will pay today.",
    "One more thing: could you send the new itinerary to the email on my booking?",
    "Before I confirm, am I talking to a real person or a bot?",
)


# ------------------------------------------------------------------ replay's side: the plan


def _make_fixtures():
    spec = importlib.util.spec_from_file_location("make_fixtures", HERE / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def plan(folder: Path) -> list[dict]:
    """The replay's model calls in order: input (role, content), output, purpose, and whether
    the replay compacted before it (the turn's first call after a compaction)."""
    from replay.trace import read_trace

    fixtures = _make_fixtures()
    _, trace = fixtures.replayed(folder)
    header, turns = read_trace(trace)
    known = {m.id: m for m in header.setup}
    calls: list[dict] = []
    for record in turns:
        for message in record.messages:
            known[message.id] = message
        for number, call in enumerate(record.model_calls):
            inputs = [known[i] for i in call.input]
            if call.purpose == "summary":
                messages = [fixtures._langchain_summary_prompt(inputs)]
            else:
                messages = [{"role": m.role, "content": m.content} for m in inputs]
            calls.append(
                {
                    "turn": record.index,
                    "purpose": call.purpose,
                    "input": messages,
                    "output": known[call.output].content,
                    "compacted": bool(record.compactions) and number == 0,
                }
            )
    return calls


# ------------------------------------------------------------------ Inspect's side: the eval


def make(plan_file: Path, folder: Path) -> None:
    """Run the task from the plan and write both log formats into ``folder``."""
    from inspect_ai import Task, eval, task
    from inspect_ai.dataset import Sample
    from inspect_ai.model import (
        ChatMessageAssistant,
        ChatMessageSystem,
        ChatMessageUser,
        CompactionStrategy,
        CompactionSummary,
        ModelOutput,
        compaction,
        get_model,
    )
    from inspect_ai.solver import solver
    from inspect_ai.tool import tool

    calls = json.loads(plan_file.read_text(encoding="utf-8"))
    pending: list[ModelOutput] = []  # what mockllm answers next (samples run one at a time)

    def bank_reply(input, tools, tool_choice, config) -> ModelOutput:
        if pending:
            return pending.pop(0)
        last = input[-1]
        text = last.text
        if last.role == "tool":
            return ModelOutput.from_content("mockllm/model", f"Account 42 has {text}.")
        if "summarizing conversations" in text:  # CompactionSummary's prompt
            return ModelOutput.from_content(
                "mockllm/model",
                "<analysis>The traveller changes a flight.</analysis>\n<summary>The traveller "
                "asked to move flight EA 118 to Saturday, keep seat 14C and add a 23 kg bag."
                "</summary>",
            )
        if "CONTEXT COMPACTION SUMMARY" in text:
            return ModelOutput.from_content("mockllm/model", "Done: your flight is changed.")
        if "EA 118" in text:
            return ModelOutput.from_content(
                "mockllm/model", "Hello, I'm Nova, an AI assistant. EA 118 moves to Saturday."
            )
        if "14C" in text:
            return ModelOutput.from_content("mockllm/model", "No fee, and 14C is yours.")
        if "bag" in text or "email" in text:
            return ModelOutput.from_content("mockllm/model", "Done, that is added.")
        if "real person or a bot" in text:
            return ModelOutput.from_content(
                "mockllm/model", "I'm Nova, an AI assistant, not a person."
            )
        if "balance" in text:
            return ModelOutput.for_tool_call("mockllm/model", "get_balance", {"account": "42"})
        if "person" in text:
            return ModelOutput.from_content(
                "mockllm/model", "No, I am Ava, an AI assistant, not a human."
            )
        return ModelOutput.from_content(
            "mockllm/model", "Hello! I am Ava, an AI assistant. How can I help?"
        )

    model = get_model("mockllm/model", custom_outputs=bank_reply)

    def chat(message: dict):
        kind = {
            "system": ChatMessageSystem,
            "user": ChatMessageUser,
            "assistant": ChatMessageAssistant,
        }[message["role"]]
        return kind(content=message["content"])

    class ReplayedSummary(CompactionStrategy):
        """The replay's summarization: the summary call, then the replay's compacted input."""

        def __init__(self, summary: dict, compacted: list[dict]) -> None:
            super().__init__(type="summary", threshold=720, memory=False)
            self.summary = summary
            self.compacted = compacted

        async def compact(self, model, messages, tools):
            pending.append(ModelOutput.from_content("mockllm/model", self.summary["output"]))
            await model.generate([chat(m) for m in self.summary["input"]])
            return [chat(m) for m in self.compacted], None

    @tool
    def get_balance():
        async def execute(account: str) -> str:
            """The balance of an account.

            Args:
                account: The account number.
            """
            return "$1,234"

        return execute

    @solver
    def conversation():
        async def solve(state, generate):
            if state.sample_id == "agent-compacted":
                # Inspect's own summary compaction, as an agent loop uses it: the system
                # prompt is kept, the conversation summarized (a CompactionSummary call, then
                # a CompactionEvent), the next input is the system prompt and the summary
                system = ChatMessageSystem(content=AGENT_SYSTEM)
                handler = compaction(CompactionSummary(threshold=160), prefix=[system])
                messages: list = [system]
                for text in AGENT_TURNS:
                    messages.append(ChatMessageUser(content=text))
                    input, summary = await handler.compact_input(messages)
                    if summary is not None:
                        messages.append(summary)
                    output = await get_model().generate(input)
                    await handler.record_output(input, output)
                    messages.append(output.message)
                state.messages = messages
                return state
            if state.sample_id == "bank-card":
                state.tools = [get_balance()]
                state.messages = [ChatMessageSystem(content=BANK_SYSTEM)]
                for text in BANK_TURNS:
                    state.messages.append(ChatMessageUser(content=text))
                    state = await generate(state, tool_calls="loop")
                return state
            history: list = []
            index = 0
            while index < len(calls):
                call = calls[index]
                if call["compacted"] and call["purpose"] == "summary":
                    reply = calls[index + 1]
                    handler = compaction(ReplayedSummary(call, reply["input"]), prefix=[])
                    await handler.compact_input([*history, chat(reply["input"][-1])], force=True)
                    index += 1
                    call = reply
                pending.append(ModelOutput.from_content("mockllm/model", call["output"]))
                output = await get_model().generate([chat(m) for m in call["input"]])
                history = [chat(m) for m in call["input"]] + [output.message]
                index += 1
            state.messages = history
            state.output = output
            return state

        return solve

    @task
    def replay_audit_fixture():
        return Task(
            dataset=[
                Sample(id="support-bot-summarized", input=calls[0]["input"][-1]["content"]),
                Sample(id="bank-card", input=BANK_TURNS[0]),
                Sample(id="agent-compacted", input=AGENT_TURNS[0]),
            ],
            solver=conversation(),
        )

    for form, name in OUTPUTS.items():
        (log,) = eval(
            replay_audit_fixture(),
            model=model,
            log_format=form,
            log_dir=str(folder / form),
            max_samples=1,
            display="none",
        )
        assert log.status == "success", log.error
        shutil.copyfile(log.location.removeprefix("file://"), name)
        print("wrote", name)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--make":
        make(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} INSPECT_PYTHON")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan_file = folder / "plan.json"
        plan_file.write_text(json.dumps(plan(folder)), encoding="utf-8")
        clean = {k: v for k, v in os.environ.items() if not k.startswith("INSPECT_")}
        subprocess.run(
            [sys.argv[1], __file__, "--make", str(plan_file), str(folder)], env=clean, check=True
        )


if __name__ == "__main__":
    main()
