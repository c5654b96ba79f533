import datetime
import math
from functools import partial

import pytest

from lgadata.values import (
    ValueProblem,
    format_count,
    format_date,
    format_money,
    is_blank,
    parse_choice,
    parse_column,
    parse_date,
    parse_financial_year,
    parse_integer,
    parse_money,
    parse_number,
    parse_percentage,
    parse_quarter,
    parse_text,
    parse_url,
    parse_yes_no,
    require_not_negative,
)

D = datetime.date
DT = datetime.datetime


def code_of(parser, value) -> str:
    with pytest.raises(ValueProblem) as caught:
        parser(value)
    return caught.value.code


def message_of(parser, value) -> str:
    with pytest.raises(ValueProblem) as caught:
        parser(value)
    return caught.value.message


@pytest.mark.parametrize(
    ("value", "blank"),
    [
        (None, True),
        ("", True),
        ("   ", True),
        ("\t\n", True),
        ("\xa0", True),
        (float("nan"), True),
        ("0", False),
        (0, False),
        (0.0, False),
        (False, False),
        (" x ", False),
        (D(2013, 3, 20), False),
    ],
)
def test_blank_means_none_nan_or_only_whitespace(value, blank):
    assert is_blank(value) is blank


def test_a_problem_carries_its_code_and_message():
    problem = ValueProblem("invalid-money", "'x' is not an amount of money")
    assert (problem.code, problem.message, str(problem)) == (
        "invalid-money",
        "'x' is not an amount of money",
        "'x' is not an amount of money",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234, 1234.0),
        (1234.5, 1234.5),
        (1234.567, 1234.57),
        (-12, -12.0),
        ("1234", 1234.0),
        ("1234.5", 1234.5),
        ("£1,234", 1234.0),
        ("£1,234.56", 1234.56),
        ("£1.2m", 1_200_000.0),
        ("£1.2M", 1_200_000.0),
        ("£1.2 m", 1_200_000.0),
        ("£1.2mn", 1_200_000.0),
        ("£165 million", 165_000_000.0),
        ("£2 millions", 2_000_000.0),
        ("£1.5bn", 1_500_000_000.0),
        ("£1.5b", 1_500_000_000.0),
        ("£1.5 billion", 1_500_000_000.0),
        ("1.5k", 1_500.0),
        ("£700k", 700_000.0),
        ("£700K", 700_000.0),
        ("£5 thousand", 5_000.0),
        ("700,000", 700_000.0),
        ("1,234,567.89", 1_234_567.89),
        (" £ 700 000 ", 700_000.0),
        ("£700\u2009000", 700_000.0),
        ("£700\u202f000", 700_000.0),
        ("£700\xa0000", 700_000.0),
        ("GBP 1,234", 1234.0),
        ("gbp1234", 1234.0),
        ("1234 GBP", 1234.0),
        ("£.5", 0.5),
        ("£0.005", 0.01),
        ("£1.005", 1.01),
        ("-£5", -5.0),
        ("£-5", -5.0),
        ("- £5", -5.0),
        ("\u2212£5", -5.0),
        ("\u2013£5", -5.0),
        ("+£5", 5.0),
        ("(£5)", -5.0),
        (" ( £1.5m ) ", -1_500_000.0),
        ("(1,234.50)", -1234.5),
    ],
)
def test_money_is_read_in_pounds_to_the_penny(value, expected):
    assert parse_money(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "£1.2.3",
        "abc",
        "1,23",
        "1,2345",
        "12,34,567",
        "1 5",
        "1,234 567",
        "$5",
        "€5",
        "5 EUR",
        "USD 5",
        "5 dollars",
        "£5s",
        "£5p",
        "1e6",
        "(-£5)",
        "--5",
        "(£5",
        "£5)",
        "£",
        "£m",
        "£1,000,000,000,000,000",
        "£2,000,000bn",
        True,
        False,
        float("nan"),
        float("inf"),
        1e16,
        D(2013, 3, 20),
    ],
)
def test_money_that_is_not_pounds_is_refused(value):
    assert code_of(parse_money, value) == "invalid-money"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("$5", "'$5' is not an amount of money: only pounds (£) are accepted"),
        ("€5", "'€5' is not an amount of money: only pounds (£) are accepted"),
        ("1,23", "'1,23' is not an amount of money: commas go only between thousands"),
        ("£1.2.3", "'£1.2.3' is not an amount of money: use pounds such as £1,234.56 or £1.2m"),
    ],
)
def test_money_problems_say_what_to_type_instead(value, words):
    assert message_of(parse_money, value).startswith(words)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, 12.0),
        (12.5, 12.5),
        (-3, -3.0),
        ("12", 12.0),
        ("1,234", 1234.0),
        ("1,234.5", 1234.5),
        ("1 234", 1234.0),
        ("-3.5", -3.5),
        ("\u22123.5", -3.5),
        ("+3.5", 3.5),
        (" 7 ", 7.0),
        (".5", 0.5),
        ("1e6", 1_000_000.0),
        ("1.23E+05", 123_000.0),
    ],
)
def test_numbers_are_read_with_thousands_commas(value, expected):
    assert parse_number(value) == expected


