"""What each workstream's sheet of the figures workbook holds: its headline figures and rows."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from lgadata import queries
from lgadata.paper.facts import CurrentUploads
from lgadata.queries.base import as_date
from lgadata.queries.history import describe_period
from lgadata.queries.programme import MILESTONE_STATUSES
from lgadata.values import format_iso_date
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


def _of(record: dict, when: str, fields: list[tuple], *, uploads=None) -> list[tuple]:
    """Return figure rows for fields (label, key, number format[, note]) of one record.

    The rows share the record's period and its upload, unless other uploads are given.
    """
    uploads = record["upload_id"] if uploads is None else uploads
    return [(label, record[key], fmt, when, uploads, *note) for label, key, fmt, *note in fields]


def _nothing(sheet, workstream: str) -> None:
    title = WORKSTREAMS[workstream].title
    sheet.row((f"No {title} data has been uploaded for periods up to this meeting.",))


def shared_services(sheet, ctx: Context) -> None:
    """Write the latest map edition's figures, every edition, and its arrangements."""
    shared = ctx.figures["shared_services"]
    latest = shared["latest"]
    if not latest:
        return _nothing(sheet, "shared_services")
    when = describe_period(latest["as_at"])
    sheet.figures(
        _of(latest, when, [
            ("Councils sharing services", "councils", COUNT),
            ("Arrangements", "arrangements", COUNT),
            ("Efficiency savings", "savings_gbp", MONEY),
            ("Arrangements not reporting savings", "savings_not_reported", COUNT),
            ("Share of English councils sharing services", "share_of_councils", SHARE,
             "Of the councils in the council register"),
        ])
    )  # fmt: skip
    sheet.table(
        "Map editions up to the meeting",
        [("Map of", DATE), ("Councils sharing", COUNT), ("Arrangements", COUNT),
         ("Efficiency savings", MONEY), ("Not reporting savings", COUNT),
         ("Share of English councils", SHARE), UPLOAD],
        [(as_date(e["as_at"]), e["councils"], e["arrangements"], e["savings_gbp"],
          e["savings_not_reported"], e["share_of_councils"], sheet.upload(e["upload_id"]))
         for e in shared["editions"]],
    )  # fmt: skip
    found = queries.shared_services_arrangements(
        engine=ctx.engine, as_at=latest["as_at"], limit=None
    )
    sheet.table(
        f"Arrangements in the map of {when}",
        [("Arrangement", None), ("Lead council", None), ("Partner councils", None),
         ("Category", None), ("Services", None), ("Started", DATE), ("Efficiency savings", MONEY),
         ("Note on savings", None), ("Status", None)],
        [(r["arrangement"], r["lead_council"], "; ".join(r["partner_councils"]), r["category"],
          r["services"] or "", r["start_date"], r["savings_gbp"], r["savings_note"] or "",
          r["status"] or "") for r in found["rows"]],
    )  # fmt: skip


