"""Map commands, button actions and menu entries to their handlers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.core import Reply
from bot.turn import Turn

CommandHandler = Callable[[Turn, str], list[Reply]]
ActionHandler = Callable[[Turn, str], list[Reply]]


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command."""

    name: str
    handler: CommandHandler
    help_key: str
    admin_only: bool = False
    private_only: bool = False
    #: Whether the command starts a flow (which replaces any flow in progress).
    starts_flow: bool = False
    #: Left out of /help and the platform command menus (used by channels themselves).
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """A button of the main menu that runs a command."""

    label_key: str
    command: str
    admin_only: bool = False


@dataclass(slots=True)
class Router:
    """Hold the commands, button-action prefixes and menu entries of every capability."""

    commands: dict[str, Command] = field(default_factory=dict)
    actions: dict[str, ActionHandler] = field(default_factory=dict)
    menu: list[MenuEntry] = field(default_factory=list)

    def command(self, command: Command, *aliases: str) -> None:
        """Register a command under its name and any aliases."""
        for name in (command.name, *aliases):
            if name in self.commands:
                raise ValueError(f"command /{name} registered twice")
            self.commands[name] = command

    def action(self, prefix: str, handler: ActionHandler) -> None:
        """Register the handler of button actions ``<prefix>:<argument>``."""
        if prefix in self.actions or prefix == "f":
            raise ValueError(f"action prefix {prefix!r} taken")
        self.actions[prefix] = handler

    def menu_entry(self, entry: MenuEntry) -> None:
        """Add a button to the main menu."""
        self.menu.append(entry)


def parse_command(text: str) -> tuple[str, str] | None:
    """Split ``/name@bot args`` into ``(name, args)``; return None for plain text."""
    stripped = text.strip()
    if not stripped.startswith("/") or len(stripped) < 2:
        return None
    head, _, args = stripped[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    if not name or not name.replace("_", "").isalnum():
        return None
    return name, args.strip()
