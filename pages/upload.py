"""Upload: an officer adds a workstream's spreadsheet, sees what it holds and changes, stores it."""

import streamlit as st

from lgadata.auth import Permission
from lgadata.workstreams import WORKSTREAMS
from ui import common
from ui import upload as view


def render() -> None:
    """Show the uploader, then the checked file, its problems and changes, and the store button."""
    actor = common.page_setup(
        "Upload",
        permission=Permission.UPLOAD,
        caption="Add a workstream's spreadsheet: check it, see what it would change, then "
        "store it as the workstream's next version.",
    )
    view.flash()
    view.templates()
    choose, give = st.columns([2, 1])
    choice = choose.selectbox(
        "Workstream",
        [view.AUTO, *WORKSTREAMS],
        format_func=view.workstream_name,
        key=view.WORKSTREAM,
    )
    period = give.text_input(
        "Period, if the file gives none",
        key=view.PERIOD,
        help="The map edition, financial year, quarter or bulletin the rows are for, when "
        "the file has no column or title line saying so.",
    )
    file = view.uploader()
    if file is None:
        return
    data = file.getvalue()
    preview = view.preview(data, file.name, choice=choice, period=period.strip() or None)
    if not view.outcome(preview):
        return
    parsed = preview.parsed
    view.summary(parsed)
    view.fixes(preview)
    rows, warnings, councils, changes = st.tabs(
        [
            "Rows",
            f"Warnings ({len(parsed.warnings):,})",
            f"Councils ({len(parsed.resolutions):,})",
            "What it changes",
        ]
    )
    with rows:
        view.rows(preview)
    with warnings:
        view.problems(parsed.warnings, "warnings")
    with councils:
        view.councils(parsed)
    with changes:
        view.changes(preview)
    view.commit(preview, data, actor)


render()
