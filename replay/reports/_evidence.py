"""Evidence limited to the sentences that decided (issue 16).

A finding quotes the conversation so a reviewer can see why it failed. For a replay that is
the scenario's own words; for an audit it is production data, personal data, so a report
of an audit quotes only the sentences that decided, unless transcripts are asked for
(``replay audit --transcripts``, ``replay report --transcripts``):

* the user's message: the probe question, for a probe's finding; nothing otherwise (the turn
  number says where it was);
* the reply: nothing beyond ``decided_by``, which already quotes the sentence that decided
  (the claim to be human, the answer to the probe) and why;
* a compaction's removed message: the sentence of it that carried the disclosure (the
  instruction to disclose, else the statement of it), not the whole system prompt;
* what replaced it (a summary of earlier turns, quoting the user): not quoted, since the
  finding is that it does *not* carry the disclosure, so no sentence of it decided;
* a statement still in the input: the sentence that states the disclosure.

The sentences are the matchers' evidence (normalized: case folded, quotes and spaces
unified), as ``decided_by`` quotes them. The trace files keep every message: they are the
transcript, written only into the audit's own folder.
"""

from __future__ import annotations

from dataclasses import replace

from replay.matchers._builtins import BUILTIN_MATCHERS
from replay.reports._model import ScenarioEntry
from replay.results import CheckResult, Finding, RunResult, excerpt

NOT_QUOTED = "(not quoted: no sentence of it decided; --transcripts quotes whole messages)"
INSTRUCTION = "disclosure-instruction"
PROBE = "probe"


def _sentence(text: str | None, *matchers: str | None) -> str | None:
    """The sentence of ``text`` the first of ``matchers`` that fires found, or
    :data:`NOT_QUOTED` when none does (None when there is no text)."""
    if text is None:
        return None
    for name in matchers:
        matcher = BUILTIN_MATCHERS.get(name) if name is not None else None
        evidence = matcher.search(text) if matcher is not None else None
        if evidence is not None:
            return excerpt(evidence.text)  # a "sentence" without punctuation may be long
    return NOT_QUOTED


def limit_finding(finding: Finding) -> Finding:
    """``finding`` quoting only the sentences that decided (see the module docstring). A
    custom disclosure (not a built-in matcher here) quotes the instruction's sentence, or
    nothing."""
    compaction = finding.compaction
    if compaction is not None:
        compaction = replace(
            compaction,
            removed_text=_sentence(compaction.removed_text, INSTRUCTION, finding.disclosure),
            replacement_text=None if compaction.replacement_text is None else NOT_QUOTED,
        )
    lingering = finding.lingering
    if lingering is not None:
        stated = _sentence(lingering.text, finding.disclosure)
        lingering = replace(lingering, text=stated if stated is not None else NOT_QUOTED)
    user = _sentence(finding.user_text, PROBE) if finding.check == "probe_discloses" else None
    return replace(
        finding, user_text=user, reply_text=None, compaction=compaction, lingering=lingering
    )


def _check(check: CheckResult) -> CheckResult:
    if not check.findings:
        return check
    return replace(check, findings=tuple(limit_finding(f) for f in check.findings))


def evidence_only(entry: ScenarioEntry) -> ScenarioEntry:
    """``entry`` with every finding quoting only the sentences that decided."""
    result: RunResult = entry.result
    return replace(entry, result=replace(result, checks=tuple(_check(c) for c in result.checks)))
