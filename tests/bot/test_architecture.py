"""The core stays channel-neutral: bot/ imports no platform SDK and no langchain."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("telegram", "slack_bolt", "slack_sdk", "langchain", "langchain_core")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_in_bot_imports_a_platform_sdk_or_langchain() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in _imported_modules(path) if name.split(".")[0] in FORBIDDEN
        )
        for path in (ROOT / "bot").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from telegram import Bot\n", encoding="utf-8")
    assert "telegram" in _imported_modules(sample)


def test_the_core_handles_a_message_without_loading_a_platform_sdk(tmp_path: Path) -> None:
    script = f"""
import sys
from bot.assistant import Assistant
from bot.conversation import basics
from bot.core import Channel, Incoming
from bot.flows.registry import FlowRegistry
from bot.router import Router
from bot.storage.db import ensure_schema, make_engine
engine = make_engine("sqlite:///{tmp_path}/a.db")
ensure_schema(engine)
assistant = Assistant(db=engine, router=Router(), flows=FlowRegistry(), is_admin=lambda c, u: False)
basics.install(assistant)
incoming = Incoming(channel=Channel.CONSOLE, user_id="u", chat_id="u", text="/start")
replies = assistant.handle(incoming)
assert "Welcome" in replies[0].text, replies
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {FORBIDDEN!r})
print(",".join(loaded))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""
