"""Set needs against what is on offer, and compare needs-assessment rounds, for the report.

Supply is counted where it is available: an approved offer or an open
opportunity limited to some regions or countries counts in those regions;
one open to every Party counts in every region. Opportunities published from
an approved offer are counted once, as the offer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from bot import vocab
from bot.services.needs import COUNTED_STATUSES
from bot.services.opportunities import list_opportunities
from bot.services.rounds import list_rounds, round_status
from bot.storage.needs_tables import Need
from bot.storage.offer_tables import Offer, OfferStatus


def _label(vocabulary: vocab.Vocabulary, code: str) -> str:
    return vocabulary.label(code, "en") if code in vocabulary else code


@dataclass(frozen=True, slots=True)
class SupplyRow:
    """Needs against approved offers and open opportunities, for one region and area."""

    region: str
    area: str
    needs: int
    offers: int
    opportunities: int

    @property
    def supply(self) -> int:
        """Return the offers and opportunities available."""
        return self.offers + self.opportunities

    @property
    def uncovered(self) -> bool:
        """Tell whether needs exist with nothing on offer: a gap."""
        return self.needs > 0 and self.supply == 0


def regions_served(regions: Sequence[str], countries: Sequence[str]) -> set[str]:
    """Return the UN regions an offer or opportunity is available in (all when unrestricted)."""
    if not regions and not countries:
        return set(vocab.REGIONS)
    served = set(regions)
    served.update(vocab.region_of(c) for c in countries if c in vocab.COUNTRY_REGIONS)
    return served


def _count(target: Counter[tuple[str, str]], regions: Iterable[str], areas: Iterable[str]) -> None:
    listed = list(areas)
    for region in regions:
        target.update((region, area) for area in listed)


def supply_and_demand(
    *, session: Session, needs: Iterable[Need], today: date | None = None
) -> list[SupplyRow]:
    """Return one row per region and area that has needs or supply, biggest gaps first."""
    demand: Counter[tuple[str, str]] = Counter()
    for need in needs:
        if need.region:
            _count(demand, [need.region], need.areas)
    offers: Counter[tuple[str, str]] = Counter()
    from_offers: set[int] = set()
    approved = session.exec(select(Offer).where(Offer.status == OfferStatus.APPROVED))
    for offer in approved:
        _count(offers, regions_served(offer.regions, offer.countries), offer.areas)
        if offer.opportunity_id is not None:
            from_offers.add(offer.opportunity_id)
    opportunities: Counter[tuple[str, str]] = Counter()
    for opportunity in list_opportunities(session=session, open_only=True, today=today):
        if opportunity.id not in from_offers:
            served = regions_served(opportunity.regions, opportunity.countries)
            _count(opportunities, served, opportunity.areas)
    region_order: dict[str, int] = {code: i for i, code in enumerate(vocab.REGIONS)}
    rows = [
        SupplyRow(
            region=_label(vocab.REGION, region),
            area=_label(vocab.ASSISTANCE_AREA, area),
            needs=demand[(region, area)],
            offers=offers[(region, area)],
            opportunities=opportunities[(region, area)],
        )
        for region, area in sorted(
            set(demand) | set(offers) | set(opportunities),
            key=lambda key: (region_order.get(key[0], 99), -demand[key], key[1]),
        )
    ]
    return [row for row in rows if row.needs or row.supply]


@dataclass(frozen=True, slots=True)
class RoundRow:
    """One needs-assessment round (or one year) with its needs per UN region."""

    title: str
    year: int
    counts: list[int]
    total: int
    invited: int | None = None
    rate: float | None = None


def compare_rounds(*, session: Session) -> list[RoundRow]:
    """Return each round, oldest first, with its needs per region and its response rate."""
    needs = session.exec(
        select(Need.round_id, Need.region).where(
            col(Need.status).in_(COUNTED_STATUSES), col(Need.round_id).is_not(None)
        )
    ).all()
    per_round: dict[int, Counter[str]] = {}
    for round_id, region in needs:
        per_round.setdefault(int(round_id or 0), Counter())[region or ""] += 1
    rows = []
    for round_ in reversed(list_rounds(session=session)):
        assert round_.id is not None
        counts = per_round.get(round_.id, Counter())
        status = round_status(session=session, round_id=round_.id)
        rows.append(
            RoundRow(
                title=round_.title,
                year=round_.opens_on.year,
                counts=[counts[code] for code in vocab.REGIONS],
                total=sum(counts.values()),
                invited=status.invited,
                rate=status.rate if status.invited else None,
            )
        )
    return rows


def needs_by_year(*, session: Session) -> list[RoundRow]:
    """Return the counted needs per year of submission and UN region, oldest year first."""
    per_year: dict[int, Counter[str]] = {}
    query = select(Need).where(col(Need.status).in_(COUNTED_STATUSES))
    for need in session.exec(query):
        moment = need.submitted_at or need.created_at
        per_year.setdefault(moment.year, Counter())[need.region or ""] += 1
    return [
        RoundRow(
            title=str(year),
            year=year,
            counts=[counts[code] for code in vocab.REGIONS],
            total=sum(counts.values()),
        )
        for year, counts in sorted(per_year.items())
    ]
