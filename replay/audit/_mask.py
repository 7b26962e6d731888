"""Masking personal data in audited logs: e-mail addresses, phone numbers, card numbers, IBANs.

Production logs are personal data (issue 16). With masking on, every text a
:class:`~replay.audit._records.LoggedCall` carries into a trace or a report is masked before
conversion: message texts and parts, tool call arguments and tool results, the reply, errors,
the agent and model names, and the ids (conversation, tool calls, responses).

**In texts** each finding becomes a fixed placeholder, :data:`EMAIL` (``[email]``),
:data:`PHONE` (``[phone]``), :data:`CARD` (``[card]``) or :data:`IBAN` (``[iban]``): nothing of
the value is kept, so two conversations that mention one address cannot be linked through the
traces (a keyed hash would link them: it is a pseudonym, still personal data).

**In ids** the conversation id names the trace file and the report's scenario, and tool call
ids pair a call with its result, so an id must stay distinct and deterministic: each finding
in an id becomes ``[email:<12 hex>]`` (``phone``, ``card``, ``iban``), the first hex digits of
HMAC-SHA256(salt, kind + normalized value), the salt from ``REPLAY_MASK_KEY`` or a public
default (:data:`DEFAULT_SALT`; :attr:`Masker.salted` says which, so the CLI can warn: with
the public key a phone-number id can be recovered by trying every number). One
:class:`Masker` never gives two different ids one masked id: on a clash it takes more hex
digits. An id segment of 10 to 15 digits alone (``4917612345678``, a messenger's phone-number
id) is masked as a phone number in ids only (in text it is as likely an order number).

**How.** Each kind has a fixed, linear-time RE2 pattern that finds candidates (RE2 has no
backtracking, so no input is slow; the patterns have no lookaround, which RE2 lacks), and a
validation in Python that decides, on the candidate and the characters around it: e-mail
addresses need a dotted domain with a letter TLD; a phone number starts with ``+`` or ``00``
and a country code (8 to 15 digits), or a trunk ``0`` (9 to 12 digits: 020 7946 0958,
0612345678, (030) 1234567), or is a North American number with separators or parentheses
((415) 555-0132, 415-555-0132); a card number is 13 to 19 digits, grouped by one kind of
separator or none, whose first digit is a payment industry's (2 to 6) and whose Luhn check
digit is right (so most order numbers are not cards); an IBAN is a country, two check digits
and 11 to 30 letters or digits whose ISO 7064 mod-97 check holds. A number that is part of a
longer one
(digits or letters next to it), that looks like a date (05.06.2025), or that follows a label
saying what it is (``ISBN``, ``order``, ``invoice``, ``tracking``, ``#``) is left alone.

Why not a library: phonenumbers (libphonenumber) finds national numbers only for a region it
is told, and a log names none; Presidio needs a spaCy model. The measured precision and recall
(tests/test_audit_mask.py) are in docs/audit.md, "Personal data".
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import hmac
import json
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

import re2  # type: ignore[import-untyped]  # no type information shipped

from replay.audit._records import LoggedCall
from replay.models._wire import WireMessage, WireReply
from replay.trace._records import ToolCall

Kind = Literal["email", "phone", "card", "iban"]
KINDS: tuple[Kind, ...] = ("email", "iban", "card", "phone")
"""The kinds, in the order they win an overlap: an e-mail address holds digits that could
read as a phone number; so do an IBAN's groups and a card number's digits."""
EMAIL = "[email]"
PHONE = "[phone]"
CARD = "[card]"
IBAN = "[iban]"
PLACEHOLDERS: dict[Kind, str] = {"email": EMAIL, "phone": PHONE, "card": CARD, "iban": IBAN}

SALT_ENV = "REPLAY_MASK_KEY"
"""The environment variable holding the salt (the HMAC key) of the ids' hashes. Named
``*_KEY`` so replay treats its value as a credential (redacted from agent stderr and errors
like any ``*_KEY``); give it at least 8 characters (replay redacts no shorter value), best a
random 32 bytes kept with the audit's other secrets."""
DEFAULT_SALT = "replay-mask-v1"
"""The salt when ``REPLAY_MASK_KEY`` is unset: public, so masked ids are stable across runs
and machines, but a guessable value (a phone number) can be recovered by trying them all."""
ID_HEX = 12
"""Hex digits of an id's hash: 48 bits, so 100,000 distinct ids clash with odds of about
2 in 100,000 (8 hex digits would clash more often than not); a clash takes more digits."""

