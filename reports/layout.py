"""What every PDF shares: fonts, the page frame (header, footer, page x of y) and a
fast table drawn straight onto the canvas.

Why not reportlab's platypus tables: a Paragraph in every cell costs about a
millisecond a cell, so a 10,000-row compliance record would take many seconds.
Here each cell is word-wrapped with cached word widths and drawn with
``drawString``; a table breaks between rows and repeats its header on every page.

Fonts: Helvetica (built into every PDF reader, nothing embedded) for text it can
show (the Windows-1252 set: é, ’, “”, €, …); a cell with anything else (ł, ő, ş,
Greek, ...) is drawn in DejaVu Sans from the system, or else the Bitstream Vera
font that ships with reportlab, embedded as a subset. Nothing is downloaded.

"Page x of y": the canvas keeps its pages until ``save()``, then writes each
page's footer with the total (reportlab's documented NumberedCanvas recipe).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, NamedTuple

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 15 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
HEADER_BASELINE = PAGE_HEIGHT - 12 * mm
HEADER_RULE = PAGE_HEIGHT - 14.5 * mm
BODY_TOP = PAGE_HEIGHT - 20 * mm
BODY_BOTTOM = 21 * mm
FOOTER_RULE = 16 * mm
FOOTER_BASELINE = 12.5 * mm  # the first footer line; a second sits below it

REGULAR = "Helvetica"
BOLD = "Helvetica-Bold"
UNICODE_REGULAR = "OptInLedgerSans"
UNICODE_BOLD = "OptInLedgerSans-Bold"
ELLIPSIS = "\u2026"

# grey levels (0 black, 1 white)
HEADER_SHADE = 0.84
ZEBRA_SHADE = 0.955
RULE_GREY = 0.55


# --- fonts ----------------------------------------------------------------------

_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/truetype",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    os.path.expanduser("~/Library/Fonts"),
    os.path.expanduser("~/.local/share/fonts"),
    os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "Fonts"),
)


def _font_files() -> tuple[str, str] | None:
    """DejaVu Sans (regular, bold) from the system, else reportlab's own Vera."""
    for folder in _FONT_DIRS:
        regular = os.path.join(folder, "DejaVuSans.ttf")
        bold = os.path.join(folder, "DejaVuSans-Bold.ttf")
        if os.path.isfile(regular) and os.path.isfile(bold):
            return regular, bold
    import reportlab

    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    regular, bold = os.path.join(folder, "Vera.ttf"), os.path.join(folder, "VeraBd.ttf")
    if os.path.isfile(regular) and os.path.isfile(bold):
        return regular, bold
    return None


@lru_cache(maxsize=1)
def unicode_coverage() -> frozenset[int]:
    """Register the fallback font (once); the code points it can draw (empty: none found)."""
    files = _font_files()
    if files is None:
        return frozenset()
    try:
        regular = TTFont(UNICODE_REGULAR, files[0])
        bold = TTFont(UNICODE_BOLD, files[1])
    except Exception:  # a damaged font file: fall back to Helvetica with '?'
        return frozenset()
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(bold)
    return frozenset(regular.face.charToGlyph) & frozenset(bold.face.charToGlyph)


def _helvetica_can_show(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=100_000)
def pick_font(text: str, bold: bool = False) -> tuple[str, str]:
    """(font name, text to draw): Helvetica when it can show the text, else the fallback.

    Characters no available font has become '?', so nothing is silently dropped.
    """
    if text.isascii() or _helvetica_can_show(text):
        return (BOLD if bold else REGULAR), text
    covered = unicode_coverage()
    if not covered:
        return (BOLD if bold else REGULAR), text.encode("cp1252", "replace").decode("cp1252")
    if any(ord(ch) not in covered for ch in text):
        text = "".join(ch if ord(ch) in covered else "?" for ch in text)
    return (UNICODE_BOLD if bold else UNICODE_REGULAR), text


@lru_cache(maxsize=8)
def _char_widths(font: str) -> dict[str, float]:
    """Character -> width in 1/1000 em, for a standard (Windows-1252) font."""
    widths = pdfmetrics.getFont(font).widths
    table = {}
    for code in range(256):
        try:
            ch = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        table[ch] = float(widths[code])
    return table


