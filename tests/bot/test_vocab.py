"""Tests for bot.vocab: code lists, labels, parsing and the country table."""

from __future__ import annotations

import gettext
from collections import Counter
from pathlib import Path

import pycountry
import pytest
import yaml

from bot import vocab
from bot.vocab import (
    ASSISTANCE_AREA,
    ASSISTANCE_AREAS,
    COUNTRIES,
    COUNTRY_REGIONS,
    FORMAT,
    LANGUAGE,
    MEMBER_STATES,
    PRIORITY,
    REGION,
    VOCABULARIES,
    Vocabulary,
    area_group,
    countries_in,
    country_name,
    country_status,
    get_vocabulary,
    is_member_state,
    parse_country,
    region_of,
    search_countries,
)

CATALOGUES = Path(vocab.__file__).parent / "i18n" / "catalogues"
LANGS = ("en", "fr", "es")

# Entities pycountry lists that are not UN member States, observers or the EU:
# dependent territories, Antarctica, Western Sahara, Taiwan, Hong Kong, Macao.
NOT_IN_TABLE = set(
    "AI AQ AS AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GL GP GS GU HK HM IM IO "
    "JE KY MF MO MP MQ MS NC NF NU PF PM PN PR RE SH SJ SX TC TF TK TW UM VG VI WF YT".split()
)


def load_catalogue(lang: str) -> dict[str, str]:
    data = yaml.safe_load((CATALOGUES / f"vocab.{lang}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return {str(key): str(text) for key, text in data.items()}


# --- Countries and regional groups ------------------------------------------


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("KE", "africa"),
        ("FR", "weog"),
        ("BR", "grulac"),
        ("PL", "central_eastern_europe"),
        ("CN", "asia_pacific"),
        ("TR", "weog"),
        ("US", "weog"),
        ("FJ", "asia_pacific"),
        ("RU", "central_eastern_europe"),
        ("IL", "weog"),
        ("CU", "grulac"),
        ("EG", "africa"),
        ("DE", "weog"),
        ("KZ", "asia_pacific"),
        ("CY", "asia_pacific"),
        ("KI", "asia_pacific"),
        ("PS", "asia_pacific"),
        ("ZA", "africa"),
        ("AU", "weog"),
        ("GE", "central_eastern_europe"),
    ],
)
def test_region_of_known_countries(code: str, region: str) -> None:
    assert region_of(code) == region


def test_region_of_accepts_lower_case_and_rejects_unknown() -> None:
    assert region_of("ke") == "africa"
    with pytest.raises(ValueError):
        region_of("XX")
    with pytest.raises(ValueError):
        region_of("TW")


def test_exactly_193_member_states() -> None:
    assert len(MEMBER_STATES) == 193
    assert len(set(MEMBER_STATES)) == 193
    assert len(COUNTRIES) == 196  # plus the Holy See, the State of Palestine and the EU


def test_member_counts_per_regional_group() -> None:
    counts = Counter(COUNTRY_REGIONS[code] for code in MEMBER_STATES)
    assert counts == {
        "africa": 54,
        # 53 Asia-Pacific Group members plus Kiribati, which is in no group.
        "asia_pacific": 54,
        "central_eastern_europe": 23,
        "grulac": 33,
        # 28 WEOG members (Türkiye and Israel included) plus the United States.
        "weog": 29,
    }


def test_no_member_state_missing() -> None:
    """Every ISO country is either in the table or a known non-member entity."""
    iso = {str(country.alpha_2) for country in pycountry.countries}
    assert set(MEMBER_STATES) | {"VA", "PS"} == iso - NOT_IN_TABLE
    assert set(COUNTRIES) - iso == {"EU"}


def test_non_members_are_flagged() -> None:
    assert country_status("VA") == "observer"
    assert country_status("PS") == "observer"
    assert country_status("EU") == "reio"
    assert country_status("KE") == "member"
    assert not is_member_state("EU")
    assert not is_member_state("PS")
    assert is_member_state("US")
    assert {"VA", "PS", "EU"}.isdisjoint(MEMBER_STATES)


