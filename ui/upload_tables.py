"""The Upload page's tables: the preview with its cells shaded, the changes, the editor.

Data in, pandas frames (and Styler) out; the page shows them.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from lgadata.corrections import EditableSheet, as_text
from lgadata.councils import load_register
from lgadata.diff import SheetDiff
from lgadata.ingest import ParsedSheet
from lgadata.problems import Problem
from lgadata.reader import RawWorkbook, column_letter
from lgadata.values import format_count, format_date
from lgadata.workstreams import Kind, Sheet

# Red and Okabe-Ito orange, see-through so that the text reads in light and dark themes.
ERROR_CELL = "background-color: rgba(220, 50, 32, 0.35)"
WARNING_CELL = "background-color: rgba(230, 159, 0, 0.30)"
CORRECTED_CELL = "background-color: rgba(0, 158, 115, 0.30)"
SHOWN, PREVIEW_ROWS = 200, 1000  # problems and changed rows shown, rows previewed


def count(number: int, noun: str) -> str:
    return f"{format_count(number)} {noun}{'' if number == 1 else 's'}"


def council(code: str) -> str:
    council = load_register().by_code(code)
    return council.official_name if council else code


def shown(value: object, kind: Kind) -> str:
    """Return a parsed value as the preview shows it: councils by name, money in pounds."""
    if value is None:
        return ""
    if kind is Kind.COUNCIL:
        return council(value)
    if kind is Kind.COUNCILS:
        return "; ".join(council(code) for code in value.split(";") if code)
    if kind is Kind.MONEY:
        return f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"
    if kind is Kind.DATE and hasattr(value, "isoformat"):
        return format_date(value)
    if kind is Kind.YES_NO:
        return "Yes" if value else "No"
    return as_text(value) or ""


def period(declared: Sheet, period: str) -> str:
    """Return a period as officers name it: a map edition's date, a year, 'wave 4'."""
    if not declared.period:
        column = declared.column(declared.scope) if declared.scope and period else None
        return f"{column.label.lower()} {period}" if column else "the whole sheet"
    kind = declared.column(declared.period).kind
    return shown(dt.date.fromisoformat(period), kind) if kind is Kind.DATE else period


def periods(declared: Sheet, keys) -> str:
    """Return 'wave 3, wave 4', or '' for a sheet that is one list."""
    if not (declared.period or declared.scope):
        return ""
    return ", ".join(period(declared, p) for p in keys)


def period_label(declared: Sheet) -> str | None:
    """Return the header of a sheet's period or scope column, if it has one."""
    name = declared.period or declared.scope
    return declared.column(name).label if name else None


def removal(declared: Sheet, rows: int, keys) -> str:
    """Return '9 rows of Councils (wave 4)'."""
    return (
        f"{count(rows, 'row')} of {declared.name} ({periods(declared, keys) or 'the whole sheet'})"
    )


def sheet_line(sheet: ParsedSheet) -> str:
    line = f"Sheet {sheet.source_name}: {count(sheet.row_count, 'row')}"
    if named := periods(sheet.declaration, sheet.periods):
        line += ", for " + named
    return line + "."


def rows_frame(sheet: ParsedSheet, book: RawWorkbook, found: list[Problem], edits: dict):
    """Return the sheet's first rows as a styled table, with the cells with problems coloured."""
    numbers = sheet.row_numbers[:PREVIEW_ROWS]
    frame = pd.DataFrame(
        {"Row": numbers}
        | {
            c.label: [shown(v, c.kind) for v in sheet.values[c.name][: len(numbers)]]
            for c in sheet.declaration.columns
        }
    )
    styles = pd.DataFrame("", index=frame.index, columns=frame.columns)
    position = {row: i for i, row in enumerate(numbers)}
    labels = {c.name: c.label for c in sheet.declaration.columns}
    names = {column_letter(index): labels[name] for name, index in sheet.columns.items()}
    raw = next(s.rows for s in book.sheets if s.name == sheet.source_name)
    corrected = [
        (row, letters, CORRECTED_CELL) for name, row, letters in edits if name == sheet.source_name
    ]
    marked = corrected + [
        (p.row, p.column, ERROR_CELL if p.is_error else WARNING_CELL)
        for p in sorted(found, key=lambda p: p.is_error)  # errors colour over warnings
        if p.sheet == sheet.source_name
    ]
    for row, letters, style in marked:
        if row not in position or (name := names.get(letters)) is None:
            continue
        styles.loc[position[row], name] = style
        if style == ERROR_CELL:  # an errored cell has no parsed value: show what was typed
            cells, index = raw[row - 1], sheet.columns[declared_name(sheet, name)]
            typed = as_text(cells[index] if index < len(cells) else None)
            frame.loc[position[row], name] = typed or ""
    return frame.style.apply(lambda _: styles, axis=None), sheet.row_count


def declared_name(sheet: ParsedSheet, label: str) -> str:
    return next(c.name for c in sheet.declaration.columns if c.label == label)


def diff_line(change: SheetDiff, declared: Sheet) -> str:
    line = (
        f"{count(len(change.added), 'row')} added, {format_count(len(change.removed))} "
        f"removed, {format_count(len(change.changed))} changed and "
        f"{format_count(change.unchanged)} unchanged"
    )
    if named := periods(declared, change.periods):
        line += " for " + named
    return line + "."


def what_changed(change: dict, declared: Sheet) -> str:
    before, after = change["before"], change["after"]
    return "; ".join(
        f"{column.label}: {shown(before[n], column.kind)} → {shown(after[n], column.kind)}"
        for n in change["columns"]
        for column in [declared.column(n)]
    )


def diff_frame(change: SheetDiff, declared: Sheet) -> pd.DataFrame:
    """Return the rows changed, added and removed, by their key, with what changed."""
    keys = [declared.column(k) for k in declared.key] or list(declared.columns)
    listed = (
        [("Changed", c["after"], what_changed(c, declared)) for c in change.changed]
        + [("Added", row, "") for row in change.added]
        + [("Removed", row, "") for row in change.removed]
    )
    label = period_label(declared)
    return pd.DataFrame(
        [
            {"Change": kind}
            | ({label: period(declared, row["period_key"])} if label else {})
            | {key.label: shown(row[key.name], key.kind) for key in keys if key.label != label}
            | {"What changes": what}
            for kind, row, what in listed[:SHOWN]
        ]
    )


def editor_frame(sheet: EditableSheet) -> tuple[pd.DataFrame, dict]:
    frame = pd.DataFrame(
        {"Row": list(sheet.rows)}
        | {
            letters: pd.Series([row[j] for row in sheet.cells], dtype=object)
            for j, letters in enumerate(sheet.letters)
        }
    )
    config = {"Row": st.column_config.NumberColumn("Row", format="%d", width="small")} | {
        letters: st.column_config.TextColumn(f"{letters}: {header}")
        for letters, header in zip(sheet.letters, sheet.headers, strict=True)
    }
    return frame, config
