"""One declaration per workstream: its sheets, columns, types and aliases.

The declarations drive parsing, validation, the downloadable templates, the sample
data and the documentation, so a new column is added here and nowhere else.
"""

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a column holds, and so how its cells are parsed."""

    TEXT = "text"
    MONEY = "money"
    INTEGER = "integer"
    DATE = "date"
    YES_NO = "yes/no"
    CHOICE = "choice"
    COUNCIL = "council"
    COUNCILS = "councils"
    FINANCIAL_YEAR = "financial year"
    QUARTER = "quarter"
    URL = "url"


@dataclass(frozen=True)
class Column:
    """A column of a workstream sheet, as the template names it."""

    name: str
    kind: Kind
    help: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    default: object = None
    minimum: float | None = None
    maximum: float | None = None
    label: str = ""  # the header templates and previews show; made from the name when blank

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", _plain_label(self.name, self.kind))


_ACRONYMS = {"rag": "RAG", "url": "URL"}


def _plain_label(name: str, kind: Kind) -> str:
    """Return "Budget (£)" for budget_gbp: words, a capital, the unit in brackets."""
    words = _ACRONYMS.get(name) or name.removesuffix("_gbp").replace("_", " ").capitalize()
    return f"{words} (£)" if kind is Kind.MONEY else words


@dataclass(frozen=True)
class Sheet:
    """A sheet of a workstream workbook and the table its rows are stored in."""

    name: str
    table: str
    columns: tuple[Column, ...]
    period: str | None = None
    required: bool = True
    aliases: tuple[str, ...] = ()
    description: str = ""
    period_from_file_name: bool = False
    key: tuple[str, ...] = ()
    # For a sheet with no period: the column whose values say which rows a file replaces
    # (a CAP file replaces the waves it lists), so a partial list removes nothing else.
    scope: str | None = None
    # The column that dates a period (a map edition by its date, a bulletin by the day it
    # was sent, a quarter by its first day): a meeting counts the periods dated by its day,
    # and those dated after it are new since (lgadata.periods). None: its periods are not
    # dated and count at every meeting.
    dated_by: str | None = None
    # How the board names one of its periods, "{}" the period as the pages show it ("map
    # edition 31 May 2013", "wave 2"); a sheet with no period is named by this alone.
    period_name: str = "{}"

    def column(self, name: str) -> Column:
        """Return the column called name."""
        return next(c for c in self.columns if c.name == name)


@dataclass(frozen=True)
class Workstream:
    """A Productivity Programme workstream and the workbook officers keep for it."""

    key: str
    title: str
    description: str
    sheets: tuple[Sheet, ...]
    period_label: str = "Period"
    sample_file: str = ""
    pages: tuple[str, ...] = ()
    max_rows: int = 500_000  # most data rows in one sheet: far above any real return
    return_every_months: int = 0  # how often a return is expected (12 a year); 0: no schedule
    # Its returns may be e-mail tools' click reports, reshaped first (lgadata/adapters.py).
    mail_tool_reports: bool = False
    # Keys it had before a rename: still accepted wherever someone types a key, and the
    # first is the key `metrics --json` and the API publish its figures under (a contract)
    # and its downloads are named by, so that a rename changes nothing anyone receives.
    old_keys: tuple[str, ...] = ()

    @property
    def published_key(self) -> str:
        """Return the key its figures and downloads are published under: its first."""
        return self.old_keys[0] if self.old_keys else self.key

    def sheet(self, name: str) -> Sheet:
        """Return the sheet called name."""
        return next(s for s in self.sheets if s.name == name)


def _money(name: str, help: str, **kw) -> Column:
    return Column(name, Kind.MONEY, help, minimum=0, **kw)


def _count(name: str, help: str, **kw) -> Column:
    return Column(name, Kind.INTEGER, help, minimum=0, **kw)


SHARED_SERVICE_CATEGORIES = (
    "Back office and ICT",
    "Revenues and benefits",
    "Legal",
    "Audit and fraud",
    "HR and payroll",
    "Procurement",
    "Environment, transport and waste",
    "Planning and building control",
    "Regulatory services",
    "Adult social care",
    "Children's services",
    "Culture, leisure and tourism",
    "Management teams",
    "Other",
)

# The programme's milestone strands, as the board report names them. The milestones sheet's
# column keeps the name officers know it by ("workstream"); in the code a strand is a strand,
# and a workstream is a kind of workbook.
PROCUREMENT_STRATEGY = "National Procurement Strategy"
EU_REFORM = "EU procurement reform"
PROGRAMME_STRANDS = (
    "Capital and Assets Programme",
    "Commissioning Academy",
    "Shared Services Map",
    "Housing Tenancy Fraud Pilot",
    PROCUREMENT_STRATEGY,
    EU_REFORM,
    "E-bulletin",
    "Productivity Programme",
)

SHARED_SERVICES = Workstream(
    key="shared_services",
    return_every_months=12,
    max_rows=100_000,
    title="Shared Services Map",
    description="Councils' shared service arrangements and the efficiency savings they report.",
    period_label="Map edition",
    sample_file="shared_services.xlsx",
    pages=("shared_services.py",),
    sheets=(
        Sheet(
            "Arrangements",
            "shared_service_arrangement",
            key=("arrangement",),
            period="as_at",
            dated_by="as_at",
            period_name="map edition {}",
            aliases=("Shared services", "Arrangement", "Map"),
            description="One row per shared service arrangement in a map edition.",
            columns=(
                Column(
                    "as_at",
                    Kind.DATE,
                    "Date of the map edition (or give it when uploading).",
                    required=True,
                    label="Map edition",
                    aliases=("edition", "map edition", "as at date", "date"),
                ),
                Column(
                    "arrangement",
                    Kind.TEXT,
                    "Name of the arrangement.",
                    required=True,
                    aliases=("arrangement name", "name", "shared service"),
                ),
                Column(
                    "lead_council",
                    Kind.COUNCIL,
                    "The council that leads or hosts it.",
                    required=True,
                    aliases=("lead", "lead authority", "host council", "council"),
                ),
                Column(
                    "partner_councils",
                    Kind.COUNCILS,
                    "The other councils in it, separated by ; or new lines.",
                    aliases=("partners", "partner authorities", "other councils"),
                ),
                Column(
                    "category",
                    Kind.CHOICE,
                    "Shared service category.",
                    required=True,
                    choices=SHARED_SERVICE_CATEGORIES,
                    aliases=("service category", "type"),
                ),
                Column(
                    "services",
                    Kind.TEXT,
                    "The services shared.",
                    aliases=("service", "description"),
                ),
                Column("start_date", Kind.DATE, "When it began.", aliases=("started", "start")),
                _money(
                    "savings_gbp",
                    "Efficiency savings to date in pounds. Leave blank if not reported.",
                    aliases=("savings", "efficiency savings", "savings to date"),
                ),
                Column(
                    "savings_note",
                    Kind.TEXT,
                    "Why savings are blank, or how they were estimated.",
                    aliases=("savings notes", "note on savings"),
                ),
                Column(
                    "status",
                    Kind.CHOICE,
                    "Operational or in development.",
                    choices=("Operational", "In development"),
                    default="Operational",
                ),
            ),
        ),
    ),
)

CAPITAL_ASSETS = Workstream(
    key="capital_assets",
    return_every_months=12,
    max_rows=10_000,
    title="Capital and Assets Programme",
    description="The programme's budget by financial year and the councils taking part.",
    period_label="Financial year",
    sample_file="capital_assets.xlsx",
    pages=("capital_assets.py",),
    sheets=(
        Sheet(
            "Budget",
            "cap_budget_line",
            key=("line",),
            period="financial_year",
            # Not dated: a year's budget is set before the year begins, and a paper quotes
            # the newest budget at any meeting (only the spend waits for the year to start).
            period_name="financial year {}",
            description="One row per budget line in a financial year.",
            columns=(
                Column(
                    "financial_year",
                    Kind.FINANCIAL_YEAR,
                    "Financial year, such as 2013/14.",
                    required=True,
                    aliases=("year", "fy"),
                ),
                Column("line", Kind.TEXT, "Budget line.", required=True, aliases=("item",)),
                Column(
                    "category",
                    Kind.CHOICE,
                    "Secondees, programme management, events and support, or other.",
                    required=True,
                    choices=("Secondees", "Programme management", "Events and support", "Other"),
                ),
                _money("budget_gbp", "Budget in pounds.", required=True, aliases=("budget",)),
                _money("spent_gbp", "Spent to date in pounds.", aliases=("spent", "spend")),
            ),
        ),
        Sheet(
            "Councils",
            "cap_council",
            key=("council",),
            scope="wave",
            period_name="wave {}",
            required=False,
            description="One row per council taking part, in any wave.",
            columns=(
                Column("council", Kind.COUNCIL, "Participating council.", required=True),
                Column(
                    "wave",
                    Kind.INTEGER,
                    "Programme wave, 1 to 4.",
                    required=True,
                    minimum=1,
                    maximum=4,
                ),
                Column(
                    "status",
                    Kind.CHOICE,
                    "Where the council is.",
                    choices=("Selected", "Under way", "Complete", "Withdrawn"),
                    default="Under way",
                ),
                Column(
                    "secondee_in_post",
                    Kind.YES_NO,
                    "Is a secondee in post? yes or no.",
                    default=False,
                    aliases=("secondee",),
                ),
                _money(
                    "capital_receipts_gbp",
                    "Capital receipts generated, pounds.",
                    aliases=("capital receipts",),
                ),
                _money(
                    "running_cost_savings_gbp",
                    "Running-cost savings, pounds.",
                    label="Running-cost savings (£)",
                    aliases=("running cost savings", "revenue savings"),
                ),
            ),
        ),
    ),
)

TENANCY_FRAUD = Workstream(
    key="tenancy_fraud",
    return_every_months=3,
    max_rows=10_000,
    title="Housing Tenancy Fraud Pilot",
    description="The pilot groups of councils, their status and their outcomes by quarter.",
    period_label="Quarter",
    sample_file="tenancy_fraud.xlsx",
    pages=("tenancy_fraud.py",),
    sheets=(
        Sheet(
            "Pilots",
            "fraud_pilot_council",
            key=("pilot", "council"),
            period_name="the pilot groups",
            description="One row per council in a pilot group.",
            columns=(
                Column("pilot", Kind.TEXT, "Name of the pilot group.", required=True),
                Column("council", Kind.COUNCIL, "A council in the group.", required=True),
                Column("lead", Kind.YES_NO, "Is this the lead council? yes or no.", default=False),
                Column(
                    "status",
                    Kind.CHOICE,
                    "Where the pilot is.",
                    required=True,
                    choices=("Selected", "Initial meeting held", "Live", "Complete"),
                ),
                Column("next_milestone", Kind.TEXT, "The next milestone.", aliases=("next step",)),
                Column(
                    "rag",
                    Kind.CHOICE,
                    "Red, amber or green.",
                    choices=("Red", "Amber", "Green"),
                    aliases=("rag status", "red amber green"),
                ),
            ),
        ),
        Sheet(
            "Outcomes",
            "fraud_outcome",
            key=("pilot", "period"),
            period="period",
            dated_by="period",
            period_name="outcomes for {}",
            required=False,
            description="One row per pilot group per reporting quarter.",
            columns=(
                Column("pilot", Kind.TEXT, "Name of the pilot group.", required=True),
                Column(
                    "period",
                    Kind.QUARTER,
                    "Reporting quarter, such as 2013-Q2.",
                    required=True,
                    label="Quarter",
                    aliases=("quarter",),
                ),
                _count("referrals", "Referrals received.", default=0),
                _count("investigations_opened", "Investigations opened.", default=0),
                _count("properties_recovered", "Properties recovered.", default=0),
                _count("prosecutions", "Prosecutions.", default=0),
            ),
        ),
    ),
)

EBULLETIN = Workstream(
    key="ebulletin",
    return_every_months=1,
    title="E-bulletin statistics",
    description="Views of each link in the Improvement and Innovation Board e-bulletin.",
    period_label="Bulletin",
    sample_file="ebulletin.xlsx",
    mail_tool_reports=True,
    pages=("ebulletin.py",),
    sheets=(
        Sheet(
            "Links",
            "bulletin_link",
            key=("bulletin", "url"),
            period="bulletin",
            dated_by="sent_on",
            period_from_file_name=True,
            aliases=("Bulletin", "Statistics", "Clicks", "Clicks by URL"),
            description="One row per link in a bulletin.",
            columns=(
                Column(
                    "bulletin",
                    Kind.TEXT,
                    "Bulletin title or issue (or give it when uploading).",
                    required=True,
                    aliases=(
                        "issue",
                        "title",
                        "subject",
                        "subject line",
                        "campaign",
                        "bulletin subject",
                    ),
                ),
                Column(
                    "sent_on",
                    Kind.DATE,
                    "Date sent.",
                    aliases=(
                        "sent",
                        "date sent",
                        "date",
                        "sent at",
                        "send date",
                        "delivery date",
                        "delivery date time",
                        "created at",  # Granicus's reports API names a bulletin's send so
                    ),
                ),
                Column(
                    "url",
                    Kind.URL,
                    "The link's address.",
                    required=True,
                    aliases=("link", "link url", "address"),
                ),
                Column("link_text", Kind.TEXT, "The link's text.", aliases=("text", "link name")),
                _count(
                    "views",
                    "Views (total clicks).",
                    required=True,
                    aliases=("total clicks", "clicks", "total click count", "total views"),
                ),
                _count(
                    "unique_views",
                    "Unique views (unique clicks).",
                    aliases=("unique clicks", "unique click count", "unique"),
                ),
            ),
        ),
    ),
)

PROGRAMME = Workstream(
    # Renamed from "programme", a word of the board's prose, so grep finds the key alone.
    key="programme_milestones",
    old_keys=("programme",),
    return_every_months=3,
    max_rows=10_000,
    title="Programme milestones and procurement",
    description=(
        "Milestones of the Commissioning Academy, the National Procurement Strategy, "
        "EU procurement reform and CAP steering, and the procurement deep dives."
    ),
    sample_file="programme.xlsx",
    pages=("timeline.py", "procurement.py"),
    sheets=(
        Sheet(
            "Milestones",
            "milestone",
            key=("workstream", "milestone"),
            scope="workstream",
            period_name="{} milestones",
            description="One row per milestone.",
            columns=(
                Column(
                    "workstream",
                    Kind.CHOICE,
                    "Which workstream it belongs to.",
                    required=True,
                    choices=PROGRAMME_STRANDS,
                ),
                Column("milestone", Kind.TEXT, "What is to happen.", required=True),
                Column("due", Kind.DATE, "When it is due.", required=True, aliases=("due date",)),
                Column(
                    "status",
                    Kind.CHOICE,
                    "Planned, done, at risk or missed.",
                    required=True,
                    choices=("Planned", "Done", "At risk", "Missed"),
                ),
                Column("owner", Kind.TEXT, "Who is responsible."),
                Column("notes", Kind.TEXT, "Anything the board should know."),
            ),
        ),
        Sheet(
            "Deep dives",
            "deep_dive",
            key=("organisation", "category"),
            period_name="the deep dives",
            required=False,
            aliases=("Deep dive", "Procurement deep dives"),
            description="One row per procurement deep dive.",
            columns=(
                Column(
                    "organisation",
                    Kind.TEXT,
                    "Council or partnership.",
                    required=True,
                    aliases=("organization", "council"),
                ),
                Column(
                    "category",
                    Kind.TEXT,
                    "Spend category (Energy, Construction, ICT ...).",
                    required=True,
                ),
                Column("status", Kind.TEXT, "Where it is."),
                _money("planned_spend_gbp", "Planned spend in scope, pounds.", aliases=("spend",)),
                Column("next_step", Kind.TEXT, "The next step."),
            ),
        ),
    ),
)

WORKSTREAMS: dict[str, Workstream] = {
    w.key: w for w in (SHARED_SERVICES, CAPITAL_ASSETS, TENANCY_FRAUD, EBULLETIN, PROGRAMME)
}


def _find(key: str) -> Workstream | None:
    return WORKSTREAMS.get(key) or next(
        (w for w in WORKSTREAMS.values() if key in w.old_keys), None
    )


def get_workstream(key: str) -> Workstream:
    """Return the workstream with this key or an old key of it, or raise KeyError naming
    the valid keys."""
    found = _find(key)
    if found is None:
        raise KeyError(f"unknown workstream {key!r}: choose one of {', '.join(WORKSTREAMS)}")
    return found


def workstream_key(key: str) -> str:
    """Return the current key for a key someone typed (an old key too); an unknown key as
    it is, for the caller to refuse."""
    found = _find(key)
    return found.key if found else key