_CACHE = 1024
_CACHE_CHARS = 16_384
"""Masked texts remembered per Masker (each logged call repeats the conversation so far), at
most this many, of at most this many characters each: 16 MiB of ASCII at worst."""

# -------------------------------------------------------------------------------- patterns

_SEP = r"[ .\-/\x{a0}\x{202f}\x{2010}-\x{2015}]"
"""A separator inside a phone number: space, dot, dash, slash, no-break spaces, dashes."""
_LABEL = r"[\p{L}\p{N}]"
_PATTERNS: dict[str, str] = {
    "email": (
        rf"[\p{{L}}\p{{N}}._%+\-]+@{_LABEL}(?:[\p{{L}}\p{{N}}\-]*{_LABEL})?"
        rf"(?:\.{_LABEL}(?:[\p{{L}}\p{{N}}\-]*{_LABEL})?)*\.\p{{L}}{{2,63}}"
    ),
    # Unbounded `*` rather than {0,61}: RE2 expands a counted repetition, and a Unicode class
    # counted 61 times outgrows its DFA's memory (it then runs slower, still linear).
    "card": r"\d(?:[ \-\x{a0}]?\d){11,18}",
    # ISO 13616: a country, two check digits, 11 to 30 letters or digits (in groups of four).
    "iban": r"(?i)[a-z]{2}\d{2}(?:[ \x{a0}]?[a-z0-9]){11,30}",
    "intl": (
        rf"(?:\+|00)\(?[1-9]\d{{0,3}}\)?(?:{_SEP}{{0,2}}\(0\))?"
        rf"(?:{_SEP}{{0,2}}\(?\d{{1,6}}\)?){{1,8}}"
    ),
    # Without parentheses an area code and an exchange start with 2-9, as NANP numbers do;
    # "(104) 788-7943" is a phone number's shape whatever its digits.
    "nanp": (
        rf"(?:\+?1{_SEP}{{0,2}})?(?:\(\d{{3}}\){_SEP}{{0,2}}\d{{3}}"
        rf"|[2-9]\d{{2}}{_SEP}{{1,2}}[2-9]\d{{2}}){_SEP}{{1,2}}\d{{4}}"
    ),
    "national": (
        rf"(?:\(0[1-9]\d{{0,4}}\)|0[1-9]\d{{0,4}}){_SEP}{{0,2}}\d{{1,8}}"
        rf"(?:{_SEP}{{1,2}}\d{{1,8}}){{0,5}}"
    ),
}
_PATTERNS["numberish"] = r"\d(?:\D{0,4}\d){6}"
"""Seven digits at most four characters apart: every phone, card and IBAN the patterns take
has them, most texts do not (then four scans are skipped)."""
_PHONE_PATTERNS = ("intl", "nanp", "national")
_MAX_CANDIDATE = 128
"""Longer than any candidate the patterns match: bounds the re-search after a rejection."""


@functools.cache
def _compiled() -> dict[str, Any]:
    """The patterns compiled once, on first use (importing this module compiles nothing)."""
    options = re2.Options()
    options.log_errors = False
    return {
        name: re2.compile(source.encode("utf-8"), options) for name, source in _PATTERNS.items()
    }


# Small texts (one candidate, <= _MAX_CANDIDATE characters): the stdlib's engine is fine and
# none of these can backtrack more than linearly (no nested quantifiers).
_DIGITS = re.compile(r"\d")
_ANY = re.compile(r"[\d@]")

