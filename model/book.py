"""The contact book: searching, sorting and paging contacts in SQL, and each
channel's status today.

Pure Python (no Qt): the contact list and the contact page in ``ui/contacts.py``
read everything through these functions.

- Search: every word typed must appear in the name, email, phone or postcode
  (any case; a phone typed as ``07700 900123`` finds ``+447700900123``).
- Sort and page: keyset paging ("the 200 rows after this one"), so the 500th
  batch costs what the first does; an OFFSET would sort and skip every row
  before it (measured: 0.3 s at offset 50,000 of 100,000 contacts).
- Status today: "could we market to them today about what they last bought?",
  answered by the engine (``engine.run``) for a batch of contacts at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .contacts import add_event, check_event, find_contact
from .engine import (
    CampaignSpec,
    Decision,
    RuleSettings,
    day_number,
    day_text,
    run,
)
from .errors import InputError
from .normalise import (
    CHANNELS,
    clean_text,
    normalise_postcode,
    parse_date,
)
from .normalise import (
    today as today_date,
)
from .rules import BASIS_TEXT, SALE_OR_NEGOTIATION, type_mask
from .store import Store

#: the columns the book sorts by
SORT_COLUMNS: tuple[str, ...] = ("name", "email", "phone", "postcode", "last_event")

#: the campaign category of a contact with no sale or negotiation: any path does,
#: since such a contact has no event for the similarity test to read
NO_CATEGORY = "(nothing bought)"


class BookRow(NamedTuple):
    """One line of the contact book."""

    id: int
    name: str | None
    email: str | None
    phone: str | None
    postcode: str | None
    name_key: str | None  # the name as sorted: no case, no spaces
    last_day: int | None  # the latest event's date as a number (20261129)

    @property
    def last_event(self) -> str | None:
        """The date of the latest event, YYYY-MM-DD."""
        return day_text(self.last_day)


# --- search -------------------------------------------------------------------

_PHONE_LIKE = re.compile(r"^\+?[\d\s\-().]+$")
_NOT_DIGIT = re.compile(r"\D")


def _phone_fragment(text: str) -> str | None:
    """A typed phone number (or part) as stored numbers spell it, or None.

    ``07700 900123`` -> ``+447700900123``; ``0044 7700`` -> ``+447700``;
    ``900123`` -> ``900123`` (anywhere in the number).
    """
    digits = _NOT_DIGIT.sub("", text)
    if not digits:
        return None
    if text.lstrip().startswith("+") or digits.startswith("00"):
        return "+" + digits.removeprefix("00")
    if digits.startswith("0"):
        return "+44" + digits[1:]  # a UK number with its trunk 0
    return digits


def _term_sql(n: int, word: str, phone: str | None) -> tuple[str, dict[str, str]]:
    """One word: found in the name, email, postcode or phone (bound parameters)."""
    folded = word.casefold()
    params = {f"t{n}": folded, f"u{n}": word.upper()}
    parts = [f"instr(c.name_key, :t{n})", f"instr(c.email, :t{n})", f"instr(c.postcode, :u{n})"]
    try:  # a whole postcode typed without its space: ls19zz
        params[f"p{n}"] = normalise_postcode(word)
        parts.append(f"c.postcode = :p{n}")
    except ValueError:
        pass
    if phone:
        params[f"d{n}"] = phone
        parts.append(f"instr(c.phone, :d{n})")
    return "(" + " OR ".join(parts) + ")", params


def search_sql(search: str) -> tuple[str, dict[str, str]]:
    """The WHERE condition for a typed search, and its parameters ("1" when empty).

    Every word must match; a search that looks like a phone number is one term.
    """
    text = search.strip()
    if not text:
        return "1", {}
    if _PHONE_LIKE.match(text) and sum(ch.isdigit() for ch in text) >= 3:
        compact = re.sub(r"[\s\-().]", "", text)
        terms = [(compact, _phone_fragment(text))]
    else:
        # a word of digits may be part of a phone number; "LS4" is not
        terms = [(w, _phone_fragment(w) if _PHONE_LIKE.match(w) else None) for w in text.split()]
    clauses, params = [], {}
    for n, (word, phone) in enumerate(terms):
        clause, p = _term_sql(n, word, phone)
        clauses.append(clause)
        params.update(p)
    return " AND ".join(clauses), params


def count(store: Store, search: str = "") -> int:
    """How many contacts match the search (all contacts when it is empty)."""
    where, params = search_sql(search)
    return int(
        store.execute(f"SELECT COUNT(*) FROM contacts c WHERE {where}", params).fetchone()[0]
    )


# --- sort and page --------------------------------------------------------------

# the value each sort column orders by (the name without case or spaces, so
# "da Silva" sorts among the Ds); last_day is a result column of _PAGE_SQL
_SORT_KEY = {
    "name": "c.name_key",
    "email": "c.email",
    "phone": "c.phone",
    "postcode": "c.postcode",
    "last_event": "last_day",
}
_ROW_KEY = {"name": 5, "email": 2, "phone": 3, "postcode": 4, "last_event": 6}

_PAGE_SQL = """
SELECT c.id, c.name, c.email, c.phone, c.postcode, c.name_key,
       (SELECT MAX(e.day) FROM events e WHERE e.contact_id = c.id) AS last_day
