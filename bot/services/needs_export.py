"""Export needs for the Secretariat as CSV or XLSX: one row per need, labels not codes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlmodel import Session

from bot import vocab
from bot.services.needs import all_needs
from bot.services.spreadsheet import csv_bytes, xlsx_bytes
from bot.storage.needs_tables import Need, Round
from bot.storage.tables import FocalPoint

#: The columns of an export, in order.
COLUMNS: tuple[str, ...] = (
    "Need ID",
    "Version",
    "Status",
    "Country",
    "Country code",
    "UN region",
    "Verified",
    "Focal point",
    "Role(s)",
    "Round",
    "Convention(s)",
    "Area(s)",
    "Other area",
    "Type(s) of assistance",
    "Priority",
    "Description",
    "Target audience",
    "Participants",
    "Format",
    "Language(s)",
    "Timeframe",
    "Earliest start",
    "Submitted",
    "Last updated",
)


def _labels(vocabulary: vocab.Vocabulary, codes: Iterable[str]) -> str:
    return "; ".join(_label(vocabulary, code) for code in codes)


def _label(vocabulary: vocab.Vocabulary, code: str | None) -> str:
    if not code:
        return ""
    # A code a flow definition added without a vocabulary entry is shown as it is.
    return vocabulary.label(code, "en") if code in vocabulary else code


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment is not None else ""


def need_row(need: Need, *, focal_point: FocalPoint | None, round_: Round | None) -> list[str]:
    """Return one need as the export's cells, in the order of :data:`COLUMNS`."""
    return [
        str(need.id),
        str(need.version),
        _label(vocab.NEED_STATUS, need.status),
        vocab.country_name(need.country, "en") if need.country else "",
        need.country or "",
        _label(vocab.REGION, need.region),
        "yes" if need.verified else "no",
        focal_point.name if focal_point is not None else "",
        _labels(vocab.ROLE, need.roles),
        round_.title if round_ is not None else "",
        _labels(vocab.CONVENTION, need.conventions),
        _labels(vocab.ASSISTANCE_AREA, need.areas),
        need.other_area or "",
        _labels(vocab.ASSISTANCE_TYPE, need.types),
        _label(vocab.PRIORITY, need.priority),
        need.description or "",
        need.audience or "",
        str(need.participants) if need.participants is not None else "",
        _label(vocab.FORMAT, need.format),
        _labels(vocab.LANGUAGE, need.languages),
        _label(vocab.TIMEFRAME, need.timeframe),
        need.earliest_start.isoformat() if need.earliest_start else "",
        _when(need.submitted_at),
        _when(need.updated_at),
    ]


def export_rows(*, session: Session, round_id: int | None = None) -> list[list[str]]:
    """Return the rows of every counted need (of one round, if given), oldest first."""
    rows = []
    for need in all_needs(session=session, round_id=round_id):
        focal_point = session.get(FocalPoint, need.focal_point_id) if need.focal_point_id else None
        round_ = session.get(Round, need.round_id) if need.round_id else None
        rows.append(need_row(need, focal_point=focal_point, round_=round_))
    return rows


def to_csv(rows: Sequence[Sequence[str]]) -> bytes:
    """Return the needs as CSV (UTF-8 with a BOM, for Excel)."""
    return csv_bytes(COLUMNS, rows)


def to_xlsx(rows: Sequence[Sequence[str]], *, title: str = "Needs") -> bytes:
    """Return the needs as an Excel workbook."""
    return xlsx_bytes(COLUMNS, rows, title=title, numeric=("Need ID", "Version", "Participants"))