_GROUP_END = re.compile(r"\d+")
_DATE = re.compile(r"\(?\d{1,2}([./-])\d{1,2}\1\d{2,4}")
_FIVE_PAIRS = re.compile(r"\d\d(?:[ .\-]\d\d){4}")
_LABELS = re.compile(
    r"(?:isbn(?:-1[03])?|issn|ean(?:-1[38])?|upc|gtin|order|invoice|tracking|ticket|ref"
    r"|reference|sku|serial|case|#)"
    r"[\s:#.\-]*\Z",
    re.IGNORECASE,
)
_EXTENSION = re.compile(r"[ \t]{0,2}(?:x|ext\.?|extension|#)[ \t]{0,2}\d{1,6}", re.IGNORECASE)
"""A phone number's extension after it ("(208) 470-9244 x4077", "ext. 12"): masked with it."""
_ID_DIGITS = re.compile(r"(?<![\w+])\+?\d{10,15}(?!\w)")
_STARTS = "+(0123456789"
_MAESTRO = ("5018", "5020", "5038", "5893", "6304", "6390", "6759", "6761", "6762", "6763")
_MAESTRO_RANGE = ("56", "57", "58")
"""Maestro's issuer prefixes: its cards may have 12 to 19 digits."""
_TIGHT = ".-/\u2010\u2011\u2012\u2013\u2014\u2015"


# -------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Found:
    """One value found in a text: its kind and its span (character offsets)."""

    kind: Kind
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class MaskCounts:
    """How many distinct values of each kind a :class:`Masker` masked (a value repeated in
    every call of a conversation, or in several conversations, counts once)."""

    email: int = 0
    phone: int = 0
    card: int = 0
    iban: int = 0

    @property
    def total(self) -> int:
        """All kinds together."""
        return self.email + self.phone + self.card + self.iban

    def to_json(self) -> dict[str, int]:
        """As report data: ``{"email": 2, "phone": 1, "card": 0, "iban": 0}``."""
        return {"email": self.email, "phone": self.phone, "card": self.card, "iban": self.iban}


# ----------------------------------------------------------------------------- detection


def _char_before(text: str, start: int, back: int = 1) -> str:
    return text[start - back] if start - back >= 0 else ""


def _char_after(text: str, end: int, ahead: int = 0) -> str:
    return text[end + ahead] if end + ahead < len(text) else ""


def _glues(char: str) -> bool:
    """A character that makes a number part of a word: a digit, or a Latin letter
    ("SKU4111...", "1Z999AA1..."). Chinese or Japanese text has no spaces around a number
    ("電話は+81 3-1234-5678です"): its letters do not glue."""
    return char.isdigit() or (char.isalpha() and ord(char) < 0x0250)


def _glued_before(text: str, start: int, *, strict: bool) -> bool:
    """The candidate continues something before it: a letter or digit next to it, or a digit
    across one separator (tight separators for phones; any for cards, grouped by spaces)."""
    before = _char_before(text, start)
    if not before:
        return False
    if _glues(before) or before in "_@+":
        return True
    separators = _TIGHT + (" \xa0" if strict else "")
    return before in separators and _char_before(text, start, 2).isdigit()


def _glued_after(text: str, end: int, *, strict: bool) -> bool:
    after = _char_after(text, end)
    if not after:
        return False
    if _glues(after) or after in "_@":
        return True
    separators = _TIGHT + (" \xa0" if strict else "")
    return after in separators and _char_after(text, end, 1).isdigit()


def _labelled(text: str, start: int) -> bool:
    """The number follows a label saying what it is: ``ISBN 0306406152``, ``order 4111...``."""
    return _LABELS.search(text[max(0, start - 24) : start]) is not None


def _luhn(digits: str) -> bool:
    total = 0
    for n, char in enumerate(reversed(digits)):
        d = ord(char) - 48
        if n % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _digits(text: str) -> str:
    return "".join(_DIGITS.findall(text))


def _ends(candidate: str) -> list[int]:
    """Where each digit group of a candidate ends, last first (the ends it may be cut at):
    after its closing parenthesis if it has one, and before it (a number in parentheses,
    "(call +49 30 1234567)", does not own the one that closes the sentence's)."""
    ends: list[int] = []
    for match in _GROUP_END.finditer(candidate):
        ends.append(match.end())
        if candidate.startswith(")", match.end()):
            ends.append(match.end() + 1)
    return ends[::-1]


