"""Name the domain concepts and the acronyms and phrases that express them per language.

Every acronym or phrase listed for a concept adds the concept's term (for
example ``~bcrc``) wherever it occurs, in documents and in questions alike.
Acronyms are per language because they collide across languages (Spanish
"COP" means POPs, English "COP" the Conference of the Parties).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

CONCEPT_PREFIX: Final = "~"

# concept -> language -> phrases ("*" applies to every language)
CONCEPTS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "bcrc": {
        "*": ("bcrc", "bcrcs", "bccc"),
        "en": ("basel convention regional centre", "basel regional centre"),
        "fr": ("centre regional de la convention de bale", "centre regional de bale"),
        "es": ("centro regional del convenio de basilea", "centro regional de basilea"),
    },
    "scrc": {
        "*": ("scrc", "scrcs"),
        "en": ("stockholm convention regional centre", "stockholm regional centre"),
        "fr": ("centre regional de la convention de stockholm",),
        "es": ("centro regional del convenio de estocolmo",),
    },
    "regional_centre": {
        "*": ("bcrc", "bcrcs", "scrc", "scrcs", "bccc"),
        "en": ("regional centre", "regional center", "coordinating centre"),
        "fr": ("centre regional", "centres regionaux", "centre de coordination"),
        "es": ("centro regional", "centros regionales", "centro de coordinacion"),
    },
    "pic": {
        "en": ("pic", "prior informed consent"),
        "fr": ("pic", "consentement prealable en connaissance de cause", "consentement prealable"),
        "es": ("pic", "consentimiento fundamentado previo", "consentimiento previo"),
    },
    "esm": {
        "en": ("esm", "environmentally sound management"),
        "fr": ("ger", "gestion ecologiquement rationnelle"),
        "es": ("gar", "gestion ambientalmente racional"),
    },
    "est": {
        "en": ("ests", "environmentally sound technologies", "environmentally sound technology"),
        "fr": ("technologies ecologiquement rationnelles",),
        "es": ("tecnologias ambientalmente racionales",),
    },
    "ta": {
        "en": ("ta", "technical assistance"),
        "fr": ("assistance technique",),
        "es": ("asistencia tecnica",),
    },
    "pops": {
        "en": ("pops", "pop", "persistent organic pollutants", "persistent organic pollutant"),
        "fr": ("pops", "pop", "polluants organiques persistants"),
        "es": ("contaminantes organicos persistentes", "cop", "cops"),
    },
    "dna": {
        "en": ("dna", "dnas", "designated national authority", "designated national authorities"),
        "fr": ("autorite nationale designee", "autorites nationales designees"),
        "es": ("autoridad nacional designada", "autoridades nacionales designadas"),
    },
    "ocp": {
        "en": ("ocp", "official contact point"),
        "fr": ("point de contact officiel",),
        "es": ("punto de contacto oficial",),
    },
    "focal_point": {
        "en": ("focal point", "nfp", "national focal point"),
        "fr": ("correspondant national", "point focal", "correspondants nationaux"),
        "es": ("punto focal", "puntos focales", "coordinador nacional"),
    },
    "competent_authority": {
        "en": ("competent authority", "competent authorities"),
        "fr": ("autorite competente", "autorites competentes"),
        "es": ("autoridad competente", "autoridades competentes"),
    },
    "cop": {
        "en": ("cop", "cops", "conference of the parties"),
        "fr": ("cop", "cdp", "conference des parties"),
        "es": ("conferencia de las partes",),
    },
    "ewaste": {
        "*": ("ewaste", "ewastes", "weee"),
        "en": ("electronic waste", "waste electrical and electronic equipment"),
        "fr": (
            "deee",
            "dechets electroniques",
            "dechets d equipements electriques et electroniques",
        ),
        "es": ("raee", "residuos electronicos", "residuos de aparatos electricos y electronicos"),
    },
    "ulab": {
        "*": ("ulab", "ulabs"),
        "en": ("used lead acid batteries", "used lead acid battery", "lead acid batteries"),
        "fr": ("batteries au plomb usagees", "accumulateurs au plomb usages", "batteries au plomb"),
        "es": ("baterias de plomo acido usadas", "baterias de plomo acido", "baterias de plomo"),
    },
    "nip": {
        "en": ("nip", "nips", "national implementation plan", "national implementation plans"),
        "fr": ("pnm", "plan national de mise en oeuvre", "plans nationaux de mise en oeuvre"),
        "es": ("pna", "plan nacional de aplicacion", "planes nacionales de aplicacion"),
    },
    "sids": {
        "en": ("sids", "small island developing states"),
        "fr": ("peid", "petits etats insulaires en developpement"),
        "es": ("peid", "pequenos estados insulares en desarrollo"),
    },
    "ldc": {
        "en": ("ldc", "ldcs", "least developed countries", "least developed country"),
        "fr": ("pma", "pays les moins avances"),
        "es": ("pma", "paises menos adelantados"),
    },
    "eit": {
        "en": ("eit", "eits", "economies in transition", "economy in transition"),
        "fr": ("economies en transition", "economie en transition"),
        "es": ("eet", "economias en transicion", "economia en transicion"),
    },
    "gef": {
        "en": ("gef", "global environment facility"),
        "fr": ("fem", "gef", "fonds pour l environnement mondial"),
        "es": ("fmam", "gef", "fondo para el medio ambiente mundial"),
    },
    "sgp": {
        "en": ("sgp", "small grants programme", "small grant programme", "small grants"),
        "fr": ("petites subventions", "programme de petites subventions"),
        "es": ("pequenas donaciones", "pequenas subvenciones"),
    },
    "pwp": {
        "en": ("pwp", "plastic waste partnership"),
        "fr": ("partenariat sur les dechets plastiques",),
        "es": ("alianza sobre los residuos plasticos", "asociacion sobre residuos plasticos"),
    },
    "pace": {
        "*": ("pace",),
        "en": ("partnership for action on computing equipment",),
        "fr": ("partenariat pour une action sur les equipements informatiques",),
        "es": ("alianza para la accion en materia de equipos de computadoras",),
    },
    "special_programme": {
        "en": ("special programme",),
        "fr": ("programme special",),
        "es": ("programa especial",),
    },
    "illegal_traffic": {
        "en": ("illegal traffic", "illegal trafficking"),
        "fr": ("trafic illicite",),
        "es": ("trafico ilicito",),
    },
    "needs_assessment": {
        "en": ("needs assessment", "needs assessments", "assessment of needs"),
        "fr": ("evaluation des besoins",),
        "es": ("evaluacion de necesidades", "evaluacion de las necesidades"),
    },
    "unep": {
        "en": ("unep", "united nations environment programme"),
        "fr": ("pnue", "unep", "programme des nations unies pour l environnement"),
        "es": ("pnuma", "unep", "programa de las naciones unidas para el medio ambiente"),
    },
    "shpf": {
        "en": ("shpf", "severely hazardous pesticide formulations"),
        "fr": ("preparations pesticides extremement dangereuses",),
        "es": ("formulaciones plaguicidas extremadamente peligrosas",),
    },
    "brs": {
        "*": ("brs",),
        "en": ("basel rotterdam and stockholm",),
        "fr": ("bale rotterdam et stockholm",),
        "es": ("basilea rotterdam y estocolmo",),
    },
    "webinar": {
        "en": ("webinar", "webinars", "online seminar"),
        "fr": ("webinaire", "webinaires", "seminaire en ligne"),
        "es": ("seminario web", "webinario", "seminarios web"),
    },
    "funding": {
        "en": (
            "fund",
            "funds",
            "funding",
            "finance",
            "finances",
            "financing",
            "money",
            "financial",
        ),
        "fr": ("financement", "financements", "fonds", "financer", "argent", "financier"),
        "es": ("financiacion", "financiamiento", "fondos", "dinero", "financiar", "financiero"),
    },
    "assistant": {"*": ("bot", "chatbot", "chatassistant")},
    "elearning": {
        "*": ("elearning",),
        "en": ("online course", "online courses"),
        "fr": ("cours en ligne", "formation en ligne"),
        "es": ("curso en linea", "cursos en linea"),
    },
}


def concept_phrases(language: str) -> Iterator[tuple[str, str]]:
    """Yield ``(concept, phrase)`` for every phrase that applies to ``language``."""
    for concept, by_language in CONCEPTS.items():
        for phrase in (*by_language.get("*", ()), *by_language.get(language, ())):
            yield concept, phrase