@pytest.mark.parametrize(
    "value",
    ["abc", "12,5", "1.2.3", "£5", "5%", "1e400", "", True, float("inf"), float("nan"), D.today()],
)
def test_things_that_are_not_numbers_are_refused(value):
    assert code_of(parse_number, value) == "invalid-number"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, 12),
        (12.0, 12),
        (-4.0, -4),
        (10**20, 10**20),
        ("12", 12),
        ("12.0", 12),
        ("1,234", 1234),
        ("1e3", 1000),
        ("-7", -7),
        ("12345678901234567890", 12345678901234567890),
    ],
)
def test_whole_numbers_are_read_exactly(value, expected):
    result = parse_integer(value)
    assert (result, type(result)) == (expected, int)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (12.5, "'12.5' is not a whole number"),
        ("12.5", "'12.5' is not a whole number"),
        ("1,234.5", "'1,234.5' is not a whole number"),
        ("twelve", "'twelve' is not a number: use digits such as 1,234"),
        (True, "'True' is not a number: use digits such as 1,234"),
        (float("inf"), "'inf' is not a number: use digits such as 1,234"),
    ],
)
def test_things_that_are_not_whole_numbers_are_refused(value, message):
    with pytest.raises(ValueProblem) as caught:
        parse_integer(value)
    assert (caught.value.code, caught.value.message) == ("invalid-integer", message)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("45%", 0.45),
        ("45 %", 0.45),
        ("4.5%", 0.045),
        ("0.45%", 0.0045),
        ("100%", 1.0),
        ("150%", 1.5),
        ("-5%", -0.05),
        ("45 per cent", 0.45),
        ("45percent", 0.45),
        ("45", 0.45),
        ("33.3", 0.333),
        ("0.45", 0.45),
        ("1", 1.0),
        ("0", 0.0),
        ("1.5", 0.015),
        (0.45, 0.45),
        (1, 1.0),
        (1.0, 1.0),
        (45, 0.45),
        (33.3, 0.333),
        (-0.5, -0.5),
    ],
)
def test_percentages_become_fractions_and_bare_numbers_above_one_are_percentages(value, expected):
    assert parse_percentage(value) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("value", ["abc", "%", "45%%", "£45", True, float("nan"), D.today()])
