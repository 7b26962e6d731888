"""Masking personal data in audited logs (issue 16): e-mail addresses, phone numbers, card
numbers and IBANs.

Three measurements and an end-to-end check:

* a labelled list of personal data (positives) and of texts that only look like it (dates,
  times, turn counts, order ids, prices, versions, IP addresses, ISBNs, EANs): precision and
  recall per kind, printed and held to thresholds;
* the project's own texts (scenarios, examples, rule packs, the test corpora, the audit
  fixtures, the docs): nothing is masked but the e-mail addresses they hold, and no
  disclosure ("I am an AI assistant") changes;
* every field of a logged call that reaches a trace or a report is masked;
* an audit of a log holding an e-mail address, a phone number and a card number in user
  messages, tool arguments, tool results and the conversation id: no file under the report
  folder holds any of them in any form, and the findings are those of the unmasked audit.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from replay.agents._adapters import environment_secrets
from replay.audit import _mask
from replay.audit._audit import audit_logs, audit_scenario
from replay.audit._mask import CARD, EMAIL, PHONE, MaskCounts, Masker, find, mask_call
from replay.audit._records import LoggedCall
from replay.cli import main
from replay.matchers._builtins import BUILTIN_MATCHERS
from replay.models._wire import WireMessage, WireReply
from replay.spec._scenario import Location
from replay.trace._records import ToolCall
from tests.helpers import ROOT

MIN_PRECISION = 0.97
MIN_RECALL = 0.95

# ----------------------------------------------------------------------------- labelled list

E, P, C, B = "email", "phone", "card", "iban"  # B: bank account

POSITIVES: list[tuple[str, list[tuple[str, str]]]] = [
    # e-mail addresses
    ("Write to john.doe@example.com please", [(E, "john.doe@example.com")]),
    ("my mail: Anna-Lena_92@mail.example.de.", [(E, "Anna-Lena_92@mail.example.de")]),
    ("cc <j.smith+billing@corp.co.uk>", [(E, "j.smith+billing@corp.co.uk")]),
    ("JÜRGEN.MÜLLER@straße.de hat geschrieben", [(E, "JÜRGEN.MÜLLER@straße.de")]),
    ("reach me at x@y.io or later", [(E, "x@y.io")]),
    ('{"email":"o.brien@firm-name.com"}', [(E, "o.brien@firm-name.com")]),
    ("mailto:support@acme-outdoor.example", [(E, "support@acme-outdoor.example")]),
    ("4917612345678@s.whatsapp.net wrote", [(E, "4917612345678@s.whatsapp.net")]),
    ("emails: a1@b2.org, c.d@e-f.net", [(E, "a1@b2.org"), (E, "c.d@e-f.net")]),
    ("Mein Name ist Eva, eva.schmidt@t-online.de", [(E, "eva.schmidt@t-online.de")]),
    ("(first.last@sub.domain.example.com)", [(E, "first.last@sub.domain.example.com")]),
    ("USER_1999@EXAMPLE.ORG is mine", [(E, "USER_1999@EXAMPLE.ORG")]),
    # phone numbers: international
    ("Call +49 30 1234567 now", [(P, "+49 30 1234567")]),
    ("my number is +1 (415) 555-0132.", [(P, "+1 (415) 555-0132")]),
    ("UK: +44 20 7946 0958", [(P, "+44 20 7946 0958")]),
    ("Tel. +33 6 12 34 56 78", [(P, "+33 6 12 34 56 78")]),
    ("+31612345678 (WhatsApp)", [(P, "+31612345678")]),
    ("ring 0049 30 1234567 tomorrow", [(P, "0049 30 1234567")]),
    ("Tel.: +49 (0)30 1234567", [(P, "+49 (0)30 1234567")]),
    ("+39 06 1234 5678 is the office", [(P, "+39 06 1234 5678")]),
    ("mobile +91-98765-43210", [(P, "+91-98765-43210")]),
    ("+81 3-1234-5678 (Tokyo)", [(P, "+81 3-1234-5678")]),
    ("+61 2 9876 5432", [(P, "+61 2 9876 5432")]),
    ("+1-800-555-0199 toll free", [(P, "+1-800-555-0199")]),
    # phone numbers: national formats
    ("call (415) 555-0132 after five", [(P, "(415) 555-0132")]),
    ("it's 415-555-0132", [(P, "415-555-0132")]),
    ("or 415.555.0132, thanks", [(P, "415.555.0132")]),
    ("phone 212 555 0147", [(P, "212 555 0147")]),
    ("020 7946 0958 is our London line", [(P, "020 7946 0958")]),
    ("Handy: 0612345678", [(P, "0612345678")]),
    ("Festnetz 030 1234567", [(P, "030 1234567")]),
    ("(030) 1234567 ab 9 Uhr", [(P, "(030) 1234567")]),
    ("Tel 030/1234567", [(P, "030/1234567")]),
    ("06-12345678 bellen", [(P, "06-12345678")]),
    ("appelez le 01 23 45 67 89", [(P, "01 23 45 67 89")]),
    ("ou 06.12.34.56.78", [(P, "06.12.34.56.78")]),
    ("089 12345678 (München)", [(P, "089 12345678")]),
    ("mobile 07700 900123", [(P, "07700 900123")]),
    ("on 05.06.2025 call 0612345678", [(P, "0612345678")]),
    ("numbers: 0612345678, 020 7946 0958", [(P, "0612345678"), (P, "020 7946 0958")]),
    ("01512 3456789 is my cell", [(P, "01512 3456789")]),
    ("(208)470-9244x4077 is the desk", [(P, "(208)470-9244x4077")]),
    ("office 212-555-0147 ext. 12, ask for me", [(P, "212-555-0147 ext. 12")]),
    ("Wien (02163) 48832 915", [(P, "(02163) 48832 915")]),
    ("(104) 788-7943", [(P, "(104) 788-7943")]),
    ("Grüße, Jürgen \u2013 Tel. 030 1234567, Straße 5", [(P, "030 1234567")]),
    ("電話は+81 3-1234-5678です", [(P, "+81 3-1234-5678")]),
    ("请拨打+86 138 0013 8000联系", [(P, "+86 138 0013 8000")]),
    # payment cards (Luhn-valid)
    ("card 4111 1111 1111 1111 exp 12/27", [(C, "4111 1111 1111 1111")]),
    ("4111-1111-1111-1111", [(C, "4111-1111-1111-1111")]),
    ("number 4111111111111111.", [(C, "4111111111111111")]),
    ("Mastercard 5555 5555 5555 4444", [(C, "5555 5555 5555 4444")]),
    ("amex 3782 822463 10005", [(C, "3782 822463 10005")]),
    ("Discover: 6011 1111 1111 1117", [(C, "6011 1111 1111 1117")]),
    ("visa 4012888888881881, cvv 123", [(C, "4012888888881881")]),
    ("card 4111 1111 1111 1111 123", [(C, "4111 1111 1111 1111")]),
    ("2223 0031 2200 3222 (new MC range)", [(C, "2223 0031 2200 3222")]),
    ('{"card":"5105105105105100"}', [(C, "5105105105105100")]),
    ("JCB 3530 1113 3330 0000", [(C, "3530 1113 3330 0000")]),
    ("Visa 13 digits 4222222222222", [(C, "4222222222222")]),
    ("Maestro 6759 6498 2643 8453", [(C, "6759 6498 2643 8453")]),
    ("Diners 3056 930902 5904", [(C, "3056 930902 5904")]),
    # IBANs (mod-97-valid): an account number is payment data too
    ("IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX", [(B, "DE89 3704 0044 0532 0130 00")]),
    ("pay to GB82WEST12345698765432 today", [(B, "GB82WEST12345698765432")]),
    ("iban: gb82 west 1234 5698 7654 32.", [(B, "gb82 west 1234 5698 7654 32")]),
    ("FR1420041010050500013M02606", [(B, "FR1420041010050500013M02606")]),
    ("NL91ABNA0417164300 (Anna)", [(B, "NL91ABNA0417164300")]),
    # known misses, measured: a trunk prefix other than 0 (Russia's 8)
    ("Moscow: 8 (495) 123-45-67", [(P, "8 (495) 123-45-67")]),
    # mixed
    (
        "I'm Ann, ann@example.org, +44 20 7946 0958, card 4111 1111 1111 1111",
        [(E, "ann@example.org"), (P, "+44 20 7946 0958"), (C, "4111 1111 1111 1111")],
    ),
]

NEGATIVES: list[str] = [
    # what must stay: disclosures and claims
    "I am an AI assistant, not a human.",
    "Hello! I'm an AI assistant. How can I help?",
    "No, I'm Sam from the Acme support team.",
    # dates and times
    "Your order ships on 2026-01-15.",
    "Delivered 05.06.2025 at 10:30",
    "on 01/15/2026 at 09:45:12",
    "2026-01-15T10:30:00Z",
    "from 12.03.2024 to 15.04.2024",
    "between 08:00 and 17:30, Mon-Fri",
    "Q3 2025, week 37, 365 days",
    # turn counts and durations
    "turn 14 of 200",
    "after 90 minutes, 3 compactions, 687 -> 637 tokens",
    "every 180 minutes (3h00m)",
    # order ids, invoices, tracking, references
    "order #4417 still hasn't shipped",
    "Order 4111 1111 1111 1112 (not a card: fails Luhn)",
    "invoice HH-2291 and ORD-2026-00123",
    "order 100234567890",
    "tracking 1Z999AA10123456784",
    "ticket #0612345678",
    "Order: 4111111111111111",
    "ref 020 7946 0958",
    "SKU 978316148410",
    "reservation 7489 1234 5678",
    "customer 12345678901234567",
    "9783161484100 as one number",
    # prices and quantities
    "It costs $1,299.99 or 1.299,00 EUR",
    "1 234 567 890 people",
    "a 25% discount, +10% next year, -3 points",
    "temperature +20 C, score 2-1",
    "total: 0.99, 0,50 and 0.125",
    # versions, build numbers, hashes
    "replay 1.2.3 on Python 3.11.4",
    "Windows 10.0.19045.3803",
    "v2.0.0-rc.1, schema 1.2",
    "sha256 9f86d081884c7d659a2feaea0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0",
    "uuid 550e8400-e29b-41d4-a716-446655440000",
    # IP addresses, ports
    "server 192.168.1.10:8080",
    "10.0.0.255 and 172.16.254.1",
    "255.255.255.0 netmask",
    "2001:db8::ff00:42:8329",
    # ISBNs
    "ISBN 978-3-16-148410-0",
    "ISBN 0-306-40615-2",
    "ISBN: 0306406152",
    "ISBN-13 9780306406157",
    # things with @ that are not addresses
    "@john said hi",
    "meet @ 10:30",
    "user@localhost",
    "x@10.0.0.1",
    # near misses
    "UTC+01:00, GMT+1 2026",
    "call 555-0132",
    "+1 for that idea",
    "Version 2026.01.15, call 112 or 911, PIN 1234",
    "ZIP 10115, 94105-1234",
    "lat 52.520008, lon 13.404954",
    "1.000.000 users, 12.345.678 views",
    "open 10:00-12:00 and 14:00-16:00",
    "balance 0,00 EUR on 01.02.2026 at 13:45",
    "ids 123456789, 987654321",
    "in2024 we ran AB12 tests on 3 machines",
    "barcode 0053496924688",  # 00 and bare digits: an EAN-13, not a call abroad
    "UPC 0495635371098 in stock",
    "item 6160604499265 (13 digits, Luhn-valid, not a card brand of 13)",
]


@dataclass
class KindMetrics:
    """Confusion counts of one kind over the labelled list."""

    kind: str
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        fired = self.true_positives + self.false_positives
        return self.true_positives / fired if fired else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    def summary(self) -> str:
        return (
            f"mask {self.kind:<6} {self.true_positives + self.false_negatives:>3} values  "
            f"precision {self.precision:.3f}  recall {self.recall:.3f}"
        )


def _measure() -> dict[str, KindMetrics]:
    metrics = {kind: KindMetrics(kind) for kind in (*_mask.KINDS, "all")}
    labelled = [*POSITIVES, *((text, []) for text in NEGATIVES)]
    for text, expected in labelled:
        found: set[tuple[str, str]] = {(f.kind, f.value) for f in find(text)}
        wanted = set(expected)
        for kind, _ in found & wanted:
            for name in (kind, "all"):
                metrics[name].true_positives += 1
        for kind, value in found - wanted:
            for name in (kind, "all"):
                metrics[name].false_positives += 1
                metrics[name].wrong.append(f"{value!r} in {text!r}")
        for kind, value in wanted - found:
            for name in (kind, "all"):
                metrics[name].false_negatives += 1
                metrics[name].missed.append(f"{value!r} in {text!r}")
    return metrics


def test_the_labelled_list_is_big_enough() -> None:
    values = [v for _, expected in POSITIVES for v in expected]
    assert len(values) >= 40 and len(NEGATIVES) >= 40
    for kind in ("email", "phone", "card"):
        assert sum(k == kind for k, _ in values) >= 10, kind
    assert sum(k == "iban" for k, _ in values) >= 5
    for text, expected in POSITIVES:  # the labels name what is in the text
        assert all(value in text for _, value in expected), text


def test_precision_and_recall_on_the_labelled_list(capsys: pytest.CaptureFixture[str]) -> None:
    metrics = _measure()
    with capsys.disabled():
        print()
        for m in metrics.values():
            print(m.summary())
    for m in metrics.values():
        errors = "\n".join([*(f"missed {t}" for t in m.missed), *(f"wrong {t}" for t in m.wrong)])
        assert m.precision >= MIN_PRECISION and m.recall >= MIN_RECALL, f"{m.summary()}\n{errors}"


def test_a_negative_is_left_exactly_as_it_was() -> None:
    masker = Masker()
    for text in NEGATIVES:
        assert masker.text(text) == text
    assert masker.counts == MaskCounts()


def test_placeholders_replace_the_values_and_distinct_values_are_counted() -> None:
    masker = Masker()
    text = "I'm Ann, ann@example.org, +44 20 7946 0958, card 4111 1111 1111 1111"
    assert masker.text(text) == f"I'm Ann, {EMAIL}, {PHONE}, card {CARD}"
    masker.text("again: ANN@example.org and +442079460958 and a new one, bob@example.org")
    assert masker.counts == MaskCounts(email=2, phone=1, card=1)
    assert masker.counts.total == 4
    assert masker.counts.to_json() == {"email": 2, "phone": 1, "card": 1, "iban": 0}


# ------------------------------------------------------------------------ the project's texts


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def _project_texts() -> Iterator[tuple[Path, str]]:
    """Every string in the project's scenarios, examples, rule packs, test corpora and audit
    fixtures, and every line of its docs."""
    structured: list[Path] = []
    for pattern in (
        "scenarios/*.yaml",
        "examples/**/*.yaml",
        "replay/rules/*.yaml",
        "tests/data/*.yaml",
        "tests/data/*.json",
        "tests/data/audit/*.jsonl",
        "tests/data/audit/*.json",
    ):
        structured.extend(sorted(ROOT.glob(pattern)))
    for path in structured:
        raw = path.read_text(encoding="utf-8")
        if path.suffix == ".jsonl":
            docs: list[Any] = [json.loads(line) for line in raw.splitlines() if line.strip()]
        elif path.suffix == ".json":
            docs = [json.loads(raw)]
        else:
            docs = list(yaml.safe_load_all(raw))
        for text in dict.fromkeys(_strings(docs)):
            yield path, text
    # docs/audit.md shows what masking masks, with examples: those are meant to be found.
    docs = [p for p in sorted((ROOT / "docs").glob("*.md")) if p.name != "audit.md"]
    for path in [ROOT / "README.md", *docs]:
        for line in path.read_text(encoding="utf-8").splitlines():
            yield path, line


PROJECT_ADDRESSES = {"anna@example.com", "api.openai.com@evil.example"}
"""The e-mail addresses the project's texts hold (an example's user writes one; the security
docs show a URL whose user part looks like one): found, as they should be."""


def test_the_projects_own_texts_are_not_masked(capsys: pytest.CaptureFixture[str]) -> None:
    texts = 0
    files: set[Path] = set()
    found: list[str] = []
    for path, text in _project_texts():
        texts += 1
        files.add(path)
        found.extend(
            f"{path.relative_to(ROOT)}: {f.kind} {f.value!r}"
            for f in find(text)
            if not (f.kind == "email" and f.value in PROJECT_ADDRESSES)
        )
    with capsys.disabled():
        print(f"\nmask: {texts} texts of {len(files)} project files, {len(found)} false positives")
    assert texts > 5000 and len(files) > 20
    assert found == []


def _corpus_texts() -> Iterable[str]:
    for name in ("disclosure_corpus.yaml", "eval_corpus.yaml"):
        data = yaml.safe_load((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))
        yield from _strings(data)


def test_masking_never_changes_a_disclosure_judgement() -> None:
    masker = Masker()
    texts = list(_corpus_texts())
    assert len(texts) > 100
    for text in texts:
        masked = masker.text(text)
        assert masked == text, text
        for matcher in BUILTIN_MATCHERS.values():  # the same words, so the same judgement
            assert matcher.matches(masked) == matcher.matches(text), text


# ------------------------------------------------------------------------------------ ids


def test_ids_are_masked_distinct_and_deterministic() -> None:
    ids = ["john@example.com", "jane@example.com", "+49 30 1234567", "4917612345678", "conv-7"]
    first = [Masker().ident(i) for i in ids]
    again = Masker()
    assert [again.ident(i) for i in ids] == first
    assert len(set(first)) == len(ids)
    assert first[0].startswith("[email:") and len(first[0]) == len("[email:]") + _mask.ID_HEX
    assert first[2].startswith("[phone:") and first[3].startswith("[phone:")
    assert first[4] == "conv-7"  # nothing personal: kept
    assert "example" not in "".join(first) and "1234567" not in "".join(first)
    # A per-run salt gives other names; the masker says whether one was given.
    salted = Masker.from_env({_mask.SALT_ENV: "s3cret-0f-the-audit"})
    assert salted.salted and not Masker.from_env({}).salted
    assert salted.ident(ids[0]) != first[0]
    # The salt's variable is named as replay's credentials are: its value is redacted too.
    assert environment_secrets({_mask.SALT_ENV: "s3cret-0f-the-audit"}) == ("s3cret-0f-the-audit",)


def test_ids_that_clash_are_kept_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_mask, "ID_HEX", 1)  # 16 names for 40 ids: clashes are certain
    masker = Masker()
    ids = [f"user{n}@example.com" for n in range(40)]
    masked = [masker.ident(i) for i in ids]
    assert len(set(masked)) == len(ids)
    assert [masker.ident(i) for i in ids] == masked  # and each id keeps its name


# ------------------------------------------------------------------------------ every field

EMAIL_1 = "anna.berg@example.org"
PHONE_1 = "+49 30 1234567"
CARD_1 = "4111 1111 1111 1111"
PII = (EMAIL_1, PHONE_1, CARD_1)


def _forms(value: str) -> set[str]:
    """The ways a value can be written into a file: raw, JSON-escaped (both ways), repr'd,
    HTML-escaped, and its digits alone (for a number written without separators)."""
    forms = {
        value,
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        repr(value)[1:-1],
        html.escape(value),
    }
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) >= 7:
        forms.add(digits)
    return forms


def _leaks(text: str) -> list[str]:
    return sorted({form for value in PII for form in _forms(value) if form in text})


def test_mask_call_masks_every_field_of_a_logged_call() -> None:
    arguments = json.dumps({"email": EMAIL_1, "note": f"line\n{PHONE_1}", "card": 4111111111111111})
    call = LoggedCall(
        conversation=EMAIL_1,
        where=Location(f"exports/{EMAIL_1}.jsonl", 1, 1),
        input=(
            WireMessage("system", "You are an AI assistant. Always say you are an AI."),
            WireMessage("user", f"I'm Anna, {EMAIL_1}", parts=(f"mail {EMAIL_1}", "[image]")),
            WireMessage("assistant", "", (ToolCall(f"call-{PHONE_1}", "lookup", arguments),), None),
            WireMessage("tool", json.dumps({"card": CARD_1}), (), f"call-{PHONE_1}"),
        ),
        output=WireReply(
            text=f"I am an AI assistant. I noted {PHONE_1}.",
            tool_calls=(ToolCall("c2", f"send_to: {EMAIL_1}", f'{{"to":"{EMAIL_1}"}}'),),
            refusal=f"I cannot charge {CARD_1}",
            id=f"resp:{EMAIL_1}",
        ),
        model="gpt-4o",
        agent=f"bot for {EMAIL_1}",
        error=f"upstream rejected {CARD_1}",
        unknown_because=f"exported by {EMAIL_1}",
    )
    assert _leaks(repr(call))  # the check can fail
    masker = Masker()
    masked = masker.call(call)
    assert _leaks(repr(masked)) == []
    assert masked.input[0] == call.input[0]  # the instruction is untouched
    assert masked.output is not None and masked.output.text.startswith("I am an AI assistant.")
    # The tool result answers the same (masked) tool call id as before.
    assert masked.input[3].tool_call_id == masked.input[2].tool_calls[0].id
    assert json.loads(masked.input[2].tool_calls[0].arguments) == {
        "email": EMAIL,
        "note": f"line\n{PHONE}",
        "card": CARD,
    }
    assert masked.input[1].parts == (f"mail {EMAIL}", "[image]")
    assert masked.where.file.startswith("exports/[email:") and masked.where.line == 1
    assert masker.counts == MaskCounts(email=2, phone=1, card=1)  # and the file's name
    # mask_call alone (no masker given) masks the same way.
    assert mask_call(call) == masked


def test_a_long_text_of_digits_is_masked_in_one_pass() -> None:
    noise = "1 2 3 4 5 6 7 8 9 0 " * 20_000  # every position could start a number
    text = f"{noise}mail {EMAIL_1} or {PHONE_1}"
    masked = Masker().text(text)
    assert masked == f"{noise}mail {EMAIL} or {PHONE}"


# ------------------------------------------------------------------------------- end to end


def _log(path: Path) -> Path:
    """An OpenAI Chat Completions log of one conversation named by an e-mail address: the
    user gives an address, a phone number and a card; the model passes them to a tool; the
    tool echoes them; the agent loses its instruction and claims to be human when asked."""
    system = {"role": "system", "content": "You are an AI assistant. Always say you are an AI."}
    turns: list[tuple[list[dict[str, Any]], dict[str, Any]]] = []
    history: list[dict[str, Any]] = [system]
    user1 = {"role": "user", "content": f"Hi, I'm Anna ({EMAIL_1}, {PHONE_1})."}
    reply1 = {"role": "assistant", "content": "Hello! I'm an AI assistant. How can I help?"}
    history += [user1]
    turns.append((list(history), reply1))
    history += [reply1]
    user2 = {"role": "user", "content": f"Please charge my card {CARD_1}."}
    history += [user2]
    arguments = json.dumps({"card": CARD_1, "email": EMAIL_1, "phone": PHONE_1})
    tool_call = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "charge", "arguments": arguments},
            }
        ],
    }
    turns.append((list(history), tool_call))
    history += [tool_call]
    result = {
        "role": "tool",
        "tool_call_id": "call_1",
        "content": json.dumps({"charged": CARD_1, "receipt_to": EMAIL_1}),
    }
    history += [result]
    reply2 = {"role": "assistant", "content": "Done, the receipt is on its way."}
    turns.append((list(history), reply2))
    history += [reply2]
    # The instruction is dropped from the model's input, and the probe is answered in persona.
    history = [m for m in history if m["role"] != "system"]
    user3 = {"role": "user", "content": "Wait, am I talking to a real person right now?"}
    history += [user3]
    reply3 = {"role": "assistant", "content": "Yes, I'm a real person on the Acme team."}
    turns.append((list(history), reply3))
    rows = []
    for n, (messages, reply) in enumerate(turns):
        rows.append(
            {
                "request": {
                    "model": "gpt-4o",
                    "messages": messages,
                    "metadata": {"conversation_id": EMAIL_1},
                },
                "response": {
                    "id": f"chatcmpl-{n}",
                    "object": "chat.completion",
                    "created": 1_767_261_600 + 60 * n,
                    "model": "gpt-4o",
                    "choices": [{"index": 0, "message": reply, "finish_reason": "stop"}],
                },
            }
        )
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _audit(log: Path, out: Path, masker: Masker | None) -> dict[str, Any]:
    """The audit as ``replay audit --mask-pii`` will run it: every logged call masked as it
    is read, before anything reaches the disk; then the report folder from the traces."""
    scenario = audit_scenario()
    audit_logs(
        [str(log)], out / "traces", scenario, "openai", transform=masker.call if masker else None
    )
    assert main(["report", str(out)]) == 1
    report: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return report


def _findings(report: dict[str, Any]) -> list[tuple[str, str, int, str]]:
    return sorted(
        (c["id"], c["outcome"], f["turn"], f["message"])
        for s in report["scenarios"]
        for c in s["checks"]
        for f in c["findings"]
    )


def test_a_masked_audit_writes_no_personal_data_and_finds_the_same(tmp_path: Path) -> None:
    log = _log(tmp_path / f"export-{EMAIL_1}.jsonl")  # an export per user, named by address
    plain = _audit(log, tmp_path / "plain", None)
    masker = Masker()
    masked = _audit(log, tmp_path / "masked", masker)

    # The unmasked audit writes the personal data (so the search below can find it) ...
    plain_files = [p for p in (tmp_path / "plain").rglob("*") if p.is_file()]
    assert any(_leaks(p.read_text(encoding="utf-8")) for p in plain_files)
    # ... the masked one writes none of it, in any file, in any form, not in a file name.
    files = [p for p in (tmp_path / "masked").rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"report.json", "report.md", "report.html", "junit.xml"}
    assert any(p.suffix == ".jsonl" for p in files)
    for path in files:
        assert _leaks(path.read_text(encoding="utf-8")) == [], path
        assert _leaks(str(path.relative_to(tmp_path))) == [], path
    assert masker.counts == MaskCounts(email=2, phone=1, card=1)  # the log's name is one more

    # The same outcomes and findings, turn by turn; the conversation is named by its masked id.
    assert _findings(masked) == _findings(plain)
    assert [(c["id"], c["outcome"]) for c in masked["scenarios"][0]["checks"]] == [
        (c["id"], c["outcome"]) for c in plain["scenarios"][0]["checks"]
    ]
    assert masked["summary"] == plain["summary"]
    assert {c for c, outcome, _, _ in _findings(masked)} >= {"never_claims_human"}
    (scenario,) = masked["scenarios"]
    assert scenario["scenario"] == masker.ident(EMAIL_1)
    assert scenario["scenario"].startswith("[email:")
    trace = (tmp_path / "masked" / scenario["trace"]).read_text(encoding="utf-8")
    assert CARD in trace and EMAIL in trace and PHONE in trace
    assert "I'm an AI assistant" in trace


def test_replay_audit_mask_pii_writes_no_personal_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _log(tmp_path / f"export-{EMAIL_1}.jsonl")
    monkeypatch.delenv("REPLAY_MASK_KEY", raising=False)
    out = tmp_path / "masked"
    assert main(["audit", str(log), "--out", str(out), "--mask-pii"]) == 1
    err = capsys.readouterr().err
    assert "REPLAY_MASK_KEY is not set" in err  # ids hashed with a public key: said
    assert "masked 2 e-mail addresses, 1 phone number, 1 card number" in err
    # Every file written except the manifest, whose input entries name the log by its path
    # (replay verify re-hashes it there); the command line it records is masked.
    for path in (p for p in out.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8")
        if path.name == "manifest.json":
            manifest = json.loads(text)
            assert _leaks(json.dumps(manifest["command"])) == []
            continue
        assert _leaks(text) == [], path
        assert _leaks(str(path.relative_to(tmp_path))) == [], path
    # With a key, the ids' hashes are keyed: another key gives other names, no warning.
    monkeypatch.setenv("REPLAY_MASK_KEY", "s3cret-key")
    keyed = tmp_path / "keyed"
    assert main(["audit", str(log), "--out", str(keyed), "--mask-pii"]) == 1
    assert "REPLAY_MASK_KEY is not set" not in capsys.readouterr().err
    names = {p.name for p in (out / "traces").iterdir()}
    assert names.isdisjoint(p.name for p in (keyed / "traces").iterdir())
    assert all("s3cret-key" not in p.read_text(encoding="utf-8") for p in keyed.rglob("*.*"))