def capital_assets(sheet, ctx: Context) -> None:
    """Write the latest financial year's budget, the councils by wave, and the detail."""
    cap = ctx.figures["capital_assets"]
    year, councils = cap["latest"], cap["councils"]
    if not year and not councils["waves"]:
        return _nothing(sheet, "capital_assets")
    rows = []
    if year:
        rows += _of(
            year,
            f"Financial year {year['financial_year']}",
            [
                ("Budget", "budget_gbp", MONEY),
                ("Spent", "spent_gbp", MONEY),
                ("Share of the budget spent", "spent_share", SHARE),
                ("Budget for secondees", "secondees_gbp", MONEY),
                ("Secondees' share of the budget", "secondee_share", SHARE),
            ],
        )
    if councils["waves"]:
        uploads = ctx.sheet_uploads("capital_assets", "Councils")
        rows += _of(
            councils,
            "Councils taking part",
            [
                ("Councils taking part", "councils", COUNT),
                ("Current wave", "current_wave", COUNT),
                ("Councils in the current wave", "current_wave_councils", COUNT),
                ("Capital receipts", "capital_receipts_gbp", MONEY),
                ("Running-cost savings", "running_cost_savings_gbp", MONEY),
            ],
            uploads=uploads,
        )
    sheet.figures(rows)
    sheet.table(
        "Budget by financial year",
        [("Financial year", None), ("Budget", MONEY), ("Spent", MONEY), ("Share spent", SHARE),
         ("For secondees", MONEY), ("Secondees' share", SHARE), UPLOAD],
        [(y["financial_year"], y["budget_gbp"], y["spent_gbp"], y["spent_share"],
          y["secondees_gbp"], y["secondee_share"], sheet.upload(y["upload_id"]))
         for y in cap["years"]],
    )  # fmt: skip
    if year:
        by_category = queries.capital_assets_categories(
            engine=ctx.engine, financial_year=year["financial_year"]
        )
        sheet.table(
            f"Budget by category, {year['financial_year']}",
            [("Category", None), ("Budget", MONEY), ("Spent", MONEY), ("Budget lines", COUNT)],
            [(c["category"], c["budget_gbp"], c["spent_gbp"], c["lines"]) for c in by_category],
        )
    sheet.table(
        "Councils taking part",
        [("Council", None), ("Region", None), ("Wave", COUNT), ("Status", None),
         ("Secondee in post", None), ("Capital receipts", MONEY), ("Running-cost savings", MONEY)],
        [(c["council"], c["region"], c["wave"], c["status"] or "", c["secondee_in_post"],
          c["capital_receipts_gbp"], c["running_cost_savings_gbp"])
         for c in queries.capital_assets_council_list(engine=ctx.engine)],
    )  # fmt: skip


def tenancy_fraud(sheet, ctx: Context) -> None:
    """Write the pilots, their outcomes to the meeting and notional savings, and the detail."""
    pilots, outcomes = (
        ctx.figures["tenancy_fraud"]["pilots"],
        ctx.figures["tenancy_fraud"]["outcomes"],
    )
    if not pilots and not outcomes["quarters"]:
        return _nothing(sheet, "tenancy_fraud")
    register, up = "Pilot register", ctx.sheet_uploads("tenancy_fraud", "Pilots")
    councils = sum(len(p["councils"]) for p in pilots)
    by_quarter = ctx.uploads.get(("tenancy_fraud", "Outcomes"), {})
    quarters = outcomes["quarters"]
    reported = f"Quarters to {quarters[-1]['label']}" if quarters else "No quarters reported"
    out_up = [by_quarter.get(q["quarter"]) for q in quarters]
    basis = outcomes["basis"]
    sheet.figures(
        [
            ("Pilot groups", len(pilots), COUNT, register, up),
            ("Councils in the pilots", councils, COUNT, register, up),
            ("Referrals", outcomes["referrals"], COUNT, reported, out_up),
            ("Investigations opened", outcomes["investigations_opened"], COUNT, reported, out_up),
            ("Properties recovered", outcomes["properties_recovered"], COUNT, reported, out_up),
            ("Prosecutions", outcomes["prosecutions"], COUNT, reported, out_up),
            ("Notional savings", outcomes["notional_savings_gbp"], MONEY, reported, out_up, basis),
            ("Notional saving a property", outcomes["value_per_property_gbp"], MONEY, "", None,
             basis),
        ]
    )  # fmt: skip
    sheet.table(
        "Pilot groups and their councils",
        [("Pilot", None), ("Council", None), ("Lead council", None), ("Status", None),
         ("RAG", None), ("Next milestone", None)],
        [(p["pilot"], council, council == p["lead"], p["status"], p["rag"] or "",
          p["next_milestone"] or "") for p in pilots for council in p["councils"]],
    )  # fmt: skip
    sheet.table(
        "Outcomes by quarter",
        [("Quarter", None), ("Pilots reporting", COUNT), ("Referrals", COUNT),
         ("Investigations opened", COUNT), ("Properties recovered", COUNT),
         ("Prosecutions", COUNT), ("Notional savings", MONEY), UPLOAD],
        [(q["label"], q["pilots_reporting"], q["referrals"], q["investigations_opened"],
          q["properties_recovered"], q["prosecutions"], q["notional_savings_gbp"],
          sheet.upload(by_quarter.get(q["quarter"]))) for q in quarters],
    )  # fmt: skip


