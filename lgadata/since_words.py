"""Since the last meeting in plain words: one sentence per period that moved, such as
"Map edition 31 March 2013: 2 arrangements added in the East of England, savings +£1.2m."
"""

from collections import Counter

from lgadata.councils import load_register
from lgadata.values import format_count, format_money
from lgadata.workstreams import Kind, Sheet

# What one row of each sheet is, as a sentence counts it: (one, several).
ROW_NOUNS = {
    "shared_service_arrangement": ("arrangement", "arrangements"),
    "cap_budget_line": ("budget line", "budget lines"),
    "cap_council": ("council", "councils"),
    "fraud_pilot_council": ("pilot council", "pilot councils"),
    "fraud_outcome": ("quarter's outcomes", "quarters' outcomes"),
    "bulletin_link": ("link", "links"),
    "milestone": ("milestone", "milestones"),
    "deep_dive": ("deep dive", "deep dives"),
}
REGIONS_NAMED = 3  # additions spread over more regions than this are counted, not listed
_REGIONS_WITHOUT_THE = {"London", "Yorkshire and the Humber"}


def _count(n: int, sheet: Sheet) -> str:
    one, several = ROW_NOUNS.get(sheet.table, ("row", "rows"))
    return f"{format_count(n)} {one if n == 1 else several}"


def _in_region(region: str) -> str:
    return f"in {region}" if region in _REGIONS_WITHOUT_THE else f"in the {region}"


def _where(rows: list[dict], sheet: Sheet) -> str:
    """Return where rows are, by the region of their first council column: ' in London'."""
    column = next((c.name for c in sheet.columns if c.kind is Kind.COUNCIL), None)
    if column is None:
        return ""
    register = load_register()
    regions = Counter(
        council.region
        for row in rows
        if row[column] and (council := register.by_code(str(row[column]))) is not None
    )
    if not regions or sum(regions.values()) != len(rows) or len(regions) > REGIONS_NAMED:
        return ""
    if len(regions) == 1:
        return " " + _in_region(next(iter(regions)))
    return " (" + ", ".join(f"{n} {_in_region(r)}" for r, n in regions.most_common()) + ")"


def describe(moved, sheet: Sheet) -> str:  # moved: a since.PeriodMoved
    """Return one period's change in plain words: 'Map edition 31 March 2013: 2 arrangements
    added in the East of England, 1 changed, savings +£1.2m.'"""
    diff = moved.diff
    money = ", ".join(
        f"{label} {'+' if delta > 0 else '-'}{format_money(abs(delta))}"
        for label, delta in moved.money.items()
    )
    if moved.is_new and not moved.compared_with:
        text = f"{moved.period_text} is new: {_count(moved.added, sheet)}"
    elif moved.is_withdrawn:
        text = f"{moved.period_text} was withdrawn: {_count(len(diff.removed), sheet)} removed"
    else:
        parts = []
        if diff.added:
            parts.append(f"{_count(len(diff.added), sheet)} added{_where(diff.added, sheet)}")
        if diff.removed:
            noun = "" if parts else _count(len(diff.removed), sheet).split(" ", 1)[1] + " "
            removed = f"{format_count(len(diff.removed))} {noun}removed"
            parts.append(removed + _where(diff.removed, sheet))
        if diff.changed:
            noun = "" if parts else _count(len(diff.changed), sheet).split(" ", 1)[1] + " "
            parts.append(f"{format_count(len(diff.changed))} {noun}changed")
        changes = ", ".join(parts) or "the same rows as then"
        if moved.compared_with:
            text = f"{moved.period_text} is new: against {moved.compared_with}, {changes}"
        else:
            text = f"{moved.period_text}: {changes}"
    text += f", {money}" if money else ""
    return text[:1].upper() + text[1:] + "."
