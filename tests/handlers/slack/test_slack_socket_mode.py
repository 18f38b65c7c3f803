"""Run the Slack channel over Socket Mode against the fake's WebSocket."""

from __future__ import annotations

import json

from handlers.slack import build_bolt_app, start_socket_mode, stop_socket_mode


async def test_socket_mode_event_is_acked_and_answered(settings, claim, core, slack_api):
    settings = settings.model_copy(update={"slack_app_token": "xapp-test"})
    bolt_app = build_bolt_app(settings, handle=core, claim=claim)
    handler = await start_socket_mode(bolt_app, settings)
    try:
        await slack_api.wait_for("socket_connected")
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": "DU1",
            "user": "U1",
            "text": "hello over the socket",
            "ts": "1700000001.000001",
        }
        body = {"type": "event_callback", "team_id": "T1", "event_id": "EvSOCK", "event": event}
        await slack_api.push_envelope("events_api", body, envelope_id="env-42")
        [ack] = await slack_api.wait_for("socket_ack")
        [post] = await slack_api.wait_for("chat.postMessage")
    finally:
        await stop_socket_mode(handler)
    assert ack.params["envelope_id"] == "env-42"
    assert post.params["channel"] == "DU1"
    assert core.received[0].text == "hello over the socket"
    opened = slack_api.calls_to("apps.connections.open")[0]
    assert "xapp-test" in json.dumps(opened.headers)


async def test_socket_mode_command_is_acked_then_answered(settings, claim, core, slack_api):
    settings = settings.model_copy(update={"slack_app_token": "xapp-test"})
    core.delay = 0.5
    handler = await start_socket_mode(build_bolt_app(settings, handle=core, claim=claim), settings)
    try:
        await slack_api.wait_for("socket_connected")
        command = {
            "team_id": "T1",
            "channel_id": "DU1",
            "user_id": "U1",
            "user_name": "amina",
            "command": "/article16",
            "text": "needs",
            "response_url": slack_api.response_url(),
        }
        await slack_api.push_envelope("slash_commands", command, envelope_id="env-7")
        [ack] = await slack_api.wait_for("socket_ack")
        assert slack_api.calls_to("chat.postMessage") == []
        await slack_api.wait_for("chat.postMessage")
    finally:
        await stop_socket_mode(handler)
    assert ack.params["envelope_id"] == "env-7"
    assert core.received[0].text == "/needs"