def _card_length(digits: str) -> bool:
    """Whether a card of the brand these digits start with has this many digits: 16 to 19
    any, fewer only Maestro (12 to 15), Visa's old 13, Diners' 14, Amex's and JCB's 15. So a
    13-digit product code (an EAN-13, Luhn-valid one time in ten) is a card only if it starts
    with 4."""
    n = len(digits)
    if n >= 16 or digits.startswith(_MAESTRO) or digits.startswith(_MAESTRO_RANGE):
        return True
    if n == 13:
        return digits[0] == "4"
    if n == 14:
        return digits[:2] in ("30", "36", "38", "39")
    if n == 15:
        return digits[:2] in ("34", "37") or digits[:4] in ("1800", "2131")
    return False


def _card(text: str, start: int, end: int) -> int | None:
    """The end of the card number the candidate at ``start`` holds, or None."""
    if _glued_before(text, start, strict=True) or _labelled(text, start):
        return None
    candidate = text[start:end]
    if candidate[0] not in "23456" and not candidate.startswith(("1800", "2131")):
        return None  # the major industry identifier of payment cards (or a JCB's old 1800)
    separators = {c for c in candidate if not c.isdigit()}
    if len(separators) > 1:
        return None
    for n, cut in enumerate(_ends(candidate)):
        digits = _digits(candidate[:cut])
        if len(digits) < 12:
            return None
        if not _card_length(digits):
            continue
        # Cut at a group end (a CVV or an expiry after the number); whole, it must not run on.
        if _glued_after(text, start + cut, strict=n == 0) and (n == 0 or text[start + cut] != " "):
            continue
        if _luhn(digits):
            return start + cut
    return None


def _iban(text: str, start: int, end: int) -> int | None:
    """The end of the IBAN the candidate holds (its mod-97 check holds), or None. The
    candidate may run into the next word ("DE89 3704 0044 0532 0130 00 BIC"): it is cut at
    each space, longest first."""
    if _glued_before(text, start, strict=False):
        return None
    candidate = text[start:end]
    cuts = [len(candidate)] + [
        n for n in range(len(candidate) - 1, 0, -1) if candidate[n] in " \xa0"
    ]
    for cut in cuts:
        compact = "".join(candidate[:cut].split()).upper()
        if len(compact) < 15:
            return None
        if _glued_after(text, start + cut, strict=False) or not compact[2:4].isdigit():
            continue
        if sum(c.isdigit() for c in compact) < 8:
            continue  # a word that happens to fit ("ab12 somethinglong") is not an account
        rearranged = compact[4:] + compact[:4]
        if int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1:
            return start + cut
    return None


def _phone(kind: str, text: str, start: int, end: int) -> int | None:
    """The end of the phone number the candidate of pattern ``kind`` holds, or None."""
    if _glued_before(text, start, strict=False) or _labelled(text, start):
        return None
    candidate = text[start:end]
    if kind == "national" and _DATE.match(candidate) and not _FIVE_PAIRS.fullmatch(candidate):
        return None  # 05.06.2025 (but 06.12.34.56.78 is a French number)
    low, high = {"intl": (8, 15), "nanp": (10, 11), "national": (9, 13)}[kind]
    for cut in _ends(candidate):
        part = candidate[:cut]
        digits = _digits(part)
        if kind == "intl" and part.startswith("00"):
            digits = digits[2:]
            if part.isdigit():
                continue  # 00 and bare digits is as often a product code (an EAN-13)
        if len(digits) < low:
            return None
        if len(digits) > high or part.count("(") != part.count(")"):
            continue
        if kind == "national" and len(digits) == 13 and part.isdigit():
            continue  # 13 bare digits after a 0 is as often a product code (a UPC as EAN-13)
        extension = _EXTENSION.match(text, start + cut)
        if extension is not None:
            cut = extension.end() - start
        if _glued_after(text, start + cut, strict=False):
            continue
        return start + cut
    return None


