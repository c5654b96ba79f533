"""The corpus of files officers' software produces: each case, how it is built and what must happen.

A case either loads, storing the rows it says (and giving a warning when it names a code),
or is refused with one problem code, a fragment of its message, and the cell it names where
there is one. Every case runs through
the command line (test_corpus_cli.py) and the Upload page (test_corpus_upload_page.py).
"""

import codecs
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reliability import hostile as h
from tests.workbooks import (
    ARRANGEMENT_HEADER,
    handmade_parts,
    make_csv,
    make_xlsx,
    openpyxl_bytes,
    zipped,
)

GIB = 1024**3
SECRET = "corpus-secret-7f3a"  # written to a local file that an external entity points at
RTL_NAME = "شراكة الخدمات 🤝 Stroud ✨"


@dataclass(frozen=True)
class Case:
    """One file, the workstream it is tried against, and what must happen."""

    name: str
    file_name: str
    build: Callable[[Path], bytes]  # given a cache folder, return the file's bytes
    workstream: str = "shared_services"
    code: str | None = None  # the error refusing it, or the warning it loads with
    fragment: str = ""  # part of the message the officer sees
    cell: str = ""  # where the problem is, as Excel names it
    rows: int | None = None  # rows stored when it loads; None: it is refused
    keeps: str = ""  # text that must be stored exactly as it was in the file
    slow: bool = False  # builds or reads a file of many megabytes
    kills_reader: bool = False  # would take the process down without isolation

    @property
    def loads(self) -> bool:
        """Say whether the file is expected to load."""
        return self.rows is not None


def _secret_file(cache: Path) -> Path:
    path = cache / "secret.txt"
    path.write_text(SECRET)
    return path


def _hidden_sheet_and_rows(book) -> None:
    sheet = book.active
    sheet.title = "Arrangements"
    for row in h.arrangements(h.VALID_ROW, h.OTHER_ROW):
        sheet.append(row)
    sheet.row_dimensions[3].hidden = True
    lookups = book.create_sheet("Lookups")
    lookups.append(["category"])
    lookups.sheet_state = "hidden"


def _merged_headers(book) -> None:
    sheet = book.active
    sheet.title = "Arrangements"
    sheet.append(["Shared Services Map, January 2013"])
    sheet.merge_cells("A1:J1")
    for row in h.arrangements(h.VALID_ROW):
        sheet.append(row)
    sheet.merge_cells("I2:J2")  # "savings_note" spans its own and the status column


def _protected_sheet(book) -> None:
    sheet = book.active
    sheet.title = "Arrangements"
    for row in h.arrangements(h.VALID_ROW):
        sheet.append(row)
    sheet.protection.sheet = True
    sheet.protection.password = "locked"


def _row(**changes) -> list:
    row = list(h.VALID_ROW)
    for column, value in changes.items():
        row[ARRANGEMENT_HEADER.index(column)] = value
    return row