FROM contacts c
WHERE {where} AND {keyset}
ORDER BY {order}
LIMIT :limit
"""


def page(
    store: Store,
    search: str = "",
    sort: str = "name",
    descending: bool = False,
    after: BookRow | None = None,
    limit: int = 200,
) -> list[BookRow]:
    """Up to ``limit`` contacts matching the search, in order, after the row ``after``.

    Contacts without a value for the sort column come last either way.
    """
    if sort not in _SORT_KEY:
        raise InputError(f"cannot sort by {sort!r}: expected one of {', '.join(SORT_COLUMNS)}")
    where, params = search_sql(search)
    key = _SORT_KEY[sort]
    direction, beyond = ("DESC", "<") if descending else ("ASC", ">")
    p: dict[str, object] = {**params, "limit": limit}
    after_value = None
    if after is not None:
        after_value = after[_ROW_KEY[sort]]
        p.update(after_value=after_value, after_id=after.id)

    def rows(keyset: str, order: str, **extra: object) -> list[BookRow]:
        sql = _PAGE_SQL.format(where=where, keyset=keyset, order=order)
        return [BookRow._make(r) for r in store.execute(sql, {**p, **extra})]

    if search.strip():
        # One scan and a sort of the matches: walking an index in order would
        # fetch every contact to test it (unary + keeps the planner off the index).
        k = f"+{key}"
        if after is None:
            keyset = "1"
        elif after_value is None:
            keyset = f"{k} IS NULL AND c.id {beyond} :after_id"
        else:
            keyset = f"({k} IS NULL OR ({k}, c.id) {beyond} (:after_value, :after_id))"
        return rows(keyset, f"{k} IS NULL, {k} {direction}, c.id {direction}")
    # Everyone: the contacts with a value, in the order of the column's index where
    # there is one (name, email, phone: no sort at all), then those without.
    found: list[BookRow] = []
    if after is None or after_value is not None:
        keyset = f"{key} IS NOT NULL"
        if after is not None:
            keyset += f" AND ({key}, c.id) {beyond} (:after_value, :after_id)"
        found = rows(keyset, f"{key} {direction}, c.id {direction}")
    if len(found) < limit:
        keyset = f"{key} IS NULL"
        if after is not None and after_value is None:
            keyset += f" AND c.id {beyond} :after_id"
        found += rows(keyset, f"c.id {direction}", limit=limit - len(found))
    return found


# --- each channel's status today ------------------------------------------------

_LATEST_SALE_SQL = """
SELECT t.id,
  (SELECT k.path FROM events e JOIN categories k ON k.id = e.category_id
   WHERE e.contact_id = t.id AND ((1 << e.type_code) & :sale_mask) != 0 AND e.day <= :day
   ORDER BY e.day DESC, e.id DESC LIMIT 1)
FROM temp.book_contacts t
"""


def campaign_categories(
    store: Store, contact_ids: Iterable[int], today: str | None = None
) -> dict[int, str | None]:
    """Each contact's latest sale or negotiation category up to today (None: none)."""
    store.fill_temp_ids("book_contacts", contact_ids)
    params = {"sale_mask": type_mask(SALE_OR_NEGOTIATION), "day": day_number(today or today_date())}
    return {int(r[0]): r[1] for r in store.execute(_LATEST_SALE_SQL, params)}


def channel_status(
    store: Store,
    contact_ids: Sequence[int],
    today: str | None = None,
    categories: dict[int, str | None] | None = None,
) -> dict[int, dict[str, Decision]]:
    """For each contact and channel: could we market to them today about what they
    last bought? (The campaign's category is that of their latest sale or
    negotiation event; see :func:`campaign_categories`.)

    The engine runs once per category and channel over the whole group, never once
    per contact. Post and phone do not depend on the category (DOMAIN.md 4.3, 4.4:
    only the email and SMS soft opt-in asks about similar products), so those two
    run once for all the contacts (tests/unit/test_book.py checks it stays so).
    """
    ids = list(dict.fromkeys(int(i) for i in contact_ids))
    result: dict[int, dict[str, Decision]] = {i: {} for i in ids}
    if not ids:
        return result
    day = today or today_date()
    settings = RuleSettings.from_store(store)
    if categories is None:
        categories = campaign_categories(store, ids, day)
    groups: dict[str, list[int]] = {}
    for i in ids:
        groups.setdefault(categories.get(i) or NO_CATEGORY, []).append(i)
    questions = [(ch, cat, group) for cat, group in groups.items() for ch in ("email", "sms")]
    questions += [(ch, NO_CATEGORY, ids) for ch in ("post", "phone")]
    for channel, category, group in questions:
        spec = CampaignSpec(channel, category, day)
        for d in run(store, spec, settings=settings, contact_ids=group).decisions:
            result[d.contact_id][channel] = d
    return {i: {ch: result[i][ch] for ch in CHANNELS} for i in ids}


