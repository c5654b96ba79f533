"""Judge an upload's format from its bytes, not its name, and refuse what is no spreadsheet."""

import codecs
import io
import re
import zipfile

from lgadata.problems import Code
from lgadata.reader.limits import MIB, ReadLimits
from lgadata.reader.rejection import reject
from lgadata.reader.xls_scan import has_password
from lgadata.reader.xlsx_scan import workbook_part

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


def sniff_format(data: bytes, file_name: str, limits: ReadLimits) -> str:
    """Return "xlsx", "ods", "xls" or "csv" judged from the bytes, not the file name."""
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data, file_name, limits)
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise reject(Code.ENCRYPTED, file_name)
        if _has_workbook_stream(data):
            if has_password(data):
                raise reject(Code.ENCRYPTED, file_name)
            return "xls"
        raise reject(Code.NOT_A_SPREADSHEET, file_name, what="an Office file other than a workbook")
    for magic, what in _LOOKS_LIKE:
        if data.startswith(magic):
            raise reject(Code.NOT_A_SPREADSHEET, file_name, what=what)
    start = data[:4096].lower()
    if any(tag in start[:1024] for tag in (b"<html", b"<table", b"<!doctype html")):
        raise reject("web-page", file_name)
    if b"urn:schemas-microsoft-com:office:spreadsheet" in start:
        raise reject(Code.UNSUPPORTED_FORMAT, file_name, what="an XML Spreadsheet 2003 file")
    if _looks_like_text(data[:4096]):
        return "csv"
    raise reject(Code.NOT_A_SPREADSHEET, file_name, what="a file of another kind")


# A directory entry's name, at the start of its 128-byte entry: "Workbook" (Excel 97 and
# later) or "Book" (Excel 5 and 95), in any case, as Excel opens "WORKBOOK" and "BOOK" too.
_WORKBOOK_ENTRY = re.compile(
    b"(?:%s|%s)\x00\x00" % ("workbook".encode("utf-16-le"), "book".encode("utf-16-le")),
    re.IGNORECASE,
)


def _has_workbook_stream(data: bytes) -> bool:
    return any(match.start() % 128 == 0 for match in _WORKBOOK_ENTRY.finditer(data))


def _looks_like_text(sample: bytes) -> bool:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(sample.count(bytes([byte])) for byte in range(32) if byte not in b"\t\n\r\f")
    return b"\x00" not in sample and controls <= len(sample) // 100


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    if name not in archive.NameToInfo:
        return b""
    with archive.open(name) as stream:
        return stream.read(MIB)


def _sniff_zip(data: bytes, file_name: str, limits: ReadLimits) -> str:
    """Check a zip's metadata against the limits, then say which spreadsheet it holds."""
    # Counting central directory signatures first stops a zip of millions of empty entries
    # before zipfile builds an object for each of them in the dashboard process.
    if data.count(b"PK\x01\x02") > limits.max_zip_entries:
        raise reject(Code.ZIP_BOMB, file_name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
        if sum(entry.file_size for entry in entries) > limits.max_uncompressed_bytes:
            raise reject(Code.ZIP_BOMB, file_name)
        for entry in entries:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if entry.file_size >= MIB and ratio > limits.max_compression_ratio:
                raise reject(Code.ZIP_BOMB, file_name)
        names = set(archive.namelist())
        if "xl/workbook.xml" in names or workbook_part(archive) is not None:
            return "xlsx"
        if "xl/workbook.bin" in names:
            raise reject(
                Code.UNSUPPORTED_FORMAT, file_name, what="an Excel Binary Workbook (.xlsb)"
            )
        if "mimetype" in names:
            with archive.open("mimetype") as stream:
                if stream.read(100).strip().startswith(_ODS_MIMETYPE):
                    # LibreOffice lists how each encrypted part is encrypted in the manifest.
                    if b"encryption-data" in _small_part(archive, "META-INF/manifest.xml"):
                        raise reject(Code.ENCRYPTED, file_name)
                    return "ods"
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError) as error:
        # RuntimeError and NotImplementedError (a subclass): encrypted or exotic zip entries.
        raise reject(Code.CORRUPT, file_name) from error
    what = next((what for part, what in _ZIP_LOOKS_LIKE if part in names), "a zip archive")
    raise reject(Code.NOT_A_SPREADSHEET, file_name, what=what)
