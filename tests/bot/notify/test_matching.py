"""Needs × opportunities: which match, and the reasons given in plain words."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.services.matching import explain, match_interests, match_need_to_opportunity
from bot.storage.needs_tables import Need
from tests.helpers.notify import opportunity

TODAY = date(2026, 11, 25)

NEED = {
    "status": "submitted", "country": "SN", "region": "africa", "conventions": ["basel"],
    "areas": ["waste_monitoring", "hazardous_waste_management"], "types": ["webinar"],
    "languages": ["fr"], "format": "online", "timeframe": "within_12_months", "language": "fr",
    "submitted_at": datetime(2026, 11, 1, tzinfo=UTC),
}  # fmt: skip


def _need(**changes: Any) -> Need:
    return Need(**{**NEED, **changes})


# (case, need changes, opportunity changes, matched?, reason codes)
TABLE: list[tuple[str, dict[str, Any], dict[str, Any], bool, list[str]]] = [
    ("everything fits", {}, {},
     True, ["areas", "type", "convention", "language", "format", "timing"]),
    ("two areas in common", {}, {"areas": ["waste_monitoring", "hazardous_waste_management"]},
     True, ["areas", "type", "convention", "language", "format", "timing"]),
    ("no area in common", {}, {"areas": ["e_waste"]}, False, []),
    ("opportunity names no area, type and language fit", {}, {"areas": []},
     True, ["type", "convention", "language", "format", "timing"]),
    ("only English offered to a French speaker", {}, {"languages": ["en"]},
     False, ["areas", "type", "convention", "format", "timing"]),
    ("English offered to someone who reads both", {"languages": ["fr", "en"]},
     {"languages": ["en"]}, True, ["areas", "type", "convention", "language", "format", "timing"]),
    ("region not eligible", {}, {"regions": ["grulac"]}, False, []),
    ("region eligible", {}, {"regions": ["africa"]},
     True, ["areas", "type", "convention", "language", "format", "timing", "eligible"]),
    ("country eligible", {}, {"countries": ["SN"]},
     True, ["areas", "type", "convention", "language", "format", "timing", "eligible"]),
    ("country not eligible", {}, {"countries": ["KE"]}, False, []),
    ("deadline passed", {}, {"deadline": date(2026, 11, 24)}, False, []),
    ("draft is not matched", {}, {"status": "draft"}, False, []),
    ("starts long after the timeframe", {"timeframe": "within_6_months"},
     {"starts_on": date(2028, 1, 1), "deadline": None, "types": [], "kind": "workshop",
      "languages": [], "format": None, "conventions": []}, False, ["areas"]),
    ("in person wanted, online offered, still area and type",
     {"format": "in_person"}, {}, True, ["areas", "type", "convention", "language", "timing"]),
    ("area only, nothing else known", {"types": [], "conventions": []},
     {"languages": [], "format": None, "starts_on": None}, True, ["areas"]),
    ("area only but the format differs", {"types": [], "conventions": [], "format": "in_person"},
     {"languages": [], "starts_on": None}, False, ["areas"]),
    ("workshop kind fits an in-person training need",
     {"types": ["training_workshop_in_person"], "format": "in_person"},
     {"kind": "workshop", "format": "regional"},
     True, ["areas", "type", "convention", "language", "format", "timing"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("need_changes", "opp_changes", "matched", "codes"),
    [pytest.param(n, o, m, c, id=name) for name, n, o, m, c in TABLE],
)
def test_a_need_and_an_opportunity_match_as_the_table_says(
    need_changes: dict[str, Any], opp_changes: dict[str, Any], matched: bool, codes: list[str]
) -> None:
    result = match_need_to_opportunity(
        _need(**need_changes), opportunity(**opp_changes), today=TODAY
    )
    assert result.matched is matched
    assert [reason.code for reason in result.reasons] == codes


def test_the_reasons_read_as_plain_words() -> None:
    result = match_need_to_opportunity(
        _need(areas=["waste_monitoring"], types=[], conventions=[]), opportunity(), today=TODAY
    )
    assert explain(result.reasons, "en") == (
        "Matches your need on Monitoring of wastes, in French, online, within your timeframe"
    )


def test_the_reasons_are_worded_in_the_readers_language() -> None:
    result = match_need_to_opportunity(_need(types=[], conventions=[]), opportunity(), today=TODAY)
    assert explain(result.reasons, "fr").startswith("Correspond à votre besoin en ")
    assert "en ligne" in explain(result.reasons, "fr")


def test_more_areas_in_common_score_higher() -> None:
    one = match_need_to_opportunity(_need(), opportunity(), today=TODAY)
    two = match_need_to_opportunity(
        _need(), opportunity(areas=["waste_monitoring", "hazardous_waste_management"]), today=TODAY
    )
    assert two.score > one.score


def test_a_followed_area_matches_without_a_need() -> None:
    result = match_interests(
        areas=["waste_monitoring"], kinds=[], country="SN", language="fr",
        opportunity=opportunity(), today=TODAY,
    )  # fmt: skip
    assert result.matched
    assert explain(result.reasons, "en") == "You follow Monitoring of wastes, in French"


def test_a_followed_kind_matches_but_not_outside_the_eligible_region() -> None:
    kinds = {"areas": [], "kinds": ["webinar"], "language": None, "today": TODAY}
    assert match_interests(country="SN", opportunity=opportunity(), **kinds).matched
    restricted = opportunity(regions=["grulac"])
    assert not match_interests(country="SN", opportunity=restricted, **kinds).matched
    assert not match_interests(country=None, opportunity=restricted, **kinds).matched
