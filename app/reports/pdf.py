"""A thin layer over fpdf2 for the Korean reports: a Korean font, headings, tables that break
across pages, and bar charts drawn with the library's rectangles (no image library)."""

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from app import formats
from app.errors import AppError

FONT = "korean"
BAR = (47, 111, 179)  # the dashboard's blue
MUTED = (110, 110, 110)
HEADINGS = FontFace(emphasis="", fill_color=(226, 234, 245))  # one face: no bold font


class FontMissing(AppError):
    status = 503


class Report:
    """One A4 document; every text goes through the Korean font."""

    def __init__(self, font: Path, index: int, title: str) -> None:
        if not font.exists():
            raise FontMissing("The report font is not installed.")
        self.pdf = FPDF(format="A4")
        self.pdf.set_title(title)
        self.pdf.set_creator("axmatch")
        options = {"collection_font_number": index} if font.suffix.lower() == ".ttc" else {}
        self.pdf.add_font(FONT, "", str(font), **options)
        self.pdf.set_auto_page_break(True, margin=15)
        self.pdf.add_page()
        self.pdf.set_font(FONT, size=18)
        self.pdf.cell(0, 12, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, text: str) -> None:
        self.pdf.ln(4)
        self.pdf.set_font(FONT, size=13)
        self.pdf.cell(0, 9, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def line(self, text: str, muted: bool = False) -> None:
        self.pdf.set_font(FONT, size=10)
        self.pdf.set_text_color(*(MUTED if muted else (0, 0, 0)))
        self.pdf.multi_cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.set_text_color(0, 0, 0)

    def facts(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Label and value, one pair a row, without a heading row."""
        self.table([], [list(p) for p in pairs], widths=(1, 3))

    def table(
        self,
        head: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[int] | None = None,
    ) -> None:
        """A table over the page's width; it repeats its heading row on a new page."""
        if not rows:
            self.line("—", muted=True)
            return
        self.pdf.set_font(FONT, size=9)
        options = {"col_widths": tuple(widths)} if widths else {}
        with self.pdf.table(
            first_row_as_headings=bool(head),
            headings_style=HEADINGS,
            text_align="LEFT",  # fpdf2 justifies by default: "선택된      수요"
            **options,
        ) as table:  # type: ignore[arg-type]
            for cells in ([list(head)] if head else []) + [list(r) for r in rows]:
                row = table.row()
                for cell in cells:
                    row.cell(cell)
        self.pdf.ln(2)

    def bars(self, items: Sequence[tuple[str, float]], unit: str = "") -> None:
        """Horizontal bars, one a label, scaled to the largest value (negative ones shown as
        zero length with their number)."""
        if not items:
            self.line("—", muted=True)
            return
        top = max((v for _, v in items), default=0) or 1
        self.pdf.set_font(FONT, size=9)
        left, width = self.pdf.l_margin, self.pdf.epw
        for label, value in items:
            if self.pdf.will_page_break(7):
                self.pdf.add_page()
            y = self.pdf.get_y()
            self.pdf.set_xy(left, y)
            self.pdf.cell(width * 0.3, 6, label)
            length = max(0.0, value) / top * width * 0.5
            self.pdf.set_fill_color(*BAR)
            self.pdf.rect(left + width * 0.3, y + 1, max(length, 0.2), 4, style="F")
            self.pdf.set_xy(left + width * 0.3 + length + 2, y)
            self.pdf.cell(width * 0.2, 6, f"{number(value)}{unit}")
            self.pdf.set_xy(left, y + 7)
        self.pdf.set_fill_color(255, 255, 255)  # tables after a chart must not take its blue
        self.pdf.ln(2)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def number(value: float | None, digits: int = 1) -> str:
    """app/formats.py's figure (its separators read the same in Korean and English)."""
    return formats.number(value, "en", digits)
