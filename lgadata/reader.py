"""Turn uploaded spreadsheet bytes into raw sheets, refusing hostile files with one message."""

# Longer than the house ~300 lines because every safeguard lives here together; if it grows,
# split it by noun into a package: sniffing, the xlsx scan, the isolated child, delimited text.

import codecs
import csv
import functools
import gc
import html
import io
import multiprocessing
import os
import pickle
import posixpath
import re
import resource
import signal
import sys
import threading
import types
import zipfile
from dataclasses import dataclass

import python_calamine

MIB = 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_LOOKS_LIKE = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)
_ZIP_LOOKS_LIKE = (
    ("word/document.xml", "a Word document"),
    ("ppt/presentation.xml", "a slide deck"),
)
_CHUNK = 256 * 1024
_OVERLAP = 256  # bytes carried between chunks so a reference split across them is still seen
_SMALL_PART_LIMIT = 10 * MIB
_SPACES = bytes.maketrans(b"\t\n\r", b"   ")

_RESAVE = "Open it in Excel, choose File > Save As > Excel Workbook (.xlsx) and upload that file."
_UNSAFE = "{file} could not be read safely: {why}. It may be damaged or far larger than it looks."
_MESSAGES = {  # key: (code, message)
    "too-large": (
        "too-large",
        "{file} is {size:.1f} MB, over the {limit:g} MB limit. Remove sheets the return does "
        "not need, or split it, and upload it again.",
    ),
    "empty-file": ("empty-file", "{file} is empty. Check you chose the right file and try again."),
    "not-a-spreadsheet": (
        "not-a-spreadsheet",
        "{file} looks like {what}, not a spreadsheet. Upload the Excel (.xlsx or .xls), "
        "OpenDocument (.ods) or CSV file instead.",
    ),
    "web-page": (
        "not-a-spreadsheet",
        "{file} is a web page saved with a spreadsheet name, not a real spreadsheet. " + _RESAVE,
    ),
    "xml-2003": ("unsupported-format", "{file} is an XML Spreadsheet 2003 file. " + _RESAVE),
    "xlsb": ("unsupported-format", "{file} is an Excel Binary Workbook (.xlsb). " + _RESAVE),
    "encrypted": (
        "encrypted",
        "{file} is protected with a password. Remove the password (File > Info > Protect "
        "Workbook in Excel) and upload it again.",
    ),
    "corrupt": (
        "corrupt",
        "{file} is damaged or not a complete file. Open it in Excel, save it again and upload "
        "the new copy.",
    ),
    "zip-bomb": (
        "zip-bomb",
        "{file} unpacks to far more data than a spreadsheet of its size should. Open it in "
        "Excel, delete anything the return does not need, save it and upload it again.",
    ),
    "too-many-cells": (
        "too-many-cells",
        "{file} has cells as far as {ref}, beyond the {rows:,} rows and {columns} columns the "
        "dashboard reads. Delete the unused rows and columns after your data and try again.",
    ),
    "reader-crashed": ("reader-crashed", _UNSAFE.replace("{why}", "the reader stopped")),
    "reader-timeout": (
        "reader-timeout",
        _UNSAFE.replace("{why}", "reading it took longer than {seconds:g} seconds"),
    ),
    "reader-out-of-memory": (
        "reader-out-of-memory",
        _UNSAFE.replace("{why}", "it needed more than {megabytes:,} MB of memory"),
    ),
}


@dataclass(frozen=True)
class ReadLimits:
    """How much of an upload the reader accepts before refusing it."""

    max_bytes: int = 25 * MIB
    max_uncompressed_bytes: int = 400 * MIB
    max_compression_ratio: float = 200.0
    max_zip_entries: int = 10_000
    max_rows: int = 500_000
    max_columns: int = 200
    memory_mb: int = 2048
    timeout_s: float = 120.0


@dataclass
class RawSheet:
    """One sheet's cells: rows[i][j] is spreadsheet row i + 1, column j + 1; empty is None."""

    name: str
    rows: list[list[object]]
    hidden: bool = False


@dataclass
class RawWorkbook:
    """Every worksheet of one uploaded file, in workbook order."""

    file_name: str
    format: str
    sheets: list[RawSheet]