CASES = [
    Case("pdf", "budget.xlsx", lambda _: h.pdf(), code="not-a-spreadsheet", fragment="a PDF"),
    Case("png renamed .xlsx", "map.xlsx", lambda _: h.png(), code="not-a-spreadsheet",
         fragment="a PNG image"),
    Case("plain text", "map.xlsx", lambda _: b"Dear colleague,\nthe map is attached.\n",
         code="not-a-spreadsheet", fragment="is plain text, not a spreadsheet"),
    Case("truncated xlsx", "map.xlsx", lambda _: h.map_xlsx(h.VALID_ROW)[:1500],
         code="corrupt", fragment="damaged or not a complete file"),
    Case("encrypted xlsx", "map.xlsx",
         lambda _: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
         + "EncryptedPackage".encode("utf-16-le"),
         code="encrypted", fragment="Remove the password"),
    Case("password-protected xlsx", "map.xlsx", lambda _: h.password_protected(),
         code="encrypted", fragment="Remove the password"),
    Case("protected sheet without encryption", "map.xlsx",
         lambda _: openpyxl_bytes(_protected_sheet), rows=1),
    Case("empty workbook", "map.xlsx", lambda _: make_xlsx({"Sheet1": []}),
         code="missing-sheet", fragment='has no sheet "Arrangements"'),
    Case("only headers", "map.xlsx", lambda _: h.map_xlsx(), code="no-rows",
         fragment="no data under it", cell="Arrangements row 1"),
    Case("1,048,576 rows", "map.xlsx", h.all_rows, code="too-many-cells",
         fragment="beyond the 500,000 rows", slow=True),
    Case("16,384 columns", "map.xlsx", lambda _: h.all_columns(), code="too-many-cells",
         fragment="Arrangements!GS1, beyond the 500,000 rows and 200 columns", slow=True),
    Case("zip bomb, 50 MB", "map.xlsx", lambda cache: h.zip_bomb(cache, 50 * 1024**2),
         code="zip-bomb", fragment="unpacks to far more data", kills_reader=True),
    Case("zip bomb, 3 GB", "map.xlsx", lambda cache: h.zip_bomb(cache, 3 * GIB),
         code="zip-bomb", fragment="unpacks to far more data", slow=True, kills_reader=True),
    Case("zip bomb understating its size", "map.xlsx",
         lambda cache: h.zip_bomb(cache, 200 * 1024**2, declared=1000),
         code="corrupt", fragment="damaged", kills_reader=True),
    Case("dimension bomb", "map.xlsx", lambda _: h.dimension_bomb(), code="too-many-cells",
         fragment="Arrangements!XFD1048576", kills_reader=True),
    Case("HTML table saved as .xls", "map.xls", lambda _: h.html_table(),
         code="not-a-spreadsheet", fragment="web page"),
    Case("billion laughs in sharedStrings", "map.xlsx", lambda _: h.billion_laughs(),
         code="corrupt", fragment="damaged"),
    Case("external entity in sharedStrings", "map.xlsx",
         lambda cache: h.external_entity(_secret_file(cache)), code="corrupt",
         fragment="damaged"),
    Case("formula with cached value", "map.xlsx", lambda _: h.formulas(cached=True), rows=1),
    Case("formula giving empty text", "map.xlsx",
         lambda _: h.with_cell('<c r="I2" t="str"><f>IF(H2&gt;0,"","none")</f><v></v></c>'),
         rows=1),
    Case("formula never calculated", "map.xlsx", lambda _: h.formulas(cached=False),
         code="uncalculated-formula", cell="Arrangements!H2", fragment="never calculated"),
    Case("formula never calculated in a total row", "map.xlsx",
         lambda _: zipped(handmade_parts(
             h.sheet_rows([ARRANGEMENT_HEADER, h.VALID_ROW, ["Total"]]).replace(
                 "</row></sheetData>", '<c r="H3"><f>SUM(H2)</f></c></row></sheetData>'))),
         rows=1, code="total-row-skipped", cell="Arrangements row 3"),
    Case("error cell", "map.xlsx",
         lambda _: h.with_cell('<c r="H2" t="e"><f>1/0</f><v>#DIV/0!</v></c>', h.VALID_ROW[:7]),
         code="error-cell", cell="Arrangements!H2", fragment="Arrangements!H2 shows #DIV/0!"),
    Case("merged header cells", "map.xlsx", lambda _: openpyxl_bytes(_merged_headers),
         rows=1),
    Case("hidden sheet and hidden row", "map.xlsx",
         lambda _: openpyxl_bytes(_hidden_sheet_and_rows), rows=2),
    Case("duplicate header names", "map.xlsx",
         lambda _: h.map_xlsx(h.VALID_ROW + [""] * 2 + ["Shared"],
                              header=[*ARRANGEMENT_HEADER, "Arrangement"]),
         code="duplicate-column", cell="Arrangements!K1", fragment="repeats column B"),
    Case("header row repeated mid-sheet", "map.xlsx",
         lambda _: h.map_xlsx(h.VALID_ROW, ARRANGEMENT_HEADER, h.OTHER_ROW),
         rows=2, code="repeated-header", cell="Arrangements row 3",
         fragment="repeats the header"),
    Case("row pasted twice", "map.xlsx", lambda _: h.map_xlsx(h.VALID_ROW, h.VALID_ROW),
         code="duplicate-row", cell="Arrangements row 3", fragment="repeats row 2"),
    Case("text in a money column", "map.xlsx",
         lambda _: h.map_xlsx(_row(savings_gbp="about five grand")),
         code="invalid-money", cell="Arrangements!H2", fragment="about five grand"),
    Case("negative money", "map.xlsx", lambda _: h.map_xlsx(_row(savings_gbp=-5000)),
         code="negative-value", cell="Arrangements!H2", fragment="at least 0"),
    Case("date in the future", "map.xlsx",
         lambda _: h.map_xlsx(_row(start_date=dt.date(2090, 4, 1))), rows=1),
    Case("date before 1990", "map.xlsx",
         lambda _: h.map_xlsx(_row(start_date=dt.date(1985, 4, 1))), rows=1),
    Case("date before 1900", "map.xlsx", lambda _: h.map_xlsx(_row(start_date="01/04/1850")),
         code="invalid-date", cell="Arrangements!G2", fragment="not a likely year"),
    Case("emoji and right-to-left text", "map.xlsx",
         lambda _: h.map_xlsx(_row(arrangement=RTL_NAME)), rows=1, keeps=RTL_NAME),
    Case("CSV in UTF-16 with a BOM", "map.csv",
         lambda _: codecs.BOM_UTF16_LE + make_csv(h.arrangements(h.VALID_ROW),
                                                  encoding="utf-16-le"), rows=1),
    Case("CSV in UTF-8 with a BOM", "map.csv",
         lambda _: codecs.BOM_UTF8 + make_csv(h.arrangements(h.VALID_ROW)), rows=1),
    Case("CSV in Windows-1252", "map.csv",
         lambda _: make_csv(h.arrangements(_row(savings_gbp="£5,000")), encoding="cp1252"),
         rows=1),
    Case("CSV saved on a Mac in Mac Roman", "map.csv",
         lambda _: make_csv(h.arrangements(_row(services="children’s services – “joint”")),
                            encoding="mac_roman"),
         rows=1, keeps="children’s services – “joint”"),
    Case("CSV with ; separators", "map.csv",
         lambda _: make_csv(h.arrangements(h.VALID_ROW), separator=";"), rows=1),
    Case("extremely long cell text in xlsx", "map.xlsx",
         lambda _: h.map_xlsx(_row(services="x" * 32_767)),
         code="invalid-text", cell="Arrangements!F2", fragment="is too long"),
    Case("extremely long cell text in CSV", "map.csv",
         lambda _: make_csv(h.arrangements(_row(services="x" * 1_000_000))),
         code="invalid-text", cell="map.csv!F2", fragment="is too long"),
    Case("more rows than the workstream takes", "budget.csv",
         lambda _: make_csv([["financial_year", "line", "category", "budget_gbp"],
                             *[["2013/14", f"Line {n}", "Other", 10] for n in range(10_001)]]),
         workstream="capital_assets", code="too-many-rows", fragment="at most 10,000",
         cell="budget.csv"),
]  # fmt: skip


def parameters(cases: list[Case] = CASES) -> list:
    """Return the cases as pytest parameters named after them, the slow ones marked."""
    return [
        pytest.param(case, id=case.name, marks=[pytest.mark.slow] if case.slow else [])
        for case in cases
    ]
