"""Cell values as officers type them: one parser per value type, and the board's formats.

Decisions the brief left open, tested in tests/test_values.py:
- Blank means None, NaN or a string of whitespace; parsers are never given blanks.
- Money and numbers take commas, spaces, thin and non-breaking spaces as thousands
  separators, but only between groups of three digits.
- A percentage without "%" is read as a fraction when it is between -1 and 1, and as a
  percentage otherwise: "0.45" and "45" are both 45%, so "1" is 100%, not 1%.
- A datetime is read as its date, whatever its time of day. "Mar-13" is March 2013, as
  Excel writes its mmm-yy format; "Mar 13" is refused because it could be 13 March.
- Text keeps line breaks but trims each line and collapses runs of spaces and tabs.
- A quarter is a calendar quarter ("2013-Q2"). "Q2 2013/14" is a financial-year quarter,
  counted from April, so it becomes the calendar quarter "2013-Q3".
- Financial years and quarters share the code "invalid-date".
- Money is shown in whole pounds, with pence only for amounts below £1,000 that have them.
"""

import datetime
import difflib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache, partial
from itertools import repeat

from dateutil import parser as dateutil_parser

from lgadata.problems import Code
from lgadata.reader.workbook import EXCEL_ERRORS, CellError

MAX_TEXT_LENGTH = 5_000
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_NUMBERS = {name.lower(): n for n, name in enumerate(MONTHS, 1)}
_MONTH_NUMBERS |= {name[:3].lower(): n for n, name in enumerate(MONTHS, 1)} | {"sept": 9}
_PENNY = Decimal("0.01")
_TOO_MUCH_MONEY = 10**15  # beyond this, float pennies are no longer exact
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_SCALES = {"k": 3, "thousand": 3, "m": 6, "mn": 6, "million": 6, "b": 9, "bn": 9, "billion": 9}
_NUMERAL = (
    r"(?:\d+(?:\.\d+)?|\.\d+|\d{1,3}(?P<sep>[, \xa0\u2009\u202f])\d{3}(?:(?P=sep)\d{3})*(?:\.\d+)?)"
)
_NUMBER_RE = re.compile(rf"(?P<sign>[-+])?(?P<num>{_NUMERAL})(?:e[-+]?\d+)?", re.I)
_MINUS = r"\-\u2212\u2013"  # hyphen, minus sign and the en dash that Word puts for a minus
_MONEY_RE = re.compile(
    rf"\s*(?P<paren>\()?\s*(?P<sign>[+{_MINUS}])?\s*(?:£|gbp)?\s*(?P<sign2>[+{_MINUS}])?\s*"
    rf"(?P<num>{_NUMERAL})\s*(?P<scale>k|m|mn|b|bn|(?:thousand|million|billion)s?)?\s*(?:gbp)?"
    r"\s*(?(paren)\))\s*",
    re.I,
)
_MONEY_EXAMPLE = "use pounds such as £1,234.56 or £1.2m"
_FOREIGN_MONEY_RE = re.compile(r"[$€¥]|\b(?:usd|eur|euros?|dollars?)\b", re.I)
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_TIME = r"(?:[t ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY_RE = re.compile(rf"(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_TIME}")
_YMD_RE = re.compile(rf"(\d{{4}})([/.-])(\d{{1,2}})\2(\d{{1,2}}){_TIME}")
_DAY_NAME = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
# A timestamp as e-mail tools write it: a date, a time of day, perhaps am/pm and a zone.
_ISO_TIMESTAMP_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}t\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?"
)
_CLOCK_RE = re.compile(
    r"(?P<date>.*?\d)[,\s]+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"\s*(?P<zone>z|[a-z]{2,5}|[+-]\d{2}:?\d{2})?"
)
_US_DATE_RE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
_D_MONTH_Y_RE = re.compile(
    rf"{_DAY_NAME}(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s-]+([a-z]+)\.?,?[\s-]+(\d{{4}}|\d{{2}})"
)
_MONTH_D_Y_RE = re.compile(rf"{_DAY_NAME}([a-z]+)\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})")
_MONTH_Y_RE = re.compile(r"([a-z]+)\.?[\s/-]*(\d{4})|([a-z]+)-(\d{2})")
_FINANCIAL_YEAR_RE = re.compile(r"(?:fy\s*)?(\d{4}|\d{2})\s*[/\u2013-]\s*(\d{4}|\d{2})")
_QUARTER_RE = re.compile(
    r"(?P<y1>\d{4})\s*[-/ ]?\s*q(?:uarter\s*)?(?P<q1>\d)"
    r"|q(?:uarter\s*)?(?P<q2>\d)\s*[-/ ]?\s*(?P<y2>\d{4})"
    r"|q(?:uarter\s*)?(?P<q3>\d)\s*[-/ ]?\s*(?P<fy>(?:fy\s*)?\d{2,4}\s*[/\u2013-]\s*\d{2,4})"
)
_UNTIDY_TEXT_RE = re.compile(r"\s\s|[^\S ]")
_SPACES_RE = re.compile(r"[^\S\n]+")
_NOT_WORD_RE = re.compile(r"[\W_]+")


