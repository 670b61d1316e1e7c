"""A report as a file: CSV (UTF-8 with a byte-order mark, so Excel reads Cyrillic) and XLSX.

Both hold exactly the numbers the page shows (`Table.values`: minutes and percentages rounded
to one decimal as on the page); tests compare the three.
"""

from __future__ import annotations

import csv
import io
import re

from cherha.core.periods import Period
from cherha.core.reports import Kind, Table


def file_name(table: Table, period: Period, extension: str) -> str:
    """cherha-waits-2026-11-01_2026-11-30.csv: safe characters only."""
    name = re.sub(r"[^a-z0-9_-]", "", table.name.lower()) or "report"
    return f"cherha-{name}-{period.first.isoformat()}_{period.last.isoformat()}.{extension}"


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.heading for c in table.columns])
    for row in table.values():
        writer.writerow(["" if v is None else _csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    text = str(value)
    # A cell that starts like a formula is not run by a spreadsheet (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_xlsx(table: Table, period: Period) -> bytes:
    # Imported on the first XLSX asked for: a server that never gives one need not load it.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.name[:31]
    sheet.append([f"{table.title[0]} / {table.title[1]}"])
    sheet.append([f"Період / Period: {period.label()}"])
    sheet.append([])
    sheet.append([c.heading for c in table.columns])
    bold = Font(bold=True)
    for cell in sheet[4]:
        cell.font = bold
    formats = {Kind.MINUTES: "0.0", Kind.DECIMAL: "0.0", Kind.PERCENT: "0.0", Kind.COUNT: "0"}
    for row in table.values():
        sheet.append(row)
        for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
            if column.kind in formats and cell.value is not None:
                cell.number_format = formats[column.kind]
    for uk, en in table.notes:
        sheet.append([f"{uk} / {en}"])
    sheet.freeze_panes = "A5"
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(40, max(10, len(column.heading) // 2 + 4))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
