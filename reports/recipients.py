"""The printable recipient list of a frozen campaign (INTERFACE.md ``campaign report --list``).

One PDF per campaign, A4, 'Page x of y' on every page, the campaign's header
(sender, channel, category, send date, opt-out instructions) on the first page and
its name on every page:

- email and SMS: a table of the recipients and their address or mobile number;
- post: the table, then the address labels on A4 sheets of 21 (3 x 7 labels of
  63.5 x 38.1 mm, the common L7160 layout) *in the same file*, so one report holds
  everything for the mailing; :class:`ReportInfo.label_pages` says which pages go
  on label stock. :func:`write_labels` writes the label sheets alone, for a
  printer's label tray;
- phone: a call sheet with room for notes and an "asked to stop" box per person,
  marking who may be left a voicemail: the mark decided and frozen with the
  campaign (DOMAIN.md 4.4; ``model.campaigns.voicemail_decided``), the same one the
  export and the compliance record read.

The rows come from ``model.actions.campaigns.recipient_list_rows``: the people and
their bases are the campaign's frozen decisions, never recomputed; names, addresses
and numbers are the contacts' details as held now. This module only draws them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from model.actions.campaigns import Campaign, RecipientList, RecipientRow
from model.errors import InputError

from .common import (
    CHANNEL_LABEL,
    ERASED,
    address_lines,
    basis_label,
    campaign_fields,
    display_name,
    phone_display,
    plural,
)
from .layout import (
    PAGE_HEIGHT,
    REGULAR,
    Cell,
    Column,
    Document,
    ReportInfo,
    draw_text,
    ellipsize,
    fit_width,
    pick_font,
    text_width,
    wrap,
)

# --- the A4 label sheet: 21 labels of 63.5 x 38.1 mm (3 across, 7 down) ----------

LABEL_COLUMNS, LABEL_ROWS = 3, 7
LABELS_PER_SHEET = LABEL_COLUMNS * LABEL_ROWS
LABEL_WIDTH, LABEL_HEIGHT = 63.5 * mm, 38.1 * mm
LABEL_PITCH_X = 66.0 * mm  # 2.5 mm between columns
LABEL_LEFT = 7.25 * mm  # (210 - 3 x 63.5 - 2 x 2.5) / 2
LABEL_TOP = 15.15 * mm  # (297 - 7 x 38.1) / 2
LABEL_PAD_X, LABEL_PAD_Y = 4.5 * mm, 3.0 * mm
LABEL_TEXT_WIDTH = LABEL_WIDTH - 2 * LABEL_PAD_X
LABEL_TEXT_HEIGHT = LABEL_HEIGHT - 2 * LABEL_PAD_Y
LABEL_SIZES = (10.0, 9.0, 8.0, 7.0)
LABEL_LEADING = 1.17

VOICEMAIL_ALLOWED = "Voicemail allowed"
NO_VOICEMAIL = "No voicemail"
STOP_BOX = "asked to stop"


# --- address labels ------------------------------------------------------------------


def _packed(parts: Sequence[str], font: str, size: float, width: float) -> list[str]:
    """Address parts run together, ', '-separated, as many to a line as fit."""
    out: list[str] = []
    for part in parts:
        joined = f"{out[-1]}, {part}" if out else part
        if out and text_width(joined, font, size) <= width:
            out[-1] = joined
        else:
            out.append(part)
    return out


def fit_label(name: str, lines: Sequence[str]) -> tuple[float, list[tuple[str, str]]]:
    """The size and the lines, as (font, text), that fit the name (bold) and address on
    a label. Tried in turn: one address part a line from 10 down to 8 points; the
    parts run together on fewer lines, 10 to 8 points; the same at 7 points; last,
    the middle cut with '…'. The name and the postcode (the last part) always stay,
    and nothing is wider than the label."""
    width, height = LABEL_TEXT_WIDTH, LABEL_TEXT_HEIGHT
    middle, last = list(lines[:-1]), list(lines[-1:])

    def laid(size: float, parts: Sequence[str], pack: bool) -> list[tuple[str, str]]:
        font, text = pick_font(name, True)
        out = [(font, line) for line in wrap(text, font, size, width, 2)]
        if pack and middle:
            font, _ = pick_font(", ".join(middle))
            parts = [*_packed([pick_font(p)[1] for p in middle], font, size, width), *last]
        for part in parts:
            font, text = pick_font(part)
            out += [(font, line) for line in wrap(text, font, size, width)]
        return out

    attempts = [(size, False) for size in LABEL_SIZES[:-1]]
    attempts += [(size, True) for size in LABEL_SIZES[:-1]]
    attempts += [(LABEL_SIZES[-1], False), (LABEL_SIZES[-1], True)]
    for size, pack in attempts:
        out = laid(size, lines, pack)
        if len(out) * size * LABEL_LEADING <= height:
            return size, out
    size = LABEL_SIZES[-1]
    room = int(height // (size * LABEL_LEADING))
    name_font, name_text = pick_font(name, True)
    head = [(name_font, line) for line in wrap(name_text, name_font, size, width, 2)]
    tail = laid(size, last, False)[len(head) :][-1:]
    body = laid(size, [", ".join(middle)], False)[len(head) :]
    body = body[: max(room - len(head) - len(tail), 0)]
    if body:
        font, text = body[-1]
        body[-1] = (font, ellipsize(text + " \u2026", font, size, width))
    return size, head + body + tail


def _draw_label(c: Canvas, x: float, top: float, name: str, lines: Sequence[str]) -> None:
    size, out = fit_label(name, lines)
    leading = size * LABEL_LEADING
    block = len(out) * leading
    # centred down the label
    y = top - LABEL_PAD_Y - (LABEL_TEXT_HEIGHT - block) / 2 - leading + size * 0.22
    for font, text in out:
        draw_text(c, font, size, x + LABEL_PAD_X, y, text)
        y -= leading


def _draw_label_sheets(
    doc: Document, campaign: Campaign, labels: Sequence[tuple[str, list[str]]]
) -> tuple[int, int] | None:
    """The label sheets, each a page without the running header; (first, last) page."""
    if not labels:
        return None
    sheets = -(-len(labels) // LABELS_PER_SHEET)
    first = doc.page_number + 1
    for sheet in range(sheets):
        c = doc.plain_page(
            (
                f"Address labels for campaign {campaign.id} ({campaign.name}): sheet "
                f"{sheet + 1} of {sheets}, {len(labels)} labels. A4 sheets of 21 labels, "
                "63.5 x 38.1 mm (L7160 layout).",
                "Print at actual size (100%, not 'fit to page'), on the label sheets.",
            ),
            footer_y=10 * mm,
        )
        c.setFillGray(0)
        chunk = labels[sheet * LABELS_PER_SHEET : (sheet + 1) * LABELS_PER_SHEET]
        for i, (name, lines) in enumerate(chunk):
            row, col = divmod(i, LABEL_COLUMNS)
            x = LABEL_LEFT + col * LABEL_PITCH_X
            top = PAGE_HEIGHT - LABEL_TOP - row * LABEL_HEIGHT
            _draw_label(c, x, top, name, lines)
    return first, doc.page_number


# --- the call sheet's notes column ---------------------------------------------------


def _notes_cell(c: Canvas, x: float, top: float, width: float, height: float) -> None:
    """Ruled lines to write on, and an 'asked to stop' box."""
    c.setStrokeGray(0.72)
    c.setLineWidth(0.4)
    box = 7.0
    right = x + width - 4
    label_w = c.stringWidth(STOP_BOX, REGULAR, 6.5)
    c.rect(right - box, top - 4 - box, box, box, stroke=1, fill=0)
    c.setFont(REGULAR, 6.5)
    c.setFillGray(0.25)
    c.drawString(right - box - 3 - label_w, top - 4 - box + 1.5, STOP_BOX)
    c.setFillGray(0)
    y = top - 4 - box - 9
    while y > top - height + 4:
        c.line(x + 4, y, right, y)
        y -= 10


# --- the list ------------------------------------------------------------------------


def _columns(channel: str, rows: int, top_id: int) -> tuple[list[Column], float]:
    """The table's columns for a channel, and the least height of a row."""
    number = Column("#", 0, align="right", width=fit_width("#", str(rows)))
    ident = Column("ID", 0, align="right", width=fit_width("ID", str(top_id)))
    basis = Column("Basis", 1.45)
    if channel == "email":
        return [number, ident, Column("Name", 2.5), Column("Email address", 3.6), basis], 0.0
    if channel == "sms":
        return [number, ident, Column("Name", 3.2), Column("Mobile number", 2.0), basis], 0.0
    if channel == "post":
        return [
            number,
            ident,
            Column("Name", 2.1),
            Column("Address", 3.6),
            Column("Postcode", 1.1),
            basis,
        ], 0.0
    return [
        number,
        Column("Name", 2.0),
        Column("Number to call", 1.55, bold=True),
        Column("Basis", 1.05),
        Column("Voicemail", 0, width=fit_width(VOICEMAIL_ALLOWED, NO_VOICEMAIL)),
        Column("Notes (outcome, call back)", 2.8, draw=_notes_cell),
    ], 44.0