class ValueProblem(Exception):
    """A cell value that cannot be read as the type its column holds."""

    def __init__(self, code: Code, message: str) -> None:
        super().__init__(message)
        self.code = Code(code)  # ValueError for a code outside the catalogue
        self.message = message


_ERROR_TEXTS = frozenset(EXCEL_ERRORS.values())


def unsaved_value(value: object) -> tuple[str, str] | None:
    """Return (code, message) for a cell showing an Excel error or a formula never calculated.

    The text of an error counts too, as Excel writes it into a CSV, but not in a text column,
    whose fast path takes it as typed.
    """
    if type(value) is CellError and value.uncalculated:
        return (
            Code.UNCALCULATED_FORMULA,
            "holds a formula whose result was never calculated, so the figure you see in "
            "Excel is not in the file; open it in Excel, save it and upload it again.",
        )
    shown = value.shown if type(value) is CellError else value
    if type(value) is CellError or (isinstance(value, str) and value.strip() in _ERROR_TEXTS):
        return (
            Code.ERROR_CELL,
            f"shows {shown.strip()}: the formula behind it failed in Excel; fix it and save again.",
        )
    return None


def is_blank(value: object) -> bool:
    """Return True for None, NaN and strings of nothing but whitespace."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def _problem(code: Code, value: object, words: str) -> ValueProblem:
    """Return a problem whose message quotes the value, shortened when it is long."""
    text = value if isinstance(value, str) else str(value)
    quoted = f"'{text[:57]}...'" if len(text) > 60 else f"'{text}'"
    return ValueProblem(code, f"{quoted} {words}")


def _is_real_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _decimal(text: str) -> Decimal | None:
    """Return the number written in text, or None when it is not one."""
    text = text.strip()
    if not text[:1].isdigit():
        text = text.replace("\u2212", "-").replace("\u2013", "-")
    match = _NUMBER_RE.fullmatch(text)
    return None if match is None else Decimal(_ungrouped(match, text))


def _ungrouped(match: re.Match, text: str) -> str:
    return text.replace(match["sep"], "") if match["sep"] else text


def parse_money(value: object) -> float:
    """Return an amount in pounds, to the penny, from 1234, '£1,234.56', '£1.2m' or '(£5)'."""
    if _is_real_number(value) and abs(value) < _TOO_MUCH_MONEY:
        return round(value * 100) / 100  # round() to 2 places is three times slower
    if not isinstance(value, str):
        raise _problem(Code.INVALID_MONEY, value, f"is not an amount of money: {_MONEY_EXAMPLE}")
    return _parse_money_text(value)


def _parse_money_text(value: str) -> float:
    match = _MONEY_RE.fullmatch(value)
    signs = (
        [mark for mark in (match["paren"], match["sign"], match["sign2"]) if mark] if match else []
    )
    if match is None or len(signs) > 1:
        if _FOREIGN_MONEY_RE.search(value):
            reason = "only pounds (£) are accepted"
        elif re.search(r"\d,\d{1,2}(?!\d)|\d,\d{4}", value):
            reason = "commas go only between thousands, such as £1,234"
        else:
            reason = _MONEY_EXAMPLE
        raise _problem(Code.INVALID_MONEY, value, f"is not an amount of money: {reason}")
    amount = Decimal(_ungrouped(match, match["num"]))
    if match["scale"]:
        amount = amount.scaleb(_SCALES[match["scale"].lower().rstrip("s")])
    if amount >= _TOO_MUCH_MONEY:
        raise _problem(Code.INVALID_MONEY, value, "is too large to be an amount of money")
    amount = amount.quantize(_PENNY, ROUND_HALF_UP)
    return float(-amount if signs and signs[0] != "+" else amount)


def parse_number(value: object) -> float:
    """Return a number from 12, 12.5, '1,234' or '-3.5'."""
    if _is_real_number(value) and math.isfinite(value):
        return float(value)
    number = _decimal(value) if isinstance(value, str) else None
    if number is not None and math.isfinite(float(number)):
        return float(number)
    raise _problem(Code.INVALID_NUMBER, value, "is not a number: use digits such as 1,234.5")


def parse_integer(value: object) -> int:
    """Return a whole number from 12, 12.0 or '1,234'."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    number = Decimal(value) if isinstance(value, float) else None
    if isinstance(value, str):
        number = _decimal(value)
    if number is None or not number.is_finite():
        raise _problem(Code.INVALID_INTEGER, value, "is not a number: use digits such as 1,234")
    if number != number.to_integral_value():
        raise _problem(Code.INVALID_INTEGER, value, "is not a whole number")
    return int(number)