class FileRejected(Exception):
    """An upload that cannot be read, with a stable code and a message for the officer."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def column_letter(index: int) -> str:
    """Return the Excel column letters for a 0-based column index (0 -> "A")."""
    if index < 0:
        raise ValueError(f"column index must not be negative, got {index}")
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_ref(sheet: str, row: int, col: int) -> str:
    """Return an Excel reference such as "'Deep dives'!B3" for a 1-based row and 0-based column."""
    plain = re.fullmatch(r"[^\W\d]\w*", sheet) and not re.fullmatch(
        r"[A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*", sheet
    )
    name = sheet if plain else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{column_letter(col)}{row}"


def read_workbook(
    data: bytes, file_name: str, *, limits: ReadLimits = ReadLimits(), isolate: bool = True
) -> RawWorkbook:
    """Return the sheets in an uploaded file, or raise FileRejected saying why it cannot be read."""
    if len(data) > limits.max_bytes:
        size, limit = len(data) / MIB, limits.max_bytes / MIB
        raise _reject("too-large", file_name, size=size, limit=limit)
    if not data:
        raise _reject("empty-file", file_name)
    file_format = _sniff(data, file_name, limits)
    if file_format == "csv":
        return _read_csv(data, file_name, limits)
    if isolate:
        return _read_isolated(data, file_name, file_format, limits)
    return _read_binary(data, file_name, file_format, limits)


def _reject(key: str, file_name: str, **details: object) -> FileRejected:
    code, template = _MESSAGES[key]
    return FileRejected(code, template.format(file=file_name, **details))


def _too_many_cells(file_name: str, ref: str, limits: ReadLimits) -> FileRejected:
    columns, rows = limits.max_columns, limits.max_rows
    return _reject("too-many-cells", file_name, ref=ref, rows=rows, columns=columns)


def _sniff(data: bytes, file_name: str, limits: ReadLimits) -> str:
    """Return "xlsx", "ods", "xls" or "csv" judged from the bytes, not the file name."""
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data, file_name, limits)
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _reject("encrypted", file_name)
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "xls"
        raise _reject("not-a-spreadsheet", file_name, what="an Office file other than a workbook")
    for magic, what in _LOOKS_LIKE:
        if data.startswith(magic):
            raise _reject("not-a-spreadsheet", file_name, what=what)
    start = data[:4096].lower()
    if any(tag in start[:1024] for tag in (b"<html", b"<table", b"<!doctype html")):
        raise _reject("web-page", file_name)
    if b"urn:schemas-microsoft-com:office:spreadsheet" in start:
        raise _reject("xml-2003", file_name)
    if _looks_like_text(data[:4096]):
        return "csv"
    raise _reject("not-a-spreadsheet", file_name, what="a file of another kind")


def _looks_like_text(sample: bytes) -> bool:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(sample.count(bytes([byte])) for byte in range(32) if byte not in b"\t\n\r\f")
    return b"\x00" not in sample and controls <= len(sample) // 100


def _sniff_zip(data: bytes, file_name: str, limits: ReadLimits) -> str:
    """Check a zip's metadata against the limits, then say which spreadsheet it holds."""
    # Counting central directory signatures first stops a zip of millions of empty entries
    # before zipfile builds an object for each of them in the dashboard process.
    if data.count(b"PK\x01\x02") > limits.max_zip_entries:
        raise _reject("zip-bomb", file_name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
        if sum(entry.file_size for entry in entries) > limits.max_uncompressed_bytes:
            raise _reject("zip-bomb", file_name)
        for entry in entries:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if entry.file_size >= MIB and ratio > limits.max_compression_ratio:
                raise _reject("zip-bomb", file_name)
        names = set(archive.namelist())
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names:
            raise _reject("xlsb", file_name)
        if "mimetype" in names:
            with archive.open("mimetype") as stream:
                if stream.read(100).strip().startswith(_ODS_MIMETYPE):
                    return "ods"
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError) as error:
        # RuntimeError and NotImplementedError (a subclass): encrypted or exotic zip entries.
        raise _reject("corrupt", file_name) from error
    what = next((what for part, what in _ZIP_LOOKS_LIKE if part in names), "a zip archive")
    raise _reject("not-a-spreadsheet", file_name, what=what)