def _instructions(channel: str, campaign: Campaign) -> str:
    optout = campaign.optout_text or "(none recorded)"
    if channel == "email":
        return (
            "Send only to the addresses below. Every email must say who it is from and "
            f"carry the opt-out instructions: \u201c{optout}\u201d"
        )
    if channel == "sms":
        return (
            "Text only the numbers below. Every message must say who it is from and "
            f"carry the opt-out instructions: \u201c{optout}\u201d"
        )
    if channel == "post":
        return (
            "Post only to the people below. Each mailing must say who it is from and how "
            f"to object: \u201c{optout}\u201d The address labels follow the list, 21 to "
            "an A4 sheet; print them at actual size (100%)."
        )
    return (
        "Call only the numbers below, and say who is calling. If asked, give the number "
        f"to stop our calls: \u201c{optout}\u201d If someone asks not to be called again, "
        "tick \u2018asked to stop\u2019 and record a phone opt-out the same day. Leave a "
        "voicemail only where the sheet says \u2018Voicemail allowed\u2019 (a recorded "
        "message counts as electronic mail, so it needs the SMS rules to be met; policy)."
    )


def _rows(channel: str, recipients: Sequence[RecipientRow]) -> Iterable[list[str | Cell]]:
    for n, r in enumerate(recipients, 1):
        name = display_name(r.name)
        if channel == "email":
            yield [str(n), str(r.contact_id), name, r.email or ERASED, basis_label(r.basis)]
        elif channel == "sms":
            phone = phone_display(r.phone) if r.phone else ERASED
            yield [str(n), str(r.contact_id), name, phone, basis_label(r.basis)]
        elif channel == "post":
            lines = address_lines(r.address, None)
            yield [
                str(n),
                str(r.contact_id),
                name,
                ", ".join(lines) if lines else ERASED,
                r.postcode or "",
                basis_label(r.basis),
            ]
        else:
            phone = phone_display(r.phone) if r.phone else ERASED
            # the frozen mark; not recorded (a campaign frozen before marks were kept)
            # is no voicemail, the cautious reading
            mark = (
                Cell(VOICEMAIL_ALLOWED)
                if r.voicemail is True
                else Cell(NO_VOICEMAIL, bold=True, shade=0.80)
            )
            yield [str(n), f"{name}\nID {r.contact_id}", phone, basis_label(r.basis), mark, ""]


