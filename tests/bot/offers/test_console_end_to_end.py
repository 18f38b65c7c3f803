"""Done when: an offer typed in `article16 chat` is approved and notifies the matching need once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from bot.cli_offers import offers_app
from bot.storage.db import make_engine
from bot.storage.notify_tables import Opportunity, OutboxMessage

ROOT = Path(__file__).resolve().parents[3]
DESCRIPTION = "Customs officers cannot recognise e-waste shipments declared as second-hand goods."
NEED = (
    "/need\nKenya\nBasel focal point\nDone\nBasel Convention\nDone\nE-waste\nDone\n"
    f"Webinar\nDone\nHigh\n{DESCRIPTION}\nCustoms officers\n25\nOnline\nFrench\nDone\n"
    "Within 12 months\n✅ Submit this need\n"
)
PROFILE = "/profile\nIngrid Berg\nNorway\nBasel focal point\nDone\nEnglish\n✅ Save\n"
OFFER = (
    "/offer\nA Party (government)\nGovernment of Norway\nIngrid Berg, ingrid@example.no\n"
    "E-waste\nDone\nWebinar\nDone\nBasel Convention\nDone\nAny eligible Party\nFrench\nDone\n"
    "Online\n30 participants\nSkip\nSkip\nNo conditions\nDone\n"
    "A two-week e-waste inspection course for customs officers, with follow-up.\n"
    "✅ Submit this offer\n/myoffers\n"
)


def run_chat(tmp_path: Path, user: str, script: str) -> str:
    environment = {
        **os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/chat.db", "PYTHONPATH": str(ROOT),
    }  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--user", user], input=script, text=True,
        capture_output=True, env=environment, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.slow
def test_an_offer_entered_in_the_console_is_approved_and_notifies_the_matching_need_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "Your need #1 is now with the Secretariat" in run_chat(tmp_path, "amina", NEED)
    out = run_chat(tmp_path, "ingrid", PROFILE + OFFER)
    assert "• Offered by: A Party (government)" in out
    assert "Your offer #1 is with the Secretariat for review" in out
    assert "It matches 1 recorded need(s)." in out and "By region: Africa 1" in out
    assert "Kenya" not in out.split("Your offers:")[1]

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/chat.db")
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(offers_app, ["approve", "1"])
        assert result.exit_code == 0, result.output
    engine = make_engine(f"sqlite:///{tmp_path}/chat.db")
    with Session(engine) as session:
        (published,) = session.exec(select(Opportunity)).all()
        rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    engine.dispose()
    assert (published.kind, published.status) == ("offer_of_assistance", "published")
    keys = [row.dedupe_key for row in rows]
    assert keys.count(f"opp:{published.id}:acct:1") == 1  # amina's account, once
    assert [k for k in keys if k.startswith("opp:")] == [f"opp:{published.id}:acct:1"]
    assert keys.count("offer:1:approved") == 1