# --- short words for a status, for a table cell --------------------------------

STATUS_BASIS: dict[str, str] = {
    "corporate_subscriber": "corporate",
    "consent": "consent",
    "charity_soft_opt_in": "charity soft opt-in",
    "soft_opt_in": "soft opt-in",
    "legitimate_interests": "legitimate interests",
    "tps_screened": "TPS screened",
}
STATUS_REASON: dict[str, str] = {
    "no_contact_point": "no address",
    "suppressed": "suppressed",
    "objected": "objected",
    "opted_out": "opted out",
    "no_qualifying_event": "no qualifying event",
    "third_party_source": "third-party source",
    "other_purpose": "other purpose",
    "charity_rules": "charity rules",
    "not_similar": "not similar",
    "no_optout_at_collection": "no opt-out offered",
    "lapsed": "lapsed",
    "no_basis": "no basis",
    "frequency_cap": "frequency cap",
    "tps_registered": "on the TPS",
    "not_screened": "not screened",
}
_NO_CONTACT_POINT = {
    "email": "no email",
    "sms": "no mobile",
    "post": "no address",
    "phone": "no number",
}


def status_text(decision: Decision, channel: str) -> str:
    """'✓ soft opt-in', '✗ opted out', '✗ no email +1' (the first reason, and how many more)."""
    if decision.eligible:
        return "✓ " + STATUS_BASIS.get(decision.basis or "", decision.basis or "")
    first = decision.reasons[0] if decision.reasons else ""
    word = (
        _NO_CONTACT_POINT[channel]
        if first == "no_contact_point"
        else STATUS_REASON.get(first, first)
    )
    more = f" +{len(decision.reasons) - 1}" if len(decision.reasons) > 1 else ""
    return f"✗ {word}{more}"


def status_text_longest(channel: str) -> str:
    """The longest status text a channel can show (to size a column)."""
    texts = [f"✓ {word}" for word in STATUS_BASIS.values()]
    texts += [f"✗ {word} +1" for word in STATUS_REASON.values()]
    texts.append(f"✗ {_NO_CONTACT_POINT[channel]} +1")
    return max(texts, key=len)


def status_explanation(decision: Decision) -> str:
    """The full sentence: the basis and its evidence, or every reason against."""
    if decision.eligible:
        basis = BASIS_TEXT.get(decision.basis or "", decision.basis or "")
        return f"Allowed: {basis}. {decision.evidence}"
    return decision.evidence


# --- recording from the contact page ----------------------------------------------


def _entry_date(raw: str, today: str) -> str:
    try:
        date = parse_date(raw)
    except ValueError as exc:
        raise InputError(f"date: {exc}") from None
    if date > today:
        raise InputError(f"date: {date} is in the future (today is {today})")
    return date


def record_event(
    store: Store,
    contact_id: int,
    values: dict[str, str | None],
    *,
    staff: str | None,
    today: str | None = None,
) -> int:
    """Add a collection event (ledger column names: event, date, category, ...) to a
    contact; InputError listing every problem, and nothing written, if any is wrong."""
    day = today or today_date()
    contact = find_contact(store, contact_id=contact_id)
    problems: list[tuple[str, str, str]] = []
    date: str | None = None
    try:
        date = _entry_date(values.get("date") or "", day)
    except InputError as exc:
        problems.append(("date", values.get("date") or "", str(exc).removeprefix("date: ")))
    if not clean_text(staff):
        problems.append(("staff", "", "choose who is serving first"))
    event = check_event({**values, "staff": staff}, problems, date)
    if event is not None and event.consented and not event.wording:
        # a consent entered by hand is evidence only with its words (DOMAIN.md 3)
        problems.append(("wording", "", "a consent needs the wording the contact was shown"))
    if problems or event is None:
        raise InputError(
            "; ".join(
                f"{col}: {expected}" + (f" (got {val!r})" if val else "")
                for col, val, expected in problems
            )
        )
    event.source = "record"
    with store.transaction():
        event_id = add_event(store, int(contact["id"]), event)
        store.audit(
            "record event",
            {"contact_id": contact["id"], "event": event.type, "date": event.date},
        )
    return event_id