def _email(text: str, start: int, end: int) -> int | None:
    local, _, domain = text[start:end].partition("@")
    if not local or len(local) > 64 or len(local) + len(domain) > 253:
        return None
    return end


def _scan(
    name: str, text: str, encoded: bytes, accept: Callable[[int, int], int | None]
) -> Iterator[tuple[int, int]]:
    """The accepted matches of pattern ``name``: ``accept(start, end)`` gives the end of what
    it keeps, or None. A rejected phone candidate may have swallowed a good one ("05.06.2025
    0612345678"): each later position inside it that follows a space is tried again, anchored,
    in a window of bounded length, so a retry costs at most _MAX_CANDIDATE characters and the
    scan stays linear."""
    pattern = _compiled()[name]
    retry = name in _PHONE_PATTERNS
    offsets = _Offsets(encoded)
    for match in pattern.finditer(encoded):
        start, end = offsets.chars(match.start()), offsets.chars(match.end())
        cut = accept(start, end)
        if cut is not None:
            yield start, cut
            continue
        if not retry:
            continue
        position = start + 1
        while position < end:
            if text[position - 1] not in " \xa0" or text[position] not in _STARTS:
                position += 1
                continue
            window = text[position : position + _MAX_CANDIDATE].encode("utf-8")
            again = pattern.match(window)
            if again is not None:
                b = position + len(window[: again.end()].decode("utf-8"))
                cut = accept(position, b)
                if cut is not None:
                    yield position, cut
                    position = cut
                    continue
            position += 1


class _Offsets:
    """Byte offsets of a UTF-8 text to character offsets, for offsets met in order."""

    def __init__(self, encoded: bytes) -> None:
        self.encoded = encoded
        self.byte = 0
        self.char = 0
        self.ascii = encoded.isascii()

    def chars(self, byte: int) -> int:
        if self.ascii:
            return byte
        if byte < self.byte:  # a little back: count from the start (rare, short texts)
            self.byte = self.char = 0
        self.char += len(self.encoded[self.byte : byte].decode("utf-8"))
        self.byte = byte
        return self.char


def find(text: str) -> list[Found]:
    """Every e-mail address, phone number, card number and IBAN in ``text``, in order,
    without overlaps (the earlier of :data:`KINDS` wins: an e-mail address over the digits in
    it, an IBAN or a card number over the phone numbers its groups look like)."""
    if _ANY.search(text) is None:  # most texts: no digit, no "@" (one scan, in C)
        return []
    encoded = text.encode("utf-8")
    found: list[Found] = []
    if "@" in text:
        for start, end in _scan("email", text, encoded, lambda a, b: _email(text, a, b)):
            found.append(Found("email", start, end, text[start:end]))
    if _compiled()["numberish"].search(encoded) is None:
        return found
    for start, end in _scan("iban", text, encoded, lambda a, b: _iban(text, a, b)):
        found.append(Found("iban", start, end, text[start:end]))
    for start, end in _scan("card", text, encoded, lambda a, b: _card(text, a, b)):
        found.append(Found("card", start, end, text[start:end]))
    for name in _PHONE_PATTERNS:
        accept = functools.partial(_phone, name, text)
        for start, end in _scan(name, text, encoded, accept):
            found.append(Found("phone", start, end, text[start:end]))
    return _without_overlaps(found)


def _without_overlaps(found: list[Found]) -> list[Found]:
    rank = {kind: n for n, kind in enumerate(KINDS)}
    # Higher rank first, then the longest; a later one overlapping a kept one is dropped.
    ordered = sorted(found, key=lambda f: (rank[f.kind], f.start, -(f.end - f.start)))
    # The kept spans never overlap, so sorted by start they are sorted by end too: one
    # bisection finds the only neighbours a new span could overlap (n log n, not n squared).
    starts: list[int] = []
    kept: list[Found] = []
    for item in ordered:
        at = bisect.bisect_left(starts, item.start)
        if at > 0 and kept[at - 1].end > item.start:
            continue
        if at < len(kept) and kept[at].start < item.end:
            continue
        starts.insert(at, item.start)
        kept.insert(at, item)
    return kept


