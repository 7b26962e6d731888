"""The reference loop's bookkeeping shortcuts answer what the long way answers.

MessageFactory skips the claims-human search on a reply whose disclosure matcher already
refuted a human claim in the same text, and Context.replace_body only counts what leaves or
joins the body: both must give the figures a full recount gives.
"""

from __future__ import annotations

from replay.loop._compaction import Context, approximate_tokens
from replay.loop._reference import MessageFactory
from replay.loop._tokens import TokenCounter
from replay.spec._scenario import Disclosure, MatcherSpec
from replay.spec._vocab import Carrier

NEVER = MatcherSpec("never", phrases=("zzz never said",))


def _factory(statement: MatcherSpec) -> MessageFactory:
    disclosure = Disclosure("d", statement=statement, instruction=NEVER)
    return MessageFactory(TokenCounter("approximate"), [disclosure])


def _reply(factory: MessageFactory, text: str) -> tuple[frozenset[str], bool]:
    message = factory.make("assistant", text, kind="reply", turn=1, minutes=0.0)
    return message.disclosures, message.claims_human


def test_guarded_disclosure_and_human_claim() -> None:
    factory = _factory(MatcherSpec("d", phrases=("an ai assistant",)))
    assert _reply(factory, "I am an AI assistant. How can I help?") == (frozenset({"d"}), False)
    # The guard's claims-human search cancels the disclosure; the claim itself is recorded.
    assert _reply(factory, "I am an AI assistant. Just kidding, I am a human.") == (
        frozenset(),
        True,
    )


def test_unguarded_disclosure_still_searches_for_a_human_claim() -> None:
    # Without the guard nothing has searched for a human claim: the factory must.
    statement = MatcherSpec("d", phrases=("an ai assistant",), negation_aware=False)
    factory = _factory(statement)
    assert _reply(factory, "I am an AI assistant. Just kidding, I am a human.") == (
        frozenset({"d"}),
        True,
    )
    assert _reply(factory, "I am an AI assistant. How can I help?") == (frozenset({"d"}), False)


def _totals(context: Context) -> tuple[int, int, set[Carrier]]:
    return context.tokens(), context.tokens(approximate=True), context.carried()


def test_replace_body_counts_as_a_fresh_context() -> None:
    factory = _factory(MatcherSpec("d", phrases=("an ai assistant",)))
    made = [
        factory.make("user", f"message {i} " * (i + 1), kind="user", turn=i, minutes=0.0)
        for i in range(6)
    ]
    disclosing = factory.make("assistant", "I am an AI assistant.", kind="reply", turn=6, minutes=0)
    made.append(disclosing)
    context = Context(None, made)
    summary = factory.make("user", "summary of it all", kind="summary", turn=7, minutes=0.0)
    for body in (
        [summary, *made[4:]],  # a summary and the kept tail
        [summary, disclosing, disclosing],  # one message twice counts twice
        [made[0]],  # the disclosing reply leaves
        [],
        made,
    ):
        context.replace_body(body)
        assert _totals(context) == _totals(Context(None, body))
        assert context.tokens(approximate=True) == sum(approximate_tokens(m) for m in body)
