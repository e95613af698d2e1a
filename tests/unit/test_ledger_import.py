"""The ledger CSV import: INTERFACE.md, "The ledger CSV (import)".

Model-level tests call ``model.ledger.import_ledger`` on a real store; a few run
the command line where the contract is about exit status and messages.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from model.errors import InputError
from model.ledger import import_ledger

ROOT = Path(__file__).resolve().parents[2]

HEADER = "name,email,phone,postcode,date,event,category,collected_via,optout_offered"


def write(tmp_path: Path, text: str, name: str = "ledger.csv", encoding: str = "utf-8") -> Path:
    """Write a CSV exactly as given (newline handling left to the text)."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_rows(tmp_path: Path, header: list[str], rows: list[list[str]], name="ledger.csv") -> Path:
    """Write a CSV with the csv module (RFC 4180 quoting)."""
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def committed(store) -> tuple[bytes, list[str]]:
    """The store file's committed bytes (after a checkpoint) and its logical dump."""
    store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(store.path).read_bytes(), list(store.db.conn.iterdump())


def contacts(store) -> list[dict]:
    return [dict(r) for r in store.query("SELECT * FROM contacts ORDER BY id")]


def events(store) -> list[dict]:
    return [dict(r) for r in store.query("SELECT * FROM events ORDER BY id")]


def category_keys(store) -> list[str]:
    return sorted(r[0] for r in store.execute("SELECT key FROM categories"))


def refused(store, path: Path, **kw) -> InputError:
    """Import must be refused; return the error."""
    with pytest.raises(InputError) as info:
        import_ledger(store, str(path), **kw)
    return info.value


def seeded(store, tmp_path: Path) -> None:
    """A store with two contacts and a category, so 'unchanged' means something."""
    path = write(
        tmp_path,
        HEADER + "\n"
        "Ann Lee,ann@example.com,07700 900111,LS1 9ZZ,2026-01-05,purchase,Bikes/Road,in_store,yes\n"
        "Bob Ray,bob@example.com,,,2026-01-06,general_enquiry,,online,\n",
        name="seed.csv",
    )
    import_ledger(store, str(path))


# --- the header ------------------------------------------------------------------


def test_header_names_any_case_and_order(store, tmp_path):
    """Header names are case-insensitive and may come in any order."""
    path = write(
        tmp_path,
        "Event, DATE ,Category,EMAIL,Name,OptOut_Offered\n"
        "purchase,2026-01-05,Bikes,a@example.com,Ann,yes\n",
    )
    report = import_ledger(store, str(path))
    assert report.contacts_created == 1 and report.events_added == 1
    (c,) = contacts(store)
    assert (c["name"], c["email"]) == ("Ann", "a@example.com")
    (e,) = events(store)
    assert (e["date"], e["type"], e["optout_offered"]) == ("2026-01-05", "purchase", "yes")


def test_unknown_column_refused_and_named(store, tmp_path):
    """A typo in a column name is refused, naming the column, not silently ignored."""
    path = write(tmp_path, "date,event,email,nmae\n2026-01-05,general_enquiry,a@example.com,Ann\n")
    err = refused(store, path)
    text = "\n".join(err.problems)
    assert "nmae" in text and "row 1" in text
    assert contacts(store) == []


def test_duplicate_column_refused(store, tmp_path):
    """A column given twice is refused (which of the two would count is unclear)."""
    path = write(
        tmp_path, "date,event,email,Email,name\n2026-01-05,general_enquiry,a@x.com,b@x.com,A\n"
    )
    err = refused(store, path)
    assert any("row 1" in p and "email" in p.lower() for p in err.problems), err.problems


def test_row_with_wrong_number_of_values_refused(store, tmp_path):
    """A row with more or fewer values than the header is refused, naming the row."""
    path = write(
        tmp_path,
        "date,event,email,name\n"
        "2026-01-05,general_enquiry,a@example.com,A,surplus\n"
        "2026-01-05,general_enquiry,b@example.com\n",
    )
    err = refused(store, path)
    assert [("row 2" in p, "row 3" in p) for p in err.problems] == [(True, False), (False, True)]
    assert contacts(store) == []


