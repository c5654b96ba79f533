"""The board pack an administrator previews and sends now, and each member's own choices: no
pack, or the paper as Word; through a real SMTP server (aiosmtpd), as tests/test_mail.py."""

import dataclasses
import datetime as dt
import io
from zoneinfo import ZoneInfo

import docx
import pypdf
import pytest

from lgadata import audit, auth, outbox, pack_mail
from lgadata.audit import format_moment
from lgadata.auth import Actor, NotAllowed, Role
from lgadata.mail import mail_preferences, set_mail_preferences
from lgadata.models import as_utc, utc_now
from tests.test_mail import ADMIN, MEMBERS, NOW, board, inbox, outbox_rows, relay_to, send_due

__all__ = ["board", "inbox"]  # fixtures

SITE_ADMIN = Actor("site.admin@lga.example", Role.ADMIN)  # signed in on the Mail page


@pytest.fixture
def admin(board):
    auth.save_user(engine=board, by=ADMIN, email=SITE_ADMIN.email, role=Role.ADMIN)
    return SITE_ADMIN


def preview(engine, relay, by, today=None):
    today = today or NOW.date()
    return pack_mail.preview(engine=engine, by=by, relay=relay, today=today, pack_days=7)


def test_the_preview_is_the_message_as_sent_to_whom_and_with_which_file(board, inbox, admin):
    relay = relay_to(inbox.port)
    set_mail_preferences(engine=board, by=ADMIN, email=MEMBERS[1], attachment="docx")
    shown = preview(board, relay, admin)
    assert shown.meeting.meets_on == dt.date(2026, 12, 9)
    assert shown.sends_on == dt.date(2026, 12, 2)
    assert shown.subject == "Board pack: 9 December 2026, Improvement <b>and</b> Innovation Board"
    assert [(r["to"], r["attachment"], r["status"]) for r in shown.recipients] == [
        (MEMBERS[0], "productivity-programme-update-2026-12-09.pdf", "not sent yet"),
        (MEMBERS[1], "productivity-programme-update-2026-12-09.docx", "not sent yet"),
    ]
    assert shown.opted_out == ["opted.out@board.example"]
    outbox.send_pack_now(engine=board, relay=relay, by=admin, now=NOW)
    sent = {m["X-Envelope-To"]: m for m in inbox.messages}
    for member in MEMBERS:
        assert sent[member]["Subject"] == shown.subject
        body = sent[member].get_body(("plain",)).get_content()
        assert body.replace("\r\n", "\n") == shown.text  # SMTP carries lines as CRLF
    assert [r["status"] for r in preview(board, relay, admin).recipients] == ["sent", "sent"]


def test_a_member_who_chose_word_gets_a_docx_and_one_who_opted_out_gets_nothing(board, inbox):
    member = Actor(MEMBERS[1], Role.VIEWER)
    set_mail_preferences(engine=board, by=member, email=MEMBERS[1], attachment="docx")
    set_mail_preferences(
        engine=board, by=Actor(MEMBERS[0], Role.VIEWER), email=MEMBERS[0], opted_out=True
    )
    send_due(board, relay_to(inbox.port))
    assert inbox.to() == [MEMBERS[1]]
    (attachment,) = list(inbox.messages[0].iter_attachments())
    assert attachment.get_filename() == "productivity-programme-update-2026-12-09.docx"
    assert attachment.get_content_type() == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    document = docx.Document(io.BytesIO(attachment.get_content()))
    words = " ".join(p.text for p in document.paragraphs)
    assert "Productivity Programme Update" in words
    assert "for its meeting on 9 December 2026" in " ".join(words.split())
    (row,) = outbox_rows(board)
    assert row.attachment == "productivity-programme-update-2026-12-09.docx"
    assert audit.events(engine=board, action="mail sent")[0]["detail"]["attachment"] == (
        row.attachment
    )


def test_the_default_attachment_is_the_pdf(board, inbox):
    send_due(board, relay_to(inbox.port))
    for message in inbox.messages:
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert pypdf.PdfReader(io.BytesIO(attachment.get_content())).pages