def ebulletin(sheet, ctx: Context) -> None:
    """Write the latest bulletin's views and top link, and the last bulletins before the meeting."""
    bulletins = ctx.figures["ebulletin"]["bulletins"]
    if not bulletins:
        return _nothing(sheet, "ebulletin")
    latest = bulletins[0]
    when = f"{latest['bulletin']}, sent {format_iso_date(latest['sent_on'])}"
    recent = f"Last {len(bulletins)} bulletins"
    sheet.figures(
        [
            *_of(latest, when, [
                ("Views of the latest bulletin", "views", COUNT),
                ("Links in the latest bulletin", "links", COUNT),
                ("Top link", "top_url", None),
                ("Top link's views", "top_views", COUNT),
                ("Top link's share of views", "top_share", SHARE),
                ("Productivity Programme share of views", "programme_share", SHARE),
            ]),
            ("Bulletins whose top link is a programme page",
             sum(b["top_is_programme"] for b in bulletins), COUNT, recent,
             [b["upload_id"] for b in bulletins]),
        ]
    )  # fmt: skip
    sheet.table(
        "The last bulletins sent by the meeting",
        [("Bulletin", None), ("Sent on", DATE), ("Views", COUNT), ("Links", COUNT),
         ("Top link", None), ("Top link's text", None), ("Top link's views", COUNT),
         ("Top link's share", SHARE), ("Top link a programme page", None),
         ("Programme views", COUNT), ("Programme share", SHARE), UPLOAD],
        [(b["bulletin"], as_date(b["sent_on"]) if b["sent_on"] else None, b["views"], b["links"],
          b["top_url"] or "", b["top_link_text"] or "", b["top_views"], b["top_share"],
          b["top_is_programme"], b["programme_views"], b["programme_share"],
          sheet.upload(b["upload_id"])) for b in bulletins],
    )  # fmt: skip


def programme(sheet, ctx: Context) -> None:
    """Write the milestones as they stood at the meeting, and the procurement deep dives."""
    prog = ctx.figures["programme"]
    rows = queries.milestones(engine=ctx.engine, today=ctx.meeting_date)
    dives = prog["deep_dives"]
    if not rows and not dives:
        return _nothing(sheet, "programme")
    when, up = "Programme milestones", [m["upload_id"] for m in rows]
    dive_up = ctx.sheet_uploads("programme", "Deep dives")
    sheet.figures(
        [
            ("Milestones", prog["milestones"], COUNT, when, up),
            ("Overdue at the meeting", prog["overdue"], COUNT, when, up),
            *(
                (f"Milestones {status.lower()}", prog["by_status"][status], COUNT, when, up)
                for status in MILESTONE_STATUSES
                if status in prog["by_status"]
            ),
            ("Procurement deep dives", len(dives), COUNT, "Deep dives", dive_up),
            ("Planned spend in scope",
             sum(d["planned_spend_gbp"] or 0 for d in dives), MONEY, "Deep dives", dive_up),
        ]
    )  # fmt: skip
    sheet.table(
        "Programme milestones",
        [("Workstream", None), ("Milestone", None), ("Due", DATE), ("Status", None),
         ("Owner", None), ("Notes", None), ("Overdue at the meeting", None), UPLOAD],
        [(m["workstream"], m["milestone"], as_date(m["due"]), m["status"], m["owner"] or "",
          m["notes"] or "", m["overdue"], sheet.upload(m["upload_id"])) for m in rows],
    )  # fmt: skip
    sheet.table(
        "Procurement deep dives",
        [("Organisation", None), ("Category", None), ("Status", None),
         ("Planned spend", MONEY), ("Next step", None)],
        [(d["organisation"], d["category"], d["status"] or "", d["planned_spend_gbp"],
          d["next_step"] or "") for d in dives],
    )  # fmt: skip