def test_countries_in_region() -> None:
    assert len(countries_in("central_eastern_europe")) == 23
    assert "PS" in countries_in("asia_pacific")
    assert "PS" not in countries_in("asia_pacific", members_only=True)
    assert len(countries_in("weog", members_only=True)) == 29
    grulac = countries_in("grulac")
    assert grulac == sorted(grulac)
    assert all(region_of(code) == "grulac" for code in grulac)
    by_french_name = countries_in("weog", "fr", members_only=True)
    assert by_french_name[0] == "DE"  # Allemagne
    with pytest.raises(ValueError):
        countries_in("europe")


def test_every_country_has_a_name_in_each_language() -> None:
    for lang in LANGS:
        for code in COUNTRIES:
            name = country_name(code, lang)
            assert name and "," not in name, (code, lang, name)


@pytest.mark.parametrize(
    ("code", "lang", "name"),
    [
        ("DE", "fr", "Allemagne"),
        ("ES", "fr", "Espagne"),
        ("GB", "fr", "Royaume-Uni"),
        ("EG", "fr", "Égypte"),
        ("DE", "es", "Alemania"),
        ("MX", "es", "México"),
        ("DE", "en", "Germany"),
        ("KR", "en", "Republic of Korea"),
        ("KR", "fr", "République de Corée"),
        ("RU", "fr", "Fédération de Russie"),
        ("TN", "es", "Túnez"),
        ("EU", "fr", "Union européenne"),
        ("VA", "es", "Santa Sede"),
    ],
)
def test_country_names(code: str, lang: str, name: str) -> None:
    assert country_name(code, lang) == name


def test_french_names_come_from_pycountry() -> None:
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    for code in ("DE", "JP", "CH", "NZ", "ZA", "SN"):
        english = pycountry.countries.get(alpha_2=code).name
        assert country_name(code, "fr") == french.gettext(english)
    differing = [c for c in MEMBER_STATES if country_name(c, "fr") != country_name(c, "en")]
    assert len(differing) > 100


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Iran", "IR"),
        ("Russia", "RU"),
        ("Bolivia", "BO"),
        ("Tanzania", "TZ"),
        ("Vietnam", "VN"),
        ("Syria", "SY"),
        ("Laos", "LA"),
        ("Moldova", "MD"),
        ("Turkey", "TR"),
        ("Czech Republic", "CZ"),
        ("Ivory Coast", "CI"),
        ("Cape Verde", "CV"),
        ("Swaziland", "SZ"),
        ("Macedonia", "MK"),
        ("DR Congo", "CD"),
        ("Congo-Brazzaville", "CG"),
        ("South Korea", "KR"),
        ("North Korea", "KP"),
        ("UK", "GB"),
        ("USA", "US"),
    ],
)
def test_parse_country_common_names(text: str, code: str) -> None:
    assert parse_country(text, "en") == code
    assert parse_country(text.upper(), "fr") == code


@pytest.mark.parametrize(
    ("text", "lang", "code"),
    [
        ("KE", "en", "KE"),
        ("ke", "en", "KE"),
        ("KEN", "en", "KE"),
        ("deu", "en", "DE"),
        ("Germany", "en", "DE"),
        ("Allemagne", "fr", "DE"),
        ("Alemania", "es", "DE"),
        ("allemagne", "en", "DE"),
        ("Côte d'Ivoire", "en", "CI"),
        ("cote d ivoire", "en", "CI"),
        ("Costa de Marfil", "es", "CI"),
        ("Égypte", "fr", "EG"),
        ("egypte", "fr", "EG"),
        ("TÜRKIYE", "en", "TR"),
        ("Turquia", "es", "TR"),
        ("République de Corée", "fr", "KR"),
        ("Republic of Korea", "en", "KR"),
        ("Korea, Republic of", "en", "KR"),
        ("the Gambia", "en", "GM"),
        ("Pays-Bas", "fr", "NL"),
        ("Países Bajos", "es", "NL"),
        ("Etats-Unis", "fr", "US"),
        ("EE. UU.", "es", "US"),
        ("Holy See", "en", "VA"),
        ("State of Palestine", "en", "PS"),
        ("European Union", "en", "EU"),
        ("Union européenne", "fr", "EU"),
        ("Congo", "en", "CG"),
        ("Democratic Republic of the Congo", "en", "CD"),
    ],
)
def test_parse_country_names_and_codes(text: str, lang: str, code: str) -> None:
    assert parse_country(text, lang) == code