def test_a_member_who_opts_out_after_a_failed_send_is_not_sent_the_retry(board, inbox):
    relay = relay_to(inbox.port)
    inbox.refusing = True
    send_due(board, relay)
    inbox.refusing = False
    set_mail_preferences(engine=board, by=ADMIN, email=MEMBERS[0], opted_out=True)
    done = send_due(board, relay, now=NOW + dt.timedelta(minutes=6))
    assert inbox.to() == [MEMBERS[1]]
    assert done.cancelled == [pack_mail.pack_key(2, MEMBERS[0])]


def test_send_now_goes_once_whoever_sends_first_and_before_the_set_day(board, inbox, admin):
    relay = relay_to(inbox.port)
    early = NOW - dt.timedelta(days=5)  # twelve days before the meeting: not yet due
    assert send_due(board, relay, now=early).sent == []
    done = outbox.send_pack_now(engine=board, relay=relay, by=admin, now=early)
    assert len(done.sent) == 2 and inbox.to() == list(MEMBERS)
    assert outbox.send_pack_now(engine=board, relay=relay, by=admin, now=early).sent == []
    assert send_due(board, relay).sent == []  # the set day: already sent
    assert inbox.to() == list(MEMBERS)
    events = audit.events(engine=board, action="mail send now")  # newest first
    assert [(e["actor"], e["detail"]["sent"]) for e in events] == [
        (admin.email, 0),
        (admin.email, 2),
    ]
    sent = audit.events(engine=board, action="mail sent")
    assert {e["actor"] for e in sent} == {admin.email}


def test_send_now_retries_a_failed_send_without_waiting(board, inbox, admin):
    relay = relay_to(inbox.port)
    inbox.refusing = True
    assert len(outbox.send_pack_now(engine=board, relay=relay, by=admin, now=NOW).failed) == 2
    inbox.refusing = False
    soon = NOW + dt.timedelta(minutes=1)
    assert len(outbox.send_pack_now(engine=board, relay=relay, by=admin, now=soon).sent) == 2
    assert inbox.to() == list(MEMBERS)


def test_with_no_meeting_ahead_there_is_no_preview_and_nothing_to_send(board, inbox, admin):
    after = dt.date(2027, 1, 1)
    assert preview(board, relay_to(inbox.port), admin, today=after) is None
    later = dt.datetime(2027, 1, 1, 9, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="No meeting is registered from today on"):
        outbox.send_pack_now(engine=board, relay=relay_to(inbox.port), by=admin, now=later)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.VIEWER])
def test_only_an_administrator_previews_or_sends_now(board, inbox, role):
    auth.save_user(engine=board, by=ADMIN, email="someone@lga.example", role=role)
    someone = Actor("someone@lga.example", role)
    with pytest.raises(NotAllowed):
        preview(board, relay_to(inbox.port), someone)
    with pytest.raises(NotAllowed):
        outbox.send_pack_now(engine=board, relay=relay_to(inbox.port), by=someone, now=NOW)
    assert inbox.messages == []


def test_an_administrator_demoted_since_signing_in_is_refused_by_the_user_table(
    board, inbox, admin
):
    auth.save_user(engine=board, by=ADMIN, email="other.admin@lga.example", role=Role.ADMIN)
    auth.save_user(engine=board, by=ADMIN, email=admin.email, role=Role.VIEWER)
    with pytest.raises(NotAllowed, match="may not send the board pack"):
        outbox.send_pack_now(engine=board, relay=relay_to(inbox.port), by=admin, now=NOW)
    auth.remove_user(engine=board, by=ADMIN, email=admin.email)
    with pytest.raises(NotAllowed, match="may no longer sign in"):
        preview(board, relay_to(inbox.port), admin)
    assert inbox.messages == []


