"""A price table: what each model's input and output tokens cost, per million, as Decimal.

The user supplies it (the CLI reads it from a TOML file); :func:`parse_prices` reads the plain
data such a file holds, and :func:`replay.results.cost` prices a run's usage with it. Prices
are exact decimals, never floats: a budget compared against a sum of floats could stop one call
late or early.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

PER_TOKENS = 1_000_000
"""Prices are per this many tokens (per million, as providers list them)."""

OFFLINE_MODELS = frozenset({"simulator", "scripted", "extractive"})
"""replay's own offline reply models and summarizer: they call no provider and cost nothing,
so a run that mixes them with a live model is priced without listing them."""


class PriceError(ValueError):
    """A price table entry that is not a price, for the caller to locate in its file: ``model``
    is the entry's name, ``field`` its key (``input``, ``output``, an unknown one) or None when
    the entry as a whole is wrong; ``key`` both, dotted (``gpt-4o.input``)."""

    def __init__(self, model: str, field: str | None, message: str) -> None:
        self.model = model
        self.field = field
        self.key = model if field is None else f"{model}.{field}"
        super().__init__(f"{self.key}: {message}")


@dataclass(frozen=True)
class ModelPrice:
    """What one model's tokens cost, per million (:data:`PER_TOKENS`)."""

    input: Decimal
    output: Decimal

    def cost(self, input_tokens: int, output_tokens: int) -> Decimal:
        """The exact cost of these tokens."""
        return (input_tokens * self.input + output_tokens * self.output) / PER_TOKENS


FREE = ModelPrice(Decimal(0), Decimal(0))


@dataclass(frozen=True)
class Prices:
    """Model name -> price. Looked up by a call's model name exactly, then without the
    prefixes replay puts before it (``model:`` for a model summarizer, ``openai:`` or
    ``anthropic:`` for a live model), so ``gpt-4o`` prices ``openai:gpt-4o`` and
    ``model:openai:gpt-4o``; replay's offline models (:data:`OFFLINE_MODELS`) are free unless
    the table says otherwise."""

    entries: tuple[tuple[str, ModelPrice], ...] = ()
    """(model name, price), sorted by name."""
    _table: Mapping[str, ModelPrice] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Looked up once per model per report line: a dict built once, not per lookup.
        object.__setattr__(self, "_table", dict(self.entries))

    def price_of(self, model: str) -> ModelPrice | None:
        """The price of ``model``'s tokens, or None if the table has none for it."""
        table = self._table
        name = model
        while True:
            found = table.get(name)
            if found is not None:
                return found
            head, colon, rest = name.partition(":")
            if not colon or not rest or head not in _PREFIXES:
                break
            name = rest
        return FREE if model in OFFLINE_MODELS else None


_PREFIXES = frozenset({"model", "openai", "anthropic"})
"""The prefixes replay writes before a model's name in a trace (see :class:`Prices`)."""


def amount(value: object, what: str = "an amount") -> Decimal:
    """An exact amount of zero or more from a number or a decimal string; ValueError saying
    why not (``what`` names it: "a price"). A float goes through its shortest repr, so 0.1 is
    0.1 and not the binary fraction nearest to it (0.1000000000000000055511151231257827...)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise ValueError(f"expected a number or a decimal string, got {value!r}")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"expected {what} of zero or more, got {value!r}")
    return number


def _decimal(value: object, model: str, key: str) -> Decimal:
    try:
        return amount(value, "a price")
    except ValueError as exc:
        raise PriceError(model, key, str(exc)) from None


def parse_prices(table: Mapping[str, object]) -> Prices:
    """A price table from plain data: ``{model: {"input": P, "output": P}}``, P per million
    tokens as a number or a decimal string (``"2.50"``). Raises :class:`PriceError` naming the
    entry for anything else (a missing or unknown key, a negative or non-numeric price)."""
    entries = []
    for model, entry in table.items():
        if not isinstance(model, str) or not model:
            raise PriceError(repr(model), None, "a model name must be a non-empty string")
        if not isinstance(entry, Mapping):
            raise PriceError(model, None, 'expected a table {input = "…", output = "…"}')
        unknown = sorted(str(k) for k in entry if k not in ("input", "output"))
        if unknown:
            raise PriceError(model, unknown[0], "unknown key (expected input and output)")
        for key in ("input", "output"):
            if key not in entry:
                raise PriceError(model, key, "missing (price per million tokens)")
        price = ModelPrice(
            _decimal(entry["input"], model, "input"), _decimal(entry["output"], model, "output")
        )
        entries.append((model, price))
    return Prices(tuple(sorted(entries, key=lambda e: e[0])))