def _document(rows: RecipientList, path: str | os.PathLike[str], what: str) -> Document:
    campaign = rows.campaign
    business = rows.business_name
    n = campaign.eligible
    return Document(
        path,
        title=f"{what}: {campaign.name}",
        header_left=f"{business} \u00b7 {what}",
        header_right=f"{campaign.name} \u00b7 {campaign.channel} \u00b7 {campaign.send_date}",
        footer_lines=(
            f"{what} for campaign {campaign.id}, {plural(n, 'recipient')}, decided "
            f"{campaign.created_at[:10]}; the people are the campaign's frozen decisions.",
            f"Recipient list SHA-256 fingerprint: {campaign.fingerprint or '(none)'}",
        ),
        author=business,
        subject=f"Recipients of campaign {campaign.id}",
    )


def _header(doc: Document, rows: RecipientList, what: str) -> None:
    """The title, the campaign's fields and the instructions to whoever sends it."""
    campaign = rows.campaign
    channel = campaign.channel
    doc.title(
        f"{what}: {campaign.name}",
        f"{rows.business_name} \u00b7 {CHANNEL_LABEL.get(channel, channel)} \u00b7 "
        f"{campaign.category} \u00b7 send date {campaign.send_date}",
    )
    fields = campaign_fields(campaign, rows.business_name, rows.business_address)
    fields.append(
        (
            "Recipients",
            f"{campaign.eligible:,} of {campaign.eligible + campaign.excluded:,} contacts "
            f"decided ({campaign.excluded:,} excluded; see the compliance record)",
        )
    )
    if channel == "phone":
        allowed = rows.voicemail_allowed
        fields.append(
            (
                "Voicemail",
                f"allowed for {allowed:,}, not for {len(rows.recipients) - allowed:,} "
                "(decided when the campaign was frozen: allowed only where SMS would be)",
            )
        )
    fields.append(("Fingerprint (SHA-256)", campaign.fingerprint or "(none)"))
    doc.fields(fields)
    doc.space(6)
    doc.note(_instructions(channel, campaign))


