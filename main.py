"""Opt-in Ledger: composition root and command line (../shared/INTERFACE.md).

    python main.py [--db PATH]                  open the desktop app
    python main.py [--db PATH] COMMAND [ARGS]   run one command without a window

When staff accounts are on, every command takes --staff NAME (before or after the
command) and the PIN from OPTIN_LEDGER_PIN, or asks for it on a terminal.

Exit status: 0 success; 1 the input was refused (message on standard error,
store untouched); 2 the command line itself was wrong.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from model.errors import InputError

if TYPE_CHECKING:  # for annotations only: a command loads what it needs when it runs
    from model.actions import Campaign, Store
    from model.actions.recipients import Recipients
    from model.actions.staff import Task

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, with exit status 2 and a hint for a wrong command line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="main.py",
        description="Opt-in Ledger: who may be sent marketing, and why. "
        "Without a command, opens the desktop app.",
    )
    p.add_argument(
        "--db", metavar="PATH", help="the store file (default: ledger.db in the user's data folder)"
    )
    p.add_argument(
        "--staff",
        dest="signed_in",
        metavar="NAME",
        help="who you are, when staff accounts are on (the PIN from OPTIN_LEDGER_PIN, or asked "
        "for); accepted before or after any command",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add_data_commands(sub)
    _add_campaign_commands(sub)
    _add_safekeeping_commands(sub)
    _staff_option_everywhere(sub)
    return p


def _add_data_commands(sub: argparse._SubParsersAction) -> None:
    """settings, categories, imports, permissions, screening, eligible, suppress, demo."""

    s = sub.add_parser("settings", help="print every setting, or set one: settings KEY VALUE")
    s.add_argument("key", nargs="?")
    s.add_argument("value", nargs="?")

    c = sub.add_parser("category", help="the category tree: add, link, list")
    csub = c.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    ca = csub.add_parser("add", help="add a category (and its parents)")
    ca.add_argument("path")
    ca.add_argument("--one-range", action="store_true", help="mark everything inside it as similar")
    cl = csub.add_parser("link", help="mark two categories as similar, with the reason")
    cl.add_argument("path_a")
    cl.add_argument("path_b")
    cl.add_argument("--why", required=True, metavar="TEXT")
    csub.add_parser("list", help="the category tree, ranges and links")

    i = sub.add_parser("import", help="import a ledger CSV: all rows or none")
    i.add_argument("file")
    i.add_argument("--dry-run", action="store_true", help="check and report only")

    r = sub.add_parser("record", help="record an opt-out, consent or objection for one contact")
    r.add_argument("kind", choices=["opt-out", "consent", "objection"])
    who = r.add_mutually_exclusive_group(required=True)
    who.add_argument("--email")
    who.add_argument("--phone")
    who.add_argument("--contact", metavar="ID")
    r.add_argument("--channels", metavar="LIST")
    r.add_argument("--date", metavar="D")
    r.add_argument("--via", metavar="TEXT", help="how it came in: phone call, email, letter, ...")
    r.add_argument("--wording", metavar="TEXT")
    r.add_argument("--staff", metavar="NAME")

    sc = sub.add_parser("screen", help="record a TPS or CTPS screening")
    sc.add_argument("register", choices=["tps", "ctps"])
    sc.add_argument("file")
    sc.add_argument("--date", metavar="D")

    e = sub.add_parser("eligible", help="decide every contact for a campaign")
    e.add_argument("--channel", required=True, metavar="C")
    e.add_argument("--category", required=True, metavar="PATH")
    e.add_argument("--date", metavar="D")
    e.add_argument("--purpose", default="commercial", metavar="commercial|charitable")
    e.add_argument("--out", metavar="FILE", help="write the eligible contacts (CSV)")
    e.add_argument("--excluded", metavar="FILE", help="write the excluded contacts (CSV)")

    su = sub.add_parser("suppress", help="add a do-not-contact list")
    su.add_argument("file")
    su.add_argument("--channels", metavar="LIST", default="all")

    sub.add_parser("demo", help="fill an empty store with a sample shop")


def _add_campaign_commands(sub: argparse._SubParsersAction) -> None:
    """frozen campaigns and one person (report, erase)."""
    k = sub.add_parser("campaign", help="frozen campaigns: create, list, sent, export, report")
    ksub = k.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    kc = ksub.add_parser("create", help="freeze a campaign: its decisions are stored for good")
    kc.add_argument("--name", required=True, metavar="TEXT")
    kc.add_argument("--channel", required=True, metavar="C")
    kc.add_argument("--category", required=True, metavar="PATH")
    kc.add_argument("--date", metavar="D", help="the send date (default today)")
    kc.add_argument("--purpose", default="commercial", metavar="commercial|charitable")
    kc.add_argument(
        "--optout-text",
        metavar="TEXT",
        help="the campaign's opt-out instructions (default: the channel's setting)",
    )
    ksub.add_parser("list", help="every campaign, with its counts")
    ks = ksub.add_parser("sent", help="mark a campaign sent (this feeds the frequency cap)")
    ks.add_argument("id", metavar="ID")
    ks.add_argument("--date", metavar="D", help="the day it went out (default today)")
    ke = ksub.add_parser("export", help="the recipients as CSV, for a spreadsheet or for upload")
    ke.add_argument("id", metavar="ID")
    ke.add_argument("--out", required=True, metavar="FILE")
    ke.add_argument(
        "--for",
        dest="kind",
        choices=["spreadsheet", "upload"],
        default="spreadsheet",
        help="spreadsheet: protected cells, with basis and evidence (default); "
        "upload: raw values for a mailing service",
    )
    kr = ksub.add_parser("report", help="the printable recipient list and compliance record")
    kr.add_argument("id", metavar="ID")
    kr.add_argument("--list", metavar="FILE.pdf", help="write the recipient list")
    kr.add_argument("--record", metavar="FILE.pdf", help="write the compliance record")

    ct = sub.add_parser("contact", help="one person: report (subject access), erase")
    ctsub = ct.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    cr = ctsub.add_parser("report", help="everything held on one person, as a PDF")
    _who(cr)
    cr.add_argument("--out", required=True, metavar="FILE.pdf")
    ce = ctsub.add_parser("erase", help="erase the person, keeping a suppression entry")
    _who(ce)


def _add_safekeeping_commands(sub: argparse._SubParsersAction) -> None:
    """the audit trail, backups and restore, staff accounts."""
    a = sub.add_parser("audit", help="check the audit trail")
    asub = a.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    av = asub.add_parser("verify", help="check that the audit trail is whole and unaltered")
    av.add_argument(
        "--seal", metavar='"N HASH"', help="also prove entry N is still there with that hash"
    )
    asub.add_parser("seal", help='print the seal: "N HASH", the newest audit entry')

    b = sub.add_parser("backup", help="write a verified copy of the store")
    b.add_argument("file", nargs="?", help="where (default: the backups folder beside the store)")
    rs = sub.add_parser("restore", help="put a checked backup in the store's place")
    rs.add_argument("file")

    st = sub.add_parser("staff", help="staff accounts: add, list, remove, pin, accounts on|off")
    stsub = st.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    sa = stsub.add_parser("add", help="add an account (PIN: OPTIN_LEDGER_NEW_PIN or asked twice)")
    sa.add_argument("name")
    sa.add_argument("--role", required=True, choices=["till", "office", "owner"])
    stsub.add_parser("list", help="the accounts, their roles, and whether accounts are on")
    sr = stsub.add_parser("remove", help="remove an account")
    sr.add_argument("name")
    sp = stsub.add_parser("pin", help="a new PIN (OPTIN_LEDGER_NEW_PIN or asked twice)")
    sp.add_argument("name")
    so = stsub.add_parser("accounts", help="turn staff accounts on (an owner is needed) or off")
    so.add_argument("state", choices=["on", "off"])


def _staff_option_everywhere(sub: argparse._SubParsersAction) -> None:
    """--staff NAME after any command too (``record`` has its own --staff: who is credited,
    which is also who signs in when accounts are on)."""
    for parser in set(sub.choices.values()):
        nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            _staff_option_everywhere(nested[0])
        elif "--staff" not in parser._option_string_actions:
            parser.add_argument(
                "--staff",
                dest="signed_in",
                metavar="NAME",
                default=argparse.SUPPRESS,
                help="who you are, when staff accounts are on",
            )


def _who(parser: argparse.ArgumentParser) -> None:
    """--email E | --phone P | --contact ID, exactly one."""
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--email")
    who.add_argument("--phone")
    who.add_argument("--contact", metavar="ID")


# --- helpers ---------------------------------------------------------------------


def _date(value: str | None, option: str = "--date") -> str:
    from model.actions.dates import given_date

    return given_date(value, option)


def _open(args: argparse.Namespace) -> Store:
    from model.actions import default_store_path, open_store

    if args.db is not None and not args.db.strip():
        raise InputError("--db: an empty path (give the store file, e.g. --db shop.db)")
    path = args.db if args.db is not None else str(default_store_path())
    store = open_store(path)
    store.on_wait = lambda message: print(f"note: {message}", file=sys.stderr, flush=True)
    return store


# --- commands --------------------------------------------------------------------


def cmd_settings(store: Store, args: argparse.Namespace) -> int:
    from model.actions import setup

    if args.key is None:
        for key, value in setup.settings(store).items():
            print(f"{key}={value}")
        return EXIT_OK
    if args.value is None:
        print("main.py settings: error: give the value too: settings KEY VALUE", file=sys.stderr)
        return EXIT_USAGE
    value = setup.set_setting(store, args.key, args.value)
    print(f"{args.key}={value}")
    return EXIT_OK


def cmd_category(store: Store, args: argparse.Namespace) -> int:
    from model.actions import setup

    if args.action == "add":
        cat, changed = setup.add_category(store, args.path, one_range=args.one_range)
        state = "added" if changed else "already there"
        print(f"{cat.path}{' (one range)' if cat.one_range else ''}: {state}")
    elif args.action == "link":
        link = setup.link_categories(store, args.path_a, args.path_b, args.why)
        print(f"linked as similar: {link.a} ~ {link.b} ({link.why})")
    else:
        cats = setup.categories(store)
        if not cats:
            print("no categories yet")
        for cat in cats:
            depth = cat.path.count("/")
            name = cat.path.rsplit("/", 1)[-1]
            print(f"{'  ' * depth}{name}{'  [one range]' if cat.one_range else ''}")
        links = setup.links(store)
        if links:
            print("similar (linked by the shop):")
            for link in links:
                print(f"  {link.a} ~ {link.b}: {link.why}")
    return EXIT_OK


def cmd_import(store: Store, args: argparse.Namespace) -> int:
    from model.actions.imports import import_ledger_file

    report = import_ledger_file(store, args.file, dry_run=args.dry_run)
    print(report.summary())
    return EXIT_OK


def cmd_record(store: Store, args: argparse.Namespace) -> int:
    from model.actions.permissions import record_permission
    from model.actions.records import find_contact

    contact = find_contact(store, email=args.email, phone=args.phone, contact_id=args.contact)
    recorded = record_permission(
        store,
        contact.id,
        args.kind,
        channels=args.channels,
        date=args.date,
        via=args.via,
        wording=args.wording,
        staff=args.staff,
    )
    print(recorded.sentence())
    return EXIT_OK


def cmd_screen(store: Store, args: argparse.Namespace) -> int:
    from model.actions.imports import screen

    report = screen(store, args.register, args.file, args.date)
    print(report.summary())
    return EXIT_OK


def cmd_eligible(store: Store, args: argparse.Namespace) -> int:
    from model.actions.recipients import decide_and_write

    result = decide_and_write(
        store,
        args.channel,
        args.category,
        args.date,
        args.purpose,
        out=args.out,
        excluded=args.excluded,
    )
    if not result.category_known:
        print(
            f"note: {result.spec.category!r} is not in the shop's category tree; "
            "it is compared by its path",
            file=sys.stderr,
        )
    print(format_summary(result))
    return EXIT_OK


def format_summary(result: Recipients) -> str:
    """The eligible summary: counts by basis and by reason, in the rule book's order."""
    spec = result.spec
    lines = [
        f"campaign: {spec.channel} about {spec.category}, send date {spec.send_date}, "
        f"purpose {spec.purpose}",
        f"settings: soft_opt_in_months={result.settings.soft_opt_in_months}, "
        f"post_max_per_30_days={result.settings.post_max_per_30_days}",
        f"contacts: {result.total}",
        f"eligible: {result.eligible_count}",
    ]
    lines += [f"  {code}: {n}" for code, n in result.bases]
    lines.append(f"excluded: {result.excluded_count}")
    lines += [f"  {code}: {n}" for code, n in result.reasons]
    return "\n".join(lines)


