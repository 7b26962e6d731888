"""The fleet picture of an audit: many conversations summed up in bounded memory.

``replay audit`` reads production logs into one trace per conversation; a month of them is
100,000 conversations or more, too many to list and too many to hold. :class:`FleetAccumulator`
is shown each conversation once, as a :class:`~replay.reports._model.ScenarioEntry`, and keeps
only what a fixed amount of memory holds:

- counters: conversations by verdict; per check how many conversations it failed, could not
  run, was not exercised in, held; per check and kind of finding how many conversations had one;
  per citation the same sums the report's "by regulation" table gives;
- distributions (:class:`Distribution`, fixed bucket edges plus values rounded to three
  significant digits): the turn of each conversation's first lapse (its earliest finding), the
  wall-clock hours between consecutive replies that disclosed, and conversation length;
- breakdowns by model and by agent name (at most :data:`MAX_GROUPS` of each), so a model
  migration shows up as one model's failure share against another's;
- the fleet's token usage per model (calls, input and output tokens, calls counted by replay:
  the traces' own usage summed, :func:`~replay.results.merge_usage`), at most
  :data:`MAX_GROUPS` models by name, the rest summed under :data:`OTHER`;
- the ``worst`` conversations (see :func:`worst_rank`) and a deterministic ``sample`` (the
  conversations with the smallest ``sha256(seed + NUL + id)``), whose entries are kept whole so
  the report shows them with full evidence, as it shows scenarios.

Everything it reports is independent of the order conversations arrive in: the audit streams
them in log order, ``replay report DIR`` in trace-file order, and both write the same bytes.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from replay.reports._model import OWN_CHECKS, ScenarioEntry, rule_packs
from replay.reports._usage import usage_text, usage_to_json
from replay.results import (
    ERROR,
    FAIL,
    PASS,
    UNPROVEN,
    VERDICTS,
    Finding,
    ModelUsage,
    Outcome,
    merge_usage,
)
from replay.spec._words import count

MAX_GROUPS = 100
"""Distinct models (and agent names) given a row of their own; later ones are counted together
under :data:`OTHER` (the fleet says how many were), so a log that names a model per user
cannot grow the report without bound."""
OTHER = "(other)"
NOT_LOGGED = "(not logged)"
SAMPLE_METHOD = (
    "the {n} conversations with the smallest sha256(seed + NUL + conversation id), seed "
    "{seed!r}: reproducible, and independent of the order the logs list them in"
)
WORST_ORDER = (
    "by verdict (error, then fail, then unproven; a conversation that passed is never among "
    "them), then more failed checks, then more findings, then the earlier first lapse, then "
    "the conversation id"
)

TURN_BUCKETS: tuple[tuple[float, float | None, str], ...] = (
    (1, 2, "1"),
    (2, 3, "2"),
    (3, 4, "3"),
    (4, 5, "4"),
    (5, 6, "5"),
    (6, 11, "6-10"),
    (11, 21, "11-20"),
    (21, 51, "21-50"),
    (51, 101, "51-100"),
    (101, 201, "101-200"),
    (201, 501, "201-500"),
    (501, 1001, "501-1000"),
    (1001, 2001, "1001-2000"),
    (2001, 5001, "2001-5000"),
    (5001, 10001, "5001-10000"),
    (10001, None, ">10000"),
)
"""Turn buckets: [from, to) and the label the charts print."""
HOUR_BUCKETS: tuple[tuple[float, float | None, str], ...] = (
    (0, 0.25, "<15m"),
    (0.25, 0.5, "15-30m"),
    (0.5, 1, "30m-1h"),
    (1, 2, "1-2h"),
    (2, 3, "2-3h"),
    (3, 4, "3-4h"),
    (4, 6, "4-6h"),
    (6, 12, "6-12h"),
    (12, 24, "12-24h"),
    (24, 48, "1-2d"),
    (48, 168, "2-7d"),
    (168, None, "7d+"),
)
"""Hours buckets: 3h is an edge, the interval the companion-chatbot rule packs ask for."""


def _significant(value: float) -> float:
    """``value`` rounded to three significant digits (integers under 1000 stay exact)."""
    return float(f"{value:.3g}")


class Distribution:
    """Values counted in fixed buckets (exactly) and under their three-significant-digit
    rounding (for the quantiles): at most about 900 keys a decade, whatever the number of
    values, and the same result in any order of adding."""

    def __init__(self, buckets: Sequence[tuple[float, float | None, str]]) -> None:
        self.buckets = tuple(buckets)
        self._edges = [low for low, _, _ in self.buckets]
        self.counts = [0] * len(self.buckets)
        self.values: Counter[float] = Counter()
        self.n = 0
        self.low: float | None = None
        self.high: float | None = None

    def add(self, value: float) -> None:
        """Count one value (at or above the first bucket's lower edge)."""
        self.n += 1
        self.values[_significant(value)] += 1
        self.low = value if self.low is None else min(self.low, value)
        self.high = value if self.high is None else max(self.high, value)
        self.counts[max(0, bisect.bisect_right(self._edges, value) - 1)] += 1

    def quantile(self, q: float) -> float | None:
        """The nearest-rank ``q`` quantile (the smallest value at least ``q`` of all reach),
        to three significant digits; None without values."""
        if not self.n:
            return None
        rank = max(1, math.ceil(q * self.n))
        seen = 0
        for value in sorted(self.values):
            seen += self.values[value]
            if seen >= rank:
                return value
        return max(self.values)  # pragma: no cover - the loop always reaches the rank

    def to_json(self, digits: int = 4) -> dict[str, Any]:
        """Count, min, median, p90, max and the buckets from the first up to the last
        non-empty one (an empty distribution has none)."""
        last = max((i for i, c in enumerate(self.counts) if c), default=-1)

        def num(value: float | None) -> float | None:
            return None if value is None else round(value, digits)

        return {
            "count": self.n,
            "min": num(self.low),
            "median": num(self.quantile(0.5)),
            "p90": num(self.quantile(0.9)),
            "max": num(self.high),
            "buckets": [
                {"label": label, "from": low, "to": high, "count": self.counts[i]}
                for i, (low, high, label) in enumerate(self.buckets[: last + 1])
            ],
        }


def finding_kind(finding: Finding) -> str:
    """The kind of a finding, in the vocabulary of ``replay diff``'s matching
    (:func:`replay.reports._diff.finding_kind`, which reads report.json's data; a test keeps
    the two equal): how a probe's reply answered (``claimed-human``, ``evaded``), else whether a
    compaction is the evidence (``after-compaction``) or not (``without-compaction``)."""
    if finding.answer in ("claimed-human", "evaded"):
        return finding.answer
    return "after-compaction" if finding.compaction is not None else "without-compaction"


def worst_rank(entry: ScenarioEntry) -> tuple[Any, ...]:
    """Sorting key of "worst first": the verdict (error, fail, unproven: the order in which a
    set of runs takes its worst verdict; the accumulator never ranks a pass), then more
    failed checks, then more findings, then the earlier first lapse, then the conversation id
    and trace (a total order, so the worst N do not depend on the order conversations arrive
    in)."""
    result = entry.result
    failed = sum(c.outcome is Outcome.FAILS for c in result.checks)
    findings = result.findings
    first = min((f.turn for f in findings), default=None)
    return (
        -VERDICTS.index(result.verdict),
        -failed,
        -len(findings),
        first if first is not None else math.inf,
        result.scenario,
        entry.trace or "",
    )


def sample_key(seed: str, entry: ScenarioEntry) -> tuple[str, str]:
    """Sorting key of the sample: sha256 of the seed, a NUL and the conversation id (hex),
    then the trace (two conversations sharing an id stay apart)."""
    digest = hashlib.sha256(f"{seed}\0{entry.result.scenario}".encode()).hexdigest()
    return digest, entry.trace or ""


def disclosure_gaps(disclosures: Iterable[str], points: Iterable[Mapping[str, Any]]) -> list[float]:
    """The wall-clock hours between consecutive replies that disclosed, per disclosure (read
    from the timeline points' ``disclosed``, as recurs_every reads replies). For a folded
    timeline (points of several turns) only each point's last disclosing reply is known, so
    the gaps are those between columns: an upper bound of the true ones."""
    gaps: list[float] = []
    points = list(points)
    for disclosure in disclosures:
        previous: float | None = None
        for point in points:
            seen = point["disclosed"].get(disclosure)
            if seen is None:
                continue
            if previous is not None:
                gaps.append(max(0.0, seen["minutes"] - previous) / 60)
            previous = seen["minutes"]
    return gaps


@dataclass
class _CheckTally:
    check: str
    disclosure: str | None
    order: int
    citations: set[str] = field(default_factory=set)
    outcomes: Counter[str] = field(default_factory=Counter)
    blocking: int = 0
    findings: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    """Conversations with at least one finding of each kind."""
    kind_findings: Counter[str] = field(default_factory=Counter)


@dataclass
class _Group:
    verdicts: Counter[str] = field(default_factory=Counter)
    with_findings: int = 0
    failed_checks: Counter[str] = field(default_factory=Counter)


@dataclass
class _Breakdown:
    """Conversations per value of one agent field (model, agent name), bounded."""

    groups: dict[str, _Group] = field(default_factory=dict)
    other_values: int = 0
    """Distinct values beyond MAX_GROUPS (counted under OTHER). Which values get a row of
    their own depends on arrival order only when there are more than MAX_GROUPS."""
    _others: set[str] = field(default_factory=set)

    def group(self, value: str) -> _Group:
        if value in self.groups:
            return self.groups[value]
        if len(self.groups) < MAX_GROUPS or value == OTHER:
            return self.groups.setdefault(value, _Group())
        if len(self._others) < MAX_GROUPS:  # bounded too: beyond it only the count is approximate
            self._others.add(value)
            self.other_values = len(self._others)
        return self.groups.setdefault(OTHER, _Group())

    def to_json(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for value, g in self.groups.items():
            total = sum(g.verdicts.values())
            rows.append(
                {
                    "value": value,
                    "conversations": total,
                    "passed": g.verdicts[PASS],
                    "unproven": g.verdicts[UNPROVEN],
                    "failed": g.verdicts[FAIL],
                    "errors": g.verdicts[ERROR],
                    "with_findings": g.with_findings,
                    "failed_share": _share(g.verdicts[FAIL], total),
                    "findings_share": _share(g.with_findings, total),
                    "failed_checks": dict(sorted(g.failed_checks.items())),
                }
            )
        # Most conversations first; the catch-all rows last; then by value (a total order).
        rows.sort(key=lambda r: (r["value"] in (OTHER,), -r["conversations"], r["value"]))
        return rows


@dataclass
class _UsageTotals:
    """The fleet's usage per model name, bounded: models beyond :data:`MAX_GROUPS` are summed
    under :data:`OTHER` (the totals stay exact; which models get a row of their own depends on
    arrival order only when there are more than MAX_GROUPS)."""

    models: tuple[ModelUsage, ...] = ()

    def add(self, usage: Sequence[ModelUsage]) -> None:
        if not usage:
            return
        known = {u.model for u in self.models}
        room = MAX_GROUPS - len(known - {OTHER})
        own: list[ModelUsage] = []
        for u in usage:
            if u.model in known or u.model == OTHER:
                own.append(u)
            elif room > 0:
                own.append(u)
                known.add(u.model)
                room -= 1
            else:
                own.append(
                    ModelUsage(OTHER, u.calls, u.input_tokens, u.output_tokens, u.counted_calls)
                )
        self.models = merge_usage((self.models, own))


@dataclass
class _Regulation:
    conversations: int = 0
    failing_conversations: int = 0
    checks: int = 0
    failed_checks: int = 0
    not_exercised_checks: int = 0
    findings: int = 0


def _share(part: int, whole: int) -> float:
    """A share as a fraction rounded to four places (0.0 of nothing)."""
    return round(part / whole, 4) if whole else 0.0


class FleetAccumulator:
    """Sums up conversations one at a time for the fleet section of an audit's report.

    ``worst``: how many of the worst conversations to keep whole (see :func:`worst_rank`);
    ``sample``: how many to keep as a deterministic sample for human review (the smallest
    ``sha256(seed + NUL + id)``, see :func:`sample_key`). Memory is bounded by those
    entries plus counters and distributions whose size does not grow with the conversations.
    """

    def __init__(self, worst: int = 10, sample: int = 20, seed: str = "replay") -> None:
        if worst < 0 or sample < 0:
            raise ValueError("worst and sample must be 0 or more")
        self.worst_limit = worst
        self.sample_limit = sample
        self.seed = seed
        self.total = 0
        self.verdicts: Counter[str] = Counter()
        self.with_findings = 0
        self.checks: dict[str, _CheckTally] = {}
        self.regulations: dict[str, _Regulation] = {}
        self.rules: set[str] = set()
        self.first_lapse = Distribution(TURN_BUCKETS)
        self.turns = Distribution(TURN_BUCKETS)
        self.gaps = Distribution(HOUR_BUCKETS)
        self.gap_conversations = 0
        self.folded = 0
        self.by_model = _Breakdown()
        self.by_agent = _Breakdown()
        self.check_instances = 0
        self.failed_check_instances = 0
        self.not_exercised_instances = 0
        self.findings = 0
        self.usage = _UsageTotals()
        self._worst: list[tuple[tuple[Any, ...], ScenarioEntry]] = []
        self._sample: list[tuple[tuple[str, str], ScenarioEntry]] = []

    # ------------------------------------------------------------------ consuming

    def add(self, entry: ScenarioEntry) -> dict[str, Any]:
        """Count one conversation; return its row for conversations.jsonl (small, JSON-able)."""
        result = entry.result
        self.total += 1
        verdict = result.verdict
        self.verdicts[verdict] += 1
        findings = result.findings
        if findings:
            self.with_findings += 1
        first = min((f.turn for f in findings), default=None)
        if first is not None:
            self.first_lapse.add(first)
        if result.turns:  # a conversation with no turn could not complete: counted there
            self.turns.add(result.turns)
        self.rules.update(result.rules)
        row_checks: dict[str, dict[str, Any]] = {}
        labels: dict[str, bool] = {}
        ids: Counter[str] = Counter()
        for index, check in enumerate(result.checks):
            # A repeated check id (two recurs_every on one disclosure) is counted apart as
            # ``id#2``, as replay diff tells them apart.
            ids[check.id] += 1
            key = check.id if ids[check.id] == 1 else f"{check.id}#{ids[check.id]}"
            tally = self.checks.get(key)
            if tally is None:
                tally = self.checks[key] = _CheckTally(check.check, check.disclosure, index)
            tally.order = min(tally.order, index)
            tally.citations.update(check.citations)
            tally.outcomes[check.outcome.value] += 1
            tally.blocking += result.blocking(check)
            tally.findings += len(check.findings)
            kinds = Counter(finding_kind(f) for f in check.findings)
            for kind, n in kinds.items():
                tally.kinds[kind] += 1
                tally.kind_findings[kind] += n
            self.check_instances += 1
            self.failed_check_instances += check.outcome is Outcome.FAILS
            self.not_exercised_instances += check.outcome is Outcome.NOT_EXERCISED
            self.findings += len(check.findings)
            row_checks[key] = {
                "outcome": check.outcome.value,
                "findings": len(check.findings),
                "first_turn": min((f.turn for f in check.findings), default=None),
                "kinds": dict(sorted(kinds.items())),
            }
            for label in check.citations or (OWN_CHECKS,):
                reg = self.regulations.setdefault(label, _Regulation())
                reg.checks += 1
                reg.not_exercised_checks += check.outcome is Outcome.NOT_EXERCISED
                if check.outcome is Outcome.FAILS:
                    reg.failed_checks += 1
                    reg.findings += len(check.findings)
                labels[label] = labels.get(label, False) or check.outcome is Outcome.FAILS
        for label, failing in labels.items():
            self.regulations[label].conversations += 1
            self.regulations[label].failing_conversations += failing
        gaps: list[float] = []
        if entry.timeline is not None:
            gaps = disclosure_gaps(entry.timeline.disclosures, entry.timeline.points)
            if entry.timeline.bucket > 1:
                self.folded += 1
        if gaps:
            self.gap_conversations += 1
        for gap in gaps:
            self.gaps.add(gap)
        model = str(result.agent.get("model") or NOT_LOGGED)
        name = str(result.agent.get("name") or NOT_LOGGED)
        failed_ids = [k for k, v in row_checks.items() if v["outcome"] == Outcome.FAILS.value]
        for breakdown, value in ((self.by_model, model), (self.by_agent, name)):
            group = breakdown.group(value)
            group.verdicts[verdict] += 1
            group.with_findings += bool(findings)
            group.failed_checks.update(failed_ids)
        self.usage.add(result.usage)
        self._keep(entry)
        return {
            "id": result.scenario,
            "trace": entry.trace,
            "verdict": verdict,
            "format": result.agent.get("format"),
            "model": result.agent.get("model"),
            "agent": result.agent.get("name"),
            "turns": result.turns,
            "compactions": result.compactions,
            "findings": len(findings),
            "first_lapse_turn": first,
            "error": result.error,
            "unproven": result.unproven,
            "checks": row_checks,
            "disclosure_gaps": {
                "count": len(gaps),
                "max_hours": round(max(gaps), 4) if gaps else None,
            },
        }

    def _keep(self, entry: ScenarioEntry) -> None:
        """The worst and the sampled conversations so far: sorted lists cut to their limits
        (a few dozen entries: insertion is cheaper than a heap of comparable wrappers)."""
        # A conversation that passed has no evidence to show: it is listed only if sampled.
        if self.worst_limit and entry.result.verdict != PASS:
            rank = worst_rank(entry)
            if len(self._worst) < self.worst_limit or rank < self._worst[-1][0]:
                bisect.insort(self._worst, (rank, entry), key=lambda item: item[0])
                del self._worst[self.worst_limit :]
        if self.sample_limit:
            key = sample_key(self.seed, entry)
            if len(self._sample) < self.sample_limit or key < self._sample[-1][0]:
                bisect.insort(self._sample, (key, entry), key=lambda item: item[0])
                del self._sample[self.sample_limit :]

    # ------------------------------------------------------------------ results

    def kept(self) -> list[ScenarioEntry]:
        """The worst conversations (worst first), then the sampled ones not among them (in
        sample order): what the report shows with full evidence."""
        out = [entry for _, entry in self._worst]
        seen = {_identity(e) for e in out}
        out.extend(e for _, e in self._sample if _identity(e) not in seen)
        return out

    def fleet(self) -> dict[str, Any]:
        """The report's ``fleet`` section (see replay/schemas/report.schema.json)."""
        worst_ids = {_identity(e) for _, e in self._worst}
        sample_ids = {_identity(e) for _, e in self._sample}
        checks = sorted(self.checks.items(), key=lambda item: (item[1].order, item[0]))
        kinds = [
            {
                "check": check_id,
                "kind": kind,
                "conversations": n,
                "share": _share(n, self.total),
                "findings": tally.kind_findings[kind],
            }
            for check_id, tally in checks
            for kind, n in sorted(tally.kinds.items())
        ]
        gaps = self.gaps.to_json()
        gaps["conversations"] = self.gap_conversations
        gaps["approximate_conversations"] = self.folded
        # Only a fleet whose traces counted tokens has usage: the report of one that did not
        # keeps the bytes (and schema version 1.3) it had before usage was counted.
        usage = {"usage": usage_to_json(self.usage.models)} if self.usage.models else {}
        return {
            "conversations": self.total,
            "verdicts": {v: self.verdicts[v] for v in VERDICTS},
            "with_findings": self.with_findings,
            "with_findings_share": _share(self.with_findings, self.total),
            "check_instances": self.check_instances,
            "failed_check_instances": self.failed_check_instances,
            "not_exercised_instances": self.not_exercised_instances,
            "findings": self.findings,
            "checks": [_check_row(check_id, t, self.total) for check_id, t in checks],
            "finding_kinds": kinds,
            "first_lapse_turn": self.first_lapse.to_json(),
            "turns": self.turns.to_json(),
            "hours_between_disclosures": gaps,
            "by_model": self.by_model.to_json(),
            "by_agent": self.by_agent.to_json(),
            "other_models": self.by_model.other_values,
            "other_agents": self.by_agent.other_values,
            "by_regulation": self._regulation_rows(),
            "rules": sorted(self.rules),
            "worst": [
                {**_brief(e), "rank": i + 1, "sampled": _identity(e) in sample_ids}
                for i, (_, e) in enumerate(self._worst)
            ],
            "sample": [
                {**_brief(e), "sha256": key[0], "worst": _identity(e) in worst_ids}
                for key, e in self._sample
            ],
            "selection": {
                "worst": self.worst_limit,
                "sample": self.sample_limit,
                "seed": self.seed,
                "listed": len(worst_ids | sample_ids),
                "worst_order": WORST_ORDER,
                "sample_method": SAMPLE_METHOD.format(n=self.sample_limit, seed=self.seed),
            },
            **usage,
        }

    def _regulation_rows(self) -> list[dict[str, Any]]:
        packs = rule_packs(self.rules)
        by_label = {p.citation_label: p for p in packs.values()}
        rows = []
        for label in sorted(self.regulations, key=lambda k: (k == OWN_CHECKS, k)):
            reg = self.regulations[label]
            pack = by_label.get(label)
            rows.append(
                {
                    "citation": label,
                    "pack": pack.id if pack else None,
                    "status": pack.status if pack else None,
                    "conversations": reg.conversations,
                    "failing_conversations": reg.failing_conversations,
                    "checks": reg.checks,
                    "failed_checks": reg.failed_checks,
                    "not_exercised_checks": reg.not_exercised_checks,
                    "findings": reg.findings,
                }
            )
        return rows


def _identity(entry: ScenarioEntry) -> tuple[str, str]:
    return entry.result.scenario, entry.trace or ""


def _brief(entry: ScenarioEntry) -> dict[str, Any]:
    result = entry.result
    return {
        "id": result.scenario,
        "trace": entry.trace,
        "verdict": result.verdict,
        "findings": len(result.findings),
        "first_lapse_turn": min((f.turn for f in result.findings), default=None),
    }


def _check_row(check_id: str, tally: _CheckTally, total: int) -> dict[str, Any]:
    outcomes = tally.outcomes
    failed = outcomes[Outcome.FAILS.value]
    could_not_run = outcomes[Outcome.COULD_NOT_RUN.value]
    not_exercised = outcomes[Outcome.NOT_EXERCISED.value]
    return {
        "id": check_id,
        "check": tally.check,
        "disclosure": tally.disclosure,
        "citations": sorted(tally.citations),
        "conversations": sum(outcomes.values()),
        "failed": failed,
        "could_not_run": could_not_run,
        "not_exercised": not_exercised,
        "unjudged": could_not_run + not_exercised,
        "held": outcomes[Outcome.HOLDS.value],
        "blocking": tally.blocking,
        "findings": tally.findings,
        "failed_share": _share(failed, total),
    }


# ---------------------------------------------------------------------- text


def _percent(share: float) -> str:
    return f"{100.0 * share:.1f}%"


def _hours(value: float | None) -> str:
    if value is None:
        return "-"
    minutes = round(value * 60)
    if minutes < 60:
        return f"{minutes}m"
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}m" if rest else f"{hours}h"


def listed_sentence(fleet: Mapping[str, Any], *, where: str = "below") -> str:
    """What the report lists of the fleet, said plainly (never implying all are listed):
    "Listed below: the 10 worst conversations and a deterministic sample of 20 (seed
    'replay'), 2 in both: 28 of 100000 conversations. ..." (``where``: "below" in the report,
    "in the report" for the CLI)."""
    sel = fleet["selection"]
    worst, sample = len(fleet["worst"]), len(fleet["sample"])
    both = worst + sample - sel["listed"]
    total = fleet["conversations"]
    if sel["listed"] >= total:
        if total == 1:
            return f"The one conversation is listed {where}."
        return f"All {count(total, 'conversation')} are listed {where}."
    worst_text = (
        f"the {count(worst, 'worst conversation')}"
        if worst >= sel["worst"]
        else f"the {worst} that did not pass"
        if worst
        else "no conversation that did not pass (all passed)"
    )
    text = (
        f"Listed {where}: {worst_text} and a deterministic sample of {sample} "
        f"(seed {sel['seed']!r})"
    )
    if both:
        text += f", {both} in both"
    return (
        f"{text}: {sel['listed']} of {count(total, 'conversation')}. Every conversation is "
        "counted in the fleet figures and has its row in conversations.jsonl."
    )


def fleet_lines(fleet: Mapping[str, Any], bad: int = 0) -> list[str]:
    """The fleet summary the CLI prints: conversations by verdict; per check how many
    conversations it failed, could not judge and held; the share with findings; the first
    lapse's turn and the hours between disclosures; the breakdown by model and agent name;
    what the report lists."""
    total = fleet["conversations"]
    verdicts = fleet["verdicts"]
    lines = [
        f"fleet: {count(total, 'conversation')}: "
        + ", ".join(f"{verdicts.get(v, 0)} {v}" for v in (PASS, FAIL, UNPROVEN, ERROR))
    ]
    for row in fleet["checks"]:
        lines.append(
            f"  {row['id']}: {row['failed']} failed, {row['unjudged']} could not be judged "
            f"({row['could_not_run']} could not run, {row['not_exercised']} not exercised), "
            f"{row['held']} held"
        )
    lines.append(
        f"  with findings: {fleet['with_findings']} of {count(total, 'conversation')} "
        f"({_percent(fleet['with_findings_share'])})"
    )
    for kind in fleet["finding_kinds"]:
        lines.append(
            f"    {kind['check']} {kind['kind']}: {count(kind['conversations'], 'conversation')} "
            f"({_percent(kind['share'])})"
        )
    lapse = fleet["first_lapse_turn"]
    if lapse["count"]:
        lines.append(
            f"  first lapse: turn {lapse['median']:g} (median), {lapse['p90']:g} (p90), "
            f"{lapse['min']:g}-{lapse['max']:g} over {count(lapse['count'], 'conversation')}"
        )
    gaps = fleet["hours_between_disclosures"]
    if gaps["count"]:
        approximate = (
            f"; {gaps['approximate_conversations']} folded, upper bounds"
            if gaps["approximate_conversations"]
            else ""
        )
        lines.append(
            f"  between disclosures: {_hours(gaps['median'])} (median), {_hours(gaps['p90'])} "
            f"(p90), {_hours(gaps['max'])} (longest) over {count(gaps['count'], 'gap')} in "
            f"{count(gaps['conversations'], 'conversation')}{approximate}"
        )
    for title, rows in (("model", fleet["by_model"]), ("agent", fleet["by_agent"])):
        if len(rows) < 2 and all(r["value"] == NOT_LOGGED for r in rows):
            continue  # nothing to compare: the logs name no model (or agent)
        for row in rows:
            lines.append(
                f"  {title} {row['value']}: {count(row['conversations'], 'conversation')}, "
                f"{row['failed']} failed ({_percent(row['failed_share'])}), "
                f"{row['with_findings']} with findings ({_percent(row['findings_share'])})"
            )
    usage = fleet.get("usage")
    if usage is not None:
        lines.append(f"  usage: {usage_text(usage)}")
        if len(usage["models"]) > 1:  # one model's row would repeat the total
            for row in usage["models"]:
                lines.append(f"    {row['model']}: {usage_text(row)}")
    if bad:
        lines.append(f"  not audited: {count(bad, 'malformed log record')} (--max-bad)")
    lines.append(f"  {listed_sentence(fleet, where='in the report')}")
    return lines


BAR_WIDTH = 30
"""Characters of the longest text bar in report.md's distributions."""


def fleet_view(fleet: Mapping[str, Any]) -> dict[str, Any]:
    """What report.md and report.html print of the fleet section, formatted once: shares as
    percentages, hours as durations, text bars for the distributions."""

    def rows(distribution: Mapping[str, Any]) -> list[dict[str, Any]]:
        peak = max((b["count"] for b in distribution["buckets"]), default=0)
        return [
            {
                **b,
                "bar": "#" * (round(b["count"] / peak * BAR_WIDTH) if peak else 0)
                or ("." if b["count"] else ""),
            }
            for b in distribution["buckets"]
        ]

    lapse = fleet["first_lapse_turn"]
    gaps = fleet["hours_between_disclosures"]
    turns = fleet["turns"]
    return {
        "listed": listed_sentence(fleet),
        "with_findings": _percent(fleet["with_findings_share"]),
        "checks": [{**r, "failed_percent": _percent(r["failed_share"])} for r in fleet["checks"]],
        "kinds": [{**k, "percent": _percent(k["share"])} for k in fleet["finding_kinds"]],
        "lapse": {
            **lapse,
            "rows": rows(lapse),
            "text": (
                f"{count(lapse['count'], 'conversation')} with findings: first lapse at turn "
                f"{lapse['median']:g} (median), {lapse['p90']:g} (p90), from {lapse['min']:g} "
                f"to {lapse['max']:g}."
            )
            if lapse["count"]
            else "No conversation has a finding.",
        },
        "gaps": {
            **gaps,
            "rows": rows(gaps),
            "text": (
                f"{count(gaps['count'], 'interval')} between consecutive replies that disclosed, "
                f"in {count(gaps['conversations'], 'conversation')}: {_hours(gaps['median'])} "
                f"(median), {_hours(gaps['p90'])} (p90), {_hours(gaps['max'])} (longest)."
                + (
                    f" {count(gaps['approximate_conversations'], 'conversation')} longer than "
                    "the chart's columns were measured between columns (upper bounds)."
                    if gaps["approximate_conversations"]
                    else ""
                )
            )
            if gaps["count"]
            else "No conversation has two replies that disclosed: no interval to measure.",
        },
        "turns": {
            **turns,
            "rows": rows(turns),
            "text": f"{turns['median']:g} turns (median), {turns['p90']:g} (p90), "
            f"{turns['max']:g} (longest)."
            if turns["count"]
            else "",
        },
        "by_model": _groups(fleet["by_model"]),
        "by_agent": _groups(fleet["by_agent"]),
        "worst_order": fleet["selection"]["worst_order"],
        "sample_method": fleet["selection"]["sample_method"],
    }


def _groups(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **r,
            "failed_percent": _percent(r["failed_share"]),
            "findings_percent": _percent(r["findings_share"]),
        }
        for r in rows
    ]


def listed_as(scenario: Mapping[str, Any]) -> str:
    """Why a conversation of a fleet report is listed: "worst #2", "sample", "worst #2, sample"."""
    listed = scenario.get("listed") or {}
    parts = []
    if listed.get("worst") is not None:
        parts.append(f"worst #{listed['worst']}")
    if listed.get("sample"):
        parts.append("sample")
    return ", ".join(parts)


def first_lapse(scenario: Mapping[str, Any]) -> str:
    """The turn of a listed conversation's earliest finding, or "-"."""
    turns = [f["turn"] for c in scenario["checks"] for f in c["findings"]]
    return str(min(turns)) if turns else "-"
