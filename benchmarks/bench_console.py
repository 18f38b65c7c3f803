"""Time the staff console's pages with 10,000 focal points and 50,000 needs.

Seeds a fresh database (SQLite by default, or the URL given), signs a
Secretariat account in, and requests each page through the real ASGI app
(FastAPI TestClient: routing, database, templates; no network). Printed: the
median and worst of several requests per page, in milliseconds.

    .venv/bin/python benchmarks/bench_console.py [--focal-points 10000] [--needs 50000]
        [--database-url postgresql://postgres@127.0.0.1:5432/bench]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.web.console

from fastapi.testclient import TestClient
from sqlalchemy import insert

from bot import vocab
from bot.app import build_context
from bot.config import Settings
from bot.storage.needs_tables import Need
from bot.storage.tables import ChannelAccount, FocalPoint, QuestionLog, utcnow
from bot.web.app import create_app
from bot.web.console import build_console_router
from tests.web.console.builders import sign_in, staff

PAGES = (
    "/console/",
    "/console/focal-points",
    "/console/focal-points?region=africa&role=basel_focal_point&verified=yes",
    "/console/focal-points?q=person%20777",
    "/console/focal-points?page=150",
    "/console/focal-points/5000",
    "/console/needs",
    "/console/needs?area=e_waste&priority=high&status=submitted",
    "/console/needs?region=asia_pacific&type=webinar",
    "/console/needs?page=900",
    "/console/needs/25000",
    "/console/questions",
    "/console/broadcasts/count?region=africa",
)


def seed(url: str, focal_points: int, needs: int) -> None:
    """Insert the focal points (half with a chat account) and their needs in bulk."""
    from sqlmodel import Session

    from bot.storage.db import make_engine

    rng = random.Random(16)
    countries = sorted(vocab.COUNTRY_REGIONS)
    engine = make_engine(url)
    now = utcnow()
    people = [
        {
            "name": f"Person {n}",
            "email": f"person{n}@example.org",
            "country": rng.choice(countries),
            "roles": [rng.choice(vocab.ROLES)],
            "conventions": rng.sample(vocab.CONVENTIONS, rng.randint(1, 3)),
            "language": rng.choice(("en", "fr", "es")),
            "verified": rng.random() < 0.8,
            "created_at": now,
            "updated_at": now,
        }
        for n in range(1, focal_points + 1)
    ]
    with Session(engine) as session:
        session.execute(insert(FocalPoint), people)
        session.execute(
            insert(ChannelAccount),
            [
                {"channel": "telegram", "platform_user_id": str(n), "chat_id": str(n),
                 "focal_point_id": n, "active": True, "created_at": now, "last_seen_at": now}
                for n in range(1, focal_points + 1, 2)
            ],
        )  # fmt: skip
        rows = []
        for _ in range(needs):
            fp = rng.randint(1, focal_points)
            country = people[fp - 1]["country"]
            rows.append(
                {
                    "focal_point_id": fp,
                    "status": rng.choice(("submitted", "under_review", "matched", "closed")),
                    "country": country,
                    "region": vocab.COUNTRY_REGIONS[str(country)],
                    "verified": True,
                    "roles": [],
                    "conventions": ["basel"],
                    "languages": ["en"],
                    "answers": {},
                    "areas": rng.sample(vocab.ASSISTANCE_AREAS[:-1], 3),
                    "types": rng.sample(vocab.ASSISTANCE_TYPES, 2),
                    "priority": rng.choice(vocab.PRIORITIES),
                    "description": "A need described in a sentence or two.",
                    "language": "en",
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "submitted_at": now,
                }  # fmt: skip
            )
        for start in range(0, len(rows), 5000):
            session.execute(insert(Need), rows[start : start + 5000])
        session.execute(
            insert(QuestionLog),
            [
                {"channel": "telegram", "question": f"Question {n}?", "escalated": n % 3 == 0,
                 "sources": [], "related": [], "context": {}, "created_at": now}
                for n in range(2000)
            ],
        )  # fmt: skip
        session.commit()


def main() -> None:
    """Seed, then time every page."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--focal-points", type=int, default=10_000)
    parser.add_argument("--needs", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        settings = Settings(_env_file=None, database_url=url, ARTICLE16_INDEX_DIR=f"{tmp}/index")  # type: ignore[call-arg]
        context = build_context(settings, knowledge=object())  # type: ignore[arg-type]
        started = time.perf_counter()
        seed(url, args.focal_points, args.needs)
        took = time.perf_counter() - started
        print(
            f"seeded {args.focal_points} focal points and {args.needs} needs "
            f"in {took:.1f} s ({context.engine.dialect.name})"
        )
        staff(context, "bench@brs.int")
        client = TestClient(create_app(context, [build_console_router(context)]))
        sign_in(client, "bench@brs.int")
        print(f"{'page':<78} {'median ms':>9} {'max ms':>7}")
        for page in PAGES:
            times = []
            for _ in range(args.repeat):
                began = time.perf_counter()
                response = client.get(page)
                times.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, (page, response.status_code)
            print(f"{page:<78} {statistics.median(times):>9.0f} {max(times):>7.0f}")


if __name__ == "__main__":
    main()