def test_things_that_are_not_percentages_are_refused(value):
    assert code_of(parse_percentage, value) == "invalid-percentage"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(2013, 3, 20), D(2013, 3, 20)),
        (DT(2013, 3, 20), D(2013, 3, 20)),
        (DT(2013, 3, 20, 14, 30), D(2013, 3, 20)),
        (41353, D(2013, 3, 20)),
        (41353.0, D(2013, 3, 20)),
        (41353.75, D(2013, 3, 20)),
        ("41353", D(2013, 3, 20)),
        ("20/03/2013", D(2013, 3, 20)),
        ("20/3/2013", D(2013, 3, 20)),
        ("20/3/13", D(2013, 3, 20)),
        ("1/2/13", D(2013, 2, 1)),
        ("20-03-2013", D(2013, 3, 20)),
        ("20.03.2013", D(2013, 3, 20)),
        (" 20/03/2013 ", D(2013, 3, 20)),
        ("20/03/2013 00:00", D(2013, 3, 20)),
        ("20/03/2013 14:30:15", D(2013, 3, 20)),
        ("01/02/99", D(1999, 2, 1)),
        ("2013-03-20", D(2013, 3, 20)),
        ("2013/03/20", D(2013, 3, 20)),
        ("2013-03-20T00:00:00", D(2013, 3, 20)),
        ("2013-03-20 00:00:00", D(2013, 3, 20)),
        ("20 March 2013", D(2013, 3, 20)),
        ("20 march 2013", D(2013, 3, 20)),
        ("20 Mar 2013", D(2013, 3, 20)),
        ("20 Mar. 2013", D(2013, 3, 20)),
        ("20th March 2013", D(2013, 3, 20)),
        ("1st of March 2013", D(2013, 3, 1)),
        ("Wednesday 20 March 2013", D(2013, 3, 20)),
        ("Wed, 20 Mar 2013", D(2013, 3, 20)),
        ("20-Mar-2013", D(2013, 3, 20)),
        ("20-Mar-13", D(2013, 3, 20)),
        ("20 Sept 2013", D(2013, 9, 20)),
        ("March 20, 2013", D(2013, 3, 20)),
        ("March 2013", D(2013, 3, 1)),
        ("Mar 2013", D(2013, 3, 1)),
        ("MARCH 2013", D(2013, 3, 1)),
        ("Mar-2013", D(2013, 3, 1)),
        ("Mar-13", D(2013, 3, 1)),
        ("29/02/2012", D(2012, 2, 29)),
        # Timestamps as e-mail tools write them: Mailchimp, an API export, GovDelivery.
        ("Wed, Mar 20, 2013 10:00", D(2013, 3, 20)),
        ("Tue, Apr 16, 2013 10:05 am", D(2013, 4, 16)),
        ("2013-03-20T10:00:00Z", D(2013, 3, 20)),
        ("2013-03-20T10:00:00+01:00", D(2013, 3, 20)),
        ("03/20/2013 10:00 AM GMT", D(2013, 3, 20)),
        ("04/03/2013 10:00 AM GMT", D(2013, 4, 3)),  # a US tool's stamp: month first
        ("04/03/2013 10:00", D(2013, 3, 4)),  # as an officer types it: day first
        ("20 March 2013 10:00", D(2013, 3, 20)),
    ],
)
def test_dates_are_read_day_first_from_excel_and_from_text(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2013",
        2013,
        2013.0,
        5,
        19_999,
        80_001,
        "31/02/2013",
        "29/02/2013",
        "32/01/2013",
        "12/13/2013",
        "13/13/2013",
        "00/01/2013",
        "20/03/0213",
        "20/03/213",
        "Mar 13",
        "20/03",
        "20 Smarch 2013",
        "Smarch 2013",
        "2013-02-30",
        "yesterday",
        "20/03-2013",
        "2013-02-30T10:00:00Z",
        "13/20/2013 10:00 AM GMT",
        "10:00",
        "soon, 10:00 am",
        True,
        datetime.time(14, 30),
    ],
)
def test_things_that_are_not_dates_are_refused(value):
    assert code_of(parse_date, value) == "invalid-date"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12/13/2013", "'12/13/2013' is not a date: write the day first, such as 13/12/2013"),
        ("12-13-13", "'12-13-13' is not a date: write the day first, such as 13-12-13"),
        ("31/02/2013", "'31/02/2013' is not a date: there is no 31 February 2013"),
        ("2013", "'2013' is a year, not a date: use a date such as 20/03/2013"),
        (2013, "'2013' is a year, not a date: use a date such as 20/03/2013"),
        ("yesterday", "'yesterday' is not a date: use a date such as 20/03/2013"),
        (
            "Mar 13",
            "'Mar 13' is not a date: give the year in full, such as 20 March 2013 or March 2013",
        ),
    ],
)
def test_date_problems_suggest_the_uk_form(value, message):
    assert message_of(parse_date, value) == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True),
        ("Yes", True),
        (" YES ", True),
        ("y", True),
        ("Y", True),
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("no", False),
        ("No", False),
        ("n", False),
        ("false", False),
        ("FALSE", False),
        ("0", False),
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        (1.0, True),
        (0.0, False),
    ],
)
def test_yes_and_no_are_read_in_their_usual_spellings(value, expected):
    assert parse_yes_no(value) is expected


