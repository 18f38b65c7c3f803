"""Let people choose what they hear about: ``/settings`` and ``/stop``.

Buttons: ``set:opp`` and ``set:ann`` switch opportunities and announcements,
``set:dig:<off|daily|weekly>`` picks single messages or a digest.
"""

from __future__ import annotations

from bot.assistant import Assistant
from bot.core import Button, Reply
from bot.router import Command, MenuEntry
from bot.services import preferences
from bot.turn import Turn


def settings_reply(turn: Turn, *, edit: bool = False) -> Reply:
    """Return the current settings with a button to change each."""
    chosen = preferences.get_preferences(session=turn.session, account_id=turn.account_id)

    def state(on: bool) -> str:
        return turn.t("notify.settings.on" if on else "notify.settings.off")

    lines = [
        turn.t("notify.settings.title"),
        turn.t("notify.settings.opportunities", state=state(chosen.opportunities)),
        turn.t("notify.settings.announcements", state=state(chosen.announcements)),
        turn.t("notify.settings.digest", choice=turn.t(f"notify.settings.digest_{chosen.digest}")),
        turn.t("notify.settings.critical"),
    ]
    digest_buttons = tuple(
        Button(("• " if chosen.digest == code else "") + turn.t(f"notify.settings.digest_{code}"),
               f"set:dig:{code}")
        for code in preferences.DIGESTS
    )  # fmt: skip
    opp = turn.t(f"notify.settings.opportunities_{'off' if chosen.opportunities else 'on'}")
    ann = turn.t(f"notify.settings.announcements_{'off' if chosen.announcements else 'on'}")
    buttons = (
        (Button(opp, "set:opp"),),
        (Button(ann, "set:ann"),),
        digest_buttons,
        (Button(turn.t("menu.language"), "m:language"),),
    )
    return Reply(text="\n".join(lines), buttons=buttons, edit=edit)


def install(assistant: Assistant) -> None:
    """Register /settings, /stop and the settings buttons."""
    router = assistant.router

    def show(turn: Turn, _args: str) -> list[Reply]:
        return [settings_reply(turn)]

    def stop(turn: Turn, _args: str) -> list[Reply]:
        preferences.stop_all(session=turn.session, account_id=turn.account_id)
        return [turn.say("notify.settings.stopped")]

    def change(turn: Turn, argument: str) -> list[Reply]:
        chosen = preferences.get_preferences(session=turn.session, account_id=turn.account_id)
        what, _, value = argument.partition(":")
        match what:
            case "opp":
                preferences.set_preferences(
                    session=turn.session, account_id=turn.account_id,
                    opportunities=not chosen.opportunities,
                )  # fmt: skip
            case "ann":
                preferences.set_preferences(
                    session=turn.session, account_id=turn.account_id,
                    announcements=not chosen.announcements,
                )  # fmt: skip
            case "dig" if value in preferences.DIGESTS:
                preferences.set_preferences(
                    session=turn.session, account_id=turn.account_id, digest=value
                )
            case _:
                return [turn.say("action.outdated")]
        return [settings_reply(turn, edit=True)]

    router.command(Command("settings", show, "notify.help.settings"))
    router.command(Command("stop", stop, "notify.help.stop"))
    router.action("set", change)
    router.menu_entry(MenuEntry("notify.menu.settings", "settings"))