def text_width(text: str, font: str, size: float) -> float:
    """The width of ``text`` in points (a table lookup for Helvetica: reportlab's own
    measuring runs in pure Python unless its optional accelerator is installed)."""
    if font in _STANDARD:
        try:
            return sum(map(_char_widths(font).__getitem__, text)) * size / 1000.0
        except KeyError:
            pass
    return pdfmetrics.stringWidth(text, font, size)


# --- drawing text fast -------------------------------------------------------------

_STANDARD = frozenset({REGULAR, BOLD})
_NEEDS_ESCAPE = re.compile(r"[\\()\x00-\x1f\x7f-\U0010ffff]")
_BYTE_ESCAPE = [
    f"\\{b:03o}" if b < 32 or b >= 127 else ("\\" + chr(b) if chr(b) in "\\()" else chr(b))
    for b in range(256)
]


def _pdf_literal(text: str) -> str:
    """``text`` as the inside of a PDF string for a Windows-1252 (WinAnsi) font."""
    if not _NEEDS_ESCAPE.search(text):
        return text
    return "".join([_BYTE_ESCAPE[b] for b in text.encode("cp1252", "replace")])


def draw_text(c: Canvas, font: str, size: float, x: float, y: float, text: str) -> None:
    """Draw one line at (x, y) in the current fill colour.

    For Helvetica this adds the PDF text operators as a literal (``addLiteral``: the
    same ones ``drawString`` writes, without building a text object per string, a
    fraction of the time); other fonts go through ``drawString``. Only reportlab's
    public API (reports are drawn on worker threads). A :class:`NumberedCanvas` knows
    the font in force, so ``setFont`` is written only when it changes.
    """
    if getattr(c, "text_font", None) != (font, size):
        c.setFont(font, size)
    if font in _STANDARD:
        c.addLiteral(f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm ({_pdf_literal(text)}) Tj ET")
    else:
        c.drawString(x, y, text)
        if isinstance(c, NumberedCanvas):
            c.text_font = None  # a subset font's text sets its own Tf


def draw_right(c: Canvas, font: str, size: float, right: float, y: float, text: str) -> None:
    draw_text(c, font, size, right - text_width(text, font, size), y, text)


# --- wrapping -------------------------------------------------------------------

_word_widths: dict[tuple[str, float], dict[str, float]] = {}


def _widths(font: str, size: float) -> dict[str, float]:
    table = _word_widths.get((font, size))
    if table is None:
        table = _word_widths[(font, size)] = {}
    return table


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Split one word wider than the column: after a '/', '-', '.', '@' or '_' where it
    can (a category path, an email address), else between characters (a hash)."""
    tokens = re.findall(r"[^/\-.@_]*[/\-.@_]?", word)
    pieces: list[str] = []
    current = ""
    for token in (t for t in tokens if t):
        if text_width(current + token, font, size) <= width:
            current += token
            continue
        if current:
            pieces.append(current)
            current = ""
        for ch in token:  # a token too wide by itself
            if current and text_width(current + ch, font, size) > width:
                pieces.append(current)
                current = ch
            else:
                current += ch
    if current:
        pieces.append(current)
    return pieces


def ellipsize(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut (at a word if it can) so that it and a closing '…' fit ``width``."""
    if text_width(text, font, size) <= width:
        return text
    text = text.rstrip()
    while text and text_width(text + ELLIPSIS, font, size) > width:
        cut = text.rfind(" ")
        text = text[:cut].rstrip() if cut > len(text) // 2 else text[:-1]
    return text + ELLIPSIS


@lru_cache(maxsize=50_000)
def wrap(text: str, font: str, size: float, width: float, max_lines: int = 0) -> tuple[str, ...]:
    """Word-wrap ``text`` to ``width`` points; line breaks in the text are kept.

    With ``max_lines``, a longer text is cut and its last line ends with '…', so
    nothing is ever drawn past the column edge.
    """
    words_w = _widths(font, size)
    space = text_width(" ", font, size)
    lines: list[str] = []
    for para in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        words = para.replace("\t", " ").split()
        if not words:
            lines.append("")
            continue
        line: list[str] = []
        line_w = 0.0
        for word in words:
            w = words_w.get(word)
            if w is None:
                w = words_w[word] = text_width(word, font, size)
            if w > width:
                if line:
                    lines.append(" ".join(line))
                pieces = _break_word(word, font, size, width)
                lines.extend(pieces[:-1])
                line, line_w = [pieces[-1]], text_width(pieces[-1], font, size)
            elif line and line_w + space + w > width:
                lines.append(" ".join(line))
                line, line_w = [word], w
            else:
                line_w += (space if line else 0.0) + w
                line.append(word)
        lines.append(" ".join(line))
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    if max_lines and len(lines) > max_lines:
        kept = lines[:max_lines]
        kept[-1] = ellipsize(kept[-1] + " " + ELLIPSIS, font, size, width)
        return tuple(kept)
    return tuple(lines)


# --- the canvas: "page x of y" ----------------------------------------------------

# Page streams are compressed but not also ASCII85-encoded (reportlab's default):
# a quarter smaller, and the encoding is a pure-Python loop over every byte. Set
# once, when the reports are first imported, never while a report is being drawn
# (reports are drawn on worker threads); nothing else in the app uses reportlab.
rl_config.useA85 = 0


#: room kept at the foot of every page for 'Page x of y', whatever the total
_PAGE_TEXT_ROOM = 7.5 * 0.556 * 8 + 7.5 * 2.0  # eight digits (Helvetica-Bold) and the words


def _page_form(number: int) -> str:
    return f"OptInLedgerPage{number}"


class NumberedCanvas(Canvas):
    """A canvas that writes each page's footer, with 'Page x of y', as the page ends.

    Set ``footer_lines`` (and ``footer_y``, ``footer_rule``) while drawing a page. The
    total is known only at the end, so each page shows a form holding its 'Page x of
    y', and the forms are drawn when the document is saved (a page may use a form
    defined later: reportlab's public ``doForm``/``beginForm``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.footer_lines: tuple[str, ...] = ()
        self.footer_y: float = FOOTER_BASELINE
        self.footer_rule: bool = True
        self.pages_done = 0
        #: the (font, size) in force in the page's graphics state, None when not known
        self.text_font: tuple[str, float] | None = None

    # the font in force is tracked through the public calls that change it; where it
    # cannot be known (a new page, a restored state, a form) it is forgotten

    def setFont(self, psfontname: str, size: float, leading: float | None = None) -> None:  # noqa: N802
        super().setFont(psfontname, size, leading)
        self.text_font = (psfontname, size)

    def restoreState(self) -> None:  # noqa: N802 (reportlab's name)
        super().restoreState()
        self.text_font = None

    def beginForm(self, *args: Any, **kwargs: Any) -> None:  # noqa: N802
        super().beginForm(*args, **kwargs)
        self.text_font = None

    def endForm(self, **extra: Any) -> None:  # noqa: N802 (reportlab's name)
        super().endForm(**extra)
        self.text_font = None

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self.pages_done += 1
        self.draw_footer(self.pages_done)
        super().showPage()
        self.text_font = None

    def save(self) -> None:
        total = self.pages_done
        size = 7.5
        for number in range(1, total + 1):
            self.beginForm(_page_form(number), 0, -size, PAGE_WIDTH, 2 * size)
            self.setFillGray(0.25)
            draw_right(self, BOLD, size, PAGE_WIDTH - MARGIN_X, 0, f"Page {number} of {total}")
            self.endForm()
        super().save()

    @property
    def page_count(self) -> int:
        """Pages finished so far."""
        return self.pages_done

    def draw_footer(self, number: int) -> None:
        """The footer's lines, its rule, and the place of 'Page x of y'."""
        self.saveState()
        self.translate(0, self.footer_y)
        self.doForm(_page_form(number))
        self.restoreState()
        self.setFillGray(0.25)
        room = BODY_WIDTH - _PAGE_TEXT_ROOM - 12
        y = self.footer_y
        for line in self.footer_lines[:2]:
            font, text = pick_font(line)
            draw_text(self, font, 7, MARGIN_X, y, ellipsize(text, font, 7, room))
            y -= 8.5
        if self.footer_rule:
            self.setStrokeGray(RULE_GREY)
            self.setLineWidth(0.4)
            self.line(MARGIN_X, FOOTER_RULE, PAGE_WIDTH - MARGIN_X, FOOTER_RULE)


# --- tables ---------------------------------------------------------------------


class Cell(NamedTuple):
    """A table cell with its own style (a plain ``str`` is the column's style)."""

    text: str
    bold: bool = False
    shade: float | None = None  # a grey background, to make a cell stand out


#: a row ready to draw: (font, lines, shade) per cell, and the row's height
_LaidRow = tuple[list[tuple[str, tuple[str, ...], float | None]], float]

#: a column's extra drawing, after its text: (canvas, x, top, width, height)
CellDrawer = Callable[[Canvas, float, float, float, float], None]


@dataclass(frozen=True)
class Column:
    title: str
    #: share of the table's width (the weights are scaled to the body width)
    weight: float
    align: str = "left"  # left | right
    bold: bool = False
    #: longer text is cut with '…' (keeps a runaway cell from filling pages)
    max_lines: int = 30
    draw: CellDrawer | None = None
    #: a fixed width in points (the weight is then ignored); see :func:`fit_width`
    width: float = 0.0


CELL_PAD_X, CELL_PAD_Y = 3.0, 2.6


def fit_width(*samples: str, size: float = 8.0, bold: bool = True) -> float:
    """The width of a column just wide enough for the widest sample (and its title)."""
    font = BOLD if bold else REGULAR
    return max(text_width(s, font, size) for s in samples) + 2 * CELL_PAD_X + 1


@dataclass(frozen=True)
class ReportInfo:
    """What was written: the file, its pages, and what it lists."""

    path: str
    kind: str
    pages: int
    #: people listed (recipients; decisions in a record; 1 in a contact history)
    people: int
    size_bytes: int
    #: the SHA-256 fingerprint of the campaign's recipient list (campaign reports)
    fingerprint: str | None = None
    #: first and last page of the address-label sheets (post), else None
    label_pages: tuple[int, int] | None = None
    labels: int = 0

    def moved_to(self, path: str) -> ReportInfo:
        """The same report, once its file is moved into place at ``path``."""
        return replace(self, path=path)


# --- the document ---------------------------------------------------------------


class Document:
    """One PDF being written top to bottom: a header on every page, the footer's
    lines and 'Page x of y' at the foot, and text that flows onto new pages."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        title: str,
        header_left: str,
        header_right: str,
        footer_lines: Sequence[str] = (),
        author: str = "",
        subject: str = "",
    ) -> None:
        self.path = os.fspath(path)
        self.canvas = NumberedCanvas(self.path, pagesize=A4, pageCompression=1, invariant=1)
        self.canvas.setTitle(title)
        self.canvas.setAuthor(author)
        self.canvas.setSubject(subject)
        self.canvas.setCreator("Opt-in Ledger")
        self.header_left = header_left
        self.header_right = header_right
        self.footer_lines = tuple(footer_lines)
        self.y = BODY_TOP
        self._open = False  # a page is being drawn

    # --- pages ---------------------------------------------------------------

    @property
    def page_number(self) -> int:
        """The number of the page being drawn (1-based)."""
        return self.canvas.page_count + (1 if self._open else 0)

    def new_page(self) -> None:
        """End the current page (if any) and start one with the running header."""
        if self._open:
            self.canvas.showPage()
        self._open = True
        c = self.canvas
        c.footer_lines = self.footer_lines
        c.footer_y = FOOTER_BASELINE
        c.footer_rule = True
        c.setFillGray(0.25)
        right_font, right = pick_font(self.header_right, True)
        right_w = min(text_width(right, right_font, 8), BODY_WIDTH * 0.48)
        right = ellipsize(right, right_font, 8, right_w)
        left_font, left = pick_font(self.header_left, True)
        left = ellipsize(left, left_font, 8, BODY_WIDTH - right_w - 14)
        draw_text(c, left_font, 8, MARGIN_X, HEADER_BASELINE, left)
        draw_right(c, right_font, 8, PAGE_WIDTH - MARGIN_X, HEADER_BASELINE, right)
        c.setStrokeGray(RULE_GREY)
        c.setLineWidth(0.4)
        c.line(MARGIN_X, HEADER_RULE, PAGE_WIDTH - MARGIN_X, HEADER_RULE)
        c.setFillGray(0)
        self.y = BODY_TOP

    def plain_page(self, footer_lines: Sequence[str], footer_y: float) -> Canvas:
        """A page without the running header (a label sheet), its footer at ``footer_y``."""
        if self._open:
            self.canvas.showPage()
        self._open = True
        c = self.canvas
        c.footer_lines = tuple(footer_lines)
        c.footer_y = footer_y
        c.footer_rule = False
        self.y = BODY_BOTTOM  # full: anything drawn after this starts a new page
        return c

    def _begin(self) -> None:
        if not self._open:
            self.new_page()

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` points are left on this one."""
        self._begin()
        if self.y - height < BODY_BOTTOM and self.y < BODY_TOP:
            self.new_page()

    def space(self, points: float) -> None:
        self._begin()
        self.y -= points

    def close(self) -> int:
        """Write the file; the number of pages."""
        self._begin()
        self.canvas.showPage()
        self._open = False
        pages = self.canvas.page_count
        self.canvas.save()
        return pages

    def info(self, kind: str, pages: int, people: int, **extra: Any) -> ReportInfo:
        return ReportInfo(self.path, kind, pages, people, os.path.getsize(self.path), **extra)

    # --- text ----------------------------------------------------------------

    def lines(
        self,
        text: str,
        *,
        size: float = 9.0,
        bold: bool = False,
        indent: float = 0.0,
        width: float | None = None,
        gray: float = 0.0,
        leading: float | None = None,
    ) -> None:
        """A paragraph, wrapped to the body width (or ``width``), flowing over pages."""
        self._begin()
        font, shown = pick_font(text, bold)
        leading = leading or size * 1.3
        avail = (width or BODY_WIDTH) - indent
        self.canvas.setFillGray(gray)
        for line in wrap(shown, font, size, avail):
            if self.y - leading < BODY_BOTTOM:
                self.new_page()
                self.canvas.setFillGray(gray)
            self.y -= leading
            draw_text(self.canvas, font, size, MARGIN_X + indent, self.y + leading * 0.22, line)
        self.canvas.setFillGray(0)

    def paragraph(self, text: str, *, size: float = 9.0, after: float = 4.0, **kw: Any) -> None:
        self.lines(text, size=size, **kw)
        self.y -= after

    def title(self, text: str, subtitle: str = "") -> None:
        """The document's title on its first page."""
        self._begin()
        self.lines(text, size=17, bold=True, leading=21)
        if subtitle:
            self.y -= 2
            self.lines(subtitle, size=10.5, gray=0.3, leading=14)
        self.y -= 10

    def heading(self, text: str, *, keep: float = 60.0) -> None:
        """A section heading, kept on the same page as the first ``keep`` points under it."""
        self.ensure(28 + keep)
        if self.y < BODY_TOP:
            self.y -= 8
        self.lines(text, size=12.5, bold=True, leading=16)
        self.canvas.setStrokeGray(0.7)
        self.canvas.setLineWidth(0.5)
        self.canvas.line(MARGIN_X, self.y - 2, PAGE_WIDTH - MARGIN_X, self.y - 2)
        self.y -= 8

    def bullets(self, items: Iterable[str], *, size: float = 9.0) -> None:
        for item in items:
            self.ensure(size * 1.3 + 2)
            bullet_y = self.y - size * 1.3 + size * 0.29
            draw_text(self.canvas, REGULAR, size, MARGIN_X + 4, bullet_y, "\u2022")
            self.lines(item, size=size, indent=14)
            self.y -= 2

    def fields(
        self, pairs: Sequence[tuple[str, str]], *, label_width: float = 118.0, size: float = 9.0
    ) -> None:
        """Label: value lines (the value wrapped beside its label)."""
        self._begin()
        leading = size * 1.3
        for label, value in pairs:
            label_font, label_text = pick_font(label, True)
            value_font, value_text = pick_font(value or "\u2014")
            label_lines = wrap(label_text, label_font, size, label_width - 8)
            value_lines = wrap(value_text, value_font, size, BODY_WIDTH - label_width)
            height = max(len(label_lines), len(value_lines)) * leading + 2
            if height <= BODY_TOP - BODY_BOTTOM:
                self.ensure(height)
            y = self.y
            for i, line in enumerate(label_lines):
                line_y = y - (i + 1) * leading + leading * 0.22
                draw_text(self.canvas, label_font, size, MARGIN_X, line_y, line)
            for i, line in enumerate(value_lines):
                if y - (i + 1) * leading < BODY_BOTTOM:  # a very long value flows on
                    self.new_page()
                    y = self.y + i * leading
                line_y = y - (i + 1) * leading + leading * 0.22
                draw_text(self.canvas, value_font, size, MARGIN_X + label_width, line_y, line)
            self.y = y - height

    def note(
        self, text: str, *, size: float = 9.0, shade: float = 0.93, bold: bool = False
    ) -> None:
        """A shaded box of text (a warning, an instruction), kept on one page."""
        font, shown = pick_font(text, bold)
        pad = 6.0
        leading = size * 1.3
        lines = wrap(shown, font, size, BODY_WIDTH - 2 * pad, 40)
        height = len(lines) * leading + 2 * pad
        self.ensure(height + 4)
        c = self.canvas
        c.setFillGray(shade)
        c.setStrokeGray(0.6)
        c.setLineWidth(0.5)
        c.rect(MARGIN_X, self.y - height, BODY_WIDTH, height, stroke=1, fill=1)
        c.setFillGray(0)
        y = self.y - pad
        for line in lines:
            y -= leading
            draw_text(c, font, size, MARGIN_X + pad, y + leading * 0.22, line)
        self.y -= height + 8

    # --- tables --------------------------------------------------------------

    def table(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[str | Cell]],
        *,
        caption: str = "",
        size: float = 8.0,
        min_row_height: float = 0.0,
        zebra: bool = True,
        keep_together: bool = False,
    ) -> int:
        """Draw a table straight onto the canvas; returns the number of rows.

        Rows never split across pages; the header (and the caption, marked
        "continued") is repeated at the top of every page the table runs onto.
        ``keep_together`` starts a short table on a new page rather than split it.
        """
        self._begin()
        t = _Table(self, columns, caption, size, min_row_height)
        laid: Iterable[_LaidRow]
        if keep_together:
            laid = [t.laid_out(row) for row in rows]
            total_h = t.caption_h + t.head_h + sum(h for _, h in laid)
            if total_h <= BODY_TOP - BODY_BOTTOM:
                self.ensure(total_h)
        else:
            laid = map(t.laid_out, rows)
        count = 0
        for cells, height in laid:
            if not count:
                self.ensure(t.head_h + height + t.caption_h)
                t.draw_header(False)
            elif self.y - height < BODY_BOTTOM:
                self.new_page()
                t.draw_header(True)
            t.draw_row(cells, height, shaded=zebra and count % 2 == 1)
            count += 1
        if not count:  # no rows: the header, and a line saying so
            self.ensure(t.head_h + 20 + t.caption_h)
            t.draw_header(False)
            self.lines("(none)", size=size, indent=CELL_PAD_X, gray=0.35)
        c = self.canvas
        c.setStrokeGray(RULE_GREY)
        c.setLineWidth(0.5)
        c.line(MARGIN_X, self.y, PAGE_WIDTH - MARGIN_X, self.y)
        self.y -= 10
        return count


