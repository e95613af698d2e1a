"""Normalisation at entry: examples and properties for every parser."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import normalise as n


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07700900123", ("+447700900123", True)),
        ("07700 900 123", ("+447700900123", True)),
        ("+44 7700 900123", ("+447700900123", True)),
        ("+44 (0)7700 900123", ("+447700900123", True)),
        ("0044 7700 900123", ("+447700900123", True)),
        ("0113 496 0123", ("+441134960123", False)),
        ("(0161) 496-0000", ("+441614960000", False)),
        ("07911 123456", ("+447911123456", True)),
        ("01632 960123", ("+441632960123", False)),
        ("447700900123", ("+447700900123", True)),  # the + lost in a spreadsheet
        ("7700900123", ("+447700900123", True)),  # the leading 0 dropped by a spreadsheet
        ("1134960123", ("+441134960123", False)),
    ],
)
def test_phone_forms(raw: str, expected: tuple[str, bool]) -> None:
    """Usual UK formats all become one international form, with the mobile flag."""
    assert n.normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "0770090012", "phone me", "+44", "07700 900 1234 5", ""])
def test_phone_refused(raw: str) -> None:
    """A value that is not a telephone number is refused with words."""
    with pytest.raises(ValueError, match="phone"):
        n.normalise_phone(raw)


@given(st.integers(min_value=0, max_value=999), st.sampled_from(["{}", "+44{}", "0044{}"]))
def test_drama_mobiles_are_one_number_in_every_format(suffix: int, shape: str) -> None:
    """Ofcom's drama mobiles (07700 900xxx) normalise to one key in any format."""
    national = f"7700900{suffix:03d}"
    raw = shape.format(national) if shape != "{}" else "0" + national
    assert n.normalise_phone(raw) == ("+44" + national, True)
    assert n.quick_phone_key(raw) == "+44" + national


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ls1 9zz", "LS1 9ZZ"),
        ("LS19ZZ", "LS1 9ZZ"),
        (" sw1a  1aa ", "SW1A 1AA"),
        ("m1 1ae", "M1 1AE"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_postcode_forms(raw: str, expected: str) -> None:
    """Postcodes are stored in capitals with one space before the last three characters."""
    assert n.normalise_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["LS1", "12345", "LS1 9Z", "not a postcode", ""])
def test_postcode_refused(raw: str) -> None:
    """Something that is not a UK postcode is refused."""
    with pytest.raises(ValueError):
        n.normalise_postcode(raw)


@given(
    st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]?", fullmatch=True),
    st.from_regex(r"[0-9][A-Z]{2}", fullmatch=True),
    st.sampled_from(["", " ", "  "]),
    st.booleans(),
)
def test_postcode_normalisation_is_stable(outward: str, inward: str, gap: str, lower: bool) -> None:
    """Any spacing or case of a well-formed postcode gives the same canonical form, once."""
    raw = outward + gap + inward
    once = n.normalise_postcode(raw.lower() if lower else raw)
    assert once == f"{outward} {inward}"
    assert n.normalise_postcode(once) == once


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Jane@Example.COM ", "jane@example.com"), ("a.b+tag@shop.co.uk", "a.b+tag@shop.co.uk")],
)
def test_email_forms(raw: str, expected: str) -> None:
    """Emails are trimmed and lower-cased."""
    assert n.normalise_email(raw) == expected


@pytest.mark.parametrize("raw", ["jane.example.com", "jane@", "@example.com", "a b@example.com"])
def test_email_refused(raw: str) -> None:
    """A malformed email is refused; one without @ says so."""
    with pytest.raises(ValueError) as info:
        n.normalise_email(raw)
    if "@" not in raw:
        assert "no @" in str(info.value)


