"""Know which flows exist and what happens when one ends."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core import Reply
from bot.flows.spec import FlowSpec, load_flow
from bot.turn import Turn

DEFINITIONS_DIR = Path(__file__).parent / "definitions"

OnComplete = Callable[[Turn, dict[str, Any]], list[Reply]]
OnCancel = Callable[[Turn, dict[str, Any]], list[Reply]]
ContextBuilder = Callable[[Turn], dict[str, Any]]


def _no_context(_turn: Turn) -> dict[str, Any]:
    return {}


def _nothing(_turn: Turn, _answers: dict[str, Any]) -> list[Reply]:
    return []


@dataclass(frozen=True, slots=True)
class FlowDefinition:
    """A flow and the code that acts on its result."""

    spec: FlowSpec
    on_complete: OnComplete
    on_cancel: OnCancel = _nothing
    context: ContextBuilder = _no_context
    private: bool = True


@dataclass(slots=True)
class FlowRegistry:
    """The flows the assistant can run, by name."""

    flows: dict[str, FlowDefinition] = field(default_factory=dict)

    def register(self, definition: FlowDefinition) -> None:
        """Add a flow; a second flow of the same name is a programming error."""
        if definition.spec.name in self.flows:
            raise ValueError(f"flow {definition.spec.name!r} registered twice")
        self.flows[definition.spec.name] = definition

    def get(self, name: str) -> FlowDefinition | None:
        """Return the flow called ``name``, if registered."""
        return self.flows.get(name)

    def names(self) -> Mapping[str, FlowDefinition]:
        """Return the registered flows."""
        return self.flows


def load_definition(name: str, directory: Path = DEFINITIONS_DIR) -> FlowSpec:
    """Read the shipped definition ``<name>.yaml``."""
    return load_flow(directory / f"{name}.yaml")
