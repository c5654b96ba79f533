"""Blank workbook templates, written from the workstream declarations."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lgadata.workstreams import Column, Kind, Workstream, get_workstream

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TEMPLATE_ROWS = 2000
_EXAMPLES = {
    Kind.MONEY: "£1,234 or £1.2m",
    Kind.INTEGER: "12",
    Kind.DATE: "20/03/2013",
    Kind.YES_NO: "yes or no",
    Kind.COUNCIL: "Stroud District Council",
    Kind.COUNCILS: "Stroud DC; Gloucester City",
    Kind.FINANCIAL_YEAR: "2013/14",
    Kind.QUARTER: "2013-Q2",
    Kind.URL: "https://www.local.gov.uk/productivity",
}


def build_template(workstream: str | Workstream) -> bytes:
    """Return an .xlsx template: one sheet per declared sheet, a Notes sheet, drop-downs."""
    ws = workstream if isinstance(workstream, Workstream) else get_workstream(workstream)
    book = Workbook()
    book.remove(book.active)
    for declared in ws.sheets:
        sheet = book.create_sheet(declared.name)
        for index, column in enumerate(declared.columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.label)
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
            sheet.column_dimensions[get_column_letter(index)].width = max(16, len(column.label) + 4)
            _add_validation(sheet, column, index)
        sheet.freeze_panes = "A2"
    _notes_sheet(book, ws)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _add_validation(sheet, column: Column, index: int) -> None:
    letter = get_column_letter(index)
    cells = f"{letter}2:{letter}{TEMPLATE_ROWS}"
    choices = column.choices or (("yes", "no") if column.kind is Kind.YES_NO else ())
    if not choices:
        return
    listed = ",".join(c.replace('"', "'") for c in choices)
    # Excel caps an inline list at 255 characters; longer lists go on a hidden sheet.
    if len(listed) <= 255 and "," not in "".join(choices):
        formula = f'"{listed}"'
    else:
        formula = _list_range(sheet.parent, column.label, choices)
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.error = f"Choose one of the listed values for {column.label}."
    validation.errorTitle = "Not in the list"
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(cells)


def _list_range(book, name: str, choices) -> str:
    if "Lists" not in book.sheetnames:
        book.create_sheet("Lists").sheet_state = "hidden"
    lists = book["Lists"]
    column = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
    lists.cell(row=1, column=column, value=name)
    for row, choice in enumerate(choices, start=2):
        lists.cell(row=row, column=column, value=choice)
    letter = get_column_letter(column)
    return f"Lists!${letter}$2:${letter}${len(choices) + 1}"


def _notes_sheet(book, ws: Workstream) -> None:
    notes = book.create_sheet("Notes")
    notes.append([ws.title])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append([ws.description])
    notes.append(
        [
            "Fill in the coloured sheets. Keep the header row; extra columns are ignored. "
            "Upload the file on the Upload page or with: python -m lgadata load " + ws.key + " FILE"
        ]
    )
    notes.append([])
    notes.append(["Sheet", "Column", "Required", "Type", "What it holds", "Example or choices"])
    for cell in notes[5]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for declared in ws.sheets:
        for column in declared.columns:
            example = (
                "; ".join(column.choices) if column.choices else _EXAMPLES.get(column.kind, "")
            )
            required = "yes" if column.required else "no"
            if declared.period == column.name:
                required += " (period: an upload replaces only the periods it contains)"
            if declared.scope == column.name:
                required += f" (an upload replaces only the {column.label.lower()}s it lists)"
            notes.append(
                [declared.name, column.label, required, column.kind.value, column.help, example]
            )
    for letter, width in zip("ABCDEF", (16, 26, 14, 14, 60, 60), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