@pytest.mark.parametrize("value", ["maybe", "yess", "2", "-1", 2, -1, 0.5, D.today()])
def test_things_that_are_not_yes_or_no_are_refused(value):
    assert code_of(parse_yes_no, value) == "invalid-yes-no"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sheffield", "Sheffield"),
        ("  Sheffield  ", "Sheffield"),
        ("Sheffield   City\tCouncil", "Sheffield City Council"),
        ("Sheffield\xa0City", "Sheffield City"),
        ("line one  \n  line two", "line one\nline two"),
        ("line one\r\nline two\rline three", "line one\nline two\nline three"),
        ("para one\n\npara two", "para one\n\npara two"),
        (2013, "2013"),
        (2013.0, "2013"),
        (12.5, "12.5"),
        (0.1 + 0.2, "0.3"),
        (-4.0, "-4"),
        (True, "Yes"),
        (False, "No"),
        (D(2013, 3, 20), "2013-03-20"),
        (DT(2013, 3, 20), "2013-03-20"),
        (DT(2013, 3, 20, 14, 30), "2013-03-20T14:30:00"),
        (datetime.time(14, 30), "14:30:00"),
        ("x" * 5_000, "x" * 5_000),
    ],
)
def test_text_is_trimmed_with_line_breaks_kept(value, expected):
    assert parse_text(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("x" * 5_001, f"'{'x' * 57}...' is too long: 5,001 characters, but the most is 5,000"),
        (float("inf"), "'inf' is not text"),
        (object, "'<class 'object'>' is not text"),
    ],
)
def test_text_that_is_too_long_or_not_text_is_refused(value, message):
    with pytest.raises(ValueProblem) as caught:
        parse_text(value)
    assert (caught.value.code, caught.value.message) == ("invalid-text", message)


KINDS = ["Shared services", "Fire and Rescue", "Joint procurement", "Other"]
KIND_ALIASES = {"SS": "Shared services", "Shared service arrangement": "Shared services"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Shared services", "Shared services"),
        ("shared services", "Shared services"),
        ("SHARED SERVICES", "Shared services"),
        ("shared-services", "Shared services"),
        ("shared_services", "Shared services"),
        ("  Shared  services. ", "Shared services"),
        ("Fire & Rescue", "Fire and Rescue"),
        ("fire&rescue", "Fire and Rescue"),
        ("joint procurement!", "Joint procurement"),
        ("ss", "Shared services"),
        ("shared-service arrangement", "Shared services"),
        ("OTHER", "Other"),
    ],
)
def test_choices_match_ignoring_case_spacing_punctuation_and_ampersands(value, expected):
    assert parse_choice(value, KINDS, KIND_ALIASES) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "Shred services",
            "'Shred services' is not in the list. Did you mean 'Shared services'? "
            "Use one of: Shared services, Fire and Rescue, Joint procurement, Other",
        ),
        (
            "Zebra",
            "'Zebra' is not in the list. "
            "Use one of: Shared services, Fire and Rescue, Joint procurement, Other",
        ),
        ("q", "'q' is not in the list. Use one of: " + ", ".join(KINDS)),
    ],
)
def test_a_choice_not_in_the_list_names_the_list_and_the_closest(value, message):
    with pytest.raises(ValueProblem) as caught:
        parse_choice(value, KINDS, KIND_ALIASES)
    assert (caught.value.code, caught.value.message) == ("not-in-list", message)


