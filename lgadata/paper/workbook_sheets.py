"""What each workstream's sheet of the figures workbook holds: its headline figures and rows."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from lgadata.paper.facts import CurrentUploads
from lgadata.workstreams import WORKSTREAMS

MONEY, COUNT, SHARE, DATE, MOMENT = '"£"#,##0', "#,##0", "0%", "d mmm yyyy", "yyyy-mm-dd hh:mm:ss"
UPLOAD = ("Source upload", None)


@dataclass(frozen=True)
class Context:
    """What every sheet is written from: the figures for the meeting and the current uploads."""

    engine: sa.Engine
    meeting_date: dt.date
    figures: dict
    uploads: CurrentUploads

    def sheet_uploads(self, workstream: str, sheet: str) -> list[int]:
        """Return the current uploads of every period of one sheet."""
        return sorted(set(self.uploads.get((workstream, sheet), {}).values()))


def figures_of(record: dict, when: str, fields: list[tuple], *, uploads=None) -> list[tuple]:
    """Return figure rows for fields (label, key, number format[, note]) of one record.

    The rows share the record's period and its upload, unless other uploads are given.
    """
    uploads = record["upload_id"] if uploads is None else uploads
    return [(label, record[key], fmt, when, uploads, *note) for label, key, fmt, *note in fields]


def nothing_uploaded(sheet, workstream: str) -> None:
    title = WORKSTREAMS[workstream].title
    sheet.row((f"No {title} data has been uploaded for periods up to this meeting.",))
