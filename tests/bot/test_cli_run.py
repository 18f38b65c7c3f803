"""`article16 run`: the console without platform tokens, Telegram polling with one."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.fakes.telegram_api import FakeTelegramAPI

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SLACK_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path}/run.db",
        ARTICLE16_INDEX_DIR=str(tmp_path / "index"),
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def test_run_without_tokens_says_how_to_enable_channels_and_opens_the_console(
    tmp_path: Path,
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        input="/start\n", capture_output=True, text=True, env=_env(tmp_path), cwd=tmp_path,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "SLACK_BOT_TOKEN" in result.stderr
    assert "Welcome to the Article 16 Assistant" in result.stdout


def test_run_with_a_telegram_token_serves_telegram_by_polling(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeTelegramAPI() as fake:
            env = _env(tmp_path, TELEGRAM_BOT_TOKEN=fake.token,
                       TELEGRAM_API_BASE_URL=fake.base_url)  # fmt: skip
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )  # fmt: skip
            try:
                await fake.wait_for("deleteWebhook", timeout=60)
                fake.inject_message("/start")
                sent = await fake.wait_for("sendMessage", timeout=30)
                assert "Article 16 Assistant" in sent[0]["text"]
            finally:
                process.send_signal(signal.SIGTERM)
                _out, err = await asyncio.wait_for(process.communicate(), 30)
            assert process.returncode == 0, err.decode()

    asyncio.run(scenario())