def cmd_suppress(store: Store, args: argparse.Namespace) -> int:
    from model.actions.imports import suppress

    report = suppress(store, args.file, args.channels)
    print(report.summary())
    return EXIT_OK


def cmd_audit(store: Store, args: argparse.Namespace) -> int:
    from model.actions import safekeeping

    if args.action == "seal":
        print(safekeeping.audit_seal(store))
        return EXIT_OK
    found = safekeeping.audit_verify(store, args.seal)
    note = (
        ""
        if found.key_checked
        else "; the key check was not possible: this PC holds no key for this store "
        f"({found.key_file}), so a trail rewritten whole would not be found here"
    )
    print(f"audit trail whole: {found.entries} entries, every hash and row checks{note}")
    if args.seal is not None:
        number = args.seal.split()[0]
        print(f"the seal holds: nothing up to entry {number} was removed or rewritten")
    return EXIT_OK


def cmd_backup(store: Store, args: argparse.Namespace) -> int:
    from model.actions import safekeeping

    info = safekeeping.backup_store(store, args.file)
    print(f"backup written and verified: {info.path}")
    print(f"seal: {info.seal}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore runs on the closed store (which may be damaged): it never opens it."""
    from model.actions import default_store_path, safekeeping

    if args.db is not None and not args.db.strip():
        raise InputError("--db: an empty path (give the store file, e.g. --db shop.db)")
    path = args.db if args.db is not None else str(default_store_path())
    info, aside = safekeeping.restore_store(path, args.file)
    print(f"restored {path} from {info.path}")
    print(f"the backup: made {info.made}; seal {info.seal}")
    print(f"it holds: {info.held}")
    if aside is not None:
        print(f"the store it replaced is kept as {aside}")
    return EXIT_OK


def cmd_demo(store: Store, args: argparse.Namespace) -> int:
    from model.actions.setup import fill_sample_shop

    report = fill_sample_shop(store)
    print(report.summary())
    return EXIT_OK


def cmd_campaign(store: Store, args: argparse.Namespace) -> int:
    action = {
        "create": _campaign_create,
        "list": _campaign_list,
        "sent": _campaign_sent,
        "export": _campaign_export,
        "report": _campaign_report,
    }[args.action]
    return action(store, args)


def _campaign_create(store: Store, args: argparse.Namespace) -> int:
    from model.actions import campaigns

    created = campaigns.create(
        store,
        name=args.name,
        channel=args.channel,
        category=args.category,
        send_date=_date(args.date),
        purpose=args.purpose,
        optout_text=args.optout_text,
        created_by=_user(store),
    )
    campaign = created.campaign
    if not created.known_category:
        print(
            f"note: {campaign.category!r} is not in the shop's category tree; it is compared "
            "by its path",
            file=sys.stderr,
        )
    print(campaign.id)  # alone on the first line, for scripts
    print(format_campaign(store, campaign))
    return EXIT_OK


def format_campaign(store: Store, campaign: Campaign) -> str:
    """A frozen campaign's summary: what, when, the counts by basis and by reason."""
    from model.actions import campaigns
    from model.rules import BASES, REASONS

    summary = campaigns.summary(store, campaign.id)
    bases, reasons = summary.bases, summary.reasons
    settings = campaign.settings
    lines = [
        f"campaign {campaign.id} frozen: {campaign.name}",
        f"campaign: {campaign.channel} about {campaign.category}, send date "
        f"{campaign.send_date}, purpose {campaign.purpose}",
        f"opt-out: {campaign.optout_text}",
        f"settings: soft_opt_in_months={settings.get('soft_opt_in_months')}, "
        f"post_max_per_30_days={settings.get('post_max_per_30_days')}",
        f"contacts: {campaign.eligible + campaign.excluded}",
        f"eligible: {campaign.eligible}",
    ]
    lines += [f"  {code}: {bases[code]}" for code in BASES if bases.get(code)]
    lines.append(f"excluded: {campaign.excluded}")
    lines += [f"  {code}: {reasons[code]}" for code in REASONS if reasons.get(code)]
    if summary.voicemail_allowed is not None:
        lines.append(f"voicemail allowed: {summary.voicemail_allowed}")
    lines.append(f"fingerprint: sha256 {campaign.fingerprint}")
    return "\n".join(lines)


def _campaign_list(store: Store, args: argparse.Namespace) -> int:
    from model.actions import campaigns

    listed = campaigns.list_all(store)
    if not listed:
        print("no campaigns yet")
        return EXIT_OK
    rows = [("ID", "SEND DATE", "CHANNEL", "PURPOSE", "ELIGIBLE", "EXCLUDED", "SENT", "NAME")]
    for k in listed:
        rows.append(
            (
                str(k.id),
                k.send_date,
                k.channel,
                k.purpose,
                str(k.eligible),
                str(k.excluded),
                k.sent_date or "not sent",
                f"{k.name} ({k.category})",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=False)) + "  " + r[-1])
    return EXIT_OK


