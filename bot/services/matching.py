"""Score how well an opportunity fits a need or a person's interests, and say why.

A match has a score and the reasons behind it. Eligibility (region and
country), a passed deadline and a language the person does not read rule an
opportunity out; the other criteria add or take away points:

============================  =======================================
criterion                     points
============================  =======================================
areas in common               +3, +0.5 per further area (up to +4.5)
assistance type fits          +2
convention in common          +1
language fits                 +1 (none shared: no match)
format fits / differs         +1 / -1
starts within the timeframe   +1; after it: -2
============================  =======================================

A need matches at :data:`THRESHOLD` or more, and only if it shares an area
with the opportunity (or the opportunity names no area). Reasons are kept as
codes and values, so they are worded in the reader's language when shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot import vocab
from bot.i18n import translate
from bot.storage.needs_tables import Need
from bot.storage.notify_tables import Opportunity

THRESHOLD = 3.0
#: Points that rule a match out whatever else fits.
NO_MATCH = -1000.0

#: The assistance types each kind of opportunity delivers.
KIND_TYPES: dict[str, frozenset[str]] = {
    "webinar": frozenset({"webinar"}),
    "workshop": frozenset({"training_workshop_in_person"}),
    "e_learning": frozenset({"e_learning_course"}),
    "expert_mission": frozenset({"technical_advice_expert_mission"}),
    "call_for_proposals": frozenset({"financial_support_grant", "pilot_project"}),
    "offer_of_assistance": frozenset(),
    "training": frozenset({"training_workshop_in_person", "webinar", "e_learning_course"}),
    "meeting": frozenset({"networking_south_south_exchange"}),
}
TIMEFRAME_DAYS = {"within_6_months": 183, "within_12_months": 365, "within_24_months": 730}


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason an opportunity fits: a code (``areas``, ``language``...) and its values."""

    code: str
    values: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Return the reason as stored in the database."""
        return {"code": self.code, "values": list(self.values)}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Reason:
        """Read a stored reason."""
        return cls(code=str(raw.get("code", "")), values=tuple(map(str, raw.get("values", []))))


@dataclass(frozen=True, slots=True)
class Match:
    """How well one opportunity fits; ``matched`` says whether it passes the threshold."""

    score: float
    reasons: tuple[Reason, ...]
    matched: bool

    @classmethod
    def none(cls) -> Match:
        """Return the absence of a match."""
        return cls(score=0.0, reasons=(), matched=False)


def is_open(opportunity: Opportunity, today: date) -> bool:
    """Tell whether the opportunity can still be taken up: published and not past its dates."""
    if opportunity.status != "published":
        return False
    if opportunity.deadline is not None and opportunity.deadline < today:
        return False
    return opportunity.ends_on is None or opportunity.ends_on >= today


def eligibility(opportunity: Opportunity, country: str | None) -> Reason | None | bool:
    """Return False if ``country`` may not take part, a reason if the opportunity is restricted.

    Returns None when the opportunity is open to everyone.
    """
    if not opportunity.regions and not opportunity.countries:
        return None
    if country is None:
        return False
    region = vocab.region_of(country) if country in vocab.COUNTRY_REGIONS else None
    if country in opportunity.countries or (region is not None and region in opportunity.regions):
        return Reason("eligible", (country,))
    return False


def _start_of_need(need: Need, today: date) -> date:
    moment = need.submitted_at or need.created_at
    return moment.date() if isinstance(moment, datetime) else today


def _timing(need: Need, opportunity: Opportunity, today: date) -> tuple[float, Reason | None]:
    start = opportunity.starts_on
    if start is None or need.timeframe is None:
        return 0.0, None
    if need.timeframe == "from_date":
        if need.earliest_start is None:
            return 0.0, None
        begin, end = need.earliest_start, need.earliest_start + timedelta(days=365)
    else:
        begin = _start_of_need(need, today)
        end = begin + timedelta(days=TIMEFRAME_DAYS.get(need.timeframe, 365))
    if start > end:
        return -2.0, None
    if start < begin:
        return 0.0, None
    return 1.0, Reason("timing", (end.isoformat(),))


def _language(wanted: Sequence[str], opportunity: Opportunity) -> tuple[float, Reason | None]:
    if not opportunity.languages or not wanted:
        return 0.0, None
    shared = [code for code in opportunity.languages if code in wanted]
    if not shared:
        # Nobody gains from a training in a language they do not read.
        return NO_MATCH, None
    return 1.0, Reason("language", tuple(shared))


def _format(wanted: str | None, opportunity: Opportunity) -> tuple[float, Reason | None]:
    offered = opportunity.format
    if wanted in (None, "any") or offered in (None, "any"):
        return 0.0, None
    assert offered is not None
    if wanted == offered or {wanted, offered} == {"in_person", "regional"}:
        return 1.0, Reason("format", (offered,))
    return -1.0, None


def opportunity_types(opportunity: Opportunity) -> set[str]:
    """Return the assistance types the opportunity delivers: its own, or its kind's."""
    return set(opportunity.types) or set(KIND_TYPES.get(opportunity.kind, frozenset()))