@pytest.mark.parametrize("missing", ["date", "event"])
def test_missing_required_column(store, tmp_path, missing):
    """A file without the date or event column is refused, naming the missing column."""
    cols = [c for c in ["date", "event", "email", "name"] if c != missing]
    values = {"date": "2026-01-05", "event": "general_enquiry", "email": "a@x.com", "name": "A"}
    path = write(tmp_path, ",".join(cols) + "\n" + ",".join(values[c] for c in cols) + "\n")
    err = refused(store, path)
    assert any(missing in p and "missing" in p for p in err.problems), err.problems
    assert contacts(store) == []


def test_utf8_bom_accepted(store, tmp_path):
    """A UTF-8 file saved with a byte-order mark (as Excel does) imports normally."""
    path = tmp_path / "bom.csv"
    path.write_bytes(
        b"\xef\xbb\xbfdate,event,email,name\n2026-01-05,general_enquiry,a@example.com,Zo\xc3\xab\n"
    )
    report = import_ledger(store, str(path))
    assert report.events_added == 1
    assert contacts(store)[0]["name"] == "Zoë"


# --- values ------------------------------------------------------------------------


def test_both_date_formats_accepted(store, tmp_path):
    """Dates may be YYYY-MM-DD or DD/MM/YYYY; both are stored as YYYY-MM-DD."""
    path = write(
        tmp_path,
        "date,event,email,name\n"
        "2026-01-05,general_enquiry,a@example.com,A\n"
        "31/12/2025,general_enquiry,b@example.com,B\n",
    )
    import_ledger(store, str(path))
    assert [e["date"] for e in events(store)] == ["2026-01-05", "2025-12-31"]


@pytest.mark.parametrize(
    "bad", ["2026-02-30", "30/02/2026", "2026-13-01", "yesterday", "05-01-2026"]
)
def test_impossible_or_unknown_dates_refused(store, tmp_path, bad):
    """A date that does not exist, or is in no accepted format, refuses the file."""
    path = write(tmp_path, f"date,event,email,name\n{bad},general_enquiry,a@example.com,A\n")
    err = refused(store, path)
    assert any("row 2" in p and "date" in p and bad in p for p in err.problems), err.problems
    assert contacts(store) == []


@pytest.mark.parametrize(
    "column,value",
    [
        ("email", "ann.example.com"),
        ("email", "ann@"),
        ("phone", "12345"),
        ("phone", "07700 90012"),
        ("event", "purchse"),
        ("collected_via", "carrier pigeon"),
        ("postcode", "NOT A PC"),
        ("contact_type", "company"),
    ],
)
def test_malformed_value_refused_and_named(store, tmp_path, column, value):
    """A malformed email, invalid phone, unknown event type, ... refuses the file, naming it."""
    row = {
        "date": "2026-01-05",
        "event": "general_enquiry",
        "name": "Ann",
        "email": "ann@example.com",
        "phone": "07700 900123",
        "postcode": "LS1 9ZZ",
        "collected_via": "online",
        "contact_type": "individual",
    }
    row[column] = value
    path = write_rows(tmp_path, list(row), [list(row.values())])
    err = refused(store, path)
    assert any(
        "ledger.csv" in p and "row 2" in p and column in p and value in p for p in err.problems
    ), err.problems
    assert contacts(store) == [] and events(store) == []


@pytest.mark.parametrize("column,event", [("opted_out", "opt_out"), ("consented", "consent")])
def test_unknown_channel_refused(store, tmp_path, column, event):
    """An unknown channel in opted_out or consented refuses the file, naming the value."""
    path = write_rows(
        tmp_path,
        ["date", "event", "email", "name", column],
        [["2026-01-05", event, "a@example.com", "A", "email;fax"]],
    )
    err = refused(store, path)
    assert any("row 2" in p and column in p and "fax" in p for p in err.problems), err.problems


def test_unknown_channel_on_a_collection_row_refused(store, tmp_path):
    """A refusal ticked at collection with an unknown channel is refused too."""
    path = write_rows(
        tmp_path,
        ["date", "event", "email", "name", "category", "optout_offered", "opted_out"],
        [["2026-01-05", "purchase", "a@example.com", "A", "Bikes", "yes", "telegram"]],
    )
    err = refused(store, path)
    assert any("opted_out" in p and "telegram" in p for p in err.problems), err.problems


@pytest.mark.parametrize(
    "event", ["purchase", "booking", "quote_request", "product_enquiry", "basket_add"]
)
def test_qualifying_event_without_category_refused(store, tmp_path, event):
    """A sale or negotiation event needs its category (DOMAIN.md section 3)."""
    path = write(tmp_path, f"date,event,email,name,category\n2026-01-05,{event},a@x.com,A,\n")
    err = refused(store, path)
    assert any("row 2" in p and "category" in p for p in err.problems), err.problems