def _normalized(item: Found) -> str:
    if item.kind == "email":
        return item.value.casefold()
    digits = _digits(item.value)
    return ("+" if item.value.startswith("+") else "") + digits


# -------------------------------------------------------------------------------- masking


class Masker:
    """Masks personal data in texts, ids and logged calls, and counts what it masked.

    One masker per audit: it remembers the distinct values it masked (for :attr:`counts`)
    and the ids it gave (so two ids never become one). Deterministic: the same calls in the
    same order give the same masked calls.
    """

    def __init__(self, salt: str | None = None) -> None:
        self.salted = bool(salt)
        """Whether the ids' hashes are keyed by a secret salt rather than the public default."""
        self._key = (salt or DEFAULT_SALT).encode("utf-8")
        self._seen: dict[Kind, set[str]] = {kind: set() for kind in KINDS}
        self._ids: dict[str, str] = {}
        self._owners: dict[str, str] = {}
        self._texts: OrderedDict[str, str] = OrderedDict()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Masker:
        """A masker keyed by ``REPLAY_MASK_KEY`` (the public default when it is unset)."""
        env = os.environ if environ is None else environ
        return cls(env.get(SALT_ENV) or None)

    @property
    def counts(self) -> MaskCounts:
        """Distinct values masked so far, per kind."""
        return MaskCounts(
            email=len(self._seen["email"]),
            phone=len(self._seen["phone"]),
            card=len(self._seen["card"]),
            iban=len(self._seen["iban"]),
        )

    def _note(self, item: Found) -> str:
        digest = hmac.new(self._key, f"{item.kind}:{_normalized(item)}".encode(), hashlib.sha256)
        value = digest.hexdigest()
        self._seen[item.kind].add(value[:32])
        return value

    # ------------------------------------------------------------------ texts

    def text(self, text: str) -> str:
        """``text`` with each value replaced by its kind's placeholder (``[email]``...)."""
        if not text:
            return text
        known = self._texts.get(text)
        if known is not None:
            self._texts.move_to_end(text)
            return known
        masked = self._replace(text, lambda item: PLACEHOLDERS[item.kind])
        if len(text) > _CACHE_CHARS:
            return masked
        self._texts[text] = masked
        if len(self._texts) > _CACHE:
            self._texts.popitem(last=False)
        return masked

    def _replace(self, text: str, placeholder: Any) -> str:
        found = find(text)
        if not found:
            return text
        out: list[str] = []
        at = 0
        for item in found:
            self._note(item)
            out.append(text[at : item.start])
            out.append(placeholder(item))
            at = item.end
        out.append(text[at:])
        return "".join(out)

    def optional(self, text: str | None) -> str | None:
        """:meth:`text` of a text that may be absent."""
        return None if text is None else self.text(text)

    def json_text(self, text: str) -> str:
        """A text that may be JSON (tool arguments, a tool's result): its strings and numbers
        masked inside the parsed value, so an escape (``\\n0612345678``) hides nothing; text
        that is not JSON is masked as text. Unchanged when nothing was found."""
        stripped = text.lstrip()
        if not stripped or stripped[0] not in "[{":
            return self.text(text)
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            return self.text(text)
        masked, changed = self._json(value)
        if not changed:
            return self.text(text)  # keeps the original bytes (and catches what JSON hid)
        return json.dumps(masked, ensure_ascii=False, separators=(",", ":"))

    def _json(self, value: Any) -> tuple[Any, bool]:
        if isinstance(value, str):
            masked = self.text(value)
            return masked, masked != value
        if isinstance(value, bool) or value is None:
            return value, False
        if isinstance(value, (int, float)):
            spelled = str(value)
            masked = self.text(spelled)
            return (masked, True) if masked != spelled else (value, False)
        if isinstance(value, list):
            items = [self._json(v) for v in value]
            return [v for v, _ in items], any(c for _, c in items)
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            changed = False
            for key, item in value.items():
                new_key = self.text(key)
                new_item, item_changed = self._json(item)
                out[new_key] = new_item
                changed = changed or item_changed or new_key != key
            return out, changed
        return value, False

    # ------------------------------------------------------------------- ids

    def ident(self, ident: str) -> str:
        """An id with each value replaced by ``[kind:<hash>]``: distinct ids stay distinct
        (for this masker), the same id always masks the same way (for the same salt)."""
        known = self._ids.get(ident)
        if known is not None:
            return known
        digests: dict[tuple[int, int], tuple[Kind, str]] = {}
        found = find(ident)
        for item in found:
            digests[(item.start, item.end)] = (item.kind, self._note(item))
        covered = [(f.start, f.end) for f in found]
        for match in _ID_DIGITS.finditer(ident):
            if all(match.end() <= a or match.start() >= b for a, b in covered):
                item = Found("phone", match.start(), match.end(), match.group())
                digests[(item.start, item.end)] = ("phone", self._note(item))
        if not digests:
            return ident
        length = ID_HEX
        while True:
            masked = self._spliced(ident, digests, length)
            owner = self._owners.get(masked)
            if owner is None or owner == ident or length >= 64:
                break
            length = min(64, length + 8)  # another id took this name: a longer hash
        self._owners[masked] = ident
        self._ids[ident] = masked
        return masked

    @staticmethod
    def _spliced(ident: str, digests: dict[tuple[int, int], tuple[Kind, str]], n: int) -> str:
        out: list[str] = []
        at = 0
        for (start, end), (kind, digest) in sorted(digests.items()):
            out.append(ident[at:start])
            out.append(f"[{kind}:{digest[:n]}]")
            at = end
        out.append(ident[at:])
        return "".join(out)

    def optional_ident(self, ident: str | None) -> str | None:
        """:meth:`ident` of an id that may be absent."""
        return None if ident is None else self.ident(ident)

    # ----------------------------------------------------------------- records

    def tool_call(self, call: ToolCall) -> ToolCall:
        """A tool call with its id, name and JSON arguments masked."""
        return ToolCall(self.ident(call.id), self.text(call.name), self.json_text(call.arguments))

    def message(self, message: WireMessage) -> WireMessage:
        """A message with its text, parts, tool calls and the tool call id it answers masked
        (a tool's result is masked as JSON when it is JSON)."""
        masked_text = self.json_text if message.role == "tool" else self.text
        return replace(
            message,
            text=masked_text(message.text),
            tool_calls=tuple(self.tool_call(c) for c in message.tool_calls),
            tool_call_id=self.optional_ident(message.tool_call_id),
            parts=tuple(masked_text(p) for p in message.parts),
        )

    def reply(self, reply: WireReply) -> WireReply:
        """A reply with its text, refusal, tool calls and id masked."""
        return replace(
            reply,
            text=self.text(reply.text),
            tool_calls=tuple(self.tool_call(c) for c in reply.tool_calls),
            refusal=self.optional(reply.refusal),
            id=self.optional_ident(reply.id),
        )

    def call(self, call: LoggedCall) -> LoggedCall:
        """A logged call with every text that reaches a trace or a report masked: the
        conversation id (as an id), the input messages, the output, the model and agent
        names, the error and the reason the input is unknown, and the log file's name (the
        trace's ``source``: an export per user may be named by the user's address) as an id,
        so a path holding nothing personal is kept as it is."""
        file = self.ident(call.where.file)
        return replace(
            call,
            conversation=self.ident(call.conversation),
            where=call.where if file == call.where.file else replace(call.where, file=file),
            input=tuple(self.message(m) for m in call.input),
            output=None if call.output is None else self.reply(call.output),
            model=self.optional(call.model),
            agent=self.optional(call.agent),
            error=self.optional(call.error),
            unknown_because=self.optional(call.unknown_because),
        )


def mask_call(call: LoggedCall, masker: Masker | None = None) -> LoggedCall:
    """``call`` with its personal data masked (see :class:`Masker`). Pass one ``masker`` for
    a whole audit to get its :attr:`~Masker.counts` and the guarantee that distinct ids stay
    distinct; without one, a masker keyed by ``REPLAY_MASK_KEY`` masks this call alone."""
    return (masker or Masker.from_env()).call(call)