def parse_percentage(value: object) -> float:
    """Return a fraction from '45%', 0.45 or 45 (a bare number beyond ±1 is a percentage)."""
    if _is_real_number(value) and math.isfinite(value):
        return float(value) if -1 <= value <= 1 else round(value / 100, 12)
    text = value.strip().lower() if isinstance(value, str) else ""
    bare = text.removesuffix("%").removesuffix("per cent").removesuffix("percent")
    number = _decimal(bare) if bare else None
    if number is None:
        raise _problem(Code.INVALID_PERCENTAGE, value, "is not a percentage: use one such as 45%")
    return float(number if bare == text and -1 <= number <= 1 else number / 100)


def parse_date(value: object) -> datetime.date:
    """Return a date from an Excel date or serial number, or text such as '20/03/2013'."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if _is_real_number(value) and 20_000 <= value <= 80_000:
        return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
    if isinstance(value, str):
        return _parse_date_text(" ".join(value.lower().split()), value)
    if _is_real_number(value) and 1900 <= value <= 2099 and value == int(value):
        raise _problem(
            Code.INVALID_DATE, value, "is a year, not a date: use a date such as 20/03/2013"
        )
    raise _problem(Code.INVALID_DATE, value, "is not a date: use a date such as 20/03/2013")


@lru_cache(maxsize=8192)
def _parse_date_text(text: str, value: str) -> datetime.date:
    if ":" in text and not (_DMY_RE.fullmatch(text) or _YMD_RE.fullmatch(text)):
        day = _timestamp_date(text, value)
        if day is not None:
            return day
    reason = "use a date such as 20/03/2013"
    if match := _DMY_RE.fullmatch(text):
        day, sep, month, year = match.groups()
        if int(month) > 12 and int(day) <= 12:
            reason = f"write the day first, such as {month}{sep}{day}{sep}{year}"
        else:
            return _date(value, _full_year(year), int(month), int(day))
    elif match := _YMD_RE.fullmatch(text):
        return _date(value, int(match[1]), int(match[3]), int(match[4]))
    elif (match := _D_MONTH_Y_RE.fullmatch(text)) and match[2] in _MONTH_NUMBERS:
        return _date(value, _full_year(match[3]), _MONTH_NUMBERS[match[2]], int(match[1]))
    elif (match := _MONTH_D_Y_RE.fullmatch(text)) and match[1] in _MONTH_NUMBERS:
        return _date(value, int(match[3]), _MONTH_NUMBERS[match[1]], int(match[2]))
    elif (match := _MONTH_Y_RE.fullmatch(text)) and (match[1] or match[3]) in _MONTH_NUMBERS:
        return _date(
            value, _full_year(match[2] or match[4]), _MONTH_NUMBERS[match[1] or match[3]], 1
        )
    elif text.isdigit() and 20_000 <= int(text) <= 80_000:
        return parse_date(int(text))
    elif text.isdigit() and len(text) == 4:
        raise _problem(Code.INVALID_DATE, value, f"is a year, not a date: {reason}")
    elif re.fullmatch(r"[a-z]+\.? \d{1,2}|\d{1,2}[/.-]\d{1,2}", text):
        reason = "give the year in full, such as 20 March 2013 or March 2013"
    raise _problem(Code.INVALID_DATE, value, f"is not a date: {reason}")


def _timestamp_date(text: str, value: str) -> datetime.date | None:
    """Return the date of a timestamp an e-mail tool writes, or None if text is none."""
    if _ISO_TIMESTAMP_RE.fullmatch(text):  # 2013-03-20T10:00:00Z, from an API export
        return _date_by(dateutil_parser.isoparse, value.strip(), value)
    clock = _CLOCK_RE.fullmatch(text)
    if clock is None:
        return None
    day = clock["date"]
    # GovDelivery writes "03/20/2013 10:00 AM GMT": a 12-hour clock and a zone mark a US
    # tool's timestamp, month first. A date an officer types stays day first.
    if clock["ampm"] and clock["zone"] and _US_DATE_RE.fullmatch(day):
        return _date_by(partial(dateutil_parser.parse, dayfirst=False), day, value)
    return _parse_date_text(day, value)


def _date_by(parse: Callable[[str], datetime.datetime], text: str, value: str) -> datetime.date:
    """Return the date dateutil's parse reads in text, quoting value if it is no date."""
    try:
        moment = parse(text)
    except (ValueError, OverflowError):
        raise _problem(
            Code.INVALID_DATE, value, "is not a date: use a date such as 20/03/2013"
        ) from None
    return _date(value, moment.year, moment.month, moment.day)


