"""Invite codes: issue, redeem, reuse, expiry, wrong codes and their rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.app import AppContext
from bot.services.invites import MAX_FAILED_ATTEMPTS, issue_invite
from bot.storage.db import session_scope
from bot.storage.tables import ChannelAccount, FocalPoint, Invite
from tests.helpers.conversation import Conversation


@pytest.fixture
def focal_point(context: AppContext) -> FocalPoint:
    with session_scope(context.engine) as session:
        fp = FocalPoint(name="Kwame Mensah", email="kwame@example.gov.gh", country="GH",
                        roles=["basel_focal_point"], verified=True)  # fmt: skip
        session.add(fp)
    return fp


def invite(context: AppContext, fp: FocalPoint, ttl: timedelta = timedelta(hours=1)) -> str:
    with session_scope(context.engine) as session:
        return issue_invite(session=session, focal_point=fp, created_by="test", ttl=ttl).code


def test_start_with_a_code_links_the_account_to_the_verified_focal_point(
    context: AppContext, focal_point: FocalPoint
) -> None:
    code = invite(context, focal_point)
    chat = Conversation(context.assistant.handle, user_id="tg1")
    chat.say(f"/start {code}")
    assert "Kwame Mensah" in chat.text and "Ghana" in chat.text
    with Session(context.engine) as session:
        account = session.exec(select(ChannelAccount)).one()
        assert account.focal_point_id == focal_point.id


def test_codes_are_stored_hashed(context: AppContext, focal_point: FocalPoint) -> None:
    code = invite(context, focal_point)
    with Session(context.engine) as session:
        stored = session.exec(select(Invite)).one()
    assert code not in stored.code_hash and len(stored.code_hash) == 64


def test_a_code_is_accepted_in_lower_case_with_spaces(
    context: AppContext, focal_point: FocalPoint
) -> None:
    code = invite(context, focal_point)
    chat = Conversation(context.assistant.handle, user_id="tg1")
    chat.say(f"/redeem {code[:5].lower()} {code[5:].lower()}")
    assert "linked" in chat.text


def test_a_used_code_cannot_be_used_again(context: AppContext, focal_point: FocalPoint) -> None:
    code = invite(context, focal_point)
    Conversation(context.assistant.handle, user_id="first").say(f"/redeem {code}")
    second = Conversation(context.assistant.handle, user_id="second")
    second.say(f"/redeem {code}")
    assert "already been used" in second.text


def test_an_expired_code_is_refused(context: AppContext, focal_point: FocalPoint) -> None:
    code = invite(context, focal_point, ttl=timedelta(seconds=-1))
    chat = Conversation(context.assistant.handle, user_id="late")
    chat.say(f"/redeem {code}")
    assert "expired" in chat.text


def test_wrong_codes_are_rate_limited(context: AppContext, focal_point: FocalPoint) -> None:
    code = invite(context, focal_point)
    chat = Conversation(context.assistant.handle, user_id="guesser")
    for attempt in range(MAX_FAILED_ATTEMPTS):
        chat.say(f"/redeem WRONG{attempt:05d}")
        assert "not valid" in chat.text
    chat.say(f"/redeem {code}")
    assert "Too many wrong codes" in chat.text
    with Session(context.engine) as session:
        assert session.exec(select(ChannelAccount)).one().focal_point_id is None


def test_a_verified_profile_keeps_the_secretariat_country(
    context: AppContext, focal_point: FocalPoint
) -> None:
    code = invite(context, focal_point)
    chat = Conversation(context.assistant.handle, user_id="tg1")
    chat.say(f"/redeem {code}")
    chat.say("/profile")
    assert "Kwame Mensah" in chat.text
    assert "Country" not in chat.text  # neither asked nor editable