def _read_binary(
    data: bytes, file_name: str, file_format: str, limits: ReadLimits, *, prescan: bool = True
) -> RawWorkbook:
    """Read an xlsx, xls or ods file with calamine, after a scan for dimension bombs."""
    try:
        if prescan and file_format == "xlsx":
            _scan_xlsx(zipfile.ZipFile(io.BytesIO(data)), file_name, limits)
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            cells = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            rows = [[None if value == "" else value for value in row] for row in cells]
            width = max(map(len, rows), default=0)
            if len(rows) > limits.max_rows or width > limits.max_columns:
                ref = cell_ref(meta.name, len(rows), max(width - 1, 0))
                raise _too_many_cells(file_name, ref, limits)
            hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
            sheets.append(RawSheet(name=meta.name, rows=rows, hidden=hidden))
    except FileRejected:
        raise
    except python_calamine.PasswordError as error:
        raise _reject("encrypted", file_name) from error
    except MemoryError as error:
        raise _reject("reader-out-of-memory", file_name, megabytes=limits.memory_mb) from error
    except Exception as error:
        raise _reject("corrupt", file_name) from error
    return RawWorkbook(file_name=file_name, format=file_format, sheets=sheets)


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="(?:\$?[A-Z]+\$?\d+:)?\$?([A-Z]+\$?\d+)"')
_REF = re.compile(rb"([A-Z]*)\$?(\d+)")
_TAG = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\s([^>]*)>")
_ATTRIBUTE = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _scan_xlsx(archive: zipfile.ZipFile, file_name: str, limits: ReadLimits) -> None:
    """Refuse a workbook whose sheets declare or hold cells beyond the row and column limits."""
    beyond = _beyond_limits_pattern(limits)
    budget = limits.max_uncompressed_bytes
    for part, sheet in _worksheet_parts(archive).items():
        tail, spaced = b"", False
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                budget -= len(chunk)
                if budget < 0:
                    raise _reject("zip-bomb", file_name)
                first = not tail  # the first chunk holds the dimension and shows the layout
                if first:
                    spaced = any(gap + b'r="' in chunk for gap in (b"\t", b"\n", b"\r"))
                window = (tail + chunk).translate(_SPACES) if spaced else tail + chunk
                refs = (_DIMENSION.findall(window) if first else []) + beyond.findall(window)
                _check_refs(refs, sheet, file_name, limits)
                tail = window[-_OVERLAP:]


def _check_refs(refs: list[bytes], sheet: str, file_name: str, limits: ReadLimits) -> None:
    # Report a cell reference before a bare row number from <row r="...">: it names the cell.
    for ref in sorted(refs, key=lambda ref: not ref[:1].isalpha()):
        letters, digits = _REF.fullmatch(ref).groups()
        column = _column_index(letters or b"A")
        if int(digits) > limits.max_rows or column >= limits.max_columns:
            raise _too_many_cells(file_name, cell_ref(sheet, int(digits), column), limits)


def _beyond_limits_pattern(limits: ReadLimits) -> re.Pattern[bytes]:
    """Return a regex for cell references past the last column and row numbers past the last row."""
    # Matching only offending references keeps the scan at regex speed: a legitimate sheet
    # produces no matches, so no Python code runs per cell. Rows are judged from <row r="...">,
    # which a consistent file repeats in its cells; an inconsistent one meets the memory cap.
    columns = _above(column_letter(limits.max_columns - 1), "A", "Z")
    rows = _above(str(limits.max_rows), "0", "9")
    return re.compile(f' r="((?:{columns})\\d+|0*+(?:{rows}))"'.encode())


def _above(limit: str, low: str, high: str) -> str:
    """Return a regex alternation for strings over low..high that count higher than limit."""
    any_char = f"[{low}-{high}]"
    first = "[1-9]" if low == "0" else any_char  # a longer number must not start with 0
    options = [f"{first}{any_char}{{{len(limit)},}}"]
    for i, char in enumerate(limit):
        if char != high:
            rest = len(limit) - i - 1
            options.append(f"{limit[:i]}[{chr(ord(char) + 1)}-{high}]{any_char}{{{rest}}}")
    return "|".join(options)


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def _worksheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Return each worksheet part's path mapped to the sheet name shown in Excel."""
    targets = {}
    for tag, attributes in _tags(archive, "xl/_rels/workbook.xml.rels"):
        if tag == "Relationship" and "Target" in attributes:
            target = attributes["Target"]
            path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            targets[attributes.get("Id")] = posixpath.normpath(path)
    parts = {
        name: name.rsplit("/", 1)[-1]
        for name in archive.namelist()
        if re.fullmatch(r"xl/worksheets/[^/]+\.xml", name)
    }
    for tag, attributes in _tags(archive, "xl/workbook.xml"):
        rel = next((value for key, value in attributes.items() if key.endswith(":id")), None)
        if tag == "sheet" and targets.get(rel) in archive.NameToInfo:
            parts[targets[rel]] = attributes.get("name", targets[rel])
    return parts


def _tags(archive: zipfile.ZipFile, part: str) -> list[tuple[str, dict[str, str]]]:
    """Return the sheet and relationship tags of a small XML part with their attributes."""
    if part not in archive.NameToInfo:
        return []
    with archive.open(part) as stream:
        text = stream.read(_SMALL_PART_LIMIT)
    found = []
    for tag, body in _TAG.findall(text):
        pairs = _ATTRIBUTE.findall(body)
        values = {
            key.decode(): (double or single).decode("utf-8", "replace")
            for key, double, single in pairs
        }
        found.append((tag.decode(), {key: html.unescape(value) for key, value in values.items()}))
    return found


