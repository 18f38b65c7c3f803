"""Define the controlled vocabularies: codes, labels, parsing and the country table.

Every closed list the assistant stores or asks about lives here as an ordered
tuple of codes. Codes are stable, lower-case identifiers that go into the
database; labels come from the ``vocab`` catalogues under the keys
``vocab.<vocabulary>.<code>``.

Countries are keyed by ISO 3166-1 alpha-2 code and mapped by hand to their UN
regional group. Names come from pycountry (with its gettext locales for French
and Spanish), except for the few names pycountry gives in an inverted form,
where the UN short name is used instead.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal, get_args

import pycountry

from bot.i18n import SUPPORTED_LANGUAGES, translate

# ---------------------------------------------------------------------------
# Code lists
# ---------------------------------------------------------------------------

Convention = Literal["basel", "rotterdam", "stockholm"]
Region = Literal["africa", "asia_pacific", "central_eastern_europe", "grulac", "weog"]
Language = Literal["ar", "zh", "en", "fr", "ru", "es"]
Role = Literal[
    "basel_focal_point",
    "basel_competent_authority",
    "rotterdam_designated_national_authority",
    "rotterdam_official_contact_point",
    "stockholm_national_focal_point",
    "stockholm_official_contact_point",
    "permanent_mission",
    "bcrc_staff",
    "scrc_staff",
    "brs_secretariat",
    "enforcement_officer",
    "other_stakeholder",
]
AreaGroup = Literal[
    "art16_1g", "cross_cutting", "waste_streams", "rotterdam_specific", "stockholm_specific"
]
AssistanceType = Literal[
    "training_workshop_in_person",
    "webinar",
    "e_learning_course",
    "technical_advice_expert_mission",
    "legal_advice_legislative_review",
    "guidance_tools_publications",
    "pilot_project",
    "equipment_laboratory_support",
    "financial_support_grant",
    "awareness_materials",
    "networking_south_south_exchange",
]
Priority = Literal["high", "medium", "low"]
NeedCluster = Literal[
    "convention_specific", "technical", "legal", "coordination_cooperation", "information_exchange"
]
Format = Literal["online", "in_person", "regional", "any"]
Timeframe = Literal["within_6_months", "within_12_months", "within_24_months", "from_date"]
NeedStatus = Literal["draft", "submitted", "under_review", "matched", "closed", "withdrawn"]
OpportunityKind = Literal[
    "webinar",
    "workshop",
    "e_learning",
    "expert_mission",
    "call_for_proposals",
    "offer_of_assistance",
    "training",
    "meeting",
]
#: How a country-like entry takes part: UN member State, UN observer State,
#: or regional economic integration organization (the EU, a Party to all three).
CountryStatus = Literal["member", "observer", "reio"]

CONVENTIONS: tuple[Convention, ...] = get_args(Convention)
REGIONS: tuple[Region, ...] = get_args(Region)
LANGUAGES: tuple[Language, ...] = get_args(Language)
ROLES: tuple[Role, ...] = get_args(Role)
AREA_GROUP_CODES: tuple[AreaGroup, ...] = get_args(AreaGroup)
ASSISTANCE_TYPES: tuple[AssistanceType, ...] = get_args(AssistanceType)
PRIORITIES: tuple[Priority, ...] = get_args(Priority)
NEED_CLUSTERS: tuple[NeedCluster, ...] = get_args(NeedCluster)
FORMATS: tuple[Format, ...] = get_args(Format)
TIMEFRAMES: tuple[Timeframe, ...] = get_args(Timeframe)
NEED_STATUSES: tuple[NeedStatus, ...] = get_args(NeedStatus)
OPPORTUNITY_KINDS: tuple[OpportunityKind, ...] = get_args(OpportunityKind)

#: Assistance areas by group. The first group is the verbatim scope of Basel
#: Art. 16(1)(g); the others widen it to cross-cutting work, waste streams and
#: the Rotterdam and Stockholm specifics.
AREA_GROUPS: dict[AreaGroup, tuple[str, ...]] = {
    "art16_1g": (
        "notification_system_pic",
        "hazardous_waste_management",
        "environmentally_sound_technologies_low_non_waste",
        "disposal_capability_site_assessment",
        "waste_monitoring",
        "emergency_response",
    ),
    "cross_cutting": (
        "legal_regulatory_frameworks",
        "institutional_strengthening_national_coordination",
        "enforcement_illegal_traffic",
        "national_reporting",
        "inventories_data_statistics",
        "national_definitions_classification",
        "technical_guidelines_esm",
        "waste_prevention_minimization",
        "public_awareness_outreach",
        "resource_mobilization_project_development",
        "compliance",
    ),
    "waste_streams": (
        "e_waste",
        "plastic_waste",
        "pops_wastes_pcbs",
        "used_lead_acid_batteries",
        "healthcare_waste",
        "household_waste",
        # Basel covers mercury wastes; mercury product controls are Minamata.
        "mercury_wastes",
    ),
    "rotterdam_specific": (
        "pic_import_responses",
        "final_regulatory_actions",
        "shpf_incident_reporting",
        "industrial_chemicals_registration",
        "national_action_plan",
    ),
    "stockholm_specific": (
        "nip_review_update",
        "pops_inventories",
        "bat_bep_unintentional_pops",
        "contaminated_sites",
        "alternatives_incl_ddt",
        "pops_monitoring_laboratory",
    ),
}
#: The area for anything the groups do not cover.
OTHER_AREA = "other"
#: All assistance areas: the six Art. 16(1)(g) areas first, then the other
#: groups in order, then ``other``.
ASSISTANCE_AREAS: tuple[str, ...] = (
    *(area for group in AREA_GROUP_CODES for area in AREA_GROUPS[group]),
    OTHER_AREA,
)
#: The six areas of Basel Art. 16(1)(g).
ART16_AREAS: tuple[str, ...] = AREA_GROUPS["art16_1g"]

#: Each UN language in its own script, for language pickers.
LANGUAGE_ENDONYMS: dict[Language, str] = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}


def area_group(area: str) -> AreaGroup | None:
    """Return the group of an assistance area, or ``None`` for ``other``."""
    for group in AREA_GROUP_CODES:
        if area in AREA_GROUPS[group]:
            return group
    if area == OTHER_AREA:
        return None
    raise ValueError(f"unknown assistance area {area!r}")


# ---------------------------------------------------------------------------
# Text folding shared by the parsers
# ---------------------------------------------------------------------------

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "&": " and "})
_NON_WORD = re.compile(r"[\W_]+")
_APOSTROPHES = re.compile(r"['’ʼ`]")
_ARTICLES = frozenset({"the", "la", "le", "les", "l", "el", "los", "las"})


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without accents or punctuation, for matching."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", bare.casefold()).strip()


def _without_article(folded: str) -> str:
    words = folded.split(" ")
    if len(words) > 1 and words[0] in _ARTICLES:
        return " ".join(words[1:])
    return folded


def _base_language(lang: str | None) -> str:
    if not lang:
        return "en"
    return lang.replace("_", "-").split("-")[0].lower()


# ---------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """An ordered, closed list of codes with translated labels.

    ``aliases`` holds extra ``(text, code)`` pairs that :meth:`parse` accepts,
    such as language endonyms.
    """

    name: str
    codes: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if len(set(self.codes)) != len(self.codes):
            raise ValueError(f"vocabulary {self.name} repeats a code")
        for _, code in self.aliases:
            if code not in self.codes:
                raise ValueError(f"alias for unknown code {code!r} in {self.name}")

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def key(self, code: str) -> str:
        """Return the catalogue key of ``code``."""
        return f"vocab.{self.name}.{code}"

    def require(self, code: str) -> str:
        """Return ``code`` if it belongs to the vocabulary, else raise ``ValueError``."""
        if code not in self.codes:
            raise ValueError(f"{code!r} is not a code of vocabulary {self.name}")
        return code

    def label(self, code: str, lang: str | None = "en") -> str:
        """Return the label of ``code`` in ``lang``."""
        return translate(self.key(self.require(code)), lang)

    def choices(self, lang: str | None = "en") -> list[tuple[str, str]]:
        """Return ``(code, label)`` pairs in order, for buttons or numbered lists."""
        return [(code, translate(self.key(code), lang)) for code in self.codes]

    def parse(self, text: str, lang: str | None = "en") -> str | None:
        """Return the code the user meant by ``text``, or ``None``.

        ``text`` may be a code, a label in English, French or Spanish (any case,
        with or without accents), an alias, or a 1-based position in the list.
        Labels in ``lang`` win over labels in the other languages.
        """
        raw = text.strip().rstrip(".)").strip()
        if raw.isdigit():
            position = int(raw)
            return self.codes[position - 1] if 1 <= position <= len(self.codes) else None
        wanted = fold(text)
        if not wanted:
            return None
        for code in self.codes:
            if wanted == fold(code.replace("_", " ")):
                return code
        preferred = _base_language(lang)
        languages = [preferred, *(x for x in SUPPORTED_LANGUAGES if x != preferred)]
        for language in languages:
            hits = {code for code in self.codes if fold(self.label(code, language)) == wanted}
            if len(hits) == 1:
                return hits.pop()
        hits = {code for alias, code in self.aliases if fold(alias) == wanted}
        return hits.pop() if len(hits) == 1 else None


CONVENTION = Vocabulary("conventions", CONVENTIONS)
REGION = Vocabulary("regions", REGIONS)
LANGUAGE = Vocabulary(
    "languages", LANGUAGES, tuple((name, code) for code, name in LANGUAGE_ENDONYMS.items())
)
ROLE = Vocabulary("roles", ROLES)
AREA_GROUP = Vocabulary("area_groups", AREA_GROUP_CODES)
ASSISTANCE_AREA = Vocabulary("assistance_areas", ASSISTANCE_AREAS)
ASSISTANCE_TYPE = Vocabulary("assistance_types", ASSISTANCE_TYPES)
PRIORITY = Vocabulary("priorities", PRIORITIES)
NEED_CLUSTER = Vocabulary("need_clusters", NEED_CLUSTERS)
FORMAT = Vocabulary("formats", FORMATS)
TIMEFRAME = Vocabulary("timeframes", TIMEFRAMES)
NEED_STATUS = Vocabulary("need_statuses", NEED_STATUSES)
OPPORTUNITY_KIND = Vocabulary("opportunity_kinds", OPPORTUNITY_KINDS)

#: Every vocabulary by name; the name is the middle part of its catalogue keys.
VOCABULARIES: dict[str, Vocabulary] = {
    vocabulary.name: vocabulary
    for vocabulary in (
        CONVENTION,
        REGION,
        LANGUAGE,
        ROLE,
        AREA_GROUP,
        ASSISTANCE_AREA,
        ASSISTANCE_TYPE,
        PRIORITY,
        NEED_CLUSTER,
        FORMAT,
        TIMEFRAME,
        NEED_STATUS,
        OPPORTUNITY_KIND,
    )
}


def get_vocabulary(name: str) -> Vocabulary:
    """Return the vocabulary called ``name``; raise ``KeyError`` if there is none."""
    try:
        return VOCABULARIES[name]
    except KeyError:
        known = ", ".join(sorted(VOCABULARIES))
        raise KeyError(f"unknown vocabulary {name!r}; known: {known}") from None


# ---------------------------------------------------------------------------
# Countries and UN regional groups
# ---------------------------------------------------------------------------

#: Every UN member State (193), the two observer States and the European Union,
#: by ISO 3166-1 alpha-2 code, with the UN regional group each belongs to.
#: Written by hand; the per-group member counts are checked by the tests.
COUNTRY_REGIONS: dict[str, Region] = {
    # --- African Group: 54 members -----------------------------------------
    "DZ": "africa",  # Algeria
    "AO": "africa",  # Angola
    "BJ": "africa",  # Benin
    "BW": "africa",  # Botswana
    "BF": "africa",  # Burkina Faso
    "BI": "africa",  # Burundi
    "CV": "africa",  # Cabo Verde
    "CM": "africa",  # Cameroon
    "CF": "africa",  # Central African Republic
    "TD": "africa",  # Chad
    "KM": "africa",  # Comoros
    "CG": "africa",  # Congo
    "CI": "africa",  # Côte d'Ivoire
    "CD": "africa",  # Democratic Republic of the Congo
    "DJ": "africa",  # Djibouti
    "EG": "africa",  # Egypt
    "GQ": "africa",  # Equatorial Guinea
    "ER": "africa",  # Eritrea
    "SZ": "africa",  # Eswatini
    "ET": "africa",  # Ethiopia
    "GA": "africa",  # Gabon
    "GM": "africa",  # Gambia
    "GH": "africa",  # Ghana
    "GN": "africa",  # Guinea
    "GW": "africa",  # Guinea-Bissau
    "KE": "africa",  # Kenya
    "LS": "africa",  # Lesotho
    "LR": "africa",  # Liberia
    "LY": "africa",  # Libya
    "MG": "africa",  # Madagascar
    "MW": "africa",  # Malawi
    "ML": "africa",  # Mali
    "MR": "africa",  # Mauritania
    "MU": "africa",  # Mauritius
    "MA": "africa",  # Morocco
    "MZ": "africa",  # Mozambique
    "NA": "africa",  # Namibia
    "NE": "africa",  # Niger
    "NG": "africa",  # Nigeria
    "RW": "africa",  # Rwanda
    "ST": "africa",  # Sao Tome and Principe
    "SN": "africa",  # Senegal
    "SC": "africa",  # Seychelles
    "SL": "africa",  # Sierra Leone
    "SO": "africa",  # Somalia
    "ZA": "africa",  # South Africa
    "SS": "africa",  # South Sudan
    "SD": "africa",  # Sudan
    "TG": "africa",  # Togo
    "TN": "africa",  # Tunisia
    "UG": "africa",  # Uganda
    "TZ": "africa",  # United Republic of Tanzania
    "ZM": "africa",  # Zambia
    "ZW": "africa",  # Zimbabwe
    # --- Asia-Pacific Group: 53 members, plus Kiribati ---------------------
    "AF": "asia_pacific",  # Afghanistan
    "BH": "asia_pacific",  # Bahrain
    "BD": "asia_pacific",  # Bangladesh
    "BT": "asia_pacific",  # Bhutan
    "BN": "asia_pacific",  # Brunei Darussalam
    "KH": "asia_pacific",  # Cambodia
    "CN": "asia_pacific",  # China
    "CY": "asia_pacific",  # Cyprus
    "KP": "asia_pacific",  # Democratic People's Republic of Korea
    "FJ": "asia_pacific",  # Fiji
    "IN": "asia_pacific",  # India
    "ID": "asia_pacific",  # Indonesia
    "IR": "asia_pacific",  # Iran (Islamic Republic of)
    "IQ": "asia_pacific",  # Iraq
    "JP": "asia_pacific",  # Japan
    "JO": "asia_pacific",  # Jordan
    "KZ": "asia_pacific",  # Kazakhstan
    "KW": "asia_pacific",  # Kuwait
    "KG": "asia_pacific",  # Kyrgyzstan
    "LA": "asia_pacific",  # Lao People's Democratic Republic
    "LB": "asia_pacific",  # Lebanon
    "MY": "asia_pacific",  # Malaysia
    "MV": "asia_pacific",  # Maldives
    "MH": "asia_pacific",  # Marshall Islands
    "FM": "asia_pacific",  # Micronesia (Federated States of)
    "MN": "asia_pacific",  # Mongolia
    "MM": "asia_pacific",  # Myanmar
    "NR": "asia_pacific",  # Nauru
    "NP": "asia_pacific",  # Nepal
    "OM": "asia_pacific",  # Oman
    "PK": "asia_pacific",  # Pakistan
    "PW": "asia_pacific",  # Palau
    "PG": "asia_pacific",  # Papua New Guinea
    "PH": "asia_pacific",  # Philippines
    "QA": "asia_pacific",  # Qatar
    "KR": "asia_pacific",  # Republic of Korea
    "WS": "asia_pacific",  # Samoa
    "SA": "asia_pacific",  # Saudi Arabia
    "SG": "asia_pacific",  # Singapore
    "SB": "asia_pacific",  # Solomon Islands
    "LK": "asia_pacific",  # Sri Lanka
    "SY": "asia_pacific",  # Syrian Arab Republic
    "TJ": "asia_pacific",  # Tajikistan
    "TH": "asia_pacific",  # Thailand
    "TL": "asia_pacific",  # Timor-Leste
    "TO": "asia_pacific",  # Tonga
    "TM": "asia_pacific",  # Turkmenistan
    "TV": "asia_pacific",  # Tuvalu
    "AE": "asia_pacific",  # United Arab Emirates
    "UZ": "asia_pacific",  # Uzbekistan
    "VU": "asia_pacific",  # Vanuatu
    "VN": "asia_pacific",  # Viet Nam
    "YE": "asia_pacific",  # Yemen
    # Kiribati belongs to no UN regional group. It is a Pacific island State,
    # so the assistant files it under Asia-Pacific (regional centre: SPREP).
    "KI": "asia_pacific",  # Kiribati
    # --- Eastern European Group: 23 members --------------------------------
    "AL": "central_eastern_europe",  # Albania
    "AM": "central_eastern_europe",  # Armenia
    "AZ": "central_eastern_europe",  # Azerbaijan
    "BY": "central_eastern_europe",  # Belarus
    "BA": "central_eastern_europe",  # Bosnia and Herzegovina
    "BG": "central_eastern_europe",  # Bulgaria
    "HR": "central_eastern_europe",  # Croatia
    "CZ": "central_eastern_europe",  # Czechia
    "EE": "central_eastern_europe",  # Estonia
    "GE": "central_eastern_europe",  # Georgia
    "HU": "central_eastern_europe",  # Hungary
    "LV": "central_eastern_europe",  # Latvia
    "LT": "central_eastern_europe",  # Lithuania
    "ME": "central_eastern_europe",  # Montenegro
    "MK": "central_eastern_europe",  # North Macedonia
    "PL": "central_eastern_europe",  # Poland
    "MD": "central_eastern_europe",  # Republic of Moldova
    "RO": "central_eastern_europe",  # Romania
    "RU": "central_eastern_europe",  # Russian Federation
    "RS": "central_eastern_europe",  # Serbia
    "SK": "central_eastern_europe",  # Slovakia
    "SI": "central_eastern_europe",  # Slovenia
    "UA": "central_eastern_europe",  # Ukraine
    # --- Latin American and Caribbean Group (GRULAC): 33 members -----------
    "AG": "grulac",  # Antigua and Barbuda
    "AR": "grulac",  # Argentina
    "BS": "grulac",  # Bahamas
    "BB": "grulac",  # Barbados
    "BZ": "grulac",  # Belize
    "BO": "grulac",  # Bolivia (Plurinational State of)
    "BR": "grulac",  # Brazil
    "CL": "grulac",  # Chile
    "CO": "grulac",  # Colombia
    "CR": "grulac",  # Costa Rica
    "CU": "grulac",  # Cuba
    "DM": "grulac",  # Dominica
    "DO": "grulac",  # Dominican Republic
    "EC": "grulac",  # Ecuador
    "SV": "grulac",  # El Salvador
    "GD": "grulac",  # Grenada
    "GT": "grulac",  # Guatemala
    "GY": "grulac",  # Guyana
    "HT": "grulac",  # Haiti
    "HN": "grulac",  # Honduras
    "JM": "grulac",  # Jamaica
    "MX": "grulac",  # Mexico
    "NI": "grulac",  # Nicaragua
    "PA": "grulac",  # Panama
    "PY": "grulac",  # Paraguay
    "PE": "grulac",  # Peru
    "KN": "grulac",  # Saint Kitts and Nevis
    "LC": "grulac",  # Saint Lucia
    "VC": "grulac",  # Saint Vincent and the Grenadines
    "SR": "grulac",  # Suriname
    "TT": "grulac",  # Trinidad and Tobago
    "UY": "grulac",  # Uruguay
    "VE": "grulac",  # Venezuela (Bolivarian Republic of)
    # --- Western European and Others Group: 28 members, plus the USA -------
    "AD": "weog",  # Andorra
    "AU": "weog",  # Australia
    "AT": "weog",  # Austria
    "BE": "weog",  # Belgium
    "CA": "weog",  # Canada
    "DK": "weog",  # Denmark
    "FI": "weog",  # Finland
    "FR": "weog",  # France
    "DE": "weog",  # Germany
    "GR": "weog",  # Greece
    "IS": "weog",  # Iceland
    "IE": "weog",  # Ireland
    "IL": "weog",  # Israel (WEOG member since 2000)
    "IT": "weog",  # Italy
    "LI": "weog",  # Liechtenstein
    "LU": "weog",  # Luxembourg
    "MT": "weog",  # Malta
    "MC": "weog",  # Monaco
    "NL": "weog",  # Netherlands
    "NZ": "weog",  # New Zealand
    "NO": "weog",  # Norway
    "PT": "weog",  # Portugal
    "SM": "weog",  # San Marino
    "ES": "weog",  # Spain
    "SE": "weog",  # Sweden
    "CH": "weog",  # Switzerland
    # Türkiye is a WEOG member for electoral purposes and also takes part in
    # the Asia-Pacific Group's meetings; the assistant uses WEOG.
    "TR": "weog",  # Türkiye
    "GB": "weog",  # United Kingdom
    # The United States belongs to no group; it attends WEOG as an observer
    # and counts as WEOG for elections, so the assistant uses WEOG.
    "US": "weog",  # United States of America
    # --- Non-members --------------------------------------------------------
    # State of Palestine (observer State): full member of the Asia-Pacific Group.
    "PS": "asia_pacific",
    # Holy See (observer State): in no group; filed under WEOG by geography.
    "VA": "weog",
    # European Union (REIO, a Party to all three conventions): in no group; its
    # member States sit in WEOG and the Eastern European Group. Filed under
    # WEOG (seat in Brussels); filter on country_status() to leave it out.
    "EU": "weog",
}

#: Entries of COUNTRY_REGIONS that are not UN member States.
_NON_MEMBERS: dict[str, CountryStatus] = {"PS": "observer", "VA": "observer", "EU": "reio"}

#: Every code in COUNTRY_REGIONS, sorted.
COUNTRIES: tuple[str, ...] = tuple(sorted(COUNTRY_REGIONS))
#: The 193 UN member States, sorted by code.
MEMBER_STATES: tuple[str, ...] = tuple(c for c in COUNTRIES if c not in _NON_MEMBERS)

# UN short names where pycountry's name is inverted ("Korea, Republic of"),
# missing (the EU), misspelt in a gettext catalogue ("Tunez") or not the name
# the UN uses ("Birmanie" for Myanmar).
_NAME_OVERRIDES: dict[str, dict[str, str]] = {
    "en": {
        "BO": "Bolivia (Plurinational State of)",
        "CD": "Democratic Republic of the Congo",
        "EU": "European Union",
        "FM": "Micronesia (Federated States of)",
        "IR": "Iran (Islamic Republic of)",
        "KP": "Democratic People's Republic of Korea",
        "KR": "Republic of Korea",
        "MD": "Republic of Moldova",
        "PS": "State of Palestine",
        "TZ": "United Republic of Tanzania",
        "US": "United States of America",
        "VA": "Holy See",
        "VE": "Venezuela (Bolivarian Republic of)",
    },
    "fr": {
        "BO": "Bolivie (État plurinational de)",
        "EU": "Union européenne",
        "FM": "Micronésie (États fédérés de)",
        "IR": "Iran (République islamique d')",
        "KP": "République populaire démocratique de Corée",
        "KR": "République de Corée",
        "LA": "République démocratique populaire lao",
        "GQ": "Guinée équatoriale",
        "MD": "République de Moldova",
        "MM": "Myanmar",
        "PS": "État de Palestine",
        "RU": "Fédération de Russie",
        "SB": "Îles Salomon",
        "SY": "République arabe syrienne",
        "TL": "Timor-Leste",
        "TZ": "République-Unie de Tanzanie",
        "US": "États-Unis d'Amérique",
        "VA": "Saint-Siège",
        "VE": "Venezuela (République bolivarienne du)",
    },
    "es": {
        "BF": "Burkina Faso",
        "BO": "Bolivia (Estado Plurinacional de)",
        "CD": "República Democrática del Congo",
        "CI": "Côte d'Ivoire",
        "EU": "Unión Europea",
        "FM": "Micronesia (Estados Federados de)",
        "IR": "Irán (República Islámica del)",
        "KM": "Comoras",
        "KP": "República Popular Democrática de Corea",
        "KR": "República de Corea",
        "LA": "República Democrática Popular Lao",
        "MD": "República de Moldova",
        "MM": "Myanmar",
        "PS": "Estado de Palestina",
        "SR": "Suriname",
        "SY": "República Árabe Siria",
        "TL": "Timor-Leste",
        "TN": "Túnez",
        "TZ": "República Unida de Tanzanía",
        "US": "Estados Unidos de América",
        "VA": "Santa Sede",
        "VE": "Venezuela (República Bolivariana de)",
    },
}

# Names people type that pycountry and the UN names do not cover.
_COUNTRY_ALIASES: dict[str, str] = {
    # English
    "Iran": "IR",
    "Persia": "IR",
    "Russia": "RU",
    "Bolivia": "BO",
    "Tanzania": "TZ",
    "Vietnam": "VN",
    "Syria": "SY",
    "Laos": "LA",
    "Moldova": "MD",
    "Turkey": "TR",
    "Turkiye": "TR",
    "Czech Republic": "CZ",
    "Ivory Coast": "CI",
    "Cape Verde": "CV",
    "Swaziland": "SZ",
    "Macedonia": "MK",
    "FYROM": "MK",
    "DR Congo": "CD",
    "DRC": "CD",
    "Congo-Kinshasa": "CD",
    "Congo Kinshasa": "CD",
    "Zaire": "CD",
    "Congo-Brazzaville": "CG",
    "Congo Brazzaville": "CG",
    "Republic of the Congo": "CG",
    "Republic of Congo": "CG",
    "South Korea": "KR",
    "Korea South": "KR",
    "North Korea": "KP",
    "Korea North": "KP",
    "DPRK": "KP",
    "UK": "GB",
    "U.K.": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "USA": "US",
    "U.S.A.": "US",
    "US": "US",
    "U.S.": "US",
    "United States": "US",
    "America": "US",
    "Burma": "MM",
    "East Timor": "TL",
    "Brunei": "BN",
    "Holland": "NL",
    "UAE": "AE",
    "Emirates": "AE",
    "Saudi": "SA",
    "KSA": "SA",
    "Sao Tome": "ST",
    "St Kitts and Nevis": "KN",
    "St Kitts": "KN",
    "Saint Kitts": "KN",
    "St Lucia": "LC",
    "St Vincent": "VC",
    "Saint Vincent": "VC",
    "St Vincent and the Grenadines": "VC",
    "Bosnia": "BA",
    "Trinidad": "TT",
    "Antigua": "AG",
    "Kyrgyz Republic": "KG",
    "Micronesia": "FM",
    "Venezuela": "VE",
    "Palestine": "PS",
    "Vatican": "VA",
    "Vatican City": "VA",
    "EU": "EU",
    "European Community": "EU",
    "Lao PDR": "LA",
    # French
    "Russie": "RU",
    "Bolivie": "BO",
    "Tanzanie": "TZ",
    "Syrie": "SY",
    "Moldavie": "MD",
    "République tchèque": "CZ",
    "Cap Vert": "CV",
    "Swaziland (Eswatini)": "SZ",
    "Macédoine": "MK",
    "RDC": "CD",
    "RD Congo": "CD",
    "Congo Kinshasa (RDC)": "CD",
    "République du Congo": "CG",
    "Corée du Sud": "KR",
    "Corée du Nord": "KP",
    "Royaume Uni": "GB",
    "Grande-Bretagne": "GB",
    "Etats-Unis": "US",
    "Amérique": "US",
    "Birmanie": "MM",
    "Vietnam (Viêt Nam)": "VN",
    "Micronésie": "FM",
    "Émirats": "AE",
    "Arabie saoudite": "SA",
    "Saint-Kitts-et-Nevis": "KN",
    "Bosnie": "BA",
    "Timor oriental": "TL",
    "Hollande": "NL",
    "Vénézuela": "VE",
    "Venezuela (Vénézuela)": "VE",
    "UE": "EU",
    # Spanish
    "Rusia": "RU",
    "Irán": "IR",
    "Siria": "SY",
    "Moldavia": "MD",
    "República Checa": "CZ",
    "Costa de Marfil": "CI",
    "Suazilandia": "SZ",
    "Macedonia del Norte": "MK",
    "RD del Congo": "CD",
    "República del Congo": "CG",
    "Corea del Sur": "KR",
    "Corea del Norte": "KP",
    "EE. UU.": "US",
    "EEUU": "US",
    "EUA": "US",
    "Estados Unidos": "US",
    "Gran Bretaña": "GB",
    "Birmania": "MM",
    "Timor Oriental": "TL",
    "Holanda": "NL",
    "Emiratos": "AE",
    "Tanzanía": "TZ",
    "Vaticano": "VA",
    "Palestina": "PS",
}


def _normalise_code(code: str) -> str:
    normalised = code.strip().upper()
    if normalised not in COUNTRY_REGIONS:
        raise ValueError(f"unknown country code {code!r}")
    return normalised


@cache
def _gettext(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def _pycountry_names(code: str) -> tuple[str, ...]:
    """Return pycountry's English name, official name and common name of ``code``."""
    record = pycountry.countries.get(alpha_2=code)
    if record is None:
        return ()
    names = [str(record.name)]
    for attribute in ("official_name", "common_name"):
        value = getattr(record, attribute, None)
        if value:
            names.append(str(value))
    return tuple(names)