def day_and_month_may_be_swapped(values: list) -> bool:
    """Say whether a column's dates typed as numbers could all be read month first too.

    "04/03/2013" is 4 March here, but a file whose every such date has both numbers at 12 or
    under may have been written month first; one day over 12 settles it.
    """
    pairs = [
        (int(match[1]), int(match[3]))
        for value in values
        if isinstance(value, str) and (match := _DMY_RE.fullmatch(" ".join(value.lower().split())))
    ]
    return (
        bool(pairs)
        and all(day <= 12 and month <= 12 for day, month in pairs)
        and any(day != month for day, month in pairs)
    )


def _full_year(year: str) -> int:
    # Two-digit years follow strptime's %y: 00-68 are 2000-2068, 69-99 are 1969-1999.
    return int(year) if len(year) == 4 else int(year) + (2000 if int(year) < 69 else 1900)


def _date(value: str, year: int, month: int, day: int) -> datetime.date:
    if not 1900 <= year <= 2099:
        raise _problem(Code.INVALID_DATE, value, f"is not a date: {year} is not a likely year")
    if not 1 <= month <= 12:
        raise _problem(Code.INVALID_DATE, value, f"is not a date: there is no month {month}")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        there_is_no = f"there is no {day} {MONTHS[month - 1]} {year}"
        raise _problem(Code.INVALID_DATE, value, f"is not a date: {there_is_no}") from None


def parse_yes_no(value: object) -> bool:
    """Return True or False from yes/no, y/n, true/false, 1/0 or an Excel TRUE/FALSE."""
    if isinstance(value, bool):
        return value
    key = value.strip().lower() if isinstance(value, str) else value
    if key in _YES or key == 1:
        return True
    if key in _NO or key == 0:
        return False
    raise _problem(Code.INVALID_YES_NO, value, "is not yes or no: use Yes or No")


