"""Downloads of tables never carry a live formula, whatever an upload put in a cell."""

import csv
import io

import pandas as pd
import pytest

from lgadata.exports import safe_csv


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        (
            '=HYPERLINK("http://evil.example","Click")',
            '\'=HYPERLINK("http://evil.example","Click")',
        ),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("Stroud District Council", "Stroud District Council"),
        ("", ""),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_written_as_text(cell, written):
    data = safe_csv(pd.DataFrame({"name": [cell], "savings": [1.5]}))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[1][0] == written
    assert rows[1][1] == "1.5"


def test_numbers_and_negative_numbers_stay_numbers():
    data = safe_csv([{"change": -3, "name": "=1+1"}]).decode("utf-8-sig")
    assert data.splitlines()[1] == "-3,'=1+1"


def test_a_header_from_an_upload_is_made_safe_too():
    data = safe_csv(pd.DataFrame({"=cmd|' /C calc'!A0": ["x"]})).decode("utf-8-sig")
    assert data.splitlines()[0].startswith("'=cmd")


def test_a_list_of_councils_is_written_as_names_not_as_python():
    data = safe_csv([{"partner_councils": ["Gloucester", "Stroud"], "none": []}])
    assert data.decode("utf-8-sig").splitlines()[1] == "Gloucester; Stroud,"
