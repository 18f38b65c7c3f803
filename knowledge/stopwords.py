"""List the stop words of each language, folded like the text they are checked against."""

from __future__ import annotations

import unicodedata
from typing import Final

from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_FRENCH, STOPWORDS_SPANISH

# Question and request words carry no topic: "how can I ..." should not match
# every passage that says "how".
_EXTRA: Final[dict[str, str]] = {
    "en": (
        "can could would may might must shall also whether please tell know want need get"
        " give show explain find us one ok hi hello thanks thank there's what's where's who's"
        " anyone someone something anything which whose many much exist exists still happened"
        " happen anymore currently"
    ),
    "fr": (
        "comment quel quelle quels quelles quoi pourquoi quand ou est-ce puis peut peuvent"
        " pouvez puis-je dois doit faut faire fait svp merci bonjour dire savoir cela ca ceci"
        " celui celle ceux celles lequel laquelle lesquels lesquelles dont aussi tout tous toute"
        " toutes comme plus tres sans sous entre vers chez trouve trouver trouvent situe existe"
        " existent encore combien actuellement"
    ),
    "es": (
        "como cual cuales donde quien quienes cuando cuanto cuanta cuantos cuantas puedo puede"
        " pueden podemos debo debe hacer hace gracias hola decir saber favor tambien todo"
        " todos toda todas mas muy sin entre hacia paso pasa existe existen sigue todavia"
        " actualmente"
    ),
}
# Bm25s' Spanish list treats "estado(s)" as a verb form; here it is a noun ("States").
_KEEP: Final[frozenset[str]] = frozenset({"estado", "estados", "estada", "estadas"})


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _build(base: tuple[str, ...], extra: str) -> frozenset[str]:
    folded = {_fold(word) for word in (*base, *extra.split())}
    return frozenset(word for word in folded if word not in _KEEP)


STOP_WORDS: Final[dict[str, frozenset[str]]] = {
    "en": _build(STOPWORDS_EN_PLUS, _EXTRA["en"]),
    "fr": _build(STOPWORDS_FRENCH, _EXTRA["fr"]),
    "es": _build(STOPWORDS_SPANISH, _EXTRA["es"]),
}