def draw_recipient_list(
    rows: RecipientList, path: str | os.PathLike[str], *, labels: bool = True
) -> ReportInfo:
    """Draw the printable recipient list of a frozen campaign to ``path`` (PDF).

    For post, the address-label sheets follow the list in the same file (unless
    ``labels=False``); the returned info gives their pages.
    """
    campaign = rows.campaign
    channel = campaign.channel
    recipients = rows.recipients
    what = "Call sheet" if channel == "phone" else "Recipient list"
    doc = _document(rows, path, what)
    _header(doc, rows, what)
    top_id = max((r.contact_id for r in recipients), default=0)
    columns, min_height = _columns(channel, len(recipients), top_id)
    doc.table(
        columns,
        _rows(channel, recipients),
        caption=f"{plural(len(recipients), 'recipient')}, by contact ID",
        min_row_height=min_height,
    )
    label_pages = None
    label_count = 0
    if channel == "post" and labels:
        items = _label_items(recipients)
        label_count = len(items)
        label_pages = _draw_label_sheets(doc, campaign, items)
    pages = doc.close()
    return doc.info(
        "call sheet" if channel == "phone" else "recipient list",
        pages,
        len(recipients),
        fingerprint=campaign.fingerprint,
        label_pages=label_pages,
        labels=label_count,
    )


def _label_items(recipients: Sequence[RecipientRow]) -> list[tuple[str, list[str]]]:
    """(name, address lines) per recipient with an address still held, in list order."""
    return [
        (r.name, address_lines(r.address, r.postcode))
        for r in recipients
        if r.name and r.address  # else erased since the campaign was decided
    ]


def draw_labels(rows: RecipientList, path: str | os.PathLike[str]) -> ReportInfo:
    """Draw only the address-label sheets of a postal campaign (A4, 21 labels a sheet)."""
    campaign = rows.campaign
    if campaign.channel != "post":
        raise InputError(
            f"campaign {campaign.id} ({campaign.name}) is a {campaign.channel} campaign: "
            "address labels are for post"
        )
    items = _label_items(rows.recipients)
    doc = _document(rows, path, "Address labels")
    label_pages = _draw_label_sheets(doc, campaign, items)
    if label_pages is None:
        doc.title(f"Address labels: {campaign.name}", "This campaign has no postal recipients.")
    pages = doc.close()
    return doc.info(
        "address labels",
        pages,
        len(items),
        fingerprint=campaign.fingerprint,
        label_pages=label_pages,
        labels=len(items),
    )


__all__ = [
    "LABELS_PER_SHEET",
    "NO_VOICEMAIL",
    "VOICEMAIL_ALLOWED",
    "draw_labels",
    "draw_recipient_list",
    "fit_label",
]