def parse_text(value: object) -> str:
    """Return text trimmed, with runs of spaces collapsed and line breaks kept."""
    if isinstance(value, str):
        text = value.strip()
        if _UNTIDY_TEXT_RE.search(text):
            lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            text = "\n".join(_SPACES_RE.sub(" ", line).strip() for line in lines).strip()
    elif isinstance(value, bool):
        text = "Yes" if value else "No"
    elif isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        text = str(int(value))
    elif isinstance(value, float) and math.isfinite(value):
        text = format(value, ".15g")
    elif isinstance(value, datetime.datetime) and value.time() == datetime.time():
        text = value.date().isoformat()
    elif isinstance(value, datetime.date | datetime.time):
        text = value.isoformat()
    else:
        raise _problem(Code.INVALID_TEXT, value, "is not text")
    if len(text) > MAX_TEXT_LENGTH:
        most = f"{len(text):,} characters, but the most is {MAX_TEXT_LENGTH:,}"
        raise _problem(Code.INVALID_TEXT, text, f"is too long: {most}")
    return text


def _choice_key(text: str) -> str:
    return _NOT_WORD_RE.sub("", text.casefold().replace("&", "and"))


@lru_cache(maxsize=256)
def _choice_lookup(
    choices: tuple[str, ...], aliases: tuple[tuple[str, str], ...]
) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for name, canonical in [(choice, choice) for choice in choices] + list(aliases):
        if canonical not in choices:
            raise ValueError(f"alias {name!r} points to {canonical!r}, which is not a choice")
        if lookup.setdefault(_choice_key(name), canonical) != canonical:
            raise ValueError(f"{name!r} cannot be told apart from {lookup[_choice_key(name)]!r}")
    return lookup


def parse_choice(
    value: object, choices: Sequence[str], aliases: Mapping[str, str] | None = None
) -> str:
    """Return the choice that value names, ignoring case, spacing and punctuation."""
    lookup = _choice_lookup(tuple(choices), tuple(sorted((aliases or {}).items())))
    key = _choice_key(parse_text(value))
    if key in lookup:
        return lookup[key]
    close = difflib.get_close_matches(key, lookup, n=1)
    hint = f" Did you mean '{lookup[close[0]]}'?" if close else ""
    shown = ", ".join(choices[:20]) + (
        f" and {len(choices) - 20} more" if len(choices) > 20 else ""
    )
    raise _problem(Code.NOT_IN_LIST, value, f"is not in the list.{hint} Use one of: {shown}")


def parse_financial_year(value: object) -> str:
    """Return a financial year as '2013/14' from '2013-14', '13/14', 'FY2013/14' and so on."""
    return _financial_year(value.strip().lower() if isinstance(value, str) else "", value)


def _financial_year(text: str, value: object) -> str:
    """Return text's financial year, quoting value, where the officer typed it, if it is not one."""
    match = _FINANCIAL_YEAR_RE.fullmatch(text)
    if match is None:
        raise _problem(Code.INVALID_DATE, value, "is not a financial year: use one such as 2013/14")
    first = _full_year(match[1])
    canonical = f"{first}/{(first + 1) % 100:02d}"
    if int(match[2]) not in (first + 1, (first + 1) % 100):
        follow = f"the second year must follow the first, such as {canonical}"
        raise _problem(Code.INVALID_DATE, value, f"is not a financial year: {follow}")
    return canonical


def parse_quarter(value: object) -> str:
    """Return a calendar quarter as '2013-Q2' from '2013 Q2', 'Q2 2013', 'Q1 2013/14' or a date."""
    match = (
        _QUARTER_RE.fullmatch(" ".join(value.lower().split())) if isinstance(value, str) else None
    )
    if match is None:
        try:
            day = parse_date(value)
        except ValueProblem:
            raise _problem(
                Code.INVALID_DATE, value, "is not a quarter: use one such as 2013-Q2"
            ) from None
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    quarter = int(match["q1"] or match["q2"] or match["q3"])
    if not 1 <= quarter <= 4:
        raise _problem(Code.INVALID_DATE, value, f"is not a quarter: there is no quarter {quarter}")
    if match["fy"]:
        first = int(_financial_year(match["fy"], value)[:4])
        return f"{first}-Q{quarter + 1}" if quarter < 4 else f"{first + 1}-Q1"
    return f"{match['y1'] or match['y2']}-Q{quarter}"


