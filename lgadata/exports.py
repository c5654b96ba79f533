"""Tables as files people open in a spreadsheet: text that could be read as a formula is
made plain text first (OWASP's advice on CSV injection), whatever an upload put in it."""

import io

import pandas as pd

# A cell starting with one of these is a formula (or DDE) to Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def plain_text(value: object) -> object:
    """Return text that no spreadsheet will run: a leading quote before a formula start.

    A list (the councils of an arrangement) becomes its items joined by "; ".
    """
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv(table: pd.DataFrame | list[dict]) -> bytes:
    """Return the table as UTF-8 CSV (with a byte-order mark, for Excel) with no live formula."""
    frame = table if isinstance(table, pd.DataFrame) else pd.DataFrame(table)
    frame = frame.copy()
    frame.columns = [plain_text(str(c)) for c in frame.columns]
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(plain_text)
    buffer = io.StringIO()
    # CRLF, as Excel writes: and a line break inside a cell is then always quoted.
    frame.to_csv(buffer, index=False, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")
