"""A dispatcher killed mid-broadcast loses nothing; two dispatchers never send a row twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.services import broadcasts
from bot.storage.db import make_engine, session_scope, upgrade
from bot.storage.notify_tables import OutboxMessage
from tests.helpers.databases import throwaway_postgres
from tests.helpers.notify import person

ROOT = Path(__file__).resolve().parents[3]
CHILD = Path(__file__).with_name("dispatch_child.py")


def _prepare(url: str, people: int) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        for _ in range(people):
            person(session, language="en")
        broadcasts.create_broadcast(
            session=session, text="Hello", segment=broadcasts.Segment(), actor="t"
        )
    return engine


def _start(
    url: str, out: Path, *, batch: int, lease: float, delay: float
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, str(CHILD), url, str(out), str(batch), str(lease), str(delay)]
    return subprocess.Popen(args, cwd=ROOT, env=env)


def _lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def _expected_chats(engine: Engine) -> set[str]:
    with session_scope(engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
        assert {row.state for row in rows} == {"sent"}
        return {row.chat_id or "" for row in rows}


def test_a_dispatcher_killed_mid_broadcast_loses_nothing_and_repeats_at_most_a_batch(
    sqlite_url: str, tmp_path: Path
) -> None:
    people, batch = 200, 20
    engine = _prepare(sqlite_url, people)
    out = tmp_path / "delivered.txt"
    child = _start(sqlite_url, out, batch=batch, lease=1.0, delay=0.01)
    deadline = time.monotonic() + 30
    while len(_lines(out)) < 60 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    delivered_before = len(_lines(out))
    assert 60 <= delivered_before < people, "the kill came too late to test anything"
    again = _start(sqlite_url, out, batch=batch, lease=1.0, delay=0.0)
    assert again.wait(timeout=60) == 0
    counts = Counter(_lines(out))
    duplicates = sum(counts.values()) - len(counts)
    assert set(counts) == _expected_chats(engine)
    assert len(counts) == people
    print(f"delivered before the kill: {delivered_before}; duplicates after restart: {duplicates}")
    assert duplicates <= batch


@pytest.mark.postgres
def test_two_dispatchers_on_postgresql_never_send_a_notification_twice(tmp_path: Path) -> None:
    with throwaway_postgres() as url:
        engine = _prepare(url, 300)
        outs = [tmp_path / "a.txt", tmp_path / "b.txt"]
        children = [_start(url, out, batch=10, lease=60, delay=0.002) for out in outs]
        assert [child.wait(timeout=60) for child in children] == [0, 0]
        first, second = (_lines(out) for out in outs)
        assert first and second, "both dispatchers should have taken a share"
        counts = Counter(first + second)
        assert set(counts.values()) == {1}
        assert set(counts) == _expected_chats(engine)
        engine.dispose()