def test_a_long_list_of_choices_is_shortened_in_the_message():
    choices = [f"Choice {n}" for n in range(25)]
    assert message_of(partial(parse_choice, choices=choices), "Zebra").endswith(
        "Choice 19 and 5 more"
    )


@pytest.mark.parametrize(
    ("choices", "aliases"),
    [
        (["Shared services", "shared-services"], None),
        (["Shared services"], {"SS": "Shared Services"}),
        (["Shared services", "Other"], {"Other": "Shared services"}),
    ],
)
def test_choices_that_cannot_be_told_apart_are_a_programming_error(choices, aliases):
    with pytest.raises(ValueError):
        parse_choice("anything", choices, aliases)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2013/14", "2013/14"),
        ("2013-14", "2013/14"),
        ("2013\u201314", "2013/14"),
        ("2013 / 14", "2013/14"),
        ("2013/2014", "2013/14"),
        ("2013-2014", "2013/14"),
        ("13/14", "2013/14"),
        ("FY2013/14", "2013/14"),
        ("fy 13-14", "2013/14"),
        ("1999/00", "1999/00"),
        ("1999/2000", "1999/00"),
        ("2009/10", "2009/10"),
    ],
)
def test_financial_years_are_written_as_2013_slash_14(value, expected):
    assert parse_financial_year(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "2013/15",
            "'2013/15' is not a financial year: "
            "the second year must follow the first, such as 2013/14",
        ),
        (
            "2014/13",
            "'2014/13' is not a financial year: "
            "the second year must follow the first, such as 2014/15",
        ),
        (
            "2013/2013",
            "'2013/2013' is not a financial year: "
            "the second year must follow the first, such as 2013/14",
        ),
        ("2013", "'2013' is not a financial year: use one such as 2013/14"),
        (2013, "'2013' is not a financial year: use one such as 2013/14"),
        ("2013/4", "'2013/4' is not a financial year: use one such as 2013/14"),
        ("last year", "'last year' is not a financial year: use one such as 2013/14"),
    ],
)
def test_things_that_are_not_financial_years_are_refused(value, message):
    with pytest.raises(ValueProblem) as caught:
        parse_financial_year(value)
    assert (caught.value.code, caught.value.message) == ("invalid-date", message)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2013-Q2", "2013-Q2"),
        ("2013 Q2", "2013-Q2"),
        ("2013Q2", "2013-Q2"),
        ("2013 q2", "2013-Q2"),
        ("Q2 2013", "2013-Q2"),
        ("Q2-2013", "2013-Q2"),
        ("Quarter 2 2013", "2013-Q2"),
        ("Q1 2013/14", "2013-Q2"),
        ("Q2 2013/14", "2013-Q3"),
        ("Q3 2013-14", "2013-Q4"),
        ("Q4 2013/14", "2014-Q1"),
        ("Q4 FY2013/14", "2014-Q1"),
        (D(2013, 5, 1), "2013-Q2"),
        (DT(2013, 12, 31, 23, 59), "2013-Q4"),
        ("20/03/2013", "2013-Q1"),
        ("April 2013", "2013-Q2"),
    ],
)
def test_quarters_are_calendar_quarters_and_financial_ones_are_converted(value, expected):
    assert parse_quarter(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2013-Q5", "'2013-Q5' is not a quarter: there is no quarter 5"),
        ("Q0 2013", "'Q0 2013' is not a quarter: there is no quarter 0"),
        ("2013", "'2013' is not a quarter: use one such as 2013-Q2"),
        ("Q2", "'Q2' is not a quarter: use one such as 2013-Q2"),
        (2, "'2' is not a quarter: use one such as 2013-Q2"),
        (
            "Q2 2013/15",
            "'Q2 2013/15' is not a financial year: "
            "the second year must follow the first, such as 2013/14",
        ),
    ],
)
def test_things_that_are_not_quarters_are_refused(value, message):
    with pytest.raises(ValueProblem) as caught:
        parse_quarter(value)
    assert (caught.value.code, caught.value.message) == ("invalid-date", message)