def require_not_negative(parsed: float, value: object) -> float:
    """Return parsed unchanged, or raise 'negative-value' quoting the value as typed."""
    if parsed < 0:
        raise _problem(Code.NEGATIVE_VALUE, value, "is negative: use zero or more")
    return parsed


def _rounded(amount: float, places: int) -> Decimal:
    return Decimal(str(amount)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def format_money(amount: float | None, *, like: float | None = None) -> str:
    """Return an amount as the board report writes it: £278m, £1.25m, £700,000, £12.50.

    Given like (the figure a change is shown beside), an amount is written in that figure's
    style, so a card never mixes them: +£0.8m beside £1.5m, not +£800,000.
    """
    if amount is None or math.isnan(amount):
        return "not reported"
    sign, amount = "-" if amount < 0 else "", abs(amount)
    in_millions = like is not None and abs(like) >= 999_999.5
    if amount < 999_999.5 and not (in_millions and amount >= 5_000):
        pennies = _rounded(amount, 2)
        if amount < 1_000 and pennies != pennies.to_integral_value():
            return f"{sign}£{pennies:,.2f}"
        return f"{sign}£{_rounded(amount, 0):,}"
    millions = _rounded(amount / 1e6, 2)
    if millions < 1_000:
        return f"{sign}£{millions:f}".rstrip("0").rstrip(".") + "m"
    return f"{sign}£{_rounded(amount / 1e9, 2):f}".rstrip("0").rstrip(".") + "bn"


def format_date(day: datetime.date | None) -> str:
    """Return a date as '20 March 2013', or 'not reported'."""
    return "not reported" if day is None else f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_iso_date(iso: str | None, *, missing: str = "no date") -> str:
    """Return a date given as ISO text ('2013-03-20') as '20 March 2013', or missing."""
    return format_date(datetime.date.fromisoformat(iso)) if iso else missing


def format_count(count: float | None) -> str:
    """Return a count with thousands commas, such as '1,234', or 'not reported'."""
    return "not reported" if count is None or count != count else f"{round(count):,}"


_SLOW = object()


# The fast paths accept only the commonest exact types; anything else takes the full parser.
def _fast_number(value: object) -> object:
    if type(value) is float:
        return value if -math.inf < value < math.inf else _SLOW
    return float(value) if type(value) is int else _SLOW


def _fast_money(value: object) -> object:
    if type(value) is float or type(value) is int:
        return round(value * 100) / 100 if -_TOO_MUCH_MONEY < value < _TOO_MUCH_MONEY else _SLOW
    return _SLOW


def _fast_integer(value: object) -> object:
    if type(value) is float:
        return int(value) if value.is_integer() else _SLOW
    return value if type(value) is int else _SLOW


def _fast_percentage(value: object) -> object:
    return value if type(value) is float and -1 <= value <= 1 else _SLOW


def _fast_date(value: object) -> object:
    if type(value) is datetime.datetime:
        return value.date()
    return value if type(value) is datetime.date else _SLOW


def _fast_text(value: object) -> object:
    # isprintable() is False for every whitespace character but the plain space.
    if type(value) is not str or not value or len(value) > MAX_TEXT_LENGTH:
        return _SLOW
    tidy = value[0] != " " and value[-1] != " " and "  " not in value and value.isprintable()
    return value if tidy else _SLOW


_URL_STARTS = ("http://", "https://", "www.", "/")


def parse_url(value: object) -> str:
    """Return a link address (http, https, www. or a site path), refusing other text."""
    text = parse_text(value)
    if not text.casefold().startswith(_URL_STARTS) or any(ch.isspace() for ch in text):
        raise _problem(Code.INVALID_URL, value, "is not a web address")
    return text


def _fast_url(value: object) -> object:
    if type(value) is str and value.startswith(_URL_STARTS) and " " not in value:
        return _fast_text(value)
    return _SLOW


_FAST_PATHS: dict[Callable, Callable] = {
    parse_url: _fast_url,
    parse_money: _fast_money,
    parse_number: _fast_number,
    parse_integer: _fast_integer,
    parse_percentage: _fast_percentage,
    parse_date: _fast_date,
    parse_text: _fast_text,
}


def _fast_parsed(values: list, fast: Callable[[object], object]) -> list:
    """Return fast(value) for each value, calling it once per distinct text in a text column."""
    # A column of text repeats itself (a bulletin's title on each of its links, a choice):
    # the reader shares each repeated text as one object, so the distinct ones are few and
    # cheap to find. Only all-text columns: 1, 1.0 and True are equal keys in a dict.
    if len(values) > 1_000 and set(map(type, values)) == {str}:
        distinct = set(values)
        if len(distinct) * 2 < len(values):
            results = {value: fast(value) for value in distinct}
            return list(map(results.__getitem__, values))
    return list(map(fast, values))


def _tidy_texts(values: list) -> bool:
    """Say whether _fast_text takes every one of these strings as it is, judged in C.

    Each test on the strings joined by line breaks is one on each string: a line break is
    never tidy, so each string is one line; a blank, a space at either end or two together
    shows as an empty line, a space beside a line break or two spaces. isprintable() asks
    about each character, so it asks about each string when they are joined with nothing.
    """
    lines = "\n".join(values)
    return (
        lines.count("\n") == len(values) - 1
        and "\n\n" not in lines
        and lines[:1] not in ("", " ", "\n")
        and lines[-1:] not in (" ", "\n")
        and "  " not in lines
        and " \n" not in lines
        and "\n " not in lines
        and "".join(values).isprintable()
        and max(map(len, values)) <= MAX_TEXT_LENGTH
    )


def _column_at_once(values: list, parser: Callable[[object], object]) -> list | None:
    """Return what the fast path gives each value when it takes every one, else None.

    A column of one type is judged with a few passes in C instead of a call per cell; any
    column these tests do not settle takes the fast path cell by cell, as before.
    """
    types = set(map(type, values))
    if len(types) != 1 or len(values) < 2:
        return None
    kind = types.pop()
    if kind is str and parser in (parse_text, parse_url):
        if not _tidy_texts(values):
            return None
        if parser is parse_url and (
            " " in "".join(values) or not all(map(str.startswith, values, repeat(_URL_STARTS)))
        ):
            return None
        return list(values)
    if parser is parse_integer:
        if kind is int:
            return list(values)
        if kind is float and all(map(float.is_integer, values)):
            return list(map(int, values))
    if parser is parse_date:
        if kind is datetime.date:
            return list(values)
        if kind is datetime.datetime:
            return list(map(datetime.datetime.date, values))
    return None


def parse_column(
    values: list, parser: Callable[[object], object], *, required: bool
) -> tuple[list, list[tuple[int, str, str]]]:
    """Return the parsed values (None for blanks) and every (index, code, message) problem."""
    fast = _FAST_PATHS.get(parser)
    if fast is not None and (at_once := _column_at_once(values, parser)) is not None:
        return at_once, []
    # map() keeps the common case in C; only cells the fast path declines take the loop.
    parsed = _fast_parsed(values, fast) if fast else [_SLOW] * len(values)
    problems: list[tuple[int, str, str]] = []
    if _SLOW not in parsed:
        return parsed, problems
    seen: dict[str, object] = {}  # text repeats a lot in a column (choices, dates): parse it once
    for index in [i for i, result in enumerate(parsed) if result is _SLOW]:
        value = values[index]
        if (unsaved := unsaved_value(value)) is not None:
            problems.append((index, *unsaved))
            result = None
        elif is_blank(value):
            if required:
                problems.append((index, Code.MISSING_VALUE, "is blank but required"))
            result = None
        elif isinstance(value, str) and value in seen:
            result = seen[value]
        else:
            try:
                result = parser(value)
            except ValueProblem as problem:
                result = problem
            if isinstance(value, str):
                seen[value] = result
        if isinstance(result, ValueProblem):
            problems.append((index, result.code, result.message))
            result = None
        parsed[index] = result
    return parsed, problems
