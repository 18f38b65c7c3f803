"""Build the Slack channel's bolt ``AsyncApp`` and wire its listeners."""

from __future__ import annotations

import re

from slack_bolt.async_app import AsyncApp

from bot.config import Settings
from bot.errors import ConfigurationError
from handlers.slack.client import build_web_client
from handlers.slack.dedupe import Claim, build_dedupe_middleware
from handlers.slack.home import Home
from handlers.slack.listeners import Handle, SlackListeners
from handlers.slack.modal import CALLBACK_ID, Forms
from handlers.slack.outbound import ACTION_ID_PREFIX
from handlers.slack.people import PeopleDirectory

#: The slash command the Slack app declares.
SLASH_COMMAND = "/article16"


def build_bolt_app(
    settings: Settings,
    *,
    handle: Handle,
    claim: Claim,
    home: Home | None = None,
    forms: Forms | None = None,
) -> AsyncApp:
    """Build the bolt app: Events API, ``/article16``, buttons, form modals and the App Home.

    ``handle`` is the core's synchronous ``Assistant.handle``; ``claim``
    records an event id durably and tells whether it is new (Slack resends
    events); ``home`` returns what the App Home shows a person; ``forms``
    (the ``Assistant`` itself) shows flows as modals, so that
    ``/article16 need`` opens the needs questionnaire as a form. Without
    ``forms`` every questionnaire runs step by step in the DM.

    ``process_before_response`` stays False: in HTTP mode bolt acks an event
    before running its listener, and waits for a command's or button's
    ``ack()`` (called first thing) before answering Slack, while the
    listener goes on in the background.
    """
    slack = settings.slack
    if not slack.enabled:
        raise ConfigurationError("the Slack channel needs SLACK_BOT_TOKEN")
    secret = slack.signing_secret.get_secret_value() if slack.signing_secret else ""
    if not secret and not slack.socket_mode:
        raise ConfigurationError("Slack HTTP events need SLACK_SIGNING_SECRET")

    app = AsyncApp(
        name="article16",
        client=build_web_client(slack, interactive=True),
        signing_secret=secret,
        # bolt skips the signature check itself for Socket Mode envelopes
        request_verification_enabled=True,
        process_before_response=False,
    )
    listeners = SlackListeners(
        handle=handle,
        home=home,
        people=PeopleDirectory(),
        forms=forms,
        slash_command=SLASH_COMMAND,
    )
    app.use(build_dedupe_middleware(claim))
    app.event("message")(listeners.on_message)
    app.event("app_mention")(listeners.on_app_mention)
    app.event("app_home_opened")(listeners.on_app_home_opened)
    app.command(SLASH_COMMAND)(listeners.on_command)
    app.action(re.compile(f"^{re.escape(ACTION_ID_PREFIX)}"))(listeners.on_button)
    app.view(CALLBACK_ID)(listeners.on_form_submission)
    app.error(listeners.on_error)
    return app
