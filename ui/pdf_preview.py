"""A PDF shown inside the app, to print or save; and the dialogs that go with it."""

from __future__ import annotations

import os

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def ask_save_path(parent: QWidget, title: str, suggested: str, filters: str) -> str | None:
    """Where to save a file, or None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return path or None


def ask_print(parent: QWidget, printer: QPrinter) -> bool:
    """The system's print dialog: True when the user chose to print."""
    return QPrintDialog(printer, parent).exec() == QDialog.DialogCode.Accepted


def show_pdf(parent: QWidget, path: str, title: str) -> None:
    """Preview a PDF inside the app, with Print and Save as."""
    PdfPreview(path, title, parent).exec()


# --- the PDF preview ---------------------------------------------------------------


#: printing renders each page as an image at this resolution (an A4 page is 35 MB)
PRINT_DPI = 300


class PdfPreview(QDialog):
    """A PDF shown page by page, to print or save."""

    def __init__(self, path: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(title)
        self.document = QPdfDocument(self)
        self.document.load(path)
        view = QPdfView(self)
        view.setDocument(self.document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout = QVBoxLayout(self)
        layout.addWidget(view, 1)
        row = QHBoxLayout()
        pages = QLabel(f"{self.document.pageCount()} page(s)")
        print_button = QPushButton("&Print…")
        print_button.clicked.connect(self.print_document)
        save = QPushButton("&Save as…")
        save.clicked.connect(self.save_as)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row.addWidget(pages)
        row.addStretch(1)
        for button in (print_button, save, close):
            row.addWidget(button)
        layout.addLayout(row)
        self.resize(900, 700)

    def print_document(self) -> bool:
        """Print every page at actual size (100%): label sheets must meet their labels."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setResolution(PRINT_DPI)
        printer.setFullPage(True)  # draw from the paper's corner, not inside the margins
        if self.document.pageCount():
            first = self.document.pagePointSize(0)
            printer.setPageSize(QPageSize(first, QPageSize.Unit.Point))
        from . import pdf_preview  # the module's function, so tests can replace it

        if not pdf_preview.ask_print(self, printer):
            return False
        painter = QPainter(printer)
        try:
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                points = self.document.pagePointSize(page)
                # the page's own size at the printer's resolution: no stretching to fit
                width = round(points.width() / 72 * printer.logicalDpiX())
                height = round(points.height() / 72 * printer.logicalDpiY())
                image = self.document.render(page, QSize(width, height))
                painter.drawImage(QRect(0, 0, width, height), image)
        finally:
            painter.end()
        return True

    def save_as(self) -> bool:
        from . import pdf_preview

        target = pdf_preview.ask_save_path(
            self, "Save the PDF", os.path.basename(self.path), "PDF (*.pdf)"
        )
        if not target:
            return False
        with open(self.path, "rb") as src, open(target, "wb") as dst:
            dst.write(src.read())
        return True