def test_a_member_chooses_for_themselves_audited_and_never_for_someone_else(board):
    member = Actor(MEMBERS[0], Role.VIEWER)
    set_mail_preferences(engine=board, by=member, email=MEMBERS[0], attachment="docx")
    set_mail_preferences(engine=board, by=member, email=MEMBERS[0], opted_out=True)
    assert mail_preferences(engine=board, email=MEMBERS[0]) == {
        "email": MEMBERS[0],
        "opted_out": True,
        "attachment": "docx",
    }
    with pytest.raises(NotAllowed):
        set_mail_preferences(engine=board, by=member, email=MEMBERS[1], opted_out=True)
    with pytest.raises(ValueError, match="sent as pdf or docx, not 'html'"):
        set_mail_preferences(engine=board, by=member, email=MEMBERS[0], attachment="html")
    events = audit.events(engine=board, action="mail preferences", actor=MEMBERS[0])
    assert [e["detail"] for e in reversed(events)] == [
        {"user": MEMBERS[0], "attachment": "docx"},
        {"user": MEMBERS[0], "opted_out": True},
    ]
    disabled = dataclasses.replace(member, email="gone@board.example")
    with pytest.raises(NotAllowed, match="may no longer sign in"):
        set_mail_preferences(engine=board, by=disabled, email=disabled.email, opted_out=False)


def test_the_preview_says_when_the_pack_was_sent_once_it_has_gone(board, inbox, admin):
    relay, zone = relay_to(inbox.port), ZoneInfo("Europe/London")
    before = preview(board, relay, admin)
    assert pack_mail.when_sent(before, zone) == (
        "Due to be sent on 2 December 2026, 7 days before the meeting"
    )
    outbox.send_pack_now(engine=board, relay=relay, by=admin, now=NOW)
    after = preview(board, relay, admin)
    moment = max(r["sent_at"] for r in after.recipients)
    assert pack_mail.when_sent(after, zone) == f"Sent on {format_moment(as_utc(moment), zone)}"


def test_the_preview_says_how_many_were_sent_while_some_are_still_to_go(board, inbox, admin):
    relay, zone = relay_to(inbox.port), ZoneInfo("Europe/London")
    outbox.send_pack_now(engine=board, relay=relay, by=admin, now=NOW)
    auth.save_user(engine=board, by=ADMIN, email="new.member@board.example", role=Role.VIEWER)
    shown = preview(board, relay, admin)
    moment = max(r["sent_at"] for r in shown.recipients if r["sent_at"])
    assert pack_mail.when_sent(shown, zone) == (
        f"Sent to 2 of 3 members, last on {format_moment(as_utc(moment), zone)}; "
        "the others are due on 2 December 2026, 7 days before the meeting"
    )


def test_each_message_records_when_it_was_handed_to_the_relay_not_the_rounds_start(board, inbox):
    before = utc_now()
    send_due(board, relay_to(inbox.port), now=NOW)
    after = utc_now()
    rows = outbox_rows(board)
    assert len(rows) == 2
    for row in rows:
        assert before <= as_utc(row.sent_at) <= after  # NOW, the round's clock, is earlier
        assert as_utc(row.created_at) == NOW


@pytest.mark.parametrize("attachment", ["pdf", "docx"])
def test_the_attached_paper_names_the_meeting_by_its_registered_title(board, inbox, attachment):
    set_mail_preferences(engine=board, by=ADMIN, email=MEMBERS[0], attachment=attachment)
    send_due(board, relay_to(inbox.port))
    sent = {m["X-Envelope-To"]: m for m in inbox.messages}
    (file,) = list(sent[MEMBERS[0]].iter_attachments())
    if attachment == "pdf":
        reader = pypdf.PdfReader(io.BytesIO(file.get_content()))
        words = " ".join(" ".join(p.extract_text() for p in reader.pages[:2]).split())
        subject = reader.metadata.subject
    else:
        document = docx.Document(io.BytesIO(file.get_content()))
        header = " ".join(p.text for p in document.sections[0].header.paragraphs)
        words = " ".join(" ".join([header, *(p.text for p in document.paragraphs)]).split())
        subject = document.core_properties.subject
    title = "Improvement <b>and</b> Innovation Board"
    assert f"This paper updates the {title} on the Productivity Programme" in words
    assert subject == f"{title}, 9 December 2026"


@pytest.mark.parametrize(
    ("count", "said"),
    [(1, "Sent to 1 member."), (2, "Sent to 2 members."), (0, "Sent to 0 members.")],
)
def test_the_mail_page_says_how_many_members_were_sent_it_in_words(count, said):
    # The walk of issue 19 saw "Sent to 1 members."
    assert pack_mail.members_sent(count) == said
