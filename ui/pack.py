"""The Overview's board pack: the paper as PDF and Word, and its figures as Excel, for a date."""

import datetime as dt
import logging

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from lgadata import meetings, paper
from lgadata.auth import Permission
from lgadata.paper import CONTACT_LIMIT, NOTE_LIMIT, Contact, build_paper, contact_from_settings
from lgadata.sections import registry
from lgadata.sections.parts import join_names
from lgadata.values import format_date
from ui import common
from ui.commentary import meeting_to_write_for

FORM_KEY, DATE_KEY, PREPARE = "pack-form", "pack-date", "pack-prepare"
NOTE_KEY = "pack-note-{}"  # one note box a section, by its key
FORMATS = {  # extension: (button label, MIME type, icon)
    "pdf": ("Paper (PDF)", "application/pdf", ":material/picture_as_pdf:"),
    "docx": (
        "Paper (Word)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ":material/description:",
    ),
    "xlsx": (
        "Figures (Excel)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ":material/table_view:",
    ),
}
EARLIEST = dt.date(2010, 1, 1)  # before the first Shared Services Map edition
Notes = tuple[tuple[str, str], ...]
# Data version, meeting date, officers' notes, contact officer.
Choice = tuple[int, dt.date, Notes, Contact]
CONTACT_FIELDS = {  # part of the contact officer block: its field's label
    "name": "Contact officer",
    "position": "Position",
    "telephone": "Telephone",
    "email": "E-mail address",
}
PREPARED = "pack-prepared"  # the choice whose files this session has built
log = logging.getLogger(__name__)


def file_name(meeting_date: dt.date, extension: str) -> str:
    """Return the download's file name, such as productivity-programme-update-2013-03-20.pdf."""
    return f"productivity-programme-update-{meeting_date.isoformat()}.{extension}"


