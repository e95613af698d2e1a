"""Normalisation of what people type, done once at entry.

Every value is stored in one canonical form so that matching, suppression and
screening compare like with like: emails lower-cased and trimmed, phones in
international form (+44...), postcodes in capitals with one space, category
paths as the rule book compares them (DOMAIN.md section 5).

Each function returns the canonical value or raises ``ValueError`` with a
message that says, in words, what is expected.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from functools import lru_cache
from typing import Any

from .vocab import Channel

# phonenumbers and email-validator are imported where they are used: together they
# take a tenth of a second to load, which a command that only decides need not pay.

# --- channels -------------------------------------------------------------

CHANNELS: tuple[str, ...] = tuple(Channel)
CHANNEL_BIT: dict[str, int] = {c: c.bit for c in Channel}
ALL_CHANNELS_MASK = sum(CHANNEL_BIT.values())


def parse_channels(text: str | None, *, allow_empty: bool = True) -> int:
    """Parse a channel list (``email;sms``, ``email,sms`` or ``all``) into a bit mask."""
    if text is None or not text.strip():
        if allow_empty:
            return 0
        raise ValueError("expected one or more of email, sms, post, phone (or all)")
    mask = 0
    for part in re.split(r"[;,]", text):
        name = part.strip().lower()
        if not name:
            continue
        if name == "all":
            mask |= ALL_CHANNELS_MASK
        elif name in CHANNEL_BIT:
            mask |= CHANNEL_BIT[name]
        else:
            raise ValueError(
                f"unknown channel {part.strip()!r}: expected email, sms, post, phone or all"
            )
    if not mask and not allow_empty:
        raise ValueError("expected one or more of email, sms, post, phone (or all)")
    return mask


def channel_names(mask: int) -> list[str]:
    """The channel names in a mask, in the rule book's order."""
    return [c for c in CHANNELS if mask & CHANNEL_BIT[c]]


def format_channels(mask: int) -> str:
    return ";".join(channel_names(mask))


# --- email ----------------------------------------------------------------

# A strict shape that email-validator always accepts; anything else is checked
# by email-validator itself (which is slower, so the common case skips it).
_SIMPLE_EMAIL = re.compile(
    r"^[a-z0-9_%+\-]+(?:\.[a-z0-9_%+\-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$"
)


@lru_cache(maxsize=200_000)
def normalise_email(raw: str) -> str:
    """Lower-case and trim an email address, refusing one that is malformed."""
    text = raw.strip().lower()
    if not text:
        raise ValueError("empty email address")
    if "@" not in text:
        raise ValueError("not an email address: it has no @")
    if len(text) <= 254 and _SIMPLE_EMAIL.match(text) and len(text.split("@")[0]) <= 64:
        return text
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid email address: {exc}") from None
    return result.normalized.lower()


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1]


# Free webmail providers (DOMAIN.md section 2, policy): an address there is an
# individual's address for email, whatever the contact type.  ``hotmail.*``,
# ``live.*`` and ``yahoo.*`` match any ending.
_WEBMAIL_EXACT = frozenset(
    """
    gmail.com googlemail.com outlook.com icloud.com me.com mac.com aol.com aol.co.uk
    aim.com btinternet.com btopenworld.com talk21.com sky.com virginmedia.com
    virgin.net blueyonder.co.uk ntlworld.com talktalk.net tiscali.co.uk
    protonmail.com protonmail.ch proton.me pm.me msn.com ymail.com rocketmail.com
    gmx.com gmx.co.uk gmx.net gmx.de mail.com email.com zoho.com zohomail.eu
    tutanota.com tutanota.de tuta.io fastmail.com fastmail.fm hushmail.com
    plus.net plusnet.com o2.co.uk orange.net wanadoo.co.uk freeserve.co.uk
    lineone.net uwclub.net yandex.com yandex.ru inbox.com qq.com 163.com 126.com
    mail.ru web.de
    """.split()
)
_WEBMAIL_FIRST_LABEL = frozenset({"hotmail", "live", "yahoo", "outlook", "windowslive"})


def is_webmail(email: str) -> bool:
    """True when the address is at a free webmail provider."""
    labels = email_domain(email.lower()).split(".")
    # the domain or any domain above it (mail.gmail.com), or a family's name at any
    # level but the last (hotmail.co.uk, mail.yahoo.com)
    if any(".".join(labels[i:]) in _WEBMAIL_EXACT for i in range(len(labels))):
        return True
    return any(label in _WEBMAIL_FIRST_LABEL for label in labels[:-1])


# --- phone ----------------------------------------------------------------

# Ofcom reserves these ranges for drama and examples; phonenumbers calls some of
# them invalid, but they are well-formed UK numbers that shops' test files and
# our own sample data use (INTERFACE.md's own example is 07700 900123).
_OFCOM_DRAMA_MOBILE = re.compile(r"^7700900\d{3}$")
_OFCOM_DRAMA_FIXED = re.compile(r"^1632960\d{3}$")

