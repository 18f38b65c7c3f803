"""A small knowledge base for tests of the conversation around answers."""

from __future__ import annotations

from bot.ports import Answer, Source


class CannedKnowledgeBase:
    """Answer questions that contain a known word; decline the rest."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def answer(self, question: str, *, language: str = "en") -> Answer:
        """Answer from a fixed table, recording what was asked."""
        self.asked.append((question, language))
        if "pacific" in question.casefold():
            return Answer(
                text="The Pacific centre is SPREP in Apia, Samoa.",
                answered=True,
                confidence=0.9,
                sources=(Source("Regional centres in Asia and the Pacific",
                                "https://www.basel.int/x", "en/rc.md", 12.5),),
                related=("Which centre serves South-East Asia?", "What is an SCRC?"),
                language=language,
            )  # fmt: skip
        if "paella" in question.casefold():
            return Answer(text="", answered=False, confidence=0.0, language=language,
                          extra={"reason": "out_of_scope"})  # fmt: skip
        return Answer(text="", answered=False, confidence=0.1, language=language,
                      extra={"reason": "low_confidence"})  # fmt: skip
