"""Find the cells of an .xls file that show an error, which calamine reads as blank.

An .xls is a compound file (a small file system of sectors) whose Workbook stream is a run
of BIFF records. An error is kept in two records: BOOLERR for a typed error constant, and
FORMULA for a formula whose saved result is one. Only those records are read, each with
its sheet's name from the BOUNDSHEET records, so every other part of the format is left to
calamine, which refuses a damaged file before anything here matters.
"""

import re
import struct
from array import array

from lgadata.reader.limits import ReadLimits
from lgadata.reader.workbook import EXCEL_ERRORS, CellError

_LAST_SECTOR = 0xFFFFFFFA  # above this a sector number marks the end of a chain, or no sector
_BOF, _EOF, _BOUNDSHEET, _BOOLERR, _FORMULA = 0x0809, 0x000A, 0x0085, 0x0205, 0x0006
_FILEPASS = 0x002F
_STREAM_NAMES = ("workbook", "book")  # Excel 97 and later, Excel 5 and 95
# Either record as it would look holding an error: walking every record in Python takes
# about a second for 100,000 rows, so a workbook with neither is not walked at all.
_CANDIDATE = re.compile(
    rb"\x06\x00[\x14-\xff][\x00-\xff].{6}\x02.{5}\xff\xff|\x05\x02\x08\x00.{7}\x01", re.S
)


def scan_xls(data: bytes, limits: ReadLimits) -> dict[str, dict[tuple[int, int], CellError]]:
    """Return each worksheet's cells that show an error, by (row, column) from 0."""
    try:
        stream = _CompoundFile(data).stream(_STREAM_NAMES)
        if stream is None or not _CANDIDATE.search(stream):
            return {}
        found = {}
        for name, offset in _worksheets(stream):
            cells = {
                where: error
                for where, error in _errors(stream, offset)
                if where[0] < limits.max_rows and where[1] < limits.max_columns
            }
            if cells:
                found[name] = cells
        return found
    except (struct.error, IndexError, ValueError):
        return {}  # damaged: calamine says so, or reads what it can


def has_password(data: bytes) -> bool:
    """Say whether an .xls is encrypted: its workbook globals hold a FILEPASS record."""
    try:
        stream = _CompoundFile(data).stream(_STREAM_NAMES)
        return stream is not None and any(kind == _FILEPASS for kind, _ in _records(stream, 0))
    except (struct.error, IndexError, ValueError):
        return False


def _records(stream: bytes, offset: int):
    """Yield (type, body) for each record from offset to the end of its substream."""
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        body = stream[offset + 4 : offset + 4 + length]
        yield kind, body
        if kind == _EOF:
            return
        offset += 4 + length


def _worksheets(stream: bytes) -> list[tuple[str, int]]:
    """Return each worksheet's name and where its records start, from the workbook globals."""
    version = struct.unpack_from("<H", stream, 4)[0] if stream[:2] == b"\x09\x08" else 0
    sheets = []
    for kind, body in _records(stream, 0):
        if kind != _BOUNDSHEET or len(body) < 8 or body[5] != 0:  # 0: a worksheet
            continue
        offset, length = struct.unpack_from("<I", body)[0], body[6]
        if version >= 0x0600:  # BIFF8: a flag says one byte or two per character
            wide = body[7] & 1
            raw = body[8 : 8 + length * (2 if wide else 1)]
            name = raw.decode("utf-16-le" if wide else "latin-1", "replace")
        else:
            name = body[7 : 7 + length].decode("cp1252", "replace")
        sheets.append((name, offset))
    return sheets


def _errors(stream: bytes, offset: int):
    """Yield ((row, column), CellError) for each error cell of the worksheet at offset."""
    for kind, body in _records(stream, offset):
        if kind == _BOOLERR and len(body) >= 8 and body[7] == 1:
            row, column = struct.unpack_from("<HH", body)
            yield (row, column), CellError(EXCEL_ERRORS.get(body[6], "#VALUE!"))
        elif kind == _FORMULA and len(body) >= 14 and body[12:14] == b"\xff\xff" and body[6] == 2:
            row, column = struct.unpack_from("<HH", body)
            yield (row, column), CellError(EXCEL_ERRORS.get(body[8], "#VALUE!"))


class _CompoundFile:
    """Just enough of a compound file reader to take one stream out of an .xls."""

    def __init__(self, data: bytes):
        self.data = data
        self.sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
        self.mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
        fat_count, self.directory_start = struct.unpack_from("<II", data, 0x2C)
        self.cutoff, minifat_start = struct.unpack_from("<II", data, 0x38)
        difat_start, difat_count = struct.unpack_from("<II", data, 0x44)
        difat = list(struct.unpack_from("<109I", data, 0x4C))
        sector, per_sector = difat_start, self.sector_size // 4
        for _ in range(min(difat_count, len(data) // self.sector_size)):
            if sector >= _LAST_SECTOR:
                break
            entries = struct.unpack(f"<{per_sector}I", self._sector(sector))
            difat.extend(entries[:-1])
            sector = entries[-1]
        fat_sectors = [s for s in difat if s < _LAST_SECTOR][:fat_count]
        self.fat = array("I", b"".join(self._sector(s) for s in fat_sectors))
        self.minifat = array("I", self._read(minifat_start))

    def _sector(self, number: int) -> bytes:
        start = (number + 1) * self.sector_size
        block = self.data[start : start + self.sector_size]
        if len(block) < self.sector_size:
            raise ValueError("sector beyond the end of the file")
        return block

    def _chain(self, start: int, table: array) -> list[int]:
        chain = []
        while start < _LAST_SECTOR and start < len(table) and len(chain) <= len(table):
            chain.append(start)
            start = table[start]
        return chain

    def _read(self, start: int) -> bytes:
        return b"".join(self._sector(s) for s in self._chain(start, self.fat))

    def stream(self, names: tuple[str, ...]) -> bytes | None:
        """Return the first stream found under one of names (any case), or None."""
        directory = self._read(self.directory_start)
        entries = {}
        for offset in range(0, len(directory) - 127, 128):
            length, kind = struct.unpack_from("<HB", directory, offset + 64)
            name = directory[offset : offset + max(length - 2, 0)].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<II", directory, offset + 116)
            entries.setdefault(name.casefold() if kind in (2, 5) else "", (kind, start, size))
        name = next((n for n in names if n in entries), None)
        if name is None:
            return None
        _, start, size = entries[name]
        if size >= self.cutoff:
            return self._read(start)[:size]
        root = next(entry for entry in entries.values() if entry[0] == 5)
        mini_stream = self._read(root[1])
        sectors = self._chain(start, self.minifat)
        blocks = (mini_stream[s * self.mini_size : (s + 1) * self.mini_size] for s in sectors)
        return b"".join(blocks)[:size]