def _alpha3(code: str) -> str | None:
    record = pycountry.countries.get(alpha_2=code)
    return None if record is None else str(record.alpha_3)


def country_name(code: str, lang: str | None = "en") -> str:
    """Return the short name of the country ``code`` in ``lang``.

    English names are pycountry's, French and Spanish names come from
    pycountry's gettext catalogues; the UN short name replaces the few names
    pycountry gives in an inverted or misspelt form ("Korea, Republic of").
    """
    code = _normalise_code(code)
    language = _base_language(lang)
    override = _NAME_OVERRIDES.get(language, {}).get(code)
    if override is not None:
        return override
    names = _pycountry_names(code)
    if not names:
        return _NAME_OVERRIDES["en"][code]
    if language == "en":
        return names[0]
    return _gettext(language).gettext(names[0])


def region_of(code: str) -> Region:
    """Return the UN regional group code of the country ``code``."""
    return COUNTRY_REGIONS[_normalise_code(code)]


def country_status(code: str) -> CountryStatus:
    """Tell whether ``code`` is a UN member State, an observer State or the EU."""
    return _NON_MEMBERS.get(_normalise_code(code), "member")


def is_member_state(code: str) -> bool:
    """Tell whether ``code`` is one of the 193 UN member States."""
    return country_status(code) == "member"