def _campaign_sent(store: Store, args: argparse.Namespace) -> int:
    from model.actions import campaigns

    k = campaigns.mark_sent(store, args.id, _date(args.date))
    print(f"campaign {k.id} ({k.name}) marked sent on {k.sent_date}: {k.eligible} recipients")
    return EXIT_OK


def _campaign_export(store: Store, args: argparse.Namespace) -> int:
    from model.actions import campaigns, check_output_path

    campaign = campaigns.get(store, args.id)
    check_output_path(args.out, "--out")
    result = campaigns.export(store, campaign.id, args.out, args.kind)
    how = "protected cells" if args.kind == "spreadsheet" else "raw values"
    print(
        f"campaign {campaign.id} ({campaign.name}): {_count(result.written, 'recipient')} "
        f"written to "
        f"{args.out} (for {args.kind}: {how})"
    )
    if result.voicemail_allowed is not None:
        print(f"voicemail allowed: {result.voicemail_allowed}")
    if result.erased:
        print(
            f"note: {_count(len(result.erased), 'recipient')} erased since the campaign was "
            "frozen left out (no details remain)",
            file=sys.stderr,
        )
    if result.withdrawn:
        ids = ", ".join(map(str, result.withdrawn))
        print(
            f"note: {_count(len(result.withdrawn), 'recipient')} left out: opted out, objected "
            f"or suppressed since the campaign was frozen (contact {ids}); the frozen "
            "record is unchanged",
            file=sys.stderr,
        )
    return EXIT_OK


