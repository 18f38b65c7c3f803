"""Build what the needs tests need: the capability, focal points, linked accounts."""

from __future__ import annotations

from sqlmodel import Session

from bot.app import AppContext
from bot.conversation import needs as needs_capability
from bot.core import Channel
from bot.storage.tables import ChannelAccount, FocalPoint
from tests.helpers.conversation import Conversation


def with_needs(context: AppContext) -> AppContext:
    """Install the needs capability unless the app already did."""
    if context.assistant.flows.get(needs_capability.FLOW) is None:
        context.extras["needs"] = needs_capability.install(context.assistant)
    return context


def add_focal_point(
    app: AppContext,
    *,
    name: str,
    country: str,
    verified: bool = True,
    roles: tuple[str, ...] = ("basel_focal_point",),
    email: str | None = None,
) -> int:
    """Add a focal point to the Secretariat's list and return its id."""
    with Session(app.engine) as session:
        fp = FocalPoint(
            name=name,
            country=country,
            roles=list(roles),
            verified=verified,
            email=email or f"{name.split()[0].lower()}@example.org",
        )
        session.add(fp)
        session.commit()
        assert fp.id is not None
        return fp.id


def link(app: AppContext, user_id: str, focal_point_id: int) -> Conversation:
    """Return a console conversation whose account is linked to a focal point."""
    with Session(app.engine) as session:
        session.add(
            ChannelAccount(
                channel=Channel.CONSOLE.value,
                platform_user_id=user_id,
                chat_id=user_id,
                focal_point_id=focal_point_id,
            )
        )
        session.commit()
    return Conversation(app.assistant.handle, user_id=user_id)


DESCRIPTION = "Customs officers cannot recognise e-waste shipments declared as used goods."
TRAINING = ("Webinar", "training workshop", "E-learning")


def answer_need(
    chat: Conversation,
    *,
    country: str | None = "Kenya",
    role: str | None = "Basel focal point",
    conventions: tuple[str, ...] = ("Basel",),
    areas: tuple[str, ...] = ("E-waste",),
    types: tuple[str, ...] = ("Webinar",),
    priority: str = "High",
    description: str = DESCRIPTION,
    audience: str = "Customs officers",
    participants: str = "25",
    format: str = "Online",
    languages: tuple[str, ...] = ("French",),
    timeframe: str = "Within 12 months",
) -> None:
    """Answer the whole questionnaire up to the summary; None skips a question not asked."""
    chat.say("/need")
    if country is not None:
        chat.say(country)
    if role is not None:
        chat.press(role)
        chat.press("Done")
    for label in conventions:
        chat.press(label)
    chat.press("Done")
    for label in areas:
        chat.press(label)
    chat.press("Done")
    if "Other" in areas:
        chat.say("Used tyres from mining trucks")
    if "Rotterdam" in conventions or "Stockholm" in conventions:
        chat.press("Done")
    for label in types:
        chat.press(label)
    chat.press("Done")
    chat.press(priority)
    chat.say(description)
    if any(label in TRAINING for label in types):
        chat.say(audience)
        chat.say(participants)
    chat.press(format)
    for label in languages:
        chat.press(label)
    chat.press("Done")
    chat.press(timeframe)


def seed_needs(app: AppContext, *, count: int = 40, round_id: int | None = None) -> None:
    """Insert ``count`` varied submitted needs straight into the database (for reports)."""
    import random

    from bot import vocab
    from bot.storage.needs_tables import Need
    from bot.storage.tables import utcnow

    chooser = random.Random(16)
    countries = ("KE", "SN", "GH", "NG", "EG", "CL", "PE", "JM", "VN", "FJ", "PH", "MD", "GE", "UA")
    with Session(app.engine) as session:
        for index in range(count):
            country = chooser.choice(countries)
            areas = chooser.sample(vocab.ASSISTANCE_AREAS[:24], k=chooser.randint(1, 3))
            types = chooser.sample(vocab.ASSISTANCE_TYPES, k=chooser.randint(1, 2))
            session.add(
                Need(
                    status=chooser.choice(("submitted", "submitted", "under_review", "matched")),
                    country=country,
                    region=vocab.region_of(country),
                    verified=index % 4 != 0,
                    roles=["basel_focal_point"],
                    conventions=chooser.sample(vocab.CONVENTIONS, k=chooser.randint(1, 2)),
                    areas=areas,
                    types=types,
                    priority=chooser.choice(vocab.PRIORITIES),
                    description=f"Need {index}: help with {', '.join(areas)}.",
                    format=chooser.choice(vocab.FORMATS),
                    languages=["en"],
                    timeframe=chooser.choice(vocab.TIMEFRAMES[:3]),
                    participants=chooser.choice((None, 20, 35)),
                    round_id=round_id,
                    version=1,
                    submitted_at=utcnow(),
                )
            )
        session.commit()
