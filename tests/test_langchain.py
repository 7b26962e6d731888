"""LangChain 1.x create_agent with its real SummarizationMiddleware, captured through the proxy."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

# The LangChain extra is part of the test extra: a missing install must fail, not skip.
from langchain.agents.middleware import summarization

from replay.cli import main
from replay.files import packaged_schema
from replay.spec import LANGCHAIN_SUMMARY_PROMPT
from replay.trace import Message, read_trace

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "langchain"


def test_prompt_preset_is_langchains_default_prompt() -> None:
    messages_block = "\n\n<messages>\nMessages to summarize:\n{messages}\n</messages>"
    assert LANGCHAIN_SUMMARY_PROMPT + messages_block == summarization.DEFAULT_SUMMARY_PROMPT


def test_langchain_summarization_drops_the_greeting_disclosure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["run", str(EXAMPLE / "scenario.yaml"), "--json", "--trace-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1, out
    (result,) = json.loads(out)
    found = {(f["check"], f["turn"]) for c in result["checks"] for f in c["findings"]}
    assert found == {
        ("context_retains", 8),
        ("summary_retains", 8),
        ("probe_discloses", 8),
        ("never_claims_human", 8),
    }

    _, turns = read_trace(tmp_path / "langchain-greeting-summarized.trace.jsonl")
    known: dict[str, Message] = {}
    records = []
    for record in turns:
        known.update({m.id: m for m in record.messages})
        records.append(record)
    first = [known[i] for i in records[0].model_calls[0].input]
    assert [m.role for m in first] == ["system", "assistant", "user"]
    assert "AI assistant" in first[1].content  # the greeting lived in the conversation
    last = records[-1]
    purposes = [c.purpose for c in last.model_calls]
    assert purposes == ["summary", "reply"]
    (prompt,) = [known[i] for i in last.model_calls[0].input]
    # The exact prompt LangChain sent: its default summary prompt with the messages embedded.
    assert prompt.content.startswith(LANGCHAIN_SUMMARY_PROMPT.split("<objective_information>")[0])
    # LangChain trims the messages to summarize with trim_messages(start_on="human"), so the
    # greeting (an AI message before the first human one) never reaches the summary model.
    assert '<message type="human">Hi, I ordered a tent' in prompt.content
    assert "not a human agent" not in prompt.content
    reply_input = [known[i] for i in last.model_calls[1].input]
    assert reply_input[1].content.startswith("Here is a summary of the conversation to date:")
    assert reply_input[1].kind == "summary"
    assert not any(m.disclosures for m in reply_input)
    schema = packaged_schema("trace")
    validator = jsonschema.Draft202012Validator(schema)
    for line in (tmp_path / "langchain-greeting-summarized.trace.jsonl").read_text().splitlines():
        validator.validate(json.loads(line))