def test_webmail() -> None:
    """Free webmail providers, including the wildcard families, are recognised."""
    for email in (
        "a@gmail.com",
        "b@hotmail.co.uk",
        "c@yahoo.fr",
        "d@live.com",
        "e@proton.me",
        "f@btinternet.com",
        "g@mail.yahoo.com",
        "h@sub.hotmail.com",
    ):
        assert n.is_webmail(email), email
    for email in ("sales@acme.co.uk", "info@gmail-shop.com", "x@livery.co.uk"):
        assert not n.is_webmail(email), email


def test_category_keys() -> None:
    """Paths compare without case or spaces around '/', keeping inner spaces."""
    assert n.category_key(" Sales / Manchester /1-bed  apartments ") == (
        "sales/manchester/1-bed apartments"
    )
    assert n.category_display("bikes /  Road") == "bikes/Road"
    assert n.category_ancestors("a/b/c") == ["a", "a/b"]
    with pytest.raises(ValueError):
        n.category_key(" / ")


@pytest.mark.parametrize(
    ("date", "months", "expected"),
    [
        ("2026-08-31", 6, "2026-02-28"),
        ("2028-08-31", 6, "2028-02-29"),
        ("2026-11-29", 24, "2024-11-29"),
        ("2026-03-31", 1, "2026-02-28"),
        ("2026-01-15", 1, "2025-12-15"),
    ],
)
def test_months_back(date: str, months: int, expected: str) -> None:
    """Calendar months back; a day missing from that month becomes its last day."""
    assert n.months_back(date, months) == expected


@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.integers(min_value=1, max_value=120),
)
@settings(max_examples=200)
def test_months_back_properties(date: dt.date, months: int) -> None:
    """The result lies in the right month, never after the original day-of-month."""
    result = dt.date.fromisoformat(n.months_back(date.isoformat(), months))
    assert (date.year * 12 + date.month) - (result.year * 12 + result.month) == months
    assert result.day <= date.day
    assert result.day == date.day or (result + dt.timedelta(days=1)).month != result.month


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2026-03-01", "2026-03-01"), ("01/03/2026", "2026-03-01"), ("1/3/2026", "2026-03-01")],
)
def test_dates(raw: str, expected: str) -> None:
    """ISO dates and UK day-first dates are accepted."""
    assert n.parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw", ["2026-02-30", "31/04/2026", "2026/03/01", "yesterday", "03-01-2026"]
)
def test_dates_refused(raw: str) -> None:
    """Impossible or unknown date forms are refused."""
    with pytest.raises(ValueError):
        n.parse_date(raw)


def test_channels() -> None:
    """Channel lists accept ';' or ',', any case, and 'all'; an unknown name is refused."""
    assert n.parse_channels("Email; SMS") == 3
    assert n.parse_channels("post,phone") == 12
    assert n.parse_channels("all") == 15
    assert n.format_channels(n.parse_channels("phone;email")) == "email;phone"
    with pytest.raises(ValueError, match="fax"):
        n.parse_channels("email;fax")


def test_company_numbers() -> None:
    """Company numbers are padded to 8 characters; junk is refused."""
    assert n.normalise_company_number("1234567") == "01234567"
    assert n.normalise_company_number("sc123456") == "SC123456"
    for bad in ("n/a", "ABC", "123456789"):
        with pytest.raises(ValueError):
            n.normalise_company_number(bad)


@given(st.from_regex(r"[123578][0-9]{8,9}", fullmatch=True))
@settings(max_examples=300)
def test_phone_shortcut_agrees_with_phonenumbers(nsn: str) -> None:
    """The GB-pattern shortcut gives phonenumbers' own verdict (valid, mobile or not)."""
    import phonenumbers

    number = phonenumbers.PhoneNumber(country_code=44, national_number=int(nsn))
    kind = phonenumbers.number_type(number)
    drama = nsn.startswith(("7700900", "1632960")) and len(nsn) == 10
    try:
        result = n.normalise_phone("0" + nsn)
    except ValueError:
        assert kind == phonenumbers.PhoneNumberType.UNKNOWN and not drama
        return
    mobile_kinds = (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    assert result == ("+44" + nsn, nsn.startswith("7700900") if drama else kind in mobile_kinds)
