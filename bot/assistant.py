"""Handle one incoming message and return the replies: the core's single use case."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from bot import vocab
from bot.core import Button, Incoming, Reply
from bot.errors import NotAllowed, UserInputError
from bot.flows.engine import FlowEngine, Outcome, typed_words
from bot.flows.forms import Form, build_form, check_submission
from bot.flows.registry import FlowDefinition, FlowRegistry
from bot.flows.store import load_state, save_state
from bot.i18n import normalise_language, translate
from bot.router import Router, parse_command
from bot.services.identities import language_of, touch_account, who
from bot.storage.db import session_scope
from bot.turn import Turn

logger = logging.getLogger(__name__)

QuestionHandler = Callable[[Turn, str], list[Reply]]

#: Commands also understood as a lone word without the slash (words in the catalogues).
BARE_COMMANDS = ("help", "menu", "cancel", "back")
AdminCheck = Callable[[str, str], bool]


def _questions_unavailable(turn: Turn, _question: str) -> list[Reply]:
    return [turn.say("questions.unavailable")]


def looks_like_question(text: str) -> bool:
    """Tell whether typed text reads as a question rather than an answer."""
    stripped = text.strip()
    return stripped.endswith("?") or (len(stripped.split()) >= 4 and "?" in stripped)


@dataclass(slots=True)
class Assistant:
    """Route every message to a command, a button action, a flow, or the knowledge base."""

    db: Engine
    router: Router
    flows: FlowRegistry
    is_admin: AdminCheck
    engine: FlowEngine = field(default_factory=FlowEngine)
    answer_question: QuestionHandler = _questions_unavailable
    #: Called after a turn's transaction committed (e.g. to refresh Slack's App Home).
    after_turn: list[Callable[[Incoming], None]] = field(default_factory=list)
    #: Sections of a person's home page (needs, opportunities...), added by capabilities.
    home_sections: list[Callable[[Turn], list[Reply]]] = field(default_factory=list)
    #: Called before typed text is dispatched while no flow runs; their replies come first
    #: (e.g. to offer a draft left unfinished).
    before_dispatch: list[Callable[[Turn], list[Reply]]] = field(default_factory=list)

    def handle(self, incoming: Incoming, *, run_hooks: bool = True) -> list[Reply]:
        """Return the replies to ``incoming``; never raise.

        ``run_hooks=False`` leaves out the after-turn hooks, for reads that
        change nothing (such as rendering a home page).
        """
        language = normalise_language(incoming.language_hint)
        try:
            with session_scope(self.db) as session:
                turn = self._turn(session, incoming)
                language = turn.language
                replies = self._dispatch(turn)
        except Exception:
            error_id = uuid.uuid4().hex[:8]
            logger.exception(
                "error %s while handling a %s message from %s",
                error_id,
                incoming.channel.value,
                incoming.user_id,
            )
            return [Reply(text=translate("error.apology", language, error_id=error_id))]
        for hook in self.after_turn if run_hooks else ():
            try:
                hook(incoming)
            except Exception:
                logger.exception("after-turn hook failed")
        return replies

    def _turn(self, session: Session, incoming: Incoming) -> Turn:
        account = touch_account(session=session, incoming=incoming)
        person = who(session=session, account=account)
        return Turn(
            session=session,
            incoming=incoming,
            person=person,
            language=normalise_language(language_of(person, incoming.language_hint)),
            is_admin=self.is_admin(incoming.channel.value, incoming.user_id),
        )

    # ---- forms (a whole flow at once, e.g. a Slack modal) ----------------------------------

    def form(self, incoming: Incoming, flow: str) -> Form | None:
        """Return the flow ``flow`` as a form for this person, or None if it does not exist."""
        definition = self.flows.get(flow)
        if definition is None:
            return None
        with session_scope(self.db) as session:
            turn = self._turn(session, incoming)
            return build_form(
                self.engine,
                definition.spec,
                language=turn.language,
                context=definition.context(turn),
            )

    def submit_form(
        self, incoming: Incoming, flow: str, raw: dict[str, Any]
    ) -> tuple[dict[str, str], list[Reply]]:
        """Validate a submitted form; when valid, complete the flow as the chat would.

        Returns the error per field (empty when accepted) and the replies.
        """
        definition = self.flows.get(flow)
        if definition is None:
            raise KeyError(flow)
        with session_scope(self.db) as session:
            turn = self._turn(session, incoming)
            check = check_submission(
                self.engine,
                definition.spec,
                raw,
                language=turn.language,
                context=definition.context(turn),
            )
            if check.errors:
                return check.errors, []
            return {}, definition.on_complete(turn, check.answers)

    # ---- dispatch ------------------------------------------------------------------------

    def _dispatch(self, turn: Turn) -> list[Reply]:
        incoming = turn.incoming
        if incoming.action is not None:
            return self._on_action(turn, incoming.action)
        text = (incoming.text or "").strip()
        if not text:
            return [turn.say("input.empty")]
        if len(text) > 4000:
            return [turn.say("input.too_long", maximum=4000)]
        notes: list[Reply] = []
        if (
            self.before_dispatch
            and load_state(session=turn.session, account_id=turn.account_id) is None
        ):
            notes = [reply for hook in self.before_dispatch for reply in hook(turn)]
        return [*notes, *self._on_text(turn, text)]

    def _on_text(self, turn: Turn, text: str) -> list[Reply]:
        incoming = turn.incoming
        command = parse_command(text) or self._bare_command(text)
        if command is not None:
            return self._on_command(turn, *command)
        state = load_state(session=turn.session, account_id=turn.account_id)
        if state is not None and incoming.is_private:
            return self._on_flow_text(turn, state, text)
        return self.answer_question(turn, text)

    @staticmethod
    def _bare_command(text: str) -> tuple[str, str] | None:
        """Read a lone word such as "help" or "annuler" as its command.

        Slack will not send a message that starts with "/" unless it is a
        registered slash command, so every channel also accepts these words.
        """
        folded = vocab.fold(text)
        for name in BARE_COMMANDS:
            if folded in typed_words(f"bare.{name}"):
                return name, ""
        return None

    def run_command(self, turn: Turn, name: str, args: str = "") -> list[Reply]:
        """Run a registered command as if the user had typed it."""
        return self._on_command(turn, name, args)

    def _on_command(self, turn: Turn, name: str, args: str) -> list[Reply]:
        state = load_state(session=turn.session, account_id=turn.account_id)
        if name in ("cancel", "back"):
            if state is None:
                return [turn.say("flow.nothing_to_cancel"), self.menu(turn)]
            definition = self.flows.get(str(state["flow"]))
            if definition is None:
                save_state(session=turn.session, account_id=turn.account_id, state=None)
                return [turn.say("flow.nothing_to_cancel"), self.menu(turn)]
            if name == "back":
                outcome = self.engine.back(definition.spec, state, language=turn.language)
            else:
                outcome = self.engine.request_cancel(definition.spec, state, language=turn.language)
            return self._apply(turn, definition, outcome)
        command = self.router.commands.get(name)
        if command is None:
            return [turn.say("command.unknown", command=name[:40]), self.menu(turn)]
        if command.admin_only and not turn.is_admin:
            return [turn.say("command.admin_only")]
        if command.private_only and not turn.incoming.is_private:
            return [turn.say("command.private_only")]
        try:
            replies = command.handler(turn, args)
        except UserInputError as error:
            return [turn.say(str(error.args[0]), **(error.args[1] if len(error.args) > 1 else {}))]
        except NotAllowed as error:
            return [turn.say(str(error.args[0]) if error.args else "command.admin_only")]
        if state is not None and not command.starts_flow and turn.incoming.is_private:
            replies.extend(self._continue_flow(turn))
        return replies

    def _on_action(self, turn: Turn, action: str) -> list[Reply]:
        if self.engine.is_flow_action(action):
            state = load_state(session=turn.session, account_id=turn.account_id)
            definition = self.flows.get(str(state["flow"])) if state else None
            if state is None or definition is None:
                return [turn.say("flow.outdated_ended"), self.menu(turn)]
            outcome = self.engine.on_action(definition.spec, state, action, language=turn.language)
            return self._apply(turn, definition, outcome)
        prefix, _, argument = action.partition(":")
        handler = self.router.actions.get(prefix)
        if handler is None:
            return [turn.say("action.outdated"), self.menu(turn)]
        return handler(turn, argument)

    def _on_flow_text(self, turn: Turn, state: dict[str, Any], text: str) -> list[Reply]:
        definition = self.flows.get(str(state["flow"]))
        if definition is None:
            save_state(session=turn.session, account_id=turn.account_id, state=None)
            return self.answer_question(turn, text)
        outcome = self.engine.on_text(definition.spec, state, text, language=turn.language)
        if outcome.unrecognised and looks_like_question(text):
            # A question typed mid-questionnaire is answered, then the flow goes on.
            answer = self.answer_question(turn, text)
            resumed = self.engine.resume(definition.spec, state, language=turn.language)
            save_state(session=turn.session, account_id=turn.account_id, state=resumed.state)
            return [*answer, turn.say("flow.continue"), *resumed.replies]
        return self._apply(turn, definition, outcome)

    def _continue_flow(self, turn: Turn) -> list[Reply]:
        state = load_state(session=turn.session, account_id=turn.account_id)
        definition = self.flows.get(str(state["flow"])) if state else None
        if state is None or definition is None:
            return []
        outcome = self.engine.resume(definition.spec, state, language=turn.language)
        save_state(session=turn.session, account_id=turn.account_id, state=outcome.state)
        return [turn.say("flow.continue"), *outcome.replies]

    def _apply(self, turn: Turn, definition: FlowDefinition, outcome: Outcome) -> list[Reply]:
        save_state(session=turn.session, account_id=turn.account_id, state=outcome.state)
        replies = list(outcome.replies)
        if outcome.completed is not None:
            replies.extend(definition.on_complete(turn, outcome.completed))
        if outcome.cancelled:
            answers = dict(outcome.extra.get("answers", {}))
            cancelled = definition.on_cancel(turn, answers)
            replies.extend(cancelled or [turn.say("flow.cancelled")])
            replies.append(self.menu(turn))
        return replies

    # ---- helpers for capabilities --------------------------------------------------------

    def start_flow(
        self, turn: Turn, name: str, *, answers: dict[str, Any] | None = None
    ) -> list[Reply]:
        """Start the flow ``name``, setting aside any flow in progress."""
        definition = self.flows.get(name)
        if definition is None:
            raise KeyError(name)
        if definition.private and not turn.incoming.is_private:
            return [turn.say("command.private_only")]
        previous = load_state(session=turn.session, account_id=turn.account_id)
        notes: list[Reply] = []
        if previous is not None:
            earlier = self.flows.get(str(previous["flow"]))
            if earlier is not None:
                notes.extend(earlier.on_cancel(turn, dict(previous.get("answers", {}))))
        outcome = self.engine.start(
            definition.spec,
            language=turn.language,
            context=definition.context(turn),
            answers=answers,
        )
        return [*notes, *self._apply(turn, definition, outcome)]

    def menu(self, turn: Turn, *, key: str = "menu.title") -> Reply:
        """Return the main menu as buttons."""
        entries = [e for e in self.router.menu if turn.is_admin or not e.admin_only]
        buttons = [Button(turn.t(entry.label_key), f"m:{entry.command}") for entry in entries]
        return Reply(text=turn.t(key), buttons=tuple(_pairs(buttons)))


def _pairs(buttons: Iterable[Button]) -> list[tuple[Button, ...]]:
    items = list(buttons)
    return [tuple(items[i : i + 2]) for i in range(0, len(items), 2)]