_PHONE_JUNK = re.compile(r"[\s\-().\u00a0/]")


@lru_cache(maxsize=200_000)
def normalise_phone(raw: str) -> tuple[str, bool]:
    """Return ``(international form, is_mobile)`` for a UK or +country number."""
    text = raw.strip()
    if not text:
        raise ValueError("empty phone number")
    digits = _PHONE_JUNK.sub("", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+44"):
        nsn = digits[3:]
        if nsn.startswith("0"):  # "+44 (0)7700 900123"
            nsn = nsn[1:]
    elif digits.startswith("0") and not digits.startswith("+"):
        nsn = digits[1:]
    elif digits.startswith("+"):
        return _normalise_foreign(text)
    elif digits.isdigit() and len(digits) == 12 and digits.startswith("44"):
        nsn = digits[2:]  # "447700900123": the + lost in a spreadsheet
    elif digits.isdigit() and len(digits) == 10 and digits[0] in "123578":
        nsn = digits  # "7700900123": a spreadsheet dropped the leading 0
    else:
        raise ValueError(
            f"not a UK phone number: {raw.strip()!r} (expected a number such as "
            "07700 900123 or +44 7700 900123)"
        )
    if not nsn.isdigit() or not 9 <= len(nsn) <= 10:
        raise ValueError(
            f"not a valid phone number: {raw.strip()!r} (expected a number such as "
            "07700 900123 or +44 7700 900123)"
        )
    if _OFCOM_DRAMA_MOBILE.match(nsn):
        return "+44" + nsn, True
    if _OFCOM_DRAMA_FIXED.match(nsn):
        return "+44" + nsn, False
    mobile = _gb_is_mobile(nsn)
    if mobile is not None:
        return "+44" + nsn, mobile
    import phonenumbers

    kind = phonenumbers.number_type(
        phonenumbers.PhoneNumber(country_code=44, national_number=int(nsn))
    )
    if kind == phonenumbers.PhoneNumberType.UNKNOWN:
        raise ValueError(f"not a valid UK phone number: {raw.strip()!r}")
    return "+44" + nsn, _is_mobile_type(kind)


def _is_mobile_type(kind: int) -> bool:
    from phonenumbers import PhoneNumberType

    return kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


_GB_PLAN: tuple[re.Pattern[str], list[tuple[re.Pattern[str], bool]]] | None = None


def _gb_is_mobile(nsn: str) -> bool | None:
    """Whether a number of the GB plan is a mobile, from phonenumbers' own GB patterns.

    ``phonenumbers.number_type`` tries every region sharing +44 (GB, GG, IM, JE)
    and costs ~25 microseconds a number; matching the GB patterns, compiled once,
    costs a fraction. None when the GB patterns do not decide (phonenumbers then
    answers, so the verdict is always phonenumbers').
    """
    global _GB_PLAN
    if _GB_PLAN is None:
        from phonenumbers.phonemetadata import PhoneMetadata

        meta: Any = PhoneMetadata.metadata_for_region("GB")
        kinds = []
        for name in (
            "mobile",
            "fixed_line",
            "toll_free",
            "premium_rate",
            "shared_cost",
            "voip",
            "personal_number",
            "pager",
            "uan",
            "voicemail",
        ):
            desc = getattr(meta, name, None)
            if desc is not None and desc.national_number_pattern:
                kinds.append((re.compile(desc.national_number_pattern), name == "mobile"))
        _GB_PLAN = (re.compile(meta.general_desc.national_number_pattern), kinds)
    general, kinds = _GB_PLAN
    if not general.fullmatch(nsn):
        return None
    matches = [mobile for pattern, mobile in kinds if pattern.fullmatch(nsn)]
    if len(matches) != 1:
        return None  # no pattern, or more than one: let phonenumbers decide
    return matches[0]


def _normalise_foreign(text: str) -> tuple[str, bool]:
    import phonenumbers

    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise ValueError(f"not a valid phone number: {text!r}") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"not a valid phone number: {text!r}")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, _is_mobile_type(phonenumbers.number_type(number))


def quick_phone_key(raw: str) -> str | None:
    """Cheap international form for matching register files; None if not a number.

    A TPS register can hold millions of lines: they are only compared with the
    numbers in the store, so they get the shape check, not the full validation.
    """
    digits = _PHONE_JUNK.sub("", raw.strip())
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+44"):
        nsn = digits[3:].removeprefix("0")
    elif digits.startswith("0"):
        nsn = digits[1:]
    elif digits.startswith("44") and len(digits) in (11, 12):
        nsn = digits[2:]
    elif digits.isdigit() and len(digits) == 10 and digits[0] in "123578":
        nsn = digits  # a spreadsheet dropped the leading 0
    elif digits.startswith("+") and digits[1:].isdigit() and 8 <= len(digits) <= 16:
        return digits
    else:
        return None
    if nsn.isdigit() and 9 <= len(nsn) <= 10:
        return "+44" + nsn
    return None