def _campaign_report(store: Store, args: argparse.Namespace) -> int:
    from model.actions import campaigns, check_output_path

    campaign = campaigns.get(store, args.id)
    for option, path in (("--list", args.list), ("--record", args.record)):
        if path is not None:
            check_output_path(path, option)
    _report_function("reports.record", "draw_compliance_record")  # refused early if missing
    written = []
    if args.list is not None:
        info = campaigns.write_recipient_list(store, campaign.id, args.list)
        written.append(f"recipient list written to {args.list}{_pages(info)}")
    if args.record is not None:
        info = campaigns.write_compliance_record(
            store, campaign.id, args.record, produced_by=_user(store)
        )
        written.append(f"compliance record written to {args.record}{_pages(info)}")
    for line in written:
        print(f"campaign {campaign.id}: {line}")
    return EXIT_OK


def cmd_contact(store: Store, args: argparse.Namespace) -> int:
    from model.actions import records

    if args.action == "report":
        from model.actions import check_output_path, output_files

        check_output_path(args.out, "--out")
        contact = records.find_contact(
            store, email=args.email, phone=args.phone, contact_id=args.contact
        )
        with output_files(args.out) as (temp,):
            assert temp is not None
            info = records.write_contact_history(store, contact.id, temp, produced_by=_user(store))
        print(f"contact {contact.id}: report written to {args.out}{_pages(info)}")
        return EXIT_OK
    contact = records.find_contact(
        store, email=args.email, phone=args.phone, contact_id=args.contact
    )
    print(records.erase_contact(store, contact.id).summary())
    return EXIT_OK


