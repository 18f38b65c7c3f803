"""Take screenshots of the staff console's main pages on demo data (for the README).

Seeds a throwaway SQLite database with a few hundred focal points, needs,
questions, an opportunity, a broadcast and a round; serves the console on
127.0.0.1 and photographs each page with the system Chromium via Playwright.

Usage: .venv/bin/python scripts/console_screenshots.py [OUT_DIR]   (default docs/screenshots)
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.web.console

from sqlmodel import Session

from bot import vocab
from bot.app import build_context
from bot.config import Settings
from bot.services.broadcasts import Segment, create_broadcast
from bot.services.opportunities import publish_opportunity
from bot.services.rounds import open_round
from bot.storage.notify_tables import Opportunity
from bot.storage.tables import QuestionLog
from bot.web.app import create_app
from bot.web.console import build_console_router
from tests.web.console import builders as build
from tests.web.console.live import browser_page, chromium_path, serve

NAMES = ("Amina", "Kofi", "Li", "Maria", "Jean", "Fatima", "Carlos", "Olga", "Ravi", "Nadia")
SURNAMES = ("Diallo", "Mensah", "Wei", "Silva", "Dupont", "Haddad", "Rojas", "Ivanova", "Kumar")
QUESTIONS = (
    "Which regional centre helps with e-waste inventories in West Africa?",
    "Can the Special Programme fund a customs training on illegal traffic?",
    "How do we request an expert mission on contaminated sites?",
    "Is there an e-learning course on the PIC procedure in Spanish?",
)


def seed(context: object) -> None:
    """Fill the database with believable demo data."""
    from bot.app import AppContext

    assert isinstance(context, AppContext)
    rng = random.Random(8)
    countries = sorted(vocab.COUNTRY_REGIONS)
    build.staff(context, "secretariat@brs.example.org")
    people = []
    for n in range(240):
        country = rng.choice(countries)
        first, last = rng.choice(NAMES), rng.choice(SURNAMES)
        fp = build.focal_point(
            context, f"{first} {last}", country, roles=(rng.choice(vocab.ROLES[:6]),),
            chat=rng.random() < 0.6, email=f"{first}.{last}.{n}@example.org".lower(),
        )  # fmt: skip
        people.append((fp, country))
    for fp, country in rng.sample(people, 150):
        build.need(
            context, fp, country, vocab.COUNTRY_REGIONS[country],
            areas=tuple(rng.sample(vocab.ASSISTANCE_AREAS[:-1], 2)),
            types=tuple(rng.sample(vocab.ASSISTANCE_TYPES, 1)),
        )  # fmt: skip
    for text in QUESTIONS:
        fp, _ = rng.choice(people)
        build.escalated_question(context, fp, text)
    with Session(context.engine) as session:
        session.add(
            QuestionLog(channel="telegram", question="Where is the paella?", answered=False)
        )
        opportunity = Opportunity(
            kind="webinar", title="Webinar: e-waste inventories in practice",
            areas=["e_waste", "inventories_data_statistics"], types=["webinar"],
            languages=["en", "fr"], format="online", deadline=date.today() + timedelta(days=40),
            created_by="staff:secretariat@brs.example.org",
        )  # fmt: skip
        session.add(opportunity)
        session.flush()
        assert opportunity.id is not None
        publish_opportunity(session=session, opportunity_id=opportunity.id, actor="demo")
        create_broadcast(
            session=session, text="The BRS COPs open on Monday: the programme is online.",
            segment=Segment(region="africa"), actor="staff:secretariat@brs.example.org",
        )  # fmt: skip
        open_round(
            session=session, title="Needs assessment 2027", actor="demo",
            closes_on=date.today() + timedelta(days=60),
        )  # fmt: skip
        session.commit()


PAGES = (
    ("overview", "/console/"),
    ("focal-points", "/console/focal-points?region=africa"),
    ("needs", "/console/needs"),
    ("opportunity-publish", "/console/opportunities/1/publish"),
    ("broadcast-new", "/console/broadcasts/new"),
    ("broadcast-progress", "/console/broadcasts/1"),
    ("question", "/console/questions/1"),
    ("knowledge", "/console/knowledge"),
    ("round", "/console/rounds/1"),
)


def main() -> None:
    """Seed, serve and photograph."""
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    chromium = chromium_path()
    if chromium is None:
        raise SystemExit("no Chromium found (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=f"sqlite:///{tmp}/demo.db",
            ARTICLE16_INDEX_DIR=f"{tmp}/index", telegram_bot_username="article16_bot",
        )  # fmt: skip
        context = build_context(settings)
        seed(context)
        with serve(create_app(context, [build_console_router(context)])) as url:
            with browser_page(chromium, viewport={"width": 1280, "height": 860}) as page:
                page.goto(f"{url}/console/login")
                page.screenshot(path=str(out / "login.png"))
                page.get_by_label("E-mail").fill("secretariat@brs.example.org")
                page.get_by_label("Password").fill(build.PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(f"{url}/console/")
                for name, path in PAGES:
                    page.goto(url + path)
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=str(out / f"{name}.png"), full_page=False)
                    print(out / f"{name}.png")  # noqa: T201
            with browser_page(
                chromium, viewport={"width": 390, "height": 844}, device_scale_factor=2
            ) as phone:
                phone.goto(f"{url}/console/login")
                phone.get_by_label("E-mail").fill("secretariat@brs.example.org")
                phone.get_by_label("Password").fill(build.PASSWORD)
                phone.get_by_role("button", name="Sign in").click()
                phone.wait_for_url(f"{url}/console/")
                phone.goto(f"{url}/console/needs/1")
                phone.screenshot(path=str(out / "need-phone.png"))


if __name__ == "__main__":
    main()