# The files are built before their buttons are shown, and each button is given its file's
# bytes: Streamlit then keeps the file for as long as the button is on the page. A file built
# when its button is clicked (a callable `data=`) is held by no session, so any session's
# next rerun can drop it before the browser fetches it, and the click delivers nothing.
# Cached on the data version, so another officer's upload makes new files.
@st.cache_data(show_spinner=False, max_entries=16)
def _paper(version: int, meeting_date: dt.date, notes: Notes, contact: Contact):
    del version  # part of the cache key only
    return build_paper(
        engine=common.engine(), meeting_date=meeting_date, notes=dict(notes), contact=contact
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _build(
    extension: str, version: int, meeting_date: dt.date, notes: Notes, contact: Contact
) -> bytes:
    # Read from the package when a file is made: it loads the renderers only then.
    if extension == "xlsx":
        return paper.figures_workbook(engine=common.engine(), meeting_date=meeting_date)
    render = paper.render_pdf if extension == "pdf" else paper.render_docx
    return render(_paper(version, meeting_date, notes, contact))


def _build_or_explain(extension: str, choice: Choice) -> bytes | None:
    """Return a file of the pack; if it cannot be built, say so on the page and return None."""
    label = FORMATS[extension][0]
    what = label[0].lower() + label[1:]  # "paper (PDF)"
    try:
        return _build(extension, *choice)
    # Charts, fonts, the database, any renderer: the officer needs a sentence, not a trace.
    except Exception as error:
        log.exception("Building the board pack's %s failed", extension)
        if isinstance(error, SQLAlchemyError):
            reason = "the database could not be read. Try again in a minute."
        else:
            reason = (
                "the problem has been logged. Try again, and tell the dashboard's "
                "administrator if it keeps failing."
            )
        st.error(f"The {what} could not be built: {reason}", icon=":material/error:")
        return None


def _prepared(choice: Choice) -> dict[str, bytes]:
    """Build every file of the pack for a choice; return those that could be built."""
    with st.spinner("Preparing the board pack…"):
        built = {extension: _build_or_explain(extension, choice) for extension in FORMATS}
    return {extension: data for extension, data in built.items() if data is not None}


def _notes() -> Notes:
    """Show a note box per section of the paper and return the notes written, in order."""
    with st.expander("Officers' notes", icon=":material/edit_note:"):
        st.caption(
            "A short note under any section of the paper, printed as typed. Notes are not "
            "saved: they go only into the files downloaded here."
        )
        written = [
            (
                s.key,
                st.text_area(s.title, max_chars=NOTE_LIMIT, key=NOTE_KEY.format(s.key), height=100),
            )
            for s in registry.SECTIONS
        ]
    return tuple((key, text.strip()) for key, text in written if text and text.strip())


def _contact(*, may_write: bool) -> Contact:
    """Show the contact officer's fields, filled from the settings; return them."""
    given = contact_from_settings()
    if not may_write:
        return given
    with st.expander("Contact officer", icon=":material/contact_mail:"):
        st.caption("Printed at the end of the paper, as the board's papers name one.")
        parts = {
            part: st.text_input(
                label, value=getattr(given, part), max_chars=CONTACT_LIMIT, key=f"pack-{part}"
            )
            for part, label in CONTACT_FIELDS.items()
        }
    return Contact(**{part: (text or "").strip() for part, text in parts.items()})


def default_date(today: dt.date | None = None) -> dt.date:
    """Return the date the pack opens on: the next registered meeting, else the last one,
    else today (the walk of issue 17 found it on today with meetings registered)."""
    today = today or dt.date.today()
    meeting = meeting_to_write_for(meetings.meetings(engine=common.engine()), today)
    return meeting.meets_on if meeting else today


def _choices(*, may_write_notes: bool) -> tuple[dt.date, Notes, Contact]:
    """Show the meeting date and the notes in a form; return them as last applied."""
    # A form, so that the files always match what was last applied: a download clicked
    # straight after typing would otherwise be built from the values before the typing.
    with st.form(FORM_KEY, border=False, enter_to_submit=False):
        meeting = st.date_input(
            "Meeting date",
            value=default_date(),
            min_value=EARLIEST,
            format="DD/MM/YYYY",
            key=DATE_KEY,
        )
        notes = _notes() if may_write_notes else ()
        contact = _contact(may_write=may_write_notes)
        st.form_submit_button(
            "Use this date and these notes" if may_write_notes else "Use this date",
            icon=":material/refresh:",
        )
    return meeting, notes, contact


def _described(meeting: dt.date, notes: Notes) -> str:
    titles = {s.key: s.title for s in registry.SECTIONS}
    written = join_names([titles[key] for key, _ in notes]) if notes else ""
    with_notes = f", with officers' notes on {written}" if notes else ""
    return f"The files are for the meeting of {format_date(meeting)}{with_notes}."


def render() -> None:
    """Show the board pack panel: the meeting date, officers' notes and three downloads."""
    st.subheader("Board pack")
    st.caption(
        "The Productivity Programme Update for a board meeting, drafted from the data: the "
        "paper as PDF or Word, and its figures as Excel with the source of each. Periods dated "
        "after the meeting are left out."
    )
    actor = common.current_actor()
    choose, download = st.columns([2, 3], gap="large")
    with choose:
        meeting, notes, contact = _choices(
            may_write_notes=actor is not None and actor.can(Permission.UPLOAD)
        )
    with download:
        st.text(_described(meeting, notes))
        choice = (common.data_version(), meeting, notes, contact)
        row = st.container(horizontal=True)
        ready = st.session_state.get(PREPARED) == choice or row.button(
            "Prepare the board pack", icon=":material/description:", type="primary", key=PREPARE
        )
        files = _prepared(choice) if ready else {}
        st.session_state[PREPARED] = choice if files else None
        for extension, data in files.items():
            label, mime, icon = FORMATS[extension]
            row.download_button(
                label,
                data,
                file_name=file_name(meeting, extension),
                mime=mime,
                key=f"pack-{extension}",
                # No rerun: the file stays on the page until the choice changes.
                on_click="ignore",
                icon=icon,
                type="primary" if extension == "pdf" else "secondary",
            )
        if not ready:
            st.caption("The files are built when you prepare them, which takes a few seconds.")