@pytest.mark.parametrize("event,column", [("opt_out", "opted_out"), ("consent", "consented")])
def test_permission_row_needs_its_channels(store, tmp_path, event, column):
    """An opt_out row names its channels in opted_out, a consent row in consented."""
    path = write(tmp_path, f"date,event,email,name,{column}\n2026-01-05,{event},a@x.com,A,\n")
    err = refused(store, path)
    assert any("row 2" in p and column in p for p in err.problems), err.problems


def test_objection_row_needs_no_channels(store, tmp_path):
    """An objection row covers every channel without naming any."""
    path = write(tmp_path, "date,event,email,name\n2026-01-05,objection,a@example.com,A\n")
    report = import_ledger(store, str(path))
    assert report.events_added == 1
    assert events(store)[0]["type"] == "objection"


def test_channel_lists_and_all(store, tmp_path):
    """Channel lists are separated by ';' and 'all' means all four."""
    path = write(
        tmp_path,
        "date,event,email,name,opted_out,consented\n"
        "2026-01-05,opt_out,a@example.com,A,email; SMS,\n"
        "2026-01-05,consent,b@example.com,B,,all\n",
    )
    import_ledger(store, str(path))
    a, b = events(store)
    assert a["refused"] == 1 | 2 and a["consented"] == 0
    assert b["consented"] == 15


# --- every problem, located ----------------------------------------------------------


def test_every_problem_listed_with_row_column_value(store, tmp_path):
    """Every problem in the file is listed (not just the first), with file, row, column, value."""
    path = write(
        tmp_path,
        "date,event,email,phone,name,category,opted_out\n"
        "2026-02-30,general_enquiry,a@example.com,,A,,\n"  # row 2: date
        "2026-01-05,general_enquiry,bexample.com,,B,,\n"  # row 3: email
        "2026-01-05,general_enquiry,c@example.com,99,C,,\n"  # row 4: phone
        "2026-01-05,purchase,d@example.com,,D,,\n"  # row 5: category
        "2026-01-05,shopping,e@example.com,,E,,\n"  # row 6: event
        "2026-01-05,opt_out,f@example.com,,F,,fax\n"  # row 7: channel
        "2026-01-05,general_enquiry,g@example.com,,G,,\n",  # row 8: fine
        name="many.csv",
    )
    err = refused(store, path)
    expected = [
        (2, "date", "2026-02-30"),
        (3, "email", "bexample.com"),
        (4, "phone", "99"),
        (5, "category", ""),
        (6, "event", "shopping"),
        (7, "opted_out", "fax"),
    ]
    for row, column, value in expected:
        assert any(
            "many.csv" in p and f"row {row}," in p and f"column {column}" in p and value in p
            for p in err.problems
        ), (row, column, err.problems)
    assert not any("row 8" in p for p in err.problems)
    assert len(err.problems) == len(expected)
    assert "nothing" in err.message and "imported" in err.message
    assert contacts(store) == [] and events(store) == []


def test_row_numbers_count_a_multiline_address_as_one_row(store, tmp_path):
    """Row numbers are as a spreadsheet shows them: a quoted multi-line address is one row."""
    path = write(
        tmp_path,
        "name,email,address,date,event\n"
        'Ann,ann@example.com,"1 High Street\nHeadingley\nLeeds",2026-01-05,general_enquiry\n'
        "Bob,bob-at-example.com,,2026-01-05,general_enquiry\n",
    )
    err = refused(store, path)
    assert len(err.problems) == 1
    assert "row 3," in err.problems[0] and "bob-at-example.com" in err.problems[0]


def test_multiline_address_kept_whole(store, tmp_path):
    """Line breaks inside a quoted address are kept in the contact's address."""
    path = write(
        tmp_path,
        'name,email,address,date,event\r\nAnn,ann@example.com,"1 High Street\r\nLeeds",'
        "2026-01-05,general_enquiry\r\n",
    )
    import_ledger(store, str(path))
    assert contacts(store)[0]["address"].splitlines() == ["1 High Street", "Leeds"]


def test_blank_line_still_counts_as_a_row(store, tmp_path):
    """An empty line is skipped but still counted, so later row numbers match the spreadsheet."""
    path = write(
        tmp_path,
        "date,event,email,name\n2026-01-05,general_enquiry,a@example.com,A\n\n"
        "2026-01-05,general_enquiry,nope,B\n",
    )
    err = refused(store, path)
    assert any("row 4," in p and "nope" in p for p in err.problems), err.problems