def countries_in(region: str, lang: str | None = None, *, members_only: bool = False) -> list[str]:
    """Return the country codes of ``region``.

    The list is sorted by code, or by name in ``lang`` when ``lang`` is given.
    Observer States and the EU are included unless ``members_only``.
    """
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r}")
    codes = [
        code
        for code in COUNTRIES
        if COUNTRY_REGIONS[code] == region and not (members_only and code in _NON_MEMBERS)
    ]
    if lang is not None:
        codes.sort(key=lambda code: fold(country_name(code, lang)))
    return codes


def _keys(text: str) -> set[str]:
    """Return a name's folded forms, also without article or apostrophes."""
    keys: set[str] = set()
    for variant in (text, _APOSTROPHES.sub("", text)):
        folded = fold(variant)
        keys |= {folded, _without_article(folded)}
    return keys - {""}


@cache
def _names_in(lang: str) -> dict[str, frozenset[str]]:
    """Return every folded name of every country in one language."""
    translations = _gettext(lang)
    names: dict[str, frozenset[str]] = {}
    for code in COUNTRIES:
        keys = _keys(country_name(code, lang))
        for name in _pycountry_names(code):
            keys |= _keys(name if lang == "en" else translations.gettext(name))
        names[code] = frozenset(keys)
    return names