@pytest.mark.parametrize(
    ("parsed", "value", "problem"),
    [
        (5.0, "£5", None),
        (0.0, "0", None),
        (-5.0, "(£5)", ("negative-value", "'(£5)' is negative: use zero or more")),
    ],
)
def test_negative_values_are_refused_only_when_asked(parsed, value, problem):
    if problem is None:
        assert require_not_negative(parsed, value) == parsed
    else:
        with pytest.raises(ValueProblem) as caught:
            require_not_negative(parsed, value)
        assert (caught.value.code, caught.value.message) == problem


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (278_000_000, "£278m"),
        (165_000_000, "£165m"),
        (165_400_000, "£165.4m"),
        (1_250_000, "£1.25m"),
        (1_234_567, "£1.23m"),
        (1_000_000, "£1m"),
        (999_999.5, "£1m"),
        (999_999.4, "£999,999"),
        (700_000, "£700,000"),
        (18_000, "£18,000"),
        (1_234.5, "£1,235"),
        (1_000.25, "£1,000"),
        (999.996, "£1,000"),
        (12.5, "£12.50"),
        (12.0, "£12"),
        (0.5, "£0.50"),
        (0, "£0"),
        (1_500_000_000, "£1.5bn"),
        (999_995_000, "£1bn"),
        (-5_000, "-£5,000"),
        (-1_250_000, "-£1.25m"),
        (None, "not reported"),
        (float("nan"), "not reported"),
    ],
)
def test_money_is_shown_as_the_board_report_writes_it(amount, expected):
    assert format_money(amount) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(2013, 3, 20), "20 March 2013"),
        (D(2013, 3, 5), "5 March 2013"),
        (DT(2014, 1, 1, 9, 30), "1 January 2014"),
        (None, "not reported"),
    ],
)
def test_dates_are_shown_without_a_leading_zero(value, expected):
    assert format_date(value) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1234, "1,234"), (0, "0"), (1_000_000, "1,000,000"), (12.0, "12"), (None, "not reported")],
)
def test_counts_are_shown_with_thousands_commas(count, expected):
    assert format_count(count) == expected


CHOICE = partial(parse_choice, choices=KINDS)


@pytest.mark.parametrize(
    ("values", "parser", "required", "parsed", "problems"),
    [
        (
            [1.0, 2, "£3", None, "  ", "x", True, float("nan"), float("inf")],
            parse_money,
            True,
            [1.0, 2.0, 3.0, None, None, None, None, None, None],
            [
                (3, "missing-value"),
                (4, "missing-value"),
                (5, "invalid-money"),
                (6, "invalid-money"),
                (7, "missing-value"),
                (8, "invalid-money"),
            ],
        ),
        ([1.234, None], parse_money, False, [1.23, None], []),
        (
            [12.0, 12, "12", 12.5, True],
            parse_integer,
            False,
            [12, 12, 12, None, None],
            [(3, "invalid-integer"), (4, "invalid-integer")],
        ),
        (
            [1.5, 2, "3", "x", False],
            parse_number,
            False,
            [1.5, 2.0, 3.0, None, None],
            [(3, "invalid-number"), (4, "invalid-number")],
        ),
        ([0.45, 45, "45%", 1.5], parse_percentage, False, [0.45, 0.45, 0.45, 0.015], []),
        (
            [DT(2013, 3, 20), D(2013, 3, 21), "22/03/2013", "22/03/2013", "31/02/2013", ""],
            parse_date,
            True,
            [D(2013, 3, 20), D(2013, 3, 21), D(2013, 3, 22), D(2013, 3, 22), None, None],
            [(4, "invalid-date"), (5, "missing-value")],
        ),
        (
            ["Sheffield", " Leeds ", "York  City", "a\nb", 2013.0, "", None],
            parse_text,
            False,
            ["Sheffield", "Leeds", "York City", "a\nb", "2013", None, None],
            [],
        ),
        (
            ["other", "Other", "Zebra", "Zebra", "fire & rescue"],
            CHOICE,
            True,
            ["Other", "Other", None, None, "Fire and Rescue"],
            [(2, "not-in-list"), (3, "not-in-list")],
        ),
    ],
)
def test_a_column_is_parsed_with_every_problem_reported(values, parser, required, parsed, problems):
    result, found = parse_column(values, parser, required=required)
    assert result == parsed
    assert [(index, code) for index, code, _ in found] == problems