# --- all or nothing ------------------------------------------------------------------


def test_refused_import_leaves_store_byte_for_byte_unchanged(store, tmp_path):
    """One bad row among good ones: nothing is imported and the store file is unchanged."""
    seeded(store, tmp_path)
    before = committed(store)
    path = write(
        tmp_path,
        HEADER + "\n"
        "Cat Jones,cat@example.com,07700 900222,LS2 8AA,2026-01-07,purchase,Tents,online,yes\n"
        "Ann Lee,ann@example.com,,,2026-01-08,opt_out,,,\n"  # an opt_out naming no channel
        "Dan Wu,dan@example.com,,,2026-01-09,booking,Bikes/Gravel,phone,no\n",
    )
    refused(store, path)
    assert not store.db.conn.in_transaction
    assert committed(store) == before


def test_refused_import_via_cli_leaves_file_unchanged(tmp_path):
    """On the command line a refused import exits 1, lists problems, the db file unchanged."""
    db = tmp_path / "x.db"
    good = write(tmp_path, "date,event,email,name\n2026-01-05,general_enquiry,a@example.com,A\n")
    bad = write(
        tmp_path,
        "date,event,email,name\n"
        "2026-01-06,general_enquiry,b@example.com,B\n"
        "2026-01-06,purchase,c-at-example.com,C\n",
        name="bad.csv",
    )
    cmd = [sys.executable, "main.py", "--db", str(db), "import"]
    first = subprocess.run(cmd + [str(good)], cwd=ROOT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    before = db.read_bytes()
    result = subprocess.run(cmd + [str(bad)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "unexpected failure" not in result.stderr
    assert "bad.csv" in result.stderr and "row 3" in result.stderr
    assert "c-at-example.com" in result.stderr and "email" in result.stderr
    assert "category" in result.stderr  # the second problem on the same row is listed too
    assert db.read_bytes() == before


def test_dry_run_reports_the_same_counts_and_writes_nothing(store, tmp_path):
    """--dry-run gives the counts a real import would, and leaves the store unchanged."""
    seeded(store, tmp_path)
    path = write(
        tmp_path,
        HEADER + "\n"
        "Ann Lee,ANN@example.com,,,2026-02-01,purchase,bikes / road,in_store,yes\n"
        "Cat Jones,cat@example.com,07700 900222,LS2 8AA,2026-02-02,purchase,Tents/Family,"
        "online,yes\n"
        "Cat Jones,,+44 7700 900222,,2026-02-03,quote_request,Tents,phone,no\n"
        "Bob Ray,bob@example.com,,,2026-02-04,objection,,,\n",
    )
    before = committed(store)
    dry = import_ledger(store, str(path), dry_run=True)
    assert committed(store) == before
    real = import_ledger(store, str(path))
    counts = ("rows", "contacts_created", "contacts_matched", "events_added", "categories_created")
    assert [getattr(dry, c) for c in counts] == [getattr(real, c) for c in counts]
    assert (real.contacts_created, real.contacts_matched, real.events_added) == (1, 2, 4)
    assert real.categories_created == 2  # Tents and Tents/Family; bikes/road exists


def test_dry_run_of_a_bad_file_is_refused_the_same_way(store, tmp_path):
    """--dry-run of a file with problems reports the same problems."""
    path = write(tmp_path, "date,event,email,name\n2026-01-05,general_enquiry,bad,A\n")
    assert refused(store, path, dry_run=True).problems == refused(store, path).problems


def test_cli_dry_run_prints_counts_and_store_unchanged(tmp_path):
    """`import FILE --dry-run` prints the counts and leaves the db file byte-for-byte unchanged."""
    db = tmp_path / "x.db"
    path = write(
        tmp_path,
        "date,event,email,name,category\n"
        "2026-01-05,purchase,a@example.com,A,Bikes\n"
        "2026-01-06,purchase,A@Example.com ,A,Bikes\n"
        "2026-01-06,general_enquiry,b@example.com,B,\n",
    )
    base = [sys.executable, "main.py", "--db", str(db)]
    subprocess.run(base + ["settings"], cwd=ROOT, capture_output=True, check=True)
    before = db.read_bytes()
    dry = subprocess.run(
        base + ["import", str(path), "--dry-run"], cwd=ROOT, capture_output=True, text=True
    )
    assert dry.returncode == 0, dry.stderr
    assert db.read_bytes() == before
    real = subprocess.run(base + ["import", str(path)], cwd=ROOT, capture_output=True, text=True)
    assert real.returncode == 0, real.stderr
    for out in (dry.stdout, real.stdout):
        assert "contacts created: 2" in out
        assert "events added: 3" in out
    assert db.read_bytes() != before


# --- matching --------------------------------------------------------------------------


def test_match_by_email_ignoring_case_and_spaces(store, tmp_path):
    """The same email, compared without case or surrounding spaces, is the same contact."""
    path = write(
        tmp_path,
        "date,event,email,name\n"
        "2026-01-05,general_enquiry,ann@example.com,Ann\n"
        '2026-01-06,general_enquiry," ANN@Example.COM ",Ann\n',
    )
    report = import_ledger(store, str(path))
    assert report.contacts_created == 1
    assert len(contacts(store)) == 1 and len(events(store)) == 2


def test_match_by_phone_across_formats(store, tmp_path):
    """The same phone in any usual format (0..., +44 ..., spaces) is the same contact."""
    path = write(
        tmp_path,
        "date,event,phone,name\n"
        "2026-01-05,general_enquiry,07700 900123,Ann\n"
        "2026-01-06,general_enquiry,+44 7700 900123,Ann\n"
        "2026-01-07,general_enquiry,07700900123,\n"
        "2026-01-08,general_enquiry,+44 (0)7700 900-123,\n",
    )
    import_ledger(store, str(path))
    (c,) = contacts(store)
    assert c["phone"] == "+447700900123"
    assert len(events(store)) == 4


def test_match_by_phone_against_existing_contact(store, tmp_path):
    """A later file matches an existing contact by phone in international form."""
    seeded(store, tmp_path)
    path = write(tmp_path, "date,event,phone\n2026-02-01,general_enquiry,+44 7700 900 111\n")
    report = import_ledger(store, str(path))
    assert (report.contacts_created, report.contacts_matched) == (0, 1)
    assert events(store)[-1]["contact_id"] == contacts(store)[0]["id"]


def test_match_by_name_and_postcode_ignoring_case_and_spacing(store, tmp_path):
    """Without email or phone in common, the same name and postcode is the same contact."""
    seeded(store, tmp_path)
    path = write(tmp_path, "date,event,name,postcode\n2026-02-01,general_enquiry,ann  LEE,ls19zz\n")
    report = import_ledger(store, str(path))
    assert (report.contacts_created, report.contacts_matched) == (0, 1)
    assert len(contacts(store)) == 2


def test_email_takes_precedence_over_name_and_postcode(store, tmp_path):
    """A row whose email matches one contact goes to that contact even if name+postcode differ."""
    seeded(store, tmp_path)
    path = write(
        tmp_path,
        "date,event,email,name,postcode\n"
        "2026-02-01,general_enquiry,bob@example.com,Ann Lee,LS1 9ZZ\n",
    )
    import_ledger(store, str(path))
    bob = next(c for c in contacts(store) if c["email"] == "bob@example.com")
    assert events(store)[-1]["contact_id"] == bob["id"]
    assert bob["name"] == "Bob Ray"  # kept, not overwritten


def test_same_name_different_postcode_is_a_new_contact(store, tmp_path):
    """The same name at another postcode is another person."""
    seeded(store, tmp_path)
    path = write(tmp_path, "date,event,name,postcode\n2026-02-01,general_enquiry,Ann Lee,M1 1AA\n")
    report = import_ledger(store, str(path))
    assert report.contacts_created == 1


def test_email_and_phone_of_two_contacts_refused(store, tmp_path):
    """A row whose email is one contact's and phone another's is refused, naming both."""
    seeded(store, tmp_path)
    before = committed(store)
    path = write(
        tmp_path,
        "date,event,email,phone,name\n"
        "2026-02-01,general_enquiry,bob@example.com,07700 900111,Bob Ray\n",
    )
    err = refused(store, path)
    assert len(err.problems) == 1
    assert "row 2" in err.problems[0]
    assert committed(store) == before


def test_email_and_phone_of_two_contacts_in_the_same_file_refused(store, tmp_path):
    """The two-people check also covers contacts created earlier in the same file."""
    path = write(
        tmp_path,
        "date,event,email,phone,name\n"
        "2026-01-05,general_enquiry,a@example.com,,A\n"
        "2026-01-05,general_enquiry,,07700 900123,B\n"
        "2026-01-06,general_enquiry,a@example.com,07700900123,A\n",
    )
    err = refused(store, path)
    assert any("row 4" in p for p in err.problems), err.problems
    assert contacts(store) == []


def test_matched_row_fills_missing_details_and_keeps_the_rest(store, tmp_path):
    """A matched row adds details the contact lacks and leaves the ones it has unchanged."""
    seeded(store, tmp_path)
    path = write(
        tmp_path,
        "date,event,email,name,phone,postcode,address\n"
        "2026-02-01,general_enquiry,bob@example.com,Robert Ray,07700 900333,ls2 8aa,"
        '"2 Low St, Leeds"\n'
        "2026-02-02,general_enquiry,ann@example.com,Annie,07700 900444,M1 1AA,\n",
    )
    import_ledger(store, str(path))
    ann, bob = contacts(store)
    assert bob["name"] == "Bob Ray"
    assert (bob["phone"], bob["postcode"], bob["address"]) == (
        "+447700900333",
        "LS2 8AA",
        "2 Low St, Leeds",
    )
    assert bob["phone_mobile"] == 1
    assert (ann["name"], ann["phone"], ann["postcode"]) == ("Ann Lee", "+447700900111", "LS1 9ZZ")


def test_filled_in_phone_is_used_for_later_matching(store, tmp_path):
    """A phone given for the first time on a row matches later rows by that phone."""
    path = write(
        tmp_path,
        "date,event,email,phone,name\n"
        "2026-01-05,general_enquiry,a@example.com,,Ann\n"
        "2026-01-06,general_enquiry,a@example.com,07700 900123,\n"
        "2026-01-07,general_enquiry,,+447700900123,\n",
    )
    report = import_ledger(store, str(path))
    assert report.contacts_created == 1
    (c,) = contacts(store)
    assert c["phone"] == "+447700900123" and len(events(store)) == 3


def test_new_contact_without_name_refused(store, tmp_path):
    """A row that creates a contact must give the name."""
    path = write(tmp_path, "date,event,email,name\n2026-01-05,general_enquiry,a@example.com,\n")
    err = refused(store, path)
    assert any("row 2" in p and "name" in p for p in err.problems), err.problems


def test_row_without_any_identifier_refused(store, tmp_path):
    """A row with no email, phone, or name and postcode identifies no one."""
    path = write(tmp_path, "date,event,email,name\n2026-01-05,general_enquiry,,Ann\n")
    err = refused(store, path)
    assert any("row 2" in p for p in err.problems), err.problems


def test_values_stored_normalised(store, tmp_path):
    """Email lower-cased, phone +44, postcode in capitals with one space."""
    path = write(
        tmp_path,
        "date,event,email,phone,postcode,name\n"
        "2026-01-05,general_enquiry, Ann@Example.COM ,0113 496 0123,ls1   9zz,Ann\n",
    )
    import_ledger(store, str(path))
    c = contacts(store)[0]
    assert (c["email"], c["phone"], c["postcode"]) == (
        "ann@example.com",
        "+441134960123",
        "LS1 9ZZ",
    )
    assert c["phone_mobile"] == 0


# --- categories ---------------------------------------------------------------------


def test_categories_created_with_parents_and_compared_loosely(store, tmp_path):
    """Categories are created if missing (with parents), compared without case or spaces at '/'."""
    path = write(
        tmp_path,
        "date,event,email,name,category\n"
        "2026-01-05,purchase,a@example.com,A,Bikes/Road\n"
        "2026-01-06,purchase,b@example.com,B,bikes / ROAD\n"
        "2026-01-07,purchase,c@example.com,C, BIKES/road \n",
    )
    report = import_ledger(store, str(path))
    assert category_keys(store) == ["bikes", "bikes/road"]
    assert report.categories_created == 2
    assert len({e["category_id"] for e in events(store)}) == 1


def test_existing_category_reused(store, tmp_path):
    """A category already in the tree is reused, whatever its capitals in the file."""
    from model.categories import add_category

    add_category(store, "Sales/Manchester/1-bed apartments")
    path = write(
        tmp_path,
        "date,event,email,name,category\n"
        "2026-01-05,quote_request,a@example.com,A,sales/MANCHESTER /1-Bed Apartments\n",
    )
    report = import_ledger(store, str(path))
    assert report.categories_created == 0
    assert len(category_keys(store)) == 3
