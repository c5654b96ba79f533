"""How much of an upload the reader accepts before refusing it."""

from dataclasses import dataclass

MIB = 1024 * 1024
# An upload's size limit is in MB of 1,000,000 bytes, as the browser counts and shows it.
MB = 1_000_000


@dataclass(frozen=True)
class ReadLimits:
    """How much of an upload the reader accepts before refusing it."""

    max_bytes: int = 25 * MB
    max_uncompressed_bytes: int = 400 * MIB
    max_compression_ratio: float = 200.0
    max_zip_entries: int = 10_000
    max_rows: int = 500_000
    max_columns: int = 200
    memory_mb: int = 2048
    timeout_s: float = 120.0
