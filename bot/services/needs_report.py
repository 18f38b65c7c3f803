"""Summarise needs into a self-contained HTML report for the technical assistance plan."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import Session

from bot import vocab
from bot.services import report_charts
from bot.services.needs import all_needs
from bot.services.rounds import RoundStatus, get_round, round_status
from bot.services.supply_demand import (
    RoundRow,
    SupplyRow,
    compare_rounds,
    needs_by_year,
    supply_and_demand,
)
from bot.storage.needs_tables import Need, Round
from bot.storage.tables import utcnow

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
#: How many areas the "most requested per region" lists show.
TOP_AREAS = 5


@dataclass(frozen=True, slots=True)
class HeatRow:
    """One assistance area across the UN regions."""

    label: str
    group: str
    counts: list[int]
    total: int


@dataclass(slots=True)
class NeedsSummary:
    """Every figure of the report."""

    generated: datetime
    round: Round | None
    needs: list[Need]
    regions: list[tuple[str, str]]
    by_region: Counter[str] = field(default_factory=Counter)
    by_area: Counter[str] = field(default_factory=Counter)
    by_type: Counter[str] = field(default_factory=Counter)
    by_priority: Counter[str] = field(default_factory=Counter)
    by_convention: Counter[str] = field(default_factory=Counter)
    by_format: Counter[str] = field(default_factory=Counter)
    by_timeframe: Counter[str] = field(default_factory=Counter)
    region_area: dict[str, Counter[str]] = field(default_factory=dict)
    status: RoundStatus | None = None
    #: Needs against approved offers and open opportunities, per region and area.
    supply: list[SupplyRow] = field(default_factory=list)
    #: Every needs-assessment round, and every year, with its needs per region.
    rounds: list[RoundRow] = field(default_factory=list)
    years: list[RoundRow] = field(default_factory=list)

    @property
    def gaps(self) -> int:
        """Return how many region-and-area pairs have needs and nothing on offer."""
        return sum(row.uncovered for row in self.supply)

    @property
    def countries(self) -> int:
        """Return how many countries submitted at least one need."""
        return len({need.country for need in self.needs if need.country})

    @property
    def verified_share(self) -> float:
        """Return the share of needs from verified focal points."""
        return sum(n.verified for n in self.needs) / len(self.needs) if self.needs else 0.0

    @property
    def training_participants(self) -> int:
        """Return the participants asked for across all training needs."""
        return sum(n.participants or 0 for n in self.needs)


def _count(target: Counter[str], codes: Iterable[str]) -> None:
    target.update(code for code in codes if code)


def summarise(*, session: Session, round_id: int | None = None) -> NeedsSummary:
    """Count the needs (of one round, or all) by region, area, type, priority and convention."""
    round_ = get_round(session=session, round_id=round_id) if round_id is not None else None
    needs = all_needs(session=session, round_id=round_id)
    summary = NeedsSummary(
        generated=utcnow(),
        round=round_,
        needs=needs,
        regions=[(code, vocab.REGION.label(code, "en")) for code in vocab.REGIONS],
    )
    summary.region_area = {code: Counter() for code in vocab.REGIONS}
    for need in needs:
        if need.region:
            summary.by_region[need.region] += 1
            _count(summary.region_area[need.region], need.areas)
        _count(summary.by_area, need.areas)
        _count(summary.by_type, need.types)
        _count(summary.by_convention, need.conventions)
        _count(summary.by_priority, [need.priority or ""])
        _count(summary.by_format, [need.format or ""])
        _count(summary.by_timeframe, [need.timeframe or ""])
    if round_id is not None:
        summary.status = round_status(session=session, round_id=round_id)
    summary.supply = supply_and_demand(session=session, needs=needs)
    summary.rounds = compare_rounds(session=session)
    summary.years = needs_by_year(session=session)
    return summary


def _label(vocabulary: vocab.Vocabulary, code: str) -> str:
    return vocabulary.label(code, "en") if code in vocabulary else code


def _ordered(counter: Counter[str], vocabulary: vocab.Vocabulary) -> list[tuple[str, float]]:
    """Return (label, count) in vocabulary order, leaving out zeros."""
    known = [(_label(vocabulary, c), float(counter[c])) for c in vocabulary if counter[c]]
    extra = [(code, float(n)) for code, n in counter.items() if code not in vocabulary]
    return known + extra


def _ranked(counter: Counter[str], vocabulary: vocab.Vocabulary) -> list[tuple[str, float]]:
    return sorted(_ordered(counter, vocabulary), key=lambda item: -item[1])


def heat_rows(summary: NeedsSummary) -> list[HeatRow]:
    """Return the region × area table: every requested area, grouped as in the vocabulary."""
    rows = []
    for code in [
        *vocab.ASSISTANCE_AREAS,
        *sorted(set(summary.by_area) - set(vocab.ASSISTANCE_AREAS)),
    ]:
        if not summary.by_area[code]:
            continue
        group = vocab.area_group(code) if code in vocab.ASSISTANCE_AREA else None
        rows.append(
            HeatRow(
                label=_label(vocab.ASSISTANCE_AREA, code),
                group=vocab.AREA_GROUP.label(group, "en") if group else "Other",
                counts=[summary.region_area[r][code] for r, _ in summary.regions],
                total=summary.by_area[code],
            )
        )
    return rows


def render_report(summary: NeedsSummary, *, title: str | None = None) -> str:
    """Return the report as one HTML page with its styles and charts inline."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
    )
    environment.globals["heat_colour"] = report_charts.heat_colour
    environment.globals["heat_text"] = report_charts.heat_text
    rows = heat_rows(summary)
    charts: dict[str, Any] = {
        "region": report_charts.bar_chart(
            [(label, float(summary.by_region[code])) for code, label in summary.regions],
            caption="Needs by UN region",
        ),
        "type": report_charts.bar_chart(
            _ranked(summary.by_type, vocab.ASSISTANCE_TYPE), caption="Needs by type of assistance"
        ),
        "priority": report_charts.bar_chart(
            _ordered(summary.by_priority, vocab.PRIORITY),
            colours=report_charts.PRIORITY_COLOURS,
            caption="Needs by priority",
            width=420,
            label_width=110,
        ),
        "convention": report_charts.bar_chart(
            _ordered(summary.by_convention, vocab.CONVENTION),
            caption="Needs by convention",
            colour=report_charts.PALETTE[0],
            width=420,
            label_width=160,
        ),
        "format": report_charts.bar_chart(
            _ordered(summary.by_format, vocab.FORMAT),
            caption="Preferred format",
            colour=report_charts.PALETTE[2],
            width=420,
            label_width=130,
        ),
        "timeframe": report_charts.bar_chart(
            _ordered(summary.by_timeframe, vocab.TIMEFRAME),
            caption="Timeframe",
            colour=report_charts.PALETTE[2],
            width=420,
            label_width=150,
        ),
    }
    top_areas = [
        (label, _ranked(summary.region_area[code], vocab.ASSISTANCE_AREA)[:TOP_AREAS])
        for code, label in summary.regions
        if summary.by_region[code]
    ]
    status = summary.status
    if status is not None:
        charts["response"] = report_charts.bar_chart(
            [(rate.label, rate.rate) for rate in status.by_region],
            maximum=1.0,
            percent=True,
            notes=[
                f"{rate.answered} of {rate.invited}" if rate.invited else "none invited"
                for rate in status.by_region
            ],
            colour=report_charts.PALETTE[0],
            caption="Response rate by region",
        )
    template = environment.get_template("needs_report.html")
    return template.render(
        title=title or _default_title(summary),
        summary=summary,
        charts=charts,
        heat=rows,
        heat_max=max((max(row.counts) for row in rows), default=0),
        top_areas=top_areas,
        status=status,
        annex=[_annex_row(need) for need in summary.needs],
        bar=report_charts.bar_chart,
    )


def _default_title(summary: NeedsSummary) -> str:
    if summary.round is not None:
        return f"Technical-assistance needs — {summary.round.title}"
    return "Technical-assistance needs of Parties"


def _annex_row(need: Need) -> dict[str, str]:
    return {
        "id": str(need.id),
        "country": vocab.country_name(need.country, "en") if need.country else "—",
        "region": _label(vocab.REGION, need.region) if need.region else "—",
        "priority": _label(vocab.PRIORITY, need.priority) if need.priority else "—",
        "areas": ", ".join(_label(vocab.ASSISTANCE_AREA, a) for a in need.areas),
        "types": ", ".join(_label(vocab.ASSISTANCE_TYPE, t) for t in need.types),
        "description": need.description or "",
        "verified": "yes" if need.verified else "no",
    }


def build_report(*, session: Session, round_id: int | None = None) -> str:
    """Return the HTML report of the needs (of one round, if given)."""
    return render_report(summarise(session=session, round_id=round_id))
