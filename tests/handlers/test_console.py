"""The console channel, as a user runs it: `article16 chat` in separate processes."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.core import Button, Reply
from handlers.console import ConsoleChat, render, to_incoming

ROOT = Path(__file__).resolve().parents[2]


def run_chat(tmp_path: Path, script: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/chat.db", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", *args],
        input=script, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_scripted_profile_is_completed_and_kept_for_the_next_process(tmp_path: Path) -> None:
    out = run_chat(
        tmp_path,
        "/start\n/profile\nAmina Diallo\nSenegal\nBasel focal point\nDone\nEnglish\nSave\n",
    )
    assert "\x1b[" not in out  # no colours when piped
    assert out.count("\n---\n") == 8  # one reply block per input line
    assert "Your profile is saved." in out
    again = run_chat(tmp_path, "/profile\n")
    assert "• Name: Amina Diallo" in again and "• Country: Senegal" in again


def test_a_process_killed_mid_flow_resumes_at_the_same_step(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/chat.db", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("/profile\nAmina Diallo\n")
    process.stdin.flush()
    seen = ""
    deadline = time.monotonic() + 60
    while "Which country" not in seen and time.monotonic() < deadline:
        seen += process.stdout.readline()
    assert "Which country" in seen
    process.send_signal(signal.SIGKILL)
    process.wait()
    out = run_chat(tmp_path, "Kenya\n")
    assert "Question 3 of 4" in out and "What is your role?" in out


def test_buttons_are_numbered_and_answerable_by_number_or_label() -> None:
    reply = Reply(
        text="Pick",
        buttons=((Button("Yes", "f:a:c:1"), Button("No", "f:a:c:0")), (Button("✓ Maybe", "x:1"),)),
    )
    assert render(reply) == "Pick\n[1] Yes   [2] No\n[3] ✓ Maybe"
    buttons = reply.flat_buttons
    assert to_incoming("2", buttons=buttons, user_id="u", language=None).action == "f:a:c:0"
    assert to_incoming("maybe", buttons=buttons, user_id="u", language=None).action == "x:1"
    assert (
        to_incoming("yes please", buttons=buttons, user_id="u", language=None).text == "yes please"
    )


def test_the_console_prints_one_block_per_line_when_not_a_terminal() -> None:
    seen: list[str] = []

    def handle(incoming):
        seen.append(incoming.text or incoming.action or "")
        return [Reply(text=f"echo {incoming.text}", buttons=((Button("Go", "m:help"),),))]

    out = io.StringIO()
    ConsoleChat(handle, stdin=io.StringIO("hello\n\n1\n"), stdout=out).run()
    assert seen == ["hello", "m:help"]
    assert out.getvalue().count("---") == 2
