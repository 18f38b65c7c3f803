"""/needs: list, view, edit as a new version, withdraw with a reason, and who sees what."""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.app import AppContext
from bot.storage.needs_tables import Need, NeedVersion
from bot.storage.tables import AuditEntry
from tests.helpers.conversation import Conversation
from tests.helpers.needs import add_focal_point, answer_need, link


def submit(chat: Conversation, **answers: object) -> None:
    answer_need(chat, **answers)  # type: ignore[arg-type]
    chat.press("Submit")


def the_need(app: AppContext) -> Need:
    with Session(app.engine) as session:
        return session.exec(select(Need)).one()


def audit_actions(app: AppContext) -> list[str]:
    with Session(app.engine) as session:
        return [e.action for e in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))]


def test_needs_lists_mine_with_their_status(amina) -> None:
    amina.say("/needs")
    assert "not recorded any need" in amina.text
    submit(amina)
    amina.say("/needs")
    assert amina.button("#1 · Submitted · E-waste")
    amina.press("#1")
    assert "Need #1 — Submitted (version 1)" in amina.text
    assert "• Country: Kenya" in amina.text and "• Type(s) of assistance: Webinar" in amina.text


def test_the_menu_offers_to_record_and_list_needs(amina) -> None:
    amina.say("/menu")
    amina.press("My needs")
    assert "not recorded any need" in amina.text
    amina.press("Record a new need")
    assert "For which country" in amina.text


def test_editing_a_submitted_need_keeps_a_new_version(app, amina) -> None:
    submit(amina)
    amina.say("/needs")
    amina.press("#1")
    amina.press("Edit")
    assert "check your answers" in amina.text
    amina.press("✏️ Priority")
    amina.press("Medium")
    amina.press("Submit")
    assert "updated (version 2)" in amina.text
    need = the_need(app)
    assert (need.priority, need.version, need.status) == ("medium", 2, "submitted")
    with Session(app.engine) as session:
        versions = session.exec(select(NeedVersion).order_by(col(NeedVersion.version))).all()
        assert [(v.version, v.data["priority"], v.note) for v in versions] == [
            (1, "high", "submitted"), (2, "medium", "edited"),
        ]  # fmt: skip
    assert audit_actions(app)[-1] == "need.edit"


def test_cancelling_an_edit_changes_nothing_and_keeps_no_draft(app, amina) -> None:
    submit(amina)
    amina.say("/needs")
    amina.press("#1")
    amina.press("Edit")
    amina.press("✏️ Priority")
    amina.say("/cancel")
    amina.press("Yes, stop")
    assert "Nothing changed" in amina.text
    need = the_need(app)
    assert (need.priority, need.version, need.status) == ("high", 1, "submitted")


def test_a_need_is_withdrawn_with_a_reason(app, amina) -> None:
    submit(amina)
    amina.say("/needs")
    amina.press("#1")
    amina.press("Withdraw")
    assert "Why do you withdraw" in amina.text
    amina.say("no")
    assert "at least 5 characters" in amina.text
    amina.say("Another partner funds the training.")
    assert "Need #1 is withdrawn" in amina.text
    need = the_need(app)
    assert (need.status, need.withdrawn_reason) == (
        "withdrawn",
        "Another partner funds the training.",
    )
    assert audit_actions(app)[-1] == "need.withdraw"
    amina.say("/needs")
    amina.press("#1")
    assert "Withdrawn: Another partner" in amina.text
    assert "Edit" not in [b.label for b in amina.replies[-1].flat_buttons]


def test_the_secretariat_sees_every_need_and_its_history(app, amina) -> None:
    submit(amina)
    admin = Conversation(app.assistant.handle, user_id="admin")
    admin.say("/needs")
    admin.press("All needs")
    assert "All submitted needs (1)" in admin.text
    admin.press("#1")
    admin.press("History")
    assert "v1 ·" in admin.text and "console:amina · submitted" in admin.text


def test_someone_else_cannot_see_or_change_my_need(app, amina) -> None:
    submit(amina)
    action = "nd:v:1"
    stranger = Conversation(app.assistant.handle, user_id="stranger")
    stranger.press_action(action)
    assert "can't find that need" in stranger.text
    stranger.press_action("nd:e:1")
    assert "can't find that need" in stranger.text


def test_a_verified_focal_point_sees_the_needs_of_their_country_read_only(app, amina) -> None:
    submit(amina)  # Kenya, unverified
    colleague = link(app, "fp-ke", add_focal_point(app, name="Wanjiru Kamau", country="KE"))
    colleague.say("/needs")
    colleague.press("Needs of Kenya")
    assert "Needs submitted for Kenya (1)" in colleague.text
    colleague.press("#1")
    assert "Need #1" in colleague.text
    assert not [b for r in colleague.replies for b in r.flat_buttons if "Edit" in b.label]
    other = link(app, "fp-sn", add_focal_point(app, name="Awa Ndiaye", country="SN"))
    other.press_action("nd:v:1")
    assert "can't find that need" in other.text


def test_an_unverified_user_gets_no_country_list(app, amina) -> None:
    amina.say("/needs")
    assert not [b for b in amina.replies[-1].flat_buttons if "Needs of" in b.label]
    amina.press_action("nd:k:")
    assert "Only a verified focal point" in amina.text
