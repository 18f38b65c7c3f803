"""Greet, help, show the menu, manage the profile, language and invite codes."""

from __future__ import annotations

from typing import Any

from bot import vocab
from bot.assistant import Assistant
from bot.core import Button, Reply
from bot.errors import InviteError
from bot.flows.registry import FlowDefinition, load_definition
from bot.i18n import SUPPORTED_LANGUAGES, translate
from bot.router import Command, MenuEntry
from bot.services import identities, invites
from bot.turn import Turn

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}


def install(assistant: Assistant) -> None:
    """Register the basic commands, actions, menu entries and the profile flow."""
    router = assistant.router

    def start(turn: Turn, args: str) -> list[Reply]:
        if args:
            return redeem(turn, args)
        return [Reply(text=turn.t("start.greeting")), assistant.menu(turn)]

    def show_help(turn: Turn, _args: str) -> list[Reply]:
        lines = [turn.t("help.title")]
        seen: set[str] = set()
        for name, command in router.commands.items():
            if command.name in seen or command.hidden or (command.admin_only and not turn.is_admin):
                continue
            seen.add(command.name)
            lines.append(f"/{name} — {turn.t(command.help_key)}")
        lines.append(turn.t("help.footer"))
        return [Reply(text="\n".join(lines))]

    def show_menu(turn: Turn, _args: str) -> list[Reply]:
        return [assistant.menu(turn)]

    def profile(turn: Turn, _args: str) -> list[Reply]:
        focal_point = turn.person.focal_point
        answers: dict[str, Any] | None = None
        if focal_point is not None:
            answers = {
                "name": focal_point.name,
                "country": focal_point.country,
                "roles": list(focal_point.roles),
                "language": focal_point.language,
            }
            answers = {k: v for k, v in answers.items() if v}
        return assistant.start_flow(turn, "profile", answers=answers)

    def save_profile(turn: Turn, answers: dict[str, Any]) -> list[Reply]:
        focal_point = identities.save_profile(
            session=turn.session,
            person=turn.person,
            name=str(answers["name"]),
            country=answers.get("country"),
            roles=list(answers.get("roles") or []),
            language=str(answers.get("language") or turn.language),
        )
        language = focal_point.language
        return [Reply(text=translate("profile.saved", language)), show_profile_card(turn, language)]

    def show_profile_card(turn: Turn, language: str) -> Reply:
        focal_point = turn.person.focal_point
        if focal_point is None:
            return Reply(text=translate("profile.none", language))
        roles = vocab.get_vocabulary("roles")
        lines = [
            translate("profile.card.name", language, name=focal_point.name),
            translate(
                "profile.card.country",
                language,
                country=vocab.country_name(focal_point.country, language)
                if focal_point.country
                else "—",
            ),
            translate(
                "profile.card.roles",
                language,
                roles=", ".join(roles.label(r, language) for r in focal_point.roles) or "—",
            ),
            translate(
                "profile.card.verified" if focal_point.verified else "profile.card.unverified",
                language,
            ),
        ]
        return Reply(text="\n".join(lines))

    def home(turn: Turn, _args: str) -> list[Reply]:
        replies = [show_profile_card(turn, turn.language)]
        for section in assistant.home_sections:
            replies.extend(section(turn))
        replies.append(assistant.menu(turn))
        return replies

    def language(turn: Turn, args: str) -> list[Reply]:
        if args:
            return choose_language(turn, args.strip().lower()[:5])
        buttons = tuple(
            (Button(LANGUAGE_NAMES[code], f"lang:{code}"),) for code in SUPPORTED_LANGUAGES
        )
        return [Reply(text=turn.t("language.choose"), buttons=buttons)]

    def choose_language(turn: Turn, code: str) -> list[Reply]:
        if code not in SUPPORTED_LANGUAGES:
            return [turn.say("language.unknown", choices=", ".join(SUPPORTED_LANGUAGES))]
        identities.set_language(session=turn.session, person=turn.person, language=code)
        turn.language = code
        return [turn.say("language.set", language=LANGUAGE_NAMES[code])]

    def redeem(turn: Turn, args: str) -> list[Reply]:
        code = args.strip()
        if not code:
            return [turn.say("invite.how")]
        if not turn.incoming.is_private:
            return [turn.say("command.private_only")]
        try:
            focal_point = invites.redeem_invite(
                session=turn.session, account=turn.person.account, code=code
            )
        except InviteError as error:
            return [turn.say(str(error.args[0]))]
        turn.person = identities.who(session=turn.session, account=turn.person.account)
        turn.language = turn.person.account.language or turn.language
        country = (
            vocab.country_name(focal_point.country, turn.language) if focal_point.country else ""
        )
        return [
            turn.say("invite.linked", name=focal_point.name, country=country),
            assistant.menu(turn),
        ]

    def menu_action(turn: Turn, argument: str) -> list[Reply]:
        command = router.commands.get(argument)
        if command is None:
            return [turn.say("action.outdated"), assistant.menu(turn)]
        return assistant.run_command(turn, argument)

    router.command(Command("start", start, "help.start"))
    router.command(Command("help", show_help, "help.help"))
    router.command(Command("menu", show_menu, "help.menu"))
    router.command(Command("profile", profile, "help.profile", private_only=True, starts_flow=True))
    router.command(Command("language", language, "help.language"))
    router.command(Command("redeem", redeem, "help.redeem", private_only=True))
    router.command(Command("cancel", lambda turn, _a: [], "help.cancel"))
    router.command(Command("home", home, "help.home", hidden=True))
    router.action("m", menu_action)
    router.action("lang", lambda turn, code: choose_language(turn, code))
    router.menu_entry(MenuEntry("menu.profile", "profile"))
    router.menu_entry(MenuEntry("menu.language", "language"))
    router.menu_entry(MenuEntry("menu.help", "help"))

    def profile_context(turn: Turn) -> dict[str, Any]:
        focal_point = turn.person.focal_point
        return {"verified": bool(focal_point and focal_point.verified)}

    assistant.flows.register(
        FlowDefinition(
            spec=load_definition("profile"), on_complete=save_profile, context=profile_context
        )
    )