def cmd_staff(store: Store, args: argparse.Namespace) -> int:
    from model.actions import staff

    if args.action == "list":
        print(f"staff accounts: {'on' if staff.accounts_on(store) else 'off'}")
        listed = staff.members(store)
        if not listed:
            print("no accounts yet")
        for member in listed:
            print(f"  {member.name}  ({member.role})")
    elif args.action == "add":
        staff.authorise(store, staff.signed_in(store), staff.Task.STAFF)  # before the PIN
        member = staff.add_member(store, args.name, args.role, _new_pin(args.name))
        print(f"added {member}")
    elif args.action == "remove":
        print(f"removed {staff.remove_member(store, args.name)}")
    elif args.action == "pin":
        staff.change_pin(store, args.name, _new_pin(args.name))
        print(f"{args.name.strip()}: PIN changed")
    else:
        on = args.state == "on"
        staff.set_accounts_on(store, on)
        if on:
            print("staff accounts are on: every command now needs --staff NAME and the PIN")
        else:
            print("staff accounts are off")
    return EXIT_OK


# --- staff accounts: who is running the command --------------------------------------


def sign_in(store: Store, args: argparse.Namespace) -> None:
    """Accounts off: the operating system's user is named on the audit entries. On: the
    member named by --staff signs in with the PIN, and the command needs their role."""
    from model.actions import staff

    if not staff.accounts_on(store):
        store.actor = _user()
        return
    name = getattr(args, "signed_in", None)
    credited = args.staff if args.command == "record" else None
    if name and credited and name.strip().casefold() != credited.strip().casefold():
        raise InputError(
            f"--staff {name!r} and --staff {credited!r}: with staff accounts on, the "
            "permission is credited to who signs in; give one name"
        )
    name = (name or credited or "").strip()
    if not name:
        raise InputError(
            "staff accounts are on: say who you are with --staff NAME (the PIN from "
            "OPTIN_LEDGER_PIN, or typed when asked)"
        )
    member = staff.sign_in(store, name, _pin(f"PIN for {name}: ", "OPTIN_LEDGER_PIN"))
    if args.command == "record":
        args.staff = member.name
    staff.require(store, command_task(args))


