"""Put an offerer and a need's owner in touch, only when both have agreed.

The Secretariat proposes an introduction between an approved offer and an
active need; each side is asked in the chat. A side that declines ends it;
when both accept, each is sent the other's contact details (name, e-mail,
country) through the outbox, once. Until then neither learns who the other is.
"""

from __future__ import annotations

from sqlmodel import Session, select

from bot import vocab
from bot.errors import NotAllowed, NotFound, UserInputError
from bot.services import audit
from bot.services.identities import Who
from bot.services.offers import Address, get_offer, is_offerer, notify, offerer_address
from bot.services.opportunities import ACTIVE_NEED_STATUSES
from bot.storage.needs_tables import Need
from bot.storage.offer_tables import Introduction, IntroductionStatus, Offer, OfferStatus
from bot.storage.tables import ChannelAccount, FocalPoint, utcnow


def need_address(need: Need) -> Address:
    """Return where the owner of a need is reached."""
    return Address.of(need.focal_point_id, need.account_id)


def reader_language(session: Session, to: Address) -> str:
    """Return the language the person at ``to`` reads."""
    if to.focal_point_id is not None:
        person = session.get(FocalPoint, to.focal_point_id)
        return person.language if person is not None else "en"
    account = session.get(ChannelAccount, to.account_id) if to.account_id is not None else None
    return (account.language if account is not None else None) or "en"


def shared_areas(offer: Offer, need: Need, language: str) -> str:
    """Name the areas the offer and the need have in common (or the need's areas)."""
    codes = [code for code in need.areas if code in offer.areas] or need.areas
    return ", ".join(
        vocab.ASSISTANCE_AREA.label(code, language)
        for code in codes
        if code in vocab.ASSISTANCE_AREA
    )


def _need(session: Session, need_id: int) -> Need:
    need = session.get(Need, need_id)
    if need is None:
        raise NotFound(f"no need {need_id}")
    return need


def propose_introduction(
    *, session: Session, offer_id: int, need_id: int, actor: str
) -> tuple[Introduction, bool]:
    """Ask the offerer and the need's owner whether they agree to be put in touch.

    Returns the introduction and whether it is new; proposing it again asks nobody twice.
    """
    offer = get_offer(session=session, offer_id=offer_id)
    need = _need(session, need_id)
    if offer.status != OfferStatus.APPROVED:
        raise UserInputError(f"offer {offer_id} is {offer.status}; approve it first")
    if need.status not in ACTIVE_NEED_STATUSES:
        raise UserInputError(f"need {need_id} is {need.status}")
    if need.focal_point_id is None and need.account_id is None:
        raise UserInputError(f"need {need_id} has nobody to ask")
    existing = session.exec(
        select(Introduction).where(
            Introduction.offer_id == offer_id, Introduction.need_id == need_id
        )
    ).first()
    if existing is not None:
        return existing, False
    intro = Introduction(offer_id=offer_id, need_id=need_id, proposed_by=actor)
    session.add(intro)
    session.flush()
    to_offerer, to_owner = offerer_address(offer), need_address(need)
    language = reader_language(session, to_offerer)
    country = vocab.country_name(need.country, language) if need.country else "—"
    notify(
        session=session, to=to_offerer, dedupe_key=f"intro:{intro.id}:ask:offerer",
        render_key="offers.intro.ask_offerer",
        params={
            "intro": intro.id, "offer": offer.id, "country": country,
            "areas": shared_areas(offer, need, language),
        },
    )  # fmt: skip
    notify(
        session=session, to=to_owner, dedupe_key=f"intro:{intro.id}:ask:need",
        render_key="offers.intro.ask_need_owner",
        params={
            "intro": intro.id, "need": need.id, "organisation": offer.organisation,
            "areas": shared_areas(offer, need, reader_language(session, to_owner)),
        },
    )  # fmt: skip
    audit.record(
        session=session, actor=actor, action="offer.introduce", target=f"introduction:{intro.id}",
        offer=offer_id, need=need_id,
    )  # fmt: skip
    return intro, True


def get_introduction(*, session: Session, intro_id: int) -> Introduction:
    """Return introduction ``intro_id`` or raise NotFound."""
    intro = session.get(Introduction, intro_id)
    if intro is None:
        raise NotFound(f"no introduction {intro_id}")
    return intro


def sides(session: Session, person: Who, intro: Introduction) -> tuple[bool, bool]:
    """Tell whether ``person`` is the offerer, and whether they own the need, of ``intro``."""
    offer = get_offer(session=session, offer_id=intro.offer_id)
    need = session.get(Need, intro.need_id)
    fp = person.focal_point
    owner = need is not None and (
        need.account_id == person.account_id
        or (fp is not None and fp.id is not None and need.focal_point_id == fp.id)
    )
    return is_offerer(person, offer), owner


def pending_for(*, session: Session, person: Who) -> list[Introduction]:
    """Return the proposed introductions that wait for this person's answer."""
    waiting = session.exec(
        select(Introduction).where(Introduction.status == IntroductionStatus.PROPOSED)
    ).all()
    found = []
    for intro in waiting:
        offerer, owner = sides(session, person, intro)
        if (offerer and intro.offerer_consent is None) or (
            owner and intro.need_owner_consent is None
        ):
            found.append(intro)
    return found


def answer_introduction(
    *, session: Session, intro_id: int, person: Who, accept: bool
) -> Introduction:
    """Record one side's answer; when both accepted, send each side the other's contact."""
    intro = get_introduction(session=session, intro_id=intro_id)
    offerer, owner = sides(session, person, intro)
    if not (offerer or owner):
        raise NotAllowed("offers.intro.not_yours")
    if intro.status != IntroductionStatus.PROPOSED:
        return intro
    now = utcnow()
    if offerer:
        intro.offerer_consent, intro.offerer_answered_at = accept, now
    if owner:
        intro.need_owner_consent, intro.need_owner_answered_at = accept, now
    if intro.offerer_consent is False or intro.need_owner_consent is False:
        intro.status = IntroductionStatus.DECLINED
    elif intro.offerer_consent and intro.need_owner_consent:
        intro.status, intro.connected_at = IntroductionStatus.CONNECTED, now
        _share_contacts(session, intro)
    session.add(intro)
    return intro


def _contact_of(session: Session, to: Address) -> dict[str, str]:
    person = session.get(FocalPoint, to.focal_point_id) if to.focal_point_id else None
    account = session.get(ChannelAccount, to.account_id) if to.account_id else None
    name = person.name if person is not None else (account.display_name if account else None)
    country = person.country if person is not None else None
    return {
        "name": name or "—",
        "email": (person.email if person is not None else None) or "—",
        "country": vocab.country_name(country, "en") if country else "—",
    }


def _share_contacts(session: Session, intro: Introduction) -> None:
    """Queue each side the other's contact details (both consented)."""
    offer = get_offer(session=session, offer_id=intro.offer_id)
    need = _need(session, intro.need_id)
    to_offerer, to_owner = offerer_address(offer), need_address(need)
    notify(
        session=session, to=to_offerer, dedupe_key=f"intro:{intro.id}:contact:offerer",
        render_key="offers.intro.contact_for_offerer",
        params={"intro": intro.id, "need": need.id, **_contact_of(session, to_owner)},
    )  # fmt: skip
    notify(
        session=session, to=to_owner, dedupe_key=f"intro:{intro.id}:contact:need",
        render_key="offers.intro.contact_for_need_owner",
        params={
            "intro": intro.id, "organisation": offer.organisation,
            "contact": offer.contact or "—", **_contact_of(session, to_offerer),
        },
    )  # fmt: skip
