"""Write tables of labelled rows as CSV or Excel files the Secretariat opens directly."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Sequence


def csv_bytes(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """Return the rows as CSV with a header, UTF-8 with a BOM so Excel reads accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str,
    numeric: Collection[str] = (),
) -> bytes:
    """Return the rows as an Excel workbook: bold frozen header, filters, readable widths.

    Cells of the ``numeric`` columns holding digits are written as numbers.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(columns))
    numbers = {columns.index(name) for name in numeric}
    for row in rows:
        sheet.append([int(v) if i in numbers and v.isdigit() else v for i, v in enumerate(row)])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for index, name in enumerate(columns, start=1):
        longest = max([len(name), *(len(str(row[index - 1])) for row in rows)])
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = min(max(10, longest + 2), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
