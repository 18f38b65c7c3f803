"""Connect the assistant to Slack (slack-bolt): events, ``/article16``, buttons, App Home.

``inbound`` converts Slack payloads to ``Incoming``; ``outbound`` renders
``Reply`` as Block Kit; ``modal`` shows a flow (the needs questionnaire) as a
modal form and reads its submission; ``listeners`` and ``app`` are the thin bolt glue;
``web`` mounts ``POST /slack/events`` on FastAPI; ``socket_mode`` runs it
over a WebSocket instead; ``sender`` is the notification dispatcher's port.
"""

from handlers.slack.app import SLASH_COMMAND, build_bolt_app
from handlers.slack.dedupe import Claim, claim_with_database
from handlers.slack.home import Home, publish_home
from handlers.slack.listeners import Handle
from handlers.slack.modal import Forms, render_modal
from handlers.slack.outbound import render_blocks, render_home, render_messages
from handlers.slack.sender import SlackSender, build_slack_sender, map_send_error
from handlers.slack.socket_mode import start_socket_mode, stop_socket_mode
from handlers.slack.web import EVENTS_PATH, build_slack_router

__all__ = [
    "EVENTS_PATH",
    "SLASH_COMMAND",
    "Claim",
    "Forms",
    "Handle",
    "Home",
    "SlackSender",
    "build_bolt_app",
    "build_slack_router",
    "build_slack_sender",
    "claim_with_database",
    "map_send_error",
    "publish_home",
    "render_blocks",
    "render_home",
    "render_messages",
    "render_modal",
    "start_socket_mode",
    "stop_socket_mode",
]