class _Table:
    """One table's geometry (column widths and places, line heights, the wrapped
    header) and how it lays out and draws a row on its document."""

    def __init__(
        self,
        doc: Document,
        columns: Sequence[Column],
        caption: str,
        size: float,
        min_row_height: float,
    ) -> None:
        self.doc, self.columns, self.caption, self.size = doc, columns, caption, size
        self.min_row_height = min_row_height
        fixed = sum(col.width for col in columns if col.width)
        total = sum(col.weight for col in columns if not col.width) or 1.0
        self.widths = [col.width or (BODY_WIDTH - fixed) * col.weight / total for col in columns]
        self.xs = [MARGIN_X + sum(self.widths[:i]) for i in range(len(columns))]
        self.leading = size * 1.22
        self.first = CELL_PAD_Y + self.leading - size * 0.25  # row top to first baseline
        self.inner = [w - 2 * CELL_PAD_X for w in self.widths]
        # at most a page of lines per cell, so a row always fits on a fresh page
        self.page_lines = int((BODY_TOP - BODY_BOTTOM - 60) / self.leading)
        self.head = [
            wrap(col.title, BOLD, size, w) for col, w in zip(columns, self.inner, strict=True)
        ]
        self.head_h = max(len(h) for h in self.head) * self.leading + 2 * CELL_PAD_Y + 1
        self.caption_h = 16.0 if caption else 0.0

    def draw_header(self, continued: bool) -> None:
        doc, c, size = self.doc, self.doc.canvas, self.size
        if self.caption:
            text = f"{self.caption} (continued)" if continued else self.caption
            doc.lines(text, size=9.5, bold=True, leading=13)
            doc.y -= 3
        top = doc.y
        c.setFillGray(HEADER_SHADE)
        c.rect(MARGIN_X, top - self.head_h, BODY_WIDTH, self.head_h, stroke=0, fill=1)
        c.setFillGray(0)
        for x, w, col, lines in zip(self.xs, self.widths, self.columns, self.head, strict=True):
            for i, line in enumerate(lines):
                y = top - self.first - i * self.leading
                if col.align == "right":
                    draw_right(c, BOLD, size, x + w - CELL_PAD_X, y, line)
                else:
                    draw_text(c, BOLD, size, x + CELL_PAD_X, y, line)
        doc.y = top - self.head_h

    def laid_out(self, row: Sequence[str | Cell]) -> _LaidRow:
        """Each cell's (font, lines, shade), and the row's height."""
        cells = []
        height = self.min_row_height
        size, leading = self.size, self.leading
        for col, w, value in zip(self.columns, self.inner, row, strict=True):
            if isinstance(value, Cell):
                text, bold, shade = value.text, value.bold, value.shade
            else:
                text, bold, shade = value, col.bold, None
            font, shown = pick_font(text or "", bold)
            lines = wrap(shown, font, size, w, min(col.max_lines, self.page_lines))
            cells.append((font, lines, shade))
            h = len(lines) * leading + 2 * CELL_PAD_Y
            if h > height:
                height = h
        return cells, height

    def draw_row(
        self, cells: list[tuple[str, tuple[str, ...], float | None]], height: float, shaded: bool
    ) -> None:
        doc, c, size, leading = self.doc, self.doc.canvas, self.size, self.leading
        top = doc.y
        if shaded:
            c.setFillGray(ZEBRA_SHADE)
            c.rect(MARGIN_X, top - height, BODY_WIDTH, height, stroke=0, fill=1)
            c.setFillGray(0)
        for x, w, col, (font, lines, shade) in zip(
            self.xs, self.widths, self.columns, cells, strict=True
        ):
            if shade is not None:
                c.setFillGray(shade)
                c.rect(x + 0.5, top - height + 0.5, w - 1, height - 1, stroke=0, fill=1)
                c.setFillGray(0)
            y = top - self.first
            if col.align == "right":
                for line in lines:
                    draw_right(c, font, size, x + w - CELL_PAD_X, y, line)
                    y -= leading
            else:
                for line in lines:
                    draw_text(c, font, size, x + CELL_PAD_X, y, line)
                    y -= leading
            if col.draw is not None:
                col.draw(c, x, top, w, height)
        doc.y = top - height


def pages_needed(items: int, per_page: int) -> int:
    return max(1, math.ceil(items / per_page)) if items else 0


__all__ = [
    "BODY_WIDTH",
    "Cell",
    "Column",
    "Document",
    "NumberedCanvas",
    "ReportInfo",
    "ellipsize",
    "fit_width",
    "pick_font",
    "wrap",
]