def _unique_index(names: dict[str, frozenset[str]]) -> dict[str, str]:
    owners: dict[str, set[str]] = {}
    for code, keys in names.items():
        for key in keys:
            owners.setdefault(key, set()).add(code)
    return {key: next(iter(codes)) for key, codes in owners.items() if len(codes) == 1}


@cache
def _index_for(lang: str) -> dict[str, str]:
    return _unique_index(_names_in(lang))


@cache
def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for alias, code in _COUNTRY_ALIASES.items():
        for key in _keys(alias):
            index[key] = code
    return index


@cache
def _all_names() -> dict[str, frozenset[str]]:
    """Return every folded name of every country, in all languages and aliases."""
    merged: dict[str, set[str]] = {code: set() for code in COUNTRIES}
    for lang in SUPPORTED_LANGUAGES:
        for code, keys in _names_in(lang).items():
            merged[code] |= keys
    for key, code in _alias_index().items():
        merged[code].add(key)
    return {code: frozenset(keys) for code, keys in merged.items()}


@cache
def _global_index() -> dict[str, str]:
    return _unique_index(_all_names())


@cache
def _alpha3_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for code in COUNTRIES:
        alpha3 = _alpha3(code)
        if alpha3 is not None:
            index[alpha3] = code
    return index


def parse_country(text: str, lang: str | None = "en") -> str | None:
    """Return the ISO alpha-2 code of the country named by ``text``, or ``None``.

    ``text`` may be an ISO alpha-2 or alpha-3 code, the English, French or
    Spanish name, or a common name ("Russia", "UK", "Côte d'Ivoire"), in any
    case and with or without accents. Names in ``lang`` win over the others.
    """
    raw = text.strip().upper()
    if raw in COUNTRY_REGIONS:
        return raw
    if raw in _alpha3_index():
        return _alpha3_index()[raw]
    keys = _keys(text)
    if not keys:
        return None
    language = _base_language(lang)
    indexes = [_alias_index()]
    if language in SUPPORTED_LANGUAGES:
        indexes.append(_index_for(language))
    indexes.extend(_index_for(other) for other in SUPPORTED_LANGUAGES if other != language)
    indexes.append(_global_index())
    for index in indexes:
        for key in sorted(keys):
            if key in index:
                return index[key]
    return None


