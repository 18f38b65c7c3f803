"""Cut a query into pages: a count, one page of rows, and links that keep the filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from sqlalchemy import func
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

T = TypeVar("T")
PAGE_SIZE = 50


@dataclass(slots=True)
class Page(Generic[T]):
    """One page of rows and where it sits among the others."""

    rows: list[T]
    number: int
    size: int
    total: int
    filters: Mapping[str, str] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """Return how many pages there are (at least one)."""
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        """Tell whether there is a page before this one."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Tell whether there is a page after this one."""
        return self.number < self.pages

    @property
    def first_row(self) -> int:
        """Return the 1-based position of the page's first row (0 when empty)."""
        return 0 if not self.total else (self.number - 1) * self.size + 1

    @property
    def last_row(self) -> int:
        """Return the 1-based position of the page's last row."""
        return min(self.total, self.number * self.size)

    def query(self, number: int) -> str:
        """Return the query string of page ``number`` with the same filters."""
        return urlencode({**{k: v for k, v in self.filters.items() if v}, "page": number})


def paginate(
    session: Session,
    query: SelectOfScalar[T],
    *,
    number: int,
    filters: Mapping[str, str],
    size: int = PAGE_SIZE,
) -> Page[T]:
    """Return page ``number`` (1-based, clamped) of ``query`` with the total count."""
    counting: Any = select(func.count()).select_from(query.order_by(None).subquery())
    total = int(session.exec(counting).one())
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    rows = list(session.exec(query.offset((number - 1) * size).limit(size)).all())
    return Page(rows=rows, number=number, size=size, total=total, filters=filters)