def command_task(args: argparse.Namespace) -> Task:
    """What the command asks of the signed-in member (``model.actions.staff`` says who may)."""
    from model.actions.staff import Task

    action = getattr(args, "action", None)
    if args.command == "settings":
        return Task.RECORD if args.key is None else Task.SETTINGS
    if args.command == "category":
        return Task.RECORD if action == "list" else Task.SETTINGS
    if args.command == "eligible":
        return Task.CAMPAIGNS if args.out is None and args.excluded is None else Task.EXPORT
    if args.command == "campaign":
        return {"export": Task.EXPORT, "report": Task.REPORTS}.get(str(action), Task.CAMPAIGNS)
    if args.command == "contact":
        return Task.REPORTS if action == "report" else Task.ERASE
    return {
        "import": Task.IMPORT,
        "record": Task.RECORD,
        "screen": Task.SCREEN,
        "suppress": Task.SUPPRESS,
        "demo": Task.SETTINGS,
        "audit": Task.AUDIT,
        "backup": Task.BACKUP,
        "restore": Task.BACKUP,
        "staff": Task.STAFF,
    }[args.command]


def _may_restore(args: argparse.Namespace) -> None:
    """Restore is an owner's task when accounts are on. A store too damaged to open
    cannot say who its owners are: then restoring it is allowed (what it is for)."""
    from model.errors import StoreDamaged

    try:
        store = _open(args)
    except StoreDamaged:
        return
    try:
        sign_in(store, args)
    finally:
        store.close()


def _pin(prompt: str, variable: str) -> str:
    """A PIN from the environment, else typed on the terminal (never echoed)."""
    import getpass

    value = os.environ.get(variable)
    if value is not None:
        return value.strip()
    if not sys.stdin.isatty():
        raise InputError(
            f"staff accounts need a PIN: set {variable} (there is no terminal to ask on)"
        )
    return getpass.getpass(prompt).strip()


def _new_pin(name: str) -> str:
    """A new PIN from OPTIN_LEDGER_NEW_PIN, else typed twice on the terminal."""
    if os.environ.get("OPTIN_LEDGER_NEW_PIN") is not None:
        return _pin("", "OPTIN_LEDGER_NEW_PIN")
    first = _pin(f"new PIN for {name.strip()} (4 to 8 digits): ", "OPTIN_LEDGER_NEW_PIN")
    if _pin("the same PIN again: ", "OPTIN_LEDGER_NEW_PIN") != first:
        raise InputError("the two PINs differ; nothing was changed")
    return first