def search_countries(text: str, lang: str | None = "en", limit: int = 8) -> list[tuple[str, str]]:
    """Return up to ``limit`` ``(code, name in lang)`` pairs matching typed text.

    Exact names come first, then names in ``lang`` that start with ``text``,
    then ISO codes, names in other languages or aliases that start with it,
    then names with a word starting with it, then names merely containing it.
    Ties are broken alphabetically by name in ``lang``.
    """
    query = fold(text)
    if not query or limit <= 0:
        return []
    typed_code = text.strip().upper()
    all_names = _all_names()
    ranked: list[tuple[int, str, str, str]] = []
    for code in COUNTRIES:
        name = country_name(code, lang)
        own = fold(name)
        others = all_names[code]
        if query == own or query in others:
            rank = 0
        elif own.startswith(query):
            rank = 1
        elif typed_code in (code, _alpha3(code)) or any(key.startswith(query) for key in others):
            rank = 2
        elif f" {query}" in f" {own}":
            rank = 3
        elif any(f" {query}" in f" {key}" for key in others):
            rank = 4
        elif query in own or any(query in key for key in others):
            rank = 5
        else:
            continue
        ranked.append((rank, own, code, name))
    ranked.sort()
    return [(code, name) for _, _, code, name in ranked[:limit]]