@pytest.mark.parametrize("text", ["", "   ", "Atlantis", "Korea", "XX", "Taiwan"])
def test_parse_country_unknown_or_ambiguous(text: str) -> None:
    assert parse_country(text, "en") is None


def test_parse_country_round_trips_every_name() -> None:
    for lang in LANGS:
        for code in COUNTRIES:
            assert parse_country(country_name(code, lang), lang) == code, (code, lang)


def test_search_countries_prefix() -> None:
    assert search_countries("allem", "fr") == [("DE", "Allemagne")]
    guinea = [code for code, _ in search_countries("guin", "en")]
    assert guinea[0] == "GN"
    assert {"GN", "GW", "GQ", "PG"} <= set(guinea)
    assert search_countries("ger", "en")[0] == ("DE", "Germany")
    assert search_countries("esp", "es")[0] == ("ES", "España")


def test_search_countries_limit_and_empty() -> None:
    assert len(search_countries("a", "en")) == 8
    assert len(search_countries("a", "en", limit=3)) == 3
    assert search_countries("", "en") == []
    assert search_countries("zzzz", "en") == []


def test_search_countries_exact_alias_first() -> None:
    assert search_countries("uk", "en")[0][0] == "GB"
    assert search_countries("Congo", "en")[:2] == [
        ("CG", "Congo"),
        ("CD", "Democratic Republic of the Congo"),
    ]


# --- Vocabularies -----------------------------------------------------------

ART16_AREAS = [
    "notification_system_pic",
    "hazardous_waste_management",
    "environmentally_sound_technologies_low_non_waste",
    "disposal_capability_site_assessment",
    "waste_monitoring",
    "emergency_response",
]


def test_assistance_areas_order() -> None:
    assert list(ASSISTANCE_AREAS[:6]) == ART16_AREAS
    assert ASSISTANCE_AREAS[-1] == "other"
    assert len(ASSISTANCE_AREAS) == len(set(ASSISTANCE_AREAS)) == 6 + 11 + 7 + 5 + 6 + 1
    groups = [area_group(area) for area in ASSISTANCE_AREAS]
    order = ["art16_1g", "cross_cutting", "waste_streams", "rotterdam_specific"]
    order.append("stockholm_specific")
    assert [group for i, group in enumerate(groups) if i == 0 or groups[i - 1] != group] == [
        *order,
        None,
    ]
    assert list(vocab.AREA_GROUPS) == order
    with pytest.raises(ValueError):
        area_group("nonsense")


def test_small_code_lists() -> None:
    assert vocab.CONVENTIONS == ("basel", "rotterdam", "stockholm")
    assert vocab.REGIONS == (
        "africa",
        "asia_pacific",
        "central_eastern_europe",
        "grulac",
        "weog",
    )
    assert vocab.LANGUAGES == ("ar", "zh", "en", "fr", "ru", "es")
    assert vocab.PRIORITIES == ("high", "medium", "low")
    assert vocab.FORMATS == ("online", "in_person", "regional", "any")
    assert vocab.TIMEFRAMES[-1] == "from_date"
    assert vocab.NEED_STATUSES == (
        "draft",
        "submitted",
        "under_review",
        "matched",
        "closed",
        "withdrawn",
    )
    assert len(vocab.OPPORTUNITY_KINDS) == 8
    assert len(vocab.ROLES) == 12
    assert len(vocab.ASSISTANCE_TYPES) == 11
    assert len(vocab.NEED_CLUSTERS) == 5
    assert set(COUNTRY_REGIONS.values()) == set(vocab.REGIONS)


def test_registry() -> None:
    assert get_vocabulary("assistance_areas") is ASSISTANCE_AREA
    assert VOCABULARIES["regions"].codes == vocab.REGIONS
    for name, vocabulary in VOCABULARIES.items():
        assert vocabulary.name == name
    with pytest.raises(KeyError):
        get_vocabulary("colours")


