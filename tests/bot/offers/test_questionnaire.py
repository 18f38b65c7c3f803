"""The offer questionnaire in the chat: who may offer, what is asked, what is stored."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.app import AppContext
from bot.flows.registry import load_definition
from bot.flows.spec import StepKind
from bot.i18n import SUPPORTED_LANGUAGES, has_key
from bot.services.offers import CONDITIONS, OFFERER_KINDS
from bot.storage.offer_tables import Offer
from tests.bot.offers.builders import answer_offer
from tests.helpers.conversation import Conversation
from tests.helpers.needs import add_focal_point, link


def offers(app: AppContext) -> list[Offer]:
    with Session(app.engine) as session:
        return list(session.exec(select(Offer)).all())


def test_someone_without_a_profile_is_asked_to_set_one_up_first(app: AppContext) -> None:
    stranger = Conversation(app.assistant.handle, user_id="stranger")
    stranger.say("/offer")
    assert "set up your profile first with /profile" in stranger.text
    assert stranger.button("My profile").action == "m:profile"
    stranger.say("Government of Norway")  # not taken as an answer: no questionnaire runs
    assert offers(app) == []


def test_an_offer_typed_in_the_chat_is_stored_for_review_and_marked_verified(
    app: AppContext, ingrid: Conversation
) -> None:
    answer_offer(
        ingrid, scope="Some countries", countries="Senegal, Mali, CI",
        conditions=("Co-financing",), languages=("French", "English"),
    )  # fmt: skip
    summary = ingrid.text
    assert "• Countries: Senegal (SN), Mali (ML), Côte d'Ivoire (CI)" in summary
    assert "• Conditions: Co-financing" in summary
    ingrid.press("Submit this offer")
    assert "Your offer #1 is with the Secretariat for review" in ingrid.text
    assert "marked as verified" in ingrid.text
    (offer,) = offers(app)
    assert (offer.status, offer.verified, offer.offerer_kind) == ("submitted", True, "party")
    assert (offer.organisation, offer.contact) == (
        "Government of Norway",
        "Ingrid Berg, ingrid@example.no",
    )
    assert offer.countries == ["SN", "ML", "CI"] and offer.regions == []
    assert offer.areas == ["e_waste"] and offer.types == ["webinar"]
    assert offer.languages == ["en", "fr"] and offer.format == "online"
    assert offer.conditions == ["co_financing"]
    assert offer.conditions_note == "Travel paid by the participants' governments"
    assert offer.capacity == "30 participants" and offer.starts_on is None


def test_an_unknown_country_is_named_and_the_question_asked_again(
    app: AppContext, ingrid: Conversation
) -> None:
    ingrid.say("/offer")
    for step in ("A Party", None, None, "E-waste", "Done", "Webinar", "Done", "Basel", "Done"):
        if step is None:
            ingrid.say("Government of Norway")
        else:
            ingrid.press(step)
    ingrid.press("Some countries")
    ingrid.say("Senegal, Narnia")
    assert "I don't know the country “Narnia”" in ingrid.text
    assert "Which countries?" in ingrid.text
    ingrid.say("Senegal")
    assert "In which language(s)" in ingrid.text


def test_an_offer_from_an_unverified_profile_is_not_marked_verified(app: AppContext) -> None:
    chat = link(app, "pat", add_focal_point(app, name="Pat Doe", country="FR", verified=False))
    answer_offer(chat, kind="An international", scope="Some UN regions", regions=("Africa",))
    chat.press("Submit this offer")
    assert "will check who makes this offer" in chat.text
    (offer,) = offers(app)
    assert (offer.verified, offer.offerer_kind, offer.regions) == (
        False,
        "organization",
        ["africa"],
    )


def test_cancelling_the_questionnaire_saves_nothing(app: AppContext, ingrid: Conversation) -> None:
    ingrid.say("/offer")
    ingrid.press("A Party")
    ingrid.say("/cancel")
    ingrid.press("Yes, stop")
    assert "Nothing was saved" in ingrid.text
    assert offers(app) == []


def test_every_question_and_choice_is_written_in_english_french_and_spanish() -> None:
    spec = load_definition("offer")
    for step in spec.steps:
        for text in (step.prompt, step.label):
            assert not isinstance(text, str) and set(SUPPORTED_LANGUAGES) <= set(text), step.id
        for choice in step.choices:
            if isinstance(choice.label, str):
                assert has_key(choice.label), choice.label
            elif choice.label is not None:
                assert set(SUPPORTED_LANGUAGES) <= set(choice.label), choice.code
        if step.kind in (StepKind.SINGLE, StepKind.MULTI):
            assert step.choices or step.vocabulary
    codes = {step.id: tuple(c.code for c in step.choices) for step in spec.steps}
    assert codes["offerer_kind"] == OFFERER_KINDS and codes["conditions"] == CONDITIONS