def test_a_column_problem_keeps_the_parsers_message():
    _, problems = parse_column(["12/13/2013", None], parse_date, required=True)
    assert problems == [
        (0, "invalid-date", "'12/13/2013' is not a date: write the day first, such as 13/12/2013"),
        (1, "missing-value", "is blank but required"),
    ]


@pytest.mark.parametrize(
    "parser", [parse_money, parse_number, parse_integer, parse_percentage, parse_date, parse_text]
)
def test_a_column_gives_the_same_answers_as_the_parser_cell_by_cell(parser):
    values = [1, 2.0, 2.5, -3.25, 0.5, 41353, 1e300, "7", " 8 ", "a  b", "x", True, DT(2013, 3, 20)]
    parsed, problems = parse_column(values, parser, required=False)
    expected, expected_problems = [], []
    for index, value in enumerate(values):
        try:
            expected.append(parser(value))
        except ValueProblem as problem:
            expected.append(None)
            expected_problems.append((index, problem.code, problem.message))
    assert [type(item) for item in parsed] == [type(item) for item in expected]
    assert parsed == expected
    assert problems == expected_problems


def test_parsed_money_is_never_a_floating_point_artefact():
    assert all(
        parse_money(f"£{pounds}.{pence:02d}") == float(f"{pounds}.{pence:02d}")
        for pounds in (0, 1, 99, 1234, 999_999)
        for pence in range(100)
    )
    assert not math.isnan(parse_money("£0.10"))


@pytest.mark.parametrize(
    ("values", "parser"),
    [
        (["Sheffield", "Leeds", "York City"], parse_text),
        (["Sheffield", "Leeds "], parse_text),
        ([" Sheffield", "Leeds"], parse_text),
        (["York  City", "Leeds"], parse_text),
        (["a\tb", "Leeds"], parse_text),
        (["x" * 5_001, "Leeds"], parse_text),
        (["https://www.local.gov.uk/a", "www.local.gov.uk/b", "/c"], parse_url),
        (["https://www.local.gov.uk/a b", "/c"], parse_url),
        (["HTTPS://WWW.LOCAL.GOV.UK/", "/c"], parse_url),
        (["ftp://x", "/c"], parse_url),
        ([1, 2, 3], parse_integer),
        ([1.0, 2.0, 3.0], parse_integer),
        ([1.0, 2, 3.0], parse_integer),
        ([1.0, 2.5], parse_integer),
        ([True, 1], parse_integer),
        ([DT(2013, 3, 20, 9, 30), DT(2013, 3, 21)], parse_date),
        ([D(2013, 3, 20), D(2013, 3, 21)], parse_date),
        ([D(2013, 3, 20), DT(2013, 3, 21)], parse_date),
    ],
)
def test_a_column_gives_what_each_cell_gives_at_the_edges_of_the_fast_paths(values, parser):
    parsed, problems = parse_column(values, parser, required=True)
    expected = []
    for value in values:
        try:
            expected.append(parser(value))
        except ValueProblem:
            expected.append(None)
    assert [type(item) for item in parsed] == [type(item) for item in expected]
    assert parsed == expected
    assert len(problems) == expected.count(None)


@pytest.mark.parametrize(
    ("amount", "like", "shown"),
    [
        (800_000, 1_500_000, "£0.8m"),
        (800_000, None, "£800,000"),
        (113_000_000, 278_000_000, "£113m"),
        (50_000, 700_000, "£50,000"),
        (2_000, 3_000_000, "£2,000"),  # "£0m" would say nothing
    ],
)
def test_a_change_is_written_in_the_style_of_the_figure_beside_it(amount, like, shown):
    from lgadata.values import format_money

    assert format_money(amount, like=like) == shown
