"""The /need questionnaire: answers, validation, skips, back, edit, cancel, drafts, languages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import yaml
from sqlmodel import Session, select

from bot.app import AppContext, build_context
from bot.flows.registry import DEFINITIONS_DIR
from bot.storage.needs_tables import Need, NeedVersion
from bot.storage.tables import AuditEntry, utcnow
from tests.conftest import make_settings
from tests.helpers.conversation import Conversation
from tests.helpers.knowledge import CannedKnowledgeBase
from tests.helpers.needs import DESCRIPTION, add_focal_point, answer_need, link


def stored(app: AppContext) -> list[Need]:
    with Session(app.engine) as session:
        return list(session.exec(select(Need).order_by(Need.id)))


def test_a_complete_need_is_stored_with_codes_and_marked_unverified(app, amina) -> None:
    answer_need(amina, areas=("E-waste", "Other"), conventions=("Basel", "Rotterdam"))
    assert "check your answers" in amina.text
    assert "• Participants: 25" in amina.text
    amina.press("Submit")
    assert "Your need #1 is now with the Secretariat" in amina.text
    assert "not verified" in amina.text
    (need,) = stored(app)
    assert (need.status, need.country, need.region, need.verified) == (
        "submitted", "KE", "africa", False,
    )  # fmt: skip
    assert need.roles == ["basel_focal_point"]
    assert need.conventions == ["basel", "rotterdam"]
    assert need.areas == ["e_waste", "other"]
    assert need.other_area == "Used tyres from mining trucks"
    assert (need.types, need.priority, need.description) == (["webinar"], "high", DESCRIPTION)
    assert (need.audience, need.participants, need.format) == ("Customs officers", 25, "online")
    assert (need.languages, need.timeframe, need.version) == (["fr"], "within_12_months", 1)
    with Session(app.engine) as session:
        assert session.exec(select(NeedVersion)).one().note == "submitted"
        actions = [e.action for e in session.exec(select(AuditEntry))]
        assert "need.submit" in actions


def test_a_verified_focal_point_is_not_asked_country_or_role(app) -> None:
    chat = link(app, "fp-ke", add_focal_point(app, name="Wanjiru Kamau", country="KE"))
    chat.say("/need")
    assert "Which convention" in chat.text and "Question 1 of" in chat.text
    answer_need(chat, country=None, role=None)
    chat.press("Submit")
    assert "not verified" not in chat.text
    (need,) = stored(app)
    assert (need.country, need.verified, need.focal_point_id) == ("KE", True, 1)


def test_participants_are_asked_only_for_training(amina) -> None:
    answer_need(amina, types=("Pilot project",))
    assert "check your answers" in amina.text
    assert "Participants" not in amina.text and "Target audience" not in amina.text


def test_other_area_is_described_only_when_other_is_ticked(amina) -> None:
    answer_need(amina, areas=("Plastic waste",))
    assert "Other area" not in amina.text
    assert "Rotterdam- or Stockholm-specific" not in amina.text


def test_a_short_description_is_refused_with_the_example_and_asked_again(amina) -> None:
    answer_need(amina)
    amina.press("✏️ Description")
    amina.say("Training")
    assert "at least 40 characters" in amina.text
    assert "Describe the need in your own words" in amina.text
    assert "Example: Our customs officers" in amina.text


def test_participants_must_be_a_number(amina) -> None:
    answer_need(amina)
    amina.press("✏️ Participants")
    amina.say("about twenty")
    assert "whole number" in amina.text and "how many participants" in amina.text.lower()
    amina.say("0")
    assert "at least 1" in amina.text


def test_a_start_date_in_the_past_is_refused(amina) -> None:
    answer_need(amina, timeframe="From a given date")
    assert "From which date?" in amina.text
    amina.say("2020-01-31")
    assert "in the past" in amina.text and "From which date?" in amina.text
    amina.say("31/03/2099")
    assert "• Earliest start: 2099-03-31" in amina.text


def test_back_returns_to_the_previous_question_with_the_answer_kept(amina) -> None:
    amina.say("/need")
    amina.say("Kenya")
    amina.press("Basel focal point")
    amina.press("Done")
    amina.press("Basel")
    amina.press("Done")
    assert "In which area(s)" in amina.text
    amina.say("/back")
    assert "Which convention(s)" in amina.text
    assert amina.button("✓ Basel Convention")


def test_a_field_is_edited_from_the_summary(app, amina) -> None:
    answer_need(amina)
    amina.press("✏️ Priority")
    assert "How high a priority" in amina.text
    amina.press("Low")
    assert "• Priority: Low" in amina.text and "check your answers" in amina.text
    amina.press("Submit")
    assert stored(app)[0].priority == "low"


def test_ticking_training_from_the_summary_asks_the_new_questions(amina) -> None:
    answer_need(amina, types=("Pilot project",))
    amina.press("✏️ Type(s)")
    amina.press("Webinar")
    amina.press("Done")
    assert "Who should take part" in amina.text
    amina.say("Port officers")
    amina.say("12")
    assert "• Participants: 12" in amina.text


def test_cancel_asks_for_confirmation_and_keeps_a_draft(app, amina) -> None:
    amina.say("/need")
    amina.say("Kenya")
    amina.press("Basel focal point")
    amina.press("Done")
    amina.say("/cancel")
    assert "keep your answers as a draft" in amina.text
    amina.press("No, continue")
    assert "Which convention(s)" in amina.text
    amina.say("/cancel")
    amina.press("Yes, stop")
    assert "kept as a draft" in amina.text
    (draft,) = stored(app)
    assert (draft.status, draft.country, draft.roles) == ("draft", "KE", ["basel_focal_point"])


def test_a_draft_is_continued_where_it_stopped(app, amina) -> None:
    amina.say("/need")
    amina.say("Kenya")
    amina.press("Basel focal point")
    amina.press("Done")
    amina.say("/cancel")
    amina.press("Yes, stop")
    amina.say("/need")
    assert "unfinished need" in amina.text
    amina.press("Continue")
    assert "Which convention(s)" in amina.text
    answer_need_from_conventions(amina)
    amina.press("Submit")
    (need,) = stored(app)
    assert (need.status, need.country, need.version) == ("submitted", "KE", 1)


def answer_need_from_conventions(chat: Conversation) -> None:
    chat.press("Basel")
    chat.press("Done")
    chat.press("E-waste")
    chat.press("Done")
    chat.press("Pilot project")
    chat.press("Done")
    chat.press("Medium")
    chat.say(DESCRIPTION)
    chat.press("Any format")
    chat.press("English")
    chat.press("Done")
    chat.press("Within 6 months")


def test_discarding_a_draft_starts_afresh(app, amina) -> None:
    amina.say("/need")
    amina.say("Kenya")
    amina.say("/cancel")
    amina.press("Yes, stop")
    amina.say("/need")
    amina.press("Discard")
    assert "draft is deleted" in amina.text and "For which country" in amina.text
    assert stored(app) == []


def test_need_typed_mid_questionnaire_goes_on_where_it_was(app, amina) -> None:
    amina.say("/need")
    amina.say("Kenya")
    amina.say("/need")
    assert "Let's continue" in amina.text and "What is your role?" in amina.text
    assert stored(app) == []


def test_starting_another_flow_keeps_the_need_as_a_draft(app, amina) -> None:
    amina.say("/need")
    amina.say("Kenya")
    amina.say("/profile")
    assert "kept as a draft" in amina.text and "full name" in amina.text
    assert stored(app)[0].status == "draft"


def test_a_question_mid_questionnaire_is_answered_then_it_continues(amina) -> None:
    amina.say("/need")
    amina.say("Kenya")
    amina.say("Which centre serves the Pacific?")
    assert "Apia" in amina.text
    assert "Let's continue" in amina.text and "What is your role?" in amina.text
    amina.press("Basel focal point")
    amina.press("Done")
    assert "Which convention(s)" in amina.text


def test_a_draft_left_for_a_day_is_offered_once_on_the_next_contact(app, amina) -> None:
    amina.say("/need")
    amina.say("Kenya")
    amina.say("/cancel")
    amina.press("Yes, stop")
    with Session(app.engine) as session:
        draft = session.exec(select(Need)).one()
        draft.updated_at = utcnow() - timedelta(days=2)
        session.add(draft)
        session.commit()
    amina.say("Which centre serves the Pacific?")
    assert amina.replies[0].text.startswith("You have an unfinished need from")
    assert "Apia" in amina.text
    amina.say("Which centre serves the Pacific?")
    assert "unfinished need" not in amina.text
    amina.say("/menu")
    amina.say("/needs")
    amina.press("Draft")
    amina.press("Continue")
    assert "What is your role?" in amina.text


def test_the_questionnaire_speaks_french(app) -> None:
    chat = Conversation(app.assistant.handle, user_id="fr", language="fr")
    chat.say("/need")
    assert "Pour quel pays est ce besoin ?" in chat.text
    chat.say("Sénégal")
    assert "Quel est votre rôle ?" in chat.text
    chat.press("Correspondant (Bâle)")
    chat.press("Terminé")
    assert "Quelle(s) convention(s)" in chat.text
    chat.say("/cancel")
    assert "brouillon" in chat.text


def test_the_questionnaire_speaks_spanish_to_the_end(app) -> None:
    chat = Conversation(app.assistant.handle, user_id="es", language="es")
    chat.say("/need")
    assert "¿Para qué país es esta necesidad?" in chat.text
    chat.say("Chile")
    chat.press("Punto focal (Basilea)")
    chat.press("Listo")
    chat.press("Convenio de Basilea")
    chat.press("Listo")
    assert "artículo 16(1)(g)" in chat.text
    chat.press("Desechos electrónicos")
    chat.press("Listo")
    chat.press("Proyecto piloto")
    chat.press("Listo")
    chat.press("Alta")
    chat.say("Necesitamos un proyecto piloto de reciclaje de residuos electrónicos en Santiago.")
    chat.press("En línea")
    chat.press("Español")
    chat.press("Listo")
    chat.press("12 meses")
    assert "revise sus respuestas" in chat.text
    chat.press("Enviar esta necesidad")
    assert "Su necesidad n.º 1" in chat.text
    (need,) = stored(app)
    assert (need.country, need.language, need.priority) == ("CL", "es", "high")


def test_a_changed_definition_changes_the_conversation(sqlite_url: str, tmp_path: Path) -> None:
    from bot.conversation import needs as needs_capability

    definitions = tmp_path / "definitions"
    definitions.mkdir()
    raw = yaml.safe_load((DEFINITIONS_DIR / "needs.yaml").read_text(encoding="utf-8"))
    step = next(s for s in raw["steps"] if s["id"] == "priority")
    step["prompt"] = {"en": "How urgent is it?", "fr": "Est-ce urgent ?", "es": "¿Es urgente?"}
    step["choices"] = ["high", {"code": "urgent", "label": {"en": "Urgent", "fr": "Urgent"}}]
    (definitions / "needs.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    (definitions / "need_withdraw.yaml").write_bytes(
        (DEFINITIONS_DIR / "need_withdraw.yaml").read_bytes()
    )
    from bot.assistant import Assistant
    from bot.conversation import basics
    from bot.flows.registry import FlowRegistry
    from bot.router import Router

    context = build_context(make_settings(sqlite_url), knowledge=CannedKnowledgeBase())
    assistant = Assistant(
        db=context.engine, router=Router(), flows=FlowRegistry(), is_admin=lambda c, u: False
    )
    needs_capability.install(assistant, definitions=definitions)
    basics.install(assistant)
    chat = Conversation(assistant.handle, user_id="u")
    answer_need(chat, types=("Pilot project",), priority="Urgent")
    assert "• Priority: Urgent" in chat.text
    chat.press("Submit")
    assert stored(context)[0].priority == "urgent"
    chat.say("/need")
    chat.say("Kenya")
    chat.press("Basel focal point")
    chat.press("Done")
    chat.press("Basel")
    chat.press("Done")
    chat.press("E-waste")
    chat.press("Done")
    chat.press("Pilot")
    chat.press("Done")
    assert "How urgent is it?" in chat.text
    assert [b.label for b in chat.replies[-1].flat_buttons][:2] == ["High", "Urgent"]
