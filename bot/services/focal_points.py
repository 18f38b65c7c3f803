"""Import the Secretariat's list of designated focal points."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from email.utils import parseaddr

from sqlmodel import Session, select

from bot import vocab
from bot.services import audit
from bot.storage.tables import FocalPoint, utcnow

REQUIRED_COLUMNS = ("name", "email", "country", "role")


@dataclass(slots=True)
class ImportReport:
    """What an import did: rows created, rows updated, and rows refused with why."""

    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _parse_list(raw: str, vocabulary: vocab.Vocabulary, what: str) -> list[str]:
    codes: list[str] = []
    for part in raw.replace(";", ",").replace("|", ",").split(","):
        if not part.strip():
            continue
        code = vocabulary.parse(part.strip(), "en")
        if code is None:
            raise ValueError(f"unknown {what} {part.strip()!r}")
        codes.append(code)
    return codes


def _valid_email(raw: str) -> str:
    _name, address = parseaddr(raw.strip())
    local, at, domain = address.partition("@")
    if not at or not local or "." not in domain or " " in address:
        raise ValueError(f"not an e-mail address: {raw.strip()!r}")
    return address.lower()


def import_focal_points(*, session: Session, text: str, actor: str) -> ImportReport:
    """Create or update focal points from CSV text; refuse bad rows with their line number.

    Columns: name, email, country, role (several roles separated by ``;``),
    and optionally conventions and language. The e-mail address identifies a
    person, so importing the list again updates instead of duplicating.
    """
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        report.errors.append((1, f"missing column(s): {', '.join(missing)}"))
        return report
    reader.fieldnames = header
    roles_vocab = vocab.get_vocabulary("roles")
    conventions_vocab = vocab.get_vocabulary("conventions")
    for row in reader:
        line = reader.line_num
        values = {key: (value or "").strip() for key, value in row.items() if key}
        try:
            name = values.get("name", "")
            if not name:
                raise ValueError("name is empty")
            email = _valid_email(values.get("email", ""))
            country = vocab.parse_country(values.get("country", ""), "en")
            if country is None:
                raise ValueError(f"unknown country {values.get('country', '')!r}")
            roles = _parse_list(values.get("role", ""), roles_vocab, "role")
            if not roles:
                raise ValueError("role is empty")
            conventions = _parse_list(
                values.get("conventions", ""), conventions_vocab, "convention"
            )
            language = (values.get("language") or "en").lower()
            if language not in vocab.LANGUAGES:
                raise ValueError(f"unknown language {language!r}")
        except ValueError as exc:
            report.errors.append((line, str(exc)))
            continue
        existing = session.exec(select(FocalPoint).where(FocalPoint.email == email)).first()
        if existing is None:
            session.add(
                FocalPoint(
                    name=name,
                    email=email,
                    country=country,
                    roles=roles,
                    conventions=conventions,
                    language=language,
                    verified=True,
                )
            )
            report.created += 1
        else:
            existing.name, existing.country, existing.roles = name, country, roles
            existing.conventions = conventions or existing.conventions
            existing.language, existing.verified = language, True
            existing.updated_at = utcnow()
            session.add(existing)
            report.updated += 1
        session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="focal_points.import",
        created=report.created,
        updated=report.updated,
        refused=len(report.errors),
    )
    return report
