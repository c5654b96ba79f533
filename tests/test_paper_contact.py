"""The board paper's contact officer block: from the settings, the pack panel or the command."""

import datetime as dt
import json

import pytest

from lgadata import cli
from lgadata.paper import CONTACT_LIMIT, Contact, build_paper, render_docx, render_pdf
from lgadata.settings import get_settings
from tests.test_paper import docx_lines, pdf_lines, split_at_headings

MEETING = dt.date(2013, 3, 20)
OFFICER = Contact(
    name="Jane Smith",
    position="Programme Manager, Productivity",
    telephone="020 7664 3000",
    email="jane.smith@local.gov.uk",
)
BLOCK = [
    "Contact officer: Jane Smith",
    "Position: Programme Manager, Productivity",
    "Telephone: 020 7664 3000",
    "E-mail: jane.smith@local.gov.uk",
]


@pytest.mark.parametrize(("render", "lines"), [(render_pdf, pdf_lines), (render_docx, docx_lines)])
def test_the_contact_officer_block_is_printed_after_the_financial_implications(
    sample_engine, render, lines
):
    paper = build_paper(engine=sample_engine, meeting_date=MEETING, contact=OFFICER)
    found = split_at_headings(
        lines(render(paper)), headings=("Financial implications", "Contact officer")
    )
    assert " ".join(BLOCK) in " ".join(found["Contact officer"].split())


def test_a_paper_without_a_contact_officer_has_no_block(sample_engine):
    paper = build_paper(engine=sample_engine, meeting_date=MEETING)
    assert "Contact officer" not in pdf_lines(render_pdf(paper))


def test_a_contact_officer_part_too_long_is_refused(empty_engine):
    with pytest.raises(ValueError, match=f"at most {CONTACT_LIMIT} characters"):
        build_paper(
            engine=empty_engine,
            meeting_date=MEETING,
            contact=Contact(name="x" * (CONTACT_LIMIT + 1)),
        )


def test_the_pack_command_takes_the_contact_officer_from_the_setting_or_its_options(
    sample_engine, database_url, tmp_path, monkeypatch, capsys
):
    setting = {"name": "Jane Smith", "position": "Programme Manager", "email": "j@x.gov.uk"}
    monkeypatch.setenv("LGADATA_CONTACT_OFFICER", json.dumps(setting))
    monkeypatch.setenv("LGADATA_DATABASE_URL", database_url)
    get_settings.cache_clear()
    output = tmp_path / "paper.docx"
    try:
        status = cli.main(
            ["pack", "--date", "2013-03-20", "-o", str(output), "--contact-telephone", "020 1"]
        )
    finally:
        get_settings.cache_clear()
    assert status == 0, capsys.readouterr()
    text = " ".join(docx_lines(output.read_bytes()))
    for line in (
        "Contact officer: Jane Smith",
        "Position: Programme Manager",
        "Telephone: 020 1",
        "E-mail: j@x.gov.uk",
    ):
        assert line in text
