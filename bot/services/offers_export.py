"""Export offers of assistance for the Secretariat as CSV or XLSX: one row per offer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlmodel import Session

from bot import vocab
from bot.i18n import translate
from bot.services.offers import list_offers, match_counts
from bot.services.spreadsheet import csv_bytes, xlsx_bytes
from bot.storage.offer_tables import Offer
from bot.storage.tables import FocalPoint

COLUMNS: tuple[str, ...] = (
    "Offer ID",
    "Status",
    "Offered by",
    "Name",
    "Contact",
    "Verified",
    "Submitted by",
    "Area(s)",
    "Type(s) of assistance",
    "Convention(s)",
    "UN region(s)",
    "Countries",
    "Language(s)",
    "Format",
    "Capacity",
    "Available from",
    "Available until",
    "Period",
    "Conditions",
    "Conditions, details",
    "Description",
    "Matching needs",
    "Opportunity ID",
    "Review note",
    "Reviewed by",
    "Submitted",
)


def _labels(vocabulary: vocab.Vocabulary, codes: Iterable[str]) -> str:
    return "; ".join(vocabulary.label(c, "en") if c in vocabulary else c for c in codes)


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment is not None else ""


def offer_row(offer: Offer, *, focal_point: FocalPoint | None, matching: int) -> list[str]:
    """Return one offer as the export's cells, in the order of :data:`COLUMNS`."""
    return [
        str(offer.id),
        translate(f"offers.status.{offer.status}", "en"),
        translate(f"offers.kind.{offer.offerer_kind}", "en"),
        offer.organisation,
        offer.contact,
        "yes" if offer.verified else "no",
        focal_point.name if focal_point is not None else "",
        _labels(vocab.ASSISTANCE_AREA, offer.areas),
        _labels(vocab.ASSISTANCE_TYPE, offer.types),
        _labels(vocab.CONVENTION, offer.conventions),
        _labels(vocab.REGION, offer.regions) or ("" if offer.countries else "any"),
        "; ".join(vocab.country_name(code, "en") for code in offer.countries),
        _labels(vocab.LANGUAGE, offer.languages),
        _labels(vocab.FORMAT, [offer.format] if offer.format else []),
        offer.capacity or "",
        offer.starts_on.isoformat() if offer.starts_on else "",
        offer.ends_on.isoformat() if offer.ends_on else "",
        offer.period or "",
        "; ".join(translate(f"offers.condition.{c}", "en") for c in offer.conditions),
        offer.conditions_note or "",
        offer.description,
        str(matching),
        str(offer.opportunity_id or ""),
        offer.review_note or "",
        offer.reviewed_by or "",
        _when(offer.created_at),
    ]


def export_rows(*, session: Session) -> list[list[str]]:
    """Return the rows of every offer, oldest first."""
    rows = []
    for offer in reversed(list_offers(session=session)):
        focal_point = (
            session.get(FocalPoint, offer.focal_point_id) if offer.focal_point_id else None
        )
        matching = match_counts(session=session, offer=offer).total
        rows.append(offer_row(offer, focal_point=focal_point, matching=matching))
    return rows


def to_csv(rows: Sequence[Sequence[str]]) -> bytes:
    """Return the offers as CSV (UTF-8 with a BOM, for Excel)."""
    return csv_bytes(COLUMNS, rows)


def to_xlsx(rows: Sequence[Sequence[str]]) -> bytes:
    """Return the offers as an Excel workbook."""
    return xlsx_bytes(
        COLUMNS, rows, title="Offers", numeric=("Offer ID", "Matching needs", "Opportunity ID")
    )