def _report_function(module: str, name: str) -> Callable[..., object]:
    """A PDF writer of reports/, imported when needed (reportlab is slow to load)."""
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise InputError(f"PDF reports are not available in this installation: {exc}") from None


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _pages(info: object) -> str:
    """The page count of a report's ReportInfo, as " (3 pages)", when it gives one."""
    pages = getattr(info, "pages", None)
    return f" ({_count(pages, 'page')})" if isinstance(pages, int) else ""


def _user(store: Store | None = None) -> str:
    """Who is producing it: the signed-in staff member, else the operating system's user."""
    import getpass

    if store is not None and store.actor:
        return str(store.actor)

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this user id
        return "unknown user"


COMMANDS = {
    "demo": cmd_demo,
    "settings": cmd_settings,
    "category": cmd_category,
    "import": cmd_import,
    "record": cmd_record,
    "screen": cmd_screen,
    "eligible": cmd_eligible,
    "suppress": cmd_suppress,
    "audit": cmd_audit,
    "backup": cmd_backup,
    "campaign": cmd_campaign,
    "contact": cmd_contact,
    "staff": cmd_staff,
}


def run_command(argv: Sequence[str]) -> int:
    """Run one command line; returns the exit status (never raises for bad input)."""
    parser = build_parser()
    args = parser.parse_args(list(argv))
    if args.command is None:
        return run_app(args, parser)
    check_command_line(parser, args)
    store = None
    try:
        if args.command == "restore":
            _may_restore(args)
            return cmd_restore(args)
        store = _open(args)
        sign_in(store, args)
        return COMMANDS[args.command](store, args)
    except InputError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        print(f"error: {exc.message}", file=sys.stderr)
        return EXIT_REFUSED
    except sqlite3.OperationalError as exc:
        if "malformed" not in str(exc):
            print(f"error: the store could not be used: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        return _refuse_damaged(args, exc)
    except sqlite3.DatabaseError as exc:  # a damaged page met while reading
        return _refuse_damaged(args, exc)
    except BrokenPipeError:
        return EXIT_OK
    finally:
        if store is not None:
            store.close()


def _refuse_damaged(args: argparse.Namespace, exc: Exception) -> int:
    from model.actions import damaged, default_store_path

    path = args.db if args.db is not None else str(default_store_path())
    print(f"error: {damaged(path, str(exc)).message}", file=sys.stderr)
    return EXIT_REFUSED


def check_command_line(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """What argparse cannot say: exit 2 before the store is even opened."""
    if args.command == "campaign" and args.action == "report":
        if args.list is None and args.record is None:
            parser.error("campaign report: give --list FILE.pdf, --record FILE.pdf or both")


def run_app(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """The desktop app on the store (created on first use; the first run offers the
    sample shop)."""
    from model.actions import default_store_path

    if args.db is not None and not args.db.strip():
        print("error: --db: an empty path", file=sys.stderr)
        return EXIT_REFUSED
    log_path = setup_logging()
    from ui.app import start

    return start(args.db if args.db is not None else str(default_store_path()), log_path)


def setup_logging() -> Path | None:
    """A rotating log file in the user's log folder; quiet on the console."""
    import logging.handlers

    try:
        import platformdirs

        from model.actions import private_folder

        folder = Path(platformdirs.user_log_dir("opt-in-ledger", appauthor=False))
        private_folder(folder)
        path = folder / "opt-in-ledger.log"
        if not path.exists():  # the log names customers: its owner's only
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (or the app); the log file is set up when there is
    something to log, so a quick command does not pay for it."""
    try:
        return run_command(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted: nothing was changed by the unfinished command", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # a bug, not bad input: log it, say where the details are
        import logging

        log_path = setup_logging()
        logging.getLogger("optin_ledger").exception("unexpected error")
        if os.environ.get("OPTIN_LEDGER_DEBUG"):
            raise
        where = f" (details in {log_path})" if log_path else ""
        print(f"error: unexpected failure: {exc.__class__.__name__}: {exc}{where}", file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