def match_need_to_opportunity(
    need: Need, opportunity: Opportunity, *, today: date | None = None
) -> Match:
    """Score ``opportunity`` against ``need`` and give the reasons in order of weight."""
    day = today or date.today()
    if not is_open(opportunity, day):
        return Match.none()
    eligible = eligibility(opportunity, need.country)
    if eligible is False:
        return Match.none()
    score, reasons = 0.0, []
    areas = [code for code in opportunity.areas if code in need.areas]
    if areas:
        score += 3.0 + min(3, len(areas) - 1) * 0.5
        reasons.append(Reason("areas", tuple(areas)))
    elif opportunity.areas:
        return Match(score=0.0, reasons=(), matched=False)
    types = [code for code in need.types if code in opportunity_types(opportunity)]
    if types:
        score += 2.0
        reasons.append(Reason("type", (types[0],)))
    conventions = [code for code in opportunity.conventions if code in need.conventions]
    if conventions:
        score += 1.0
        reasons.append(Reason("convention", tuple(conventions)))
    for points, reason in (
        _language(need.languages or [need.language], opportunity),
        _format(need.format, opportunity),
        _timing(need, opportunity, day),
    ):
        score += points
        if reason is not None:
            reasons.append(reason)
    if isinstance(eligible, Reason):
        reasons.append(eligible)
    return Match(score=score, reasons=tuple(reasons), matched=score >= THRESHOLD)


def match_interests(
    *,
    areas: Iterable[str],
    kinds: Iterable[str],
    country: str | None,
    language: str | None,
    opportunity: Opportunity,
    today: date | None = None,
) -> Match:
    """Score ``opportunity`` against followed areas and kinds of opportunity."""
    day = today or date.today()
    if not is_open(opportunity, day):
        return Match.none()
    eligible = eligibility(opportunity, country)
    if eligible is False:
        return Match.none()
    score, reasons = 0.0, []
    followed_areas = set(areas)
    shared = [code for code in opportunity.areas if code in followed_areas]
    if shared:
        score += 3.0
        reasons.append(Reason("follow_area", tuple(shared)))
    if opportunity.kind in set(kinds):
        score += 3.0
        reasons.append(Reason("follow_kind", (opportunity.kind,)))
    if score and language:
        points, reason = _language([language], opportunity)
        score += points
        if reason is not None:
            reasons.append(reason)
    if isinstance(eligible, Reason):
        reasons.append(eligible)
    return Match(score=score, reasons=tuple(reasons), matched=score >= THRESHOLD)


def _labels(vocabulary: str, codes: Sequence[str], language: str) -> str:
    words = vocab.get_vocabulary(vocabulary)
    return ", ".join(words.label(code, language) for code in codes if code in words)


#: Reasons worded as one catalogue text with a list of vocabulary labels:
#: reason code -> (the text's placeholder, the vocabulary of the values).
_LISTED_REASONS = {
    "areas": ("areas", "assistance_areas"),
    "type": ("type", "assistance_types"),
    "convention": ("conventions", "conventions"),
    "follow_area": ("areas", "assistance_areas"),
    "follow_kind": ("kinds", "opportunity_kinds"),
}


def explain(reasons: Iterable[Reason], language: str) -> str:
    """Word the reasons in plain language: "Matches your need on …, in French, online"."""
    parts: list[str] = []
    for reason in reasons:
        values = reason.values
        if reason.code in _LISTED_REASONS:
            placeholder, vocabulary = _LISTED_REASONS[reason.code]
            labels = _labels(vocabulary, values, language)
            parts.append(translate(f"notify.why.{reason.code}", language, **{placeholder: labels}))
            continue
        match reason.code:
            case "language":
                names = _labels("languages", values, language)
                # French and Spanish write language names in lower case in a sentence.
                names = names if language == "en" else names.lower()
                text = translate("notify.why.language", language, languages=names)
            case "format":
                text = translate(f"notify.why.format.{values[0]}", language)
            case "timing":
                text = translate("notify.why.timing", language)
            case "eligible":
                text = translate(
                    "notify.why.eligible", language, country=vocab.country_name(values[0], language)
                )
            case _:
                continue
        parts.append(text)
    sentence = ", ".join(parts)
    return sentence[:1].upper() + sentence[1:] if sentence else ""