@functools.cache
def _context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["python_calamine", "lgadata.reader"])
    return context


def _read_isolated(
    data: bytes, file_name: str, file_format: str, limits: ReadLimits, *, prescan: bool = True
) -> RawWorkbook:
    """Read a workbook in a child process with capped memory and time, so a crash stays there."""
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    errors_in, errors_out = context.Pipe(duplex=False)
    child = context.Process(
        target=_child_main,
        args=(sender, errors_out, data, file_name, file_format, limits, prescan),
        daemon=True,
    )
    _start_without_main(child)
    try:
        sender.close()
        errors_out.close()
        if not receiver.poll(limits.timeout_s):
            raise _reject("reader-timeout", file_name, seconds=limits.timeout_s)
        try:
            outcome = _unpickle(receiver.recv_bytes())
        except (EOFError, OSError):  # the child died before or while sending
            child.join(timeout=5)
            raise _child_died(child.exitcode, _drain(errors_in), file_name, limits) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join(timeout=5)
        receiver.close()
        errors_in.close()
    if outcome[0] == "rejected":
        raise FileRejected(outcome[1], outcome[2])
    return outcome[1]


_START_LOCK = threading.Lock()


def _start_without_main(child: multiprocessing.process.BaseProcess) -> None:
    # Streamlit installs the page script as __main__, and multiprocessing re-runs __main__ in
    # every forkserver child before the target starts (the whole dashboard, once per upload).
    # The child needs nothing from __main__, so it is hidden while the child's set-up is sent.
    with _START_LOCK:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            child.start()
        finally:
            sys.modules["__main__"] = main


def _unpickle(payload: bytes) -> tuple:
    # Collecting garbage while unpickling 100,000 rows of new lists doubles the time it takes,
    # and none of them can be garbage yet.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(payload)
    finally:
        if collecting:
            gc.enable()


def _child_main(sender, errors_out, data, file_name, file_format, limits, prescan) -> None:
    """Run in the child: cap memory, read the workbook and send the outcome to the parent."""
    # Rust prints its abort message and a backtrace to stderr; capture them so the parent can
    # tell running out of memory from other crashes and nothing spills into the server log.
    os.dup2(errors_out.fileno(), 2)
    os.set_blocking(2, False)
    gc.disable()  # a short-lived reader makes no reference cycles worth collecting
    cap = limits.memory_mb * MIB
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap if hard == resource.RLIM_INFINITY else hard))
    try:
        outcome = ("ok", _read_binary(data, file_name, file_format, limits, prescan=prescan))
    except FileRejected as rejection:
        outcome = ("rejected", rejection.code, rejection.message)
    sender.send_bytes(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


def _drain(connection) -> bytes:
    os.set_blocking(connection.fileno(), False)
    try:
        return os.read(connection.fileno(), 64 * 1024)
    except OSError:
        return b""


def _child_died(exitcode: int | None, stderr: bytes, file_name: str, limits: ReadLimits):
    # Rust reports "memory allocation of N bytes failed" and aborts; the kernel's OOM killer
    # sends SIGKILL; Python raises MemoryError if it runs out while sending the result.
    if exitcode == -signal.SIGKILL or b"memory allocation" in stderr or b"MemoryError" in stderr:
        return _reject("reader-out-of-memory", file_name, megabytes=limits.memory_mb)
    return _reject("reader-crashed", file_name)


def _read_csv(data: bytes, file_name: str, limits: ReadLimits) -> RawWorkbook:
    """Read delimited text in-process: decode, guess the separator, keep every row."""
    text = _decode(data)
    delimiter = _sniff_delimiter(text[:16_384])
    rows: list[list[object]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) >= limits.max_rows or len(row) > limits.max_columns:
                ref = cell_ref(file_name, len(rows) + 1, max(len(row) - 1, 0))
                raise _too_many_cells(file_name, ref, limits)
            rows.append([value if value != "" else None for value in row])
    except csv.Error as error:
        raise _reject("corrupt", file_name) from error
    return RawWorkbook(file_name=file_name, format="csv", sheets=[RawSheet(file_name, rows)])


def _decode(data: bytes) -> str:
    """Decode UTF-16 with a byte order mark, else UTF-8, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    data = data.removeprefix(codecs.BOM_UTF8)
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _sniff_delimiter(sample: str) -> str:
    """Return the separator among comma, semicolon and tab that the sample uses."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        lines = sample.splitlines()[:20]
        return max(",;\t", key=lambda delimiter: sum(line.count(delimiter) for line in lines))
