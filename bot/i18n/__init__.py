"""Translate every user-facing text through one function.

Catalogues are YAML files ``catalogues/<domain>.<lang>.yaml``: a flat mapping
from a message key to its text, with ``{name}`` placeholders. Every domain
(core, vocab, needs, ...) keeps its own file so they can grow independently.
A key missing in a language falls back to English; a key missing in English
is a programming error and is shown as the key itself so it is noticed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import yaml

logger = logging.getLogger(__name__)

CATALOGUE_DIR = Path(__file__).parent / "catalogues"
DEFAULT_LANGUAGE = "en"
#: Languages the assistant speaks; the other UN languages come later.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "fr", "es")


@cache
def _catalogue(language: str) -> Mapping[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(CATALOGUE_DIR.glob(f"*.{language}.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path} must hold a mapping of keys to texts")
        for key, text in data.items():
            merged[str(key)] = str(text)
    return merged


def normalise_language(language: str | None) -> str:
    """Return a supported language code for a hint like ``fr-CA`` or ``None``."""
    if not language:
        return DEFAULT_LANGUAGE
    base = language.replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def has_key(key: str) -> bool:
    """Tell whether the English catalogue defines ``key``."""
    return key in _catalogue(DEFAULT_LANGUAGE)


def translate(key: str, language: str | None = DEFAULT_LANGUAGE, /, **values: object) -> str:
    """Return the text for ``key`` in ``language``, formatted with ``values``."""
    lang = normalise_language(language)
    text = _catalogue(lang).get(key) or _catalogue(DEFAULT_LANGUAGE).get(key)
    if text is None:
        logger.error("missing translation key %s", key)
        return key
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        logger.exception("translation %s in %s does not fit its values", key, lang)
        return _catalogue(DEFAULT_LANGUAGE).get(key, key).format(**values)


def reload_catalogues() -> None:
    """Forget the loaded catalogues (tests that write catalogue files use this)."""
    _catalogue.cache_clear()


_ = translate


def localise(text: str | Mapping[str, str], language: str | None, /, **values: object) -> str:
    """Return a text given as a catalogue key, or as an inline ``{language: text}`` mapping.

    Flow definitions carry their texts inline in every language; everything
    else uses catalogue keys. Both land here so that one function decides
    what the user reads.
    """
    if isinstance(text, str):
        return translate(text, language, **values)
    lang = normalise_language(language)
    chosen = text.get(lang) or text.get(DEFAULT_LANGUAGE) or next(iter(text.values()), "")
    return chosen.format(**values) if values else chosen