# --- postcode -------------------------------------------------------------

_POSTCODE_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


@lru_cache(maxsize=200_000)
def normalise_postcode(raw: str) -> str:
    """Capitals with one space before the last three characters (``LS1 9ZZ``)."""
    compact = re.sub(r"\s+", "", raw).upper()
    if not compact:
        raise ValueError("empty postcode")
    if compact == "GIR0AA":
        return "GIR 0AA"
    match = _POSTCODE_FULL.match(compact)
    if match:
        return f"{match.group(1)} {match.group(2)}"
    if compact.startswith("BFPO") and compact[4:].isdigit() and 1 <= len(compact) - 4 <= 4:
        return "BFPO " + compact[4:]
    raise ValueError(f"not a UK postcode: {raw.strip()!r} (expected a postcode such as LS1 9ZZ)")


# --- names, company numbers ----------------------------------------------


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """A name as matching compares it: without case or spacing."""
    return _SPACES.sub("", name).casefold()


def clean_text(raw: str | None) -> str | None:
    """Trim a free-text value; empty becomes None."""
    if raw is None:
        return None
    text = raw.strip()
    return text or None


_COMPANY_NUMBER = re.compile(r"^(?:[A-Z]{2}\d{6}|\d{1,8})$")


def normalise_company_number(raw: str) -> str:
    """A Companies House number: 8 characters, digits or two letters and six digits."""
    compact = re.sub(r"\s+", "", raw).upper()
    if not _COMPANY_NUMBER.match(compact):
        raise ValueError(
            f"not a company registration number: {raw.strip()!r} "
            "(expected 8 digits, or 2 letters and 6 digits such as SC123456)"
        )
    return compact.zfill(8)


# --- categories -----------------------------------------------------------


@lru_cache(maxsize=10_000)
def category_key(path: str) -> str:
    """A category path as the rule book compares it: no case, no spaces around ``/``."""
    parts = [_SPACES.sub(" ", p.strip()).casefold() for p in path.split("/")]
    parts = [p for p in parts if p]
    if not parts:
        raise ValueError("empty category path")
    return "/".join(parts)


def category_display(path: str) -> str:
    """A category path tidied for display, keeping the user's capitals."""
    parts = [re.sub(r"\s+", " ", p.strip()) for p in path.split("/")]
    parts = [p for p in parts if p]
    if not parts:
        raise ValueError("empty category path")
    return "/".join(parts)


def category_ancestors(key: str) -> list[str]:
    """``a/b/c`` -> ``["a", "a/b"]`` (the strict ancestors)."""
    parts = key.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


# --- dates ----------------------------------------------------------------

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@lru_cache(maxsize=20_000)
def parse_date(raw: str, *, allow_uk: bool = True) -> str:
    """Return ``YYYY-MM-DD`` for ``YYYY-MM-DD`` (or ``DD/MM/YYYY``); refuse impossible dates."""
    text = raw.strip()
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _UK_DATE.match(text) if allow_uk else None
        if not match:
            expected = "YYYY-MM-DD or DD/MM/YYYY" if allow_uk else "YYYY-MM-DD"
            raise ValueError(f"not a date: {text!r} (expected {expected})")
        day, month, year = (int(g) for g in match.groups())
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(f"no such date: {text!r}") from None


def today() -> str:
    return _dt.date.today().isoformat()


def months_back(iso_date: str, months: int) -> str:
    """The date moved back whole calendar months; a missing day becomes the month's last.

    2026-08-31 back 6 months is 2026-02-28 (DOMAIN.md 4.2 (d)).
    """
    date = _dt.date.fromisoformat(iso_date)
    total = date.year * 12 + (date.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    for day in range(date.day, 27, -1):
        try:
            return _dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return _dt.date(year, month, min(date.day, 28)).isoformat()


def days_back(iso_date: str, days: int) -> str:
    return (_dt.date.fromisoformat(iso_date) - _dt.timedelta(days=days)).isoformat()


# --- one-way hashes for the suppression list -----------------------------


def identity_hash(kind: str, value: str) -> str:
    """SHA-256 of a normalised identifier, so suppression keeps no readable detail."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def name_postcode_value(name: str, postcode: str) -> str:
    return f"{name_key(name)}|{postcode.replace(' ', '')}"


# --- record ids -------------------------------------------------------------

#: SQLite's largest integer key
MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]+")


def parse_id(value: str | int, what: str) -> int:
    """A record id as typed: ASCII digits only (``int()`` would also take "٣" or
    "1_000"), within SQLite's range. ValueError naming ``what`` otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value).strip()
        if not _ASCII_DIGITS.fullmatch(text):
            raise ValueError(f"{what} {value!r} is not a number (digits 0-9 only)")
        number = int(text)
    if not 1 <= number <= MAX_ID:
        raise ValueError(f"{what} {value!r} is out of range (1 to {MAX_ID})")
    return number
