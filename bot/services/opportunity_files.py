"""Read opportunities from the Secretariat's YAML and CSV files, refusing bad entries with why.

A YAML file holds a list of mappings (or ``opportunities:`` with one); a CSV
file has one opportunity per row, several values in a cell separated by
``;``. Field names: kind, title, description, provider_type, provider,
areas, types, conventions, regions, countries, languages, format,
starts_on, ends_on, deadline (ISO dates), url, capacity. Codes or labels
of the vocabularies are accepted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml
from sqlmodel import Session

from bot import vocab
from bot.errors import UserInputError
from bot.services import audit
from bot.storage.notify_tables import Opportunity

PROVIDER_TYPES = ("secretariat", "regional_centre", "partner")


def _codes(raw: Any, vocabulary: vocab.Vocabulary, what: str) -> list[str]:
    items = raw if isinstance(raw, list) else str(raw or "").replace("|", ";").split(";")
    codes = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        code = vocabulary.parse(text, "en")
        if code is None:
            raise ValueError(f"unknown {what} {text!r}")
        codes.append(code)
    return codes


def _countries(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else str(raw or "").replace("|", ";").split(";")
    codes = []
    for item in items:
        text = str(item).strip()
        if text:
            code = vocab.parse_country(text, "en")
            if code is None:
                raise ValueError(f"unknown country {text!r}")
            codes.append(code)
    return codes


def _date(raw: Any, what: str) -> date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValueError(f"{what} is not a date like 2026-03-31: {raw!r}") from None


def opportunity_from_dict(raw: Mapping[str, Any], *, actor: str) -> Opportunity:
    """Build a draft opportunity from a mapping, raising ``ValueError`` with the reason."""
    title = str(raw.get("title") or "").strip()
    if not title:
        raise ValueError("title is empty")
    kind = vocab.OPPORTUNITY_KIND.parse(str(raw.get("kind") or ""), "en")
    if kind is None:
        raise ValueError(f"kind must be one of {', '.join(vocab.OPPORTUNITY_KINDS)}")
    provider_type = str(raw.get("provider_type") or "secretariat").strip().lower()
    if provider_type not in PROVIDER_TYPES:
        raise ValueError(f"provider_type must be one of {', '.join(PROVIDER_TYPES)}")
    format_ = str(raw.get("format") or "").strip()
    format_code = vocab.FORMAT.parse(format_, "en") if format_ else None
    if format_ and format_code is None:
        raise ValueError(f"format must be one of {', '.join(vocab.FORMATS)}")
    capacity = raw.get("capacity")
    if capacity not in (None, "") and not str(capacity).strip().isdigit():
        raise ValueError(f"capacity is not a number: {capacity!r}")
    opportunity = Opportunity(
        kind=kind,
        title=title[:300],
        description=str(raw.get("description") or "").strip()[:4000],
        provider_type=provider_type,
        provider=str(raw.get("provider") or "BRS Secretariat").strip()[:200],
        areas=_codes(raw.get("areas"), vocab.ASSISTANCE_AREA, "area"),
        types=_codes(raw.get("types"), vocab.ASSISTANCE_TYPE, "assistance type"),
        conventions=_codes(raw.get("conventions"), vocab.CONVENTION, "convention"),
        regions=_codes(raw.get("regions"), vocab.REGION, "region"),
        countries=_countries(raw.get("countries")),
        languages=_codes(raw.get("languages"), vocab.LANGUAGE, "language"),
        format=format_code,
        starts_on=_date(raw.get("starts_on"), "starts_on"),
        ends_on=_date(raw.get("ends_on"), "ends_on"),
        deadline=_date(raw.get("deadline"), "deadline"),
        url=str(raw.get("url") or "").strip()[:500] or None,
        capacity=int(str(capacity).strip()) if capacity not in (None, "") else None,
        created_by=actor,
    )
    if opportunity.url and not opportunity.url.startswith(("https://", "http://")):
        raise ValueError(f"url must start with https://: {opportunity.url!r}")
    if (
        opportunity.starts_on
        and opportunity.ends_on
        and opportunity.ends_on < opportunity.starts_on
    ):
        raise ValueError("ends_on is before starts_on")
    return opportunity


def read_entries(text: str, *, filename: str) -> list[tuple[str, Mapping[str, Any]]]:
    """Read entries from YAML (a list, or ``opportunities:``) or CSV; label each by position."""
    if filename.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        return [
            (f"line {reader.line_num}", {k.strip().lower(): v for k, v in row.items() if k})
            for row in reader
        ]
    data = yaml.safe_load(text)
    if isinstance(data, Mapping):
        data = data.get("opportunities", [data])
    if not isinstance(data, list):
        raise UserInputError("a YAML file holds a list of opportunities")
    return [
        (f"entry {number}", item if isinstance(item, Mapping) else {})
        for number, item in enumerate(data, start=1)
    ]


@dataclass(slots=True)
class AddReport:
    """What ``opp add`` did: the ids added and the entries refused with why."""

    added: list[int] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def add_opportunities(
    *, session: Session, entries: Iterable[tuple[str, Mapping[str, Any]]], actor: str
) -> AddReport:
    """Add every valid entry as a draft; report the others with their reason."""
    report = AddReport()
    for label, raw in entries:
        try:
            opportunity = opportunity_from_dict(raw, actor=actor)
        except ValueError as exc:
            report.errors.append((label, str(exc)))
            continue
        session.add(opportunity)
        session.flush()
        assert opportunity.id is not None
        report.added.append(opportunity.id)
    audit.record(session=session, actor=actor, action="opportunity.add", added=report.added)
    return report
