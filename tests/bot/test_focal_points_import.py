"""Importing the Secretariat's CSV of focal points."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.services.focal_points import import_focal_points
from bot.storage.db import make_engine, session_scope, upgrade
from bot.storage.tables import AuditEntry, FocalPoint

GOOD_AND_BAD = """name,email,country,role,conventions,language
Amina Diallo,amina@example.sn,Senegal,basel_focal_point,basel;stockholm,fr
,nobody@example.org,Kenya,basel_focal_point,,
Juan Pérez,juan@example.cl,CL,Basel competent authority,,es
Bad Mail,not-an-address,Chile,basel_focal_point,,
Nowhere Man,nowhere@example.org,Atlantis,basel_focal_point,,
No Role,norole@example.org,Peru,,,
Wrong Role,wrong@example.org,Peru,astronaut,,
"""


def test_good_rows_are_imported_and_bad_rows_reported_with_their_line(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with session_scope(engine) as session:
        report = import_focal_points(session=session, text=GOOD_AND_BAD, actor="test")
    assert (report.created, report.updated) == (2, 0)
    lines = dict(report.errors)
    assert set(lines) == {3, 5, 6, 7, 8}
    assert "name" in lines[3] and "e-mail" in lines[5] and "Atlantis" in lines[6]
    assert "role" in lines[7] and "astronaut" in lines[8]
    with Session(engine) as session:
        amina = session.exec(select(FocalPoint).where(FocalPoint.email == "amina@example.sn")).one()
        assert (amina.country, amina.conventions, amina.language, amina.verified) == (
            "SN", ["basel", "stockholm"], "fr", True,
        )  # fmt: skip
        juan = session.exec(select(FocalPoint).where(FocalPoint.email == "juan@example.cl")).one()
        assert juan.roles == ["basel_competent_authority"]
        assert session.exec(select(AuditEntry)).one().action == "focal_points.import"
    engine.dispose()


def test_importing_again_updates_instead_of_duplicating(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    first = "name,email,country,role\nAmina Diallo,Amina@Example.sn,SN,basel_focal_point\n"
    second = "name,email,country,role\nAmina B. Diallo,amina@example.sn,SN,basel_focal_point\n"
    with session_scope(engine) as session:
        import_focal_points(session=session, text=first, actor="test")
    with session_scope(engine) as session:
        report = import_focal_points(session=session, text=second, actor="test")
    assert (report.created, report.updated) == (0, 1)
    with Session(engine) as session:
        assert [fp.name for fp in session.exec(select(FocalPoint))] == ["Amina B. Diallo"]


def test_a_file_without_the_required_columns_is_refused_whole(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    with session_scope(engine) as session:
        report = import_focal_points(session=session, text="name,phone\nA,1\n", actor="t")
    assert report.created == 0
    assert report.errors == [(1, "missing column(s): email, country, role")]
