"""Know who is talking: channel accounts, focal points and their profiles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.core import Incoming
from bot.storage.tables import ChannelAccount, FocalPoint, utcnow


@dataclass(frozen=True, slots=True)
class Who:
    """The account behind a message and the focal point it is linked to, if any."""

    account: ChannelAccount
    focal_point: FocalPoint | None

    @property
    def account_id(self) -> int:
        """Return the account's database id."""
        assert self.account.id is not None
        return self.account.id


def _find_account(session: Session, incoming: Incoming) -> ChannelAccount | None:
    return session.exec(
        select(ChannelAccount).where(
            ChannelAccount.channel == incoming.channel.value,
            ChannelAccount.platform_user_id == incoming.user_id,
        )
    ).first()


def _create_account(session: Session, incoming: Incoming) -> ChannelAccount:
    # Two messages of a new user can arrive at once (Slack delivers events
    # concurrently). The account is created in its own short transaction, so
    # the loser of that race finds the winner's row instead of failing.
    bind = session.get_bind()
    with Session(bind) as creator:
        creator.add(
            ChannelAccount(
                channel=incoming.channel.value,
                platform_user_id=incoming.user_id,
                chat_id=incoming.chat_id,
                display_name=incoming.display_name,
            )
        )
        try:
            creator.commit()
        except IntegrityError:
            creator.rollback()
    account = _find_account(session, incoming)
    assert account is not None
    return account


def touch_account(*, session: Session, incoming: Incoming) -> ChannelAccount:
    """Return the account that sent ``incoming``, creating it on first contact."""
    account = _find_account(session, incoming)
    if account is None:
        account = _create_account(session, incoming)
    else:
        account.last_seen_at = utcnow()
        account.active = True
        if incoming.is_private:
            account.chat_id = incoming.chat_id
        if incoming.display_name:
            account.display_name = incoming.display_name
    session.add(account)
    session.flush()
    return account


def who(*, session: Session, account: ChannelAccount) -> Who:
    """Return the account with its focal point."""
    focal_point = (
        session.get(FocalPoint, account.focal_point_id) if account.focal_point_id else None
    )
    return Who(account=account, focal_point=focal_point)


def language_of(person: Who, hint: str | None) -> str:
    """Pick the language to answer in: the stored preference, then the platform's hint."""
    if person.account.language:
        return person.account.language
    if person.focal_point is not None and person.focal_point.language:
        return person.focal_point.language
    return hint or "en"


def set_language(*, session: Session, person: Who, language: str) -> None:
    """Store the language the person wants to be answered in."""
    person.account.language = language
    session.add(person.account)
    if person.focal_point is not None:
        person.focal_point.language = language
        person.focal_point.updated_at = utcnow()
        session.add(person.focal_point)


def save_profile(
    *,
    session: Session,
    person: Who,
    name: str,
    country: str | None,
    roles: list[str],
    language: str,
) -> FocalPoint:
    """Create or update the person's focal-point record from the profile flow.

    A verified record keeps the country and roles the Secretariat gave it:
    those change only through the Secretariat's list.
    """
    focal_point = person.focal_point
    if focal_point is None:
        focal_point = FocalPoint(name=name, country=country, roles=roles, language=language)
    else:
        focal_point.name = name
        focal_point.language = language
        if not focal_point.verified:
            focal_point.country = country
            focal_point.roles = list(roles)
        focal_point.updated_at = utcnow()
    session.add(focal_point)
    session.flush()
    person.account.focal_point_id = focal_point.id
    person.account.language = language
    session.add(person.account)
    return focal_point


def accounts_of(*, session: Session, focal_point_id: int) -> list[ChannelAccount]:
    """Return the active channel accounts linked to a focal point."""
    return list(
        session.exec(
            select(ChannelAccount).where(
                ChannelAccount.focal_point_id == focal_point_id,
                ChannelAccount.active == True,  # noqa: E712  (SQL expression)
            )
        ).all()
    )
