"""Map a misspelt query term to the closest term the index knows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

#: Terms shorter than this are never corrected: too many near neighbours.
MIN_LENGTH = 5


def edit_distance(left: str, right: str, limit: int) -> int:
    """Return the Damerau-Levenshtein distance, or ``limit + 1`` once it exceeds ``limit``."""
    if abs(len(left) - len(right)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(right) + 1))
    for i, left_char in enumerate(left, start=1):
        current = [i] + [0] * len(right)
        for j, right_char in enumerate(right, start=1):
            cost = 0 if left_char == right_char else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and left_char == right[j - 2] and left[i - 2] == right_char:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Speller:
    """Correct terms against a vocabulary, allowing 1 edit (5–7 chars) or 2 (8+ chars)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._known: set[str] = set()
        self._by_prefix: dict[str, list[str]] = defaultdict(list)
        for term in vocabulary:
            if term and term.isalpha():
                self._known.add(term)
                self._by_prefix[term[0]].append(term)

    def __contains__(self, term: object) -> bool:
        return term in self._known

    def correct(self, term: str, *, word_length: int | None = None) -> str | None:
        """Return the closest known term to ``term``, ``term`` itself if known, or None.

        ``word_length`` is the length of the word the term (a stem) came from;
        it decides whether the term is long enough to correct and how far.
        """
        if term in self._known:
            return term
        length = len(term) if word_length is None else word_length
        if length < MIN_LENGTH or len(term) < 4 or not term.isalpha():
            return None
        limit = 1 if length < 8 else 2
        best: tuple[int, str] | None = None
        # A typo in the first letter is rare; looking only there keeps this fast.
        for candidate in self._by_prefix.get(term[0], ()):
            if abs(len(candidate) - len(term)) > limit:
                continue
            distance = edit_distance(term, candidate, limit)
            if distance <= limit and (best is None or distance < best[0]):
                best = (distance, candidate)
                if distance == 1:
                    break
        return best[1] if best else None