def test_vocabulary_rejects_repeated_codes() -> None:
    with pytest.raises(ValueError):
        Vocabulary("x", ("a", "a"))


@pytest.mark.parametrize("lang", LANGS)
def test_every_code_has_a_label(lang: str) -> None:
    catalogue = load_catalogue(lang)
    expected = {vocabulary.key(code) for vocabulary in VOCABULARIES.values() for code in vocabulary}
    assert expected - set(catalogue) == set(), "missing labels"
    assert set(catalogue) - expected == set(), "labels for unknown codes"
    for key in expected:
        label = catalogue[key].strip()
        assert label and label != key
        assert len(label) <= 40, (key, label)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_labels_are_translated(lang: str) -> None:
    english = load_catalogue("en")
    other = load_catalogue(lang)
    same = [key for key in english if english[key] == other[key]]
    assert same == [], "labels left in English"
    assert any(ch in "éèàçêôûÉ" for text in load_catalogue("fr").values() for ch in text)
    assert any(ch in "áéíóúñÁ" for text in load_catalogue("es").values() for ch in text)


@pytest.mark.parametrize("lang", LANGS)
def test_labels_unique_within_each_vocabulary(lang: str) -> None:
    for vocabulary in VOCABULARIES.values():
        labels = [vocab.fold(label) for _, label in vocabulary.choices(lang)]
        assert len(labels) == len(set(labels)), (vocabulary.name, lang)


def test_label_and_choices() -> None:
    assert PRIORITY.label("high", "fr") == "Élevée"
    assert PRIORITY.label("high", "es") == "Alta"
    assert REGION.label("grulac", "en") == "Latin America and the Caribbean"
    assert REGION.choices("es")[0] == ("africa", "África")
    assert [code for code, _ in ASSISTANCE_AREA.choices("en")] == list(ASSISTANCE_AREAS)
    with pytest.raises(ValueError):
        PRIORITY.label("urgent", "en")


@pytest.mark.parametrize(
    ("vocabulary", "text", "lang", "code"),
    [
        (PRIORITY, "high", "en", "high"),
        (PRIORITY, "HIGH", "en", "high"),
        (PRIORITY, "Élevée", "fr", "high"),
        (PRIORITY, "elevee", "fr", "high"),
        (PRIORITY, "élevée", "en", "high"),
        (PRIORITY, "Baja", "fr", "low"),
        (PRIORITY, "2", "en", "medium"),
        (PRIORITY, " 3. ", "en", "low"),
        (FORMAT, "in person", "en", "in_person"),
        (FORMAT, "en presentiel", "fr", "in_person"),
        (FORMAT, "Presencial", "es", "in_person"),
        (ASSISTANCE_AREA, "1", "en", "notification_system_pic"),
        (ASSISTANCE_AREA, "gestion des dechets dangereux", "en", "hazardous_waste_management"),
        (ASSISTANCE_AREA, "DESECHOS PLÁSTICOS", "es", "plastic_waste"),
        (ASSISTANCE_AREA, "e-waste", "en", "e_waste"),
        (ASSISTANCE_AREA, "Other", "en", "other"),
        (LANGUAGE, "Français", "en", "fr"),
        (LANGUAGE, "espanol", "en", "es"),
        (LANGUAGE, "中文", "en", "zh"),
        (LANGUAGE, "Русский", "fr", "ru"),
    ],
)
def test_parse(vocabulary: Vocabulary, text: str, lang: str, code: str) -> None:
    assert vocabulary.parse(text, lang) == code


@pytest.mark.parametrize("text", ["", "0", "4", "-1", "urgent", "very high"])
def test_parse_rejects(text: str) -> None:
    assert PRIORITY.parse(text, "en") is None


def test_parse_round_trips_every_label_and_number() -> None:
    for vocabulary in VOCABULARIES.values():
        for position, code in enumerate(vocabulary.codes, start=1):
            assert vocabulary.parse(str(position), "en") == code
            assert vocabulary.parse(code, "en") == code
            for lang in LANGS:
                label = vocabulary.label(code, lang)
                assert vocabulary.parse(label, lang) == code, (vocabulary.name, lang, label)
                assert vocabulary.parse(vocab.fold(label), lang) == code
