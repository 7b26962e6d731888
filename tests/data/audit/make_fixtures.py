"""Regenerate the audit fixtures: ``python tests/data/audit/make_fixtures.py``.

``support_bot_summarized.openai.jsonl`` is scenarios/support_bot_summarized.yaml replayed
(the simulator, deterministic) and written back as an OpenAI Chat Completions log: for each
model call of the replay's trace, its exact input as the request's ``messages`` and its output
as the chat completion, ``created`` at the turn's conversation time. Auditing it must give the
findings the replay gives (tests/test_audit.py).
"""

from __future__ import annotations

import html
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SCENARIO = ROOT / "scenarios" / "support_bot_summarized.yaml"
OPENAI_LOG = HERE / "support_bot_summarized.openai.jsonl"
START = 1_767_261_600  # 2026-01-01T10:00:00Z: the conversation's first minute


def openai_lines(trace: Path, conversation: str = "support-bot-summarized") -> list[str]:
    """A Chat Completions log of a trace's model calls: one {"request", "response"} line each."""
    from replay.trace import read_trace

    header, turns = read_trace(trace)
    known = {m.id: m for m in header.setup}
    lines: list[str] = []
    for record in turns:
        for message in record.messages:
            known[message.id] = message
        for number, call in enumerate(record.model_calls):
            inputs = [known[i] for i in call.input]
            if call.purpose == "summary":
                messages = [_langchain_summary_prompt(inputs)]
            else:
                messages = [{"role": m.role, "content": m.content} for m in inputs]
            request: dict[str, Any] = {
                "model": call.model,
                "messages": messages,
                "metadata": {"conversation_id": conversation},
            }
            output = known[call.output].content if call.output is not None else None
            response = {
                "id": f"chatcmpl-{record.index}-{number}",
                "object": "chat.completion",
                "created": START + round(record.minutes * 60),
                "model": call.model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": output},
                        "finish_reason": "stop",
                    }
                ],
            }
            lines.append(json.dumps({"request": request, "response": response}))
    return lines


_TYPES = {"user": "human", "assistant": "ai", "system": "system", "tool": "tool"}


def _langchain_summary_prompt(inputs: list[Any]) -> dict[str, str]:
    """A summarization call as LangChain's SummarizationMiddleware sends it (the agent this
    scenario models): one user message, the instruction, then the messages to summarize
    embedded as ``<message type="human">...</message>``."""
    *history, instruction = inputs
    embedded = "\n".join(
        f'<message type="{_TYPES.get(m.role, "human")}">{html.escape(m.content)}</message>'
        for m in history
    )
    return {"role": "user", "content": f"{instruction.content}\n\n{embedded}"}


def replayed(folder: Path) -> tuple[Any, Path]:
    """The replay of the scenario (its RunResult) and the trace it wrote into ``folder``."""
    from replay.run import run_scenario
    from replay.scenario import load_scenario

    trace = folder / "replayed.trace.jsonl"
    return run_scenario(load_scenario(SCENARIO), trace), trace


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        _, trace = replayed(Path(folder))
        OPENAI_LOG.write_text("\n".join(openai_lines(trace)) + "\n", encoding="utf-8")
    print(f"wrote {OPENAI_LOG}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
