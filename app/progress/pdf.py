"""The annual corporate parenting progress report as an A4 PDF, drawn with fpdf2. Its figures are the dashboard's
for the same year and are published the same way: every count printed is a Cell's `.text` ("12" or "fewer than
6"), never a true count."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from app.core.charter import BY_ID
from app.core.i18n import _, current_locale
from app.core.templating import long_date
from app.offers.labels import type_label
from app.organisations.labels import pledge_statement
from app.progress import charts
from app.progress.labels import (
    area_name,
    by_name,
    measure_label,
    month_label,
    objective_status,
    principle_name,
    theme_label,
    type_name,
    year_label,
)
from app.progress.service import Aim, Annual, Org, Progress, Themes
from app.uptake.measures import COLUMNS, PEOPLE_COLUMNS
from app.uptake.published import Report, Row, principle_order
from app.verdicts.service import Verdict

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
AUTHOR = "Cyfle"
MARGIN = 15.0  # mm, on every side
BOTTOM = 18.0  # mm kept free for the footer

INK = (33, 37, 41)
MUTED = (88, 96, 104)
ACCENT = (0, 94, 115)
RULE = (186, 193, 199)
SHADE = (226, 236, 240)
ZEBRA = (247, 248, 249)
PADDING = 0.8  # mm either side of the text in a table cell
WHOLE = 120.0  # mm: a table shorter than this starts on a new page rather than be split


def _points(size: float) -> float:
    """A comfortable line height in mm for a font size in points."""
    return size * 0.3528 * 1.4


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """`text` cut short with an ellipsis so that it fits on one line `width` mm wide in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


class _Document(FPDF):
    """A4 portrait with a running head from page 2 and "Page N of M" at the foot of every page."""

    def __init__(self, running_head: str, pages: int) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.running_head = running_head
        self.total_pages = pages
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        self.cell(self.epw, 4, _fit(self, self.running_head, self.epw), new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y() + 1, self.l_margin + self.epw, self.get_y() + 1)
        self.set_y(self.get_y() + 5)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        pages = self.total_pages or self.page_no()
        self.cell(self.epw, 5, _("Page %(page)d of %(pages)d") % {"page": self.page_no(), "pages": pages}, align="C")


def render(annual: Annual) -> bytes:
    """The report (from app.progress.service.annual) as PDF bytes. Drawn twice: the first time to count the pages
    that the footer's "Page N of M" needs."""
    pages = _build(annual, 0).pages_count
    return bytes(_build(annual, pages).output())


def _build(annual: Annual, pages: int) -> FPDF:
    org, year, report, names = annual.org, annual.year, annual.report, annual.names
    title = _("Annual corporate parenting progress report")
    pdf = _Document(f"{org.name} · {title} · {year_label(year)}", pages)
    pdf.set_title(f"{org.name}: {title}, {year_label(year)}")
    pdf.set_subject(title)
    pdf.set_lang(current_locale())
    pdf.set_author(AUTHOR)
    pdf.set_creator(AUTHOR)
    pdf.add_page()

    _title_block(pdf, org, title, year, annual.today)
    _principles(pdf, org)
    if org.kind != "council":
        _objectives(pdf, annual.objectives)
    _uptake(pdf, report)
    _figures(pdf, _("By charter principle"), _("Principle"), report.tables["principle"], principle_name)
    _month_chart(pdf, report.tables["month"], "people", _("Young people reached, by month"))
    _figures(pdf, _("By month"), _("Month"), report.tables["month"], lambda key: month_label(key, "MMM y"))
    _figures(pdf, _("By type of offer"), _("Type"), by_name(report.tables["type"], type_name), type_name)
    _figures(
        pdf,
        _("By council area where young people live"),
        _("Council area"),
        by_name(report.tables["area"], area_name),
        area_name,
        PEOPLE_COLUMNS,
    )
    if org.kind == "council":
        _figures(pdf, _("By organisation"), _("Organisation"), report.tables["organisation"], names.__getitem__)
    _feedback(pdf, report, annual.feedback)
    _verdict(pdf, annual.verdict, year, annual.enough)
    return pdf


# Building blocks --------------------------------------------------------------------------------------------------


def _text(pdf: FPDF, text: str, size: float = 10, bold: bool = False, colour: tuple[int, int, int] = INK) -> None:
    """A wrapped paragraph the width of the page."""
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.set_x(pdf.l_margin)
    pdf.multi_cell(pdf.epw, _points(size), text, align="L", new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: FPDF, text: str, room: float = 35) -> None:
    """A section heading, on a new page when fewer than `room` mm would follow it on this one."""
    if pdf.will_page_break(room + 12):
        pdf.add_page()
    else:
        pdf.ln(4)
    _text(pdf, text, size=13, bold=True, colour=ACCENT)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.l_margin + pdf.epw, pdf.get_y() + 0.5)
    pdf.ln(3)


def _table(
    pdf: FPDF,
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    size: float = 9,
    width: float | None = None,
    numeric_from: int = 1,
) -> None:
    """A table whose headings repeat on each page; the columns from `numeric_from` on are right-aligned. The
    headings' type is made smaller, if need be, until each of their words fits its column unbroken."""
    width = width or pdf.epw
    columns = [width * w / sum(widths) - 2 * PADDING for w in widths]
    heading_size = size
    pdf.set_font(FAMILY, "B", heading_size)
    while heading_size > 5.5 and any(
        pdf.get_string_width(word) > room for text, room in zip(headings, columns, strict=True) for word in text.split()
    ):
        heading_size -= 0.5
        pdf.set_font(FAMILY, "B", heading_size)
    pdf.set_font(FAMILY, "", size)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*RULE)
    pdf.set_fill_color(*ZEBRA)
    pdf.set_line_width(0.2)

    def align(column: int) -> str:
        return "RIGHT" if column >= numeric_from else "LEFT"

    with pdf.table(
        col_widths=tuple(widths),
        width=width,
        align="LEFT",
        text_align="LEFT",
        line_height=_points(size),
        padding=(1.2, PADDING),
        headings_style=FontFace(family=FAMILY, emphasis="BOLD", size_pt=heading_size, color=INK, fill_color=SHADE),
        borders_layout="HORIZONTAL_LINES",
        cell_fill_color=ZEBRA,
        cell_fill_mode="ROWS",
        v_align="TOP",
        repeat_headings=1,
    ) as table:
        head = table.row(v_align="BOTTOM")
        for column, text in enumerate(headings):
            head.cell(text, align=align(column))
        for values in rows:
            row = table.row()
            for column, text in enumerate(values):
                row.cell(text, align=align(column))
    pdf.set_fill_color(255, 255, 255)
    pdf.ln(3)


# Sections ---------------------------------------------------------------------------------------------------------


def _title_block(pdf: FPDF, org: Org, title: str, year: int, today: date) -> None:
    _text(pdf, "Cyfle", size=9, bold=True, colour=ACCENT)
    pdf.ln(2)
    _text(pdf, org.name, size=20, bold=True)
    pdf.ln(1)
    _text(pdf, title, size=14, colour=ACCENT)
    _text(pdf, year_label(year), size=12)
    pdf.ln(1)
    _text(pdf, _("Made on %(date)s") % {"date": long_date(today)}, size=9, colour=MUTED)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y() + 3, pdf.l_margin + pdf.epw, pdf.get_y() + 3)
    pdf.ln(7)
    if org.kind == "council":
        area = area_name(org.council_area or "")
        about = _("Offers in %(area)s, and what young people living in %(area)s took up anywhere.") % {"area": area}
    else:
        about = _("What care-experienced young people took up from the offers %(name)s made on Cyfle.") % {
            "name": org.name
        }
    _text(pdf, about)
    pdf.ln(2)
    _text(
        pdf,
        _(
            "So that nobody can be picked out, counts of 1 to 5 show as “fewer than 6” and other counts of young people"
            " may be moved up or down by 2 at most, the same way in every report. Tables may not add up exactly. Rates"
            " need both their counts shown."
        ),
        size=9,
        colour=MUTED,
    )


def _principles(pdf: FPDF, org: Org) -> None:
    _heading(pdf, _("Principles pledged"), room=20)
    pledged = set(org.pledged_principles or [])
    chosen = [BY_ID[p] for p in principle_order() if p in pledged]
    if not chosen:
        _text(pdf, _("No principles of the charter have been pledged yet."))
        return
    if org.pledged_at:
        _text(pdf, _("Pledged on %(date)s.") % {"date": long_date(org.pledged_at)}, size=9, colour=MUTED)
        pdf.ln(1)
    for principle in chosen:
        if pdf.will_page_break(14):
            pdf.add_page()
        _text(pdf, principle.name, size=10, bold=True)
        pdf.set_font(FAMILY, "", 9)
        pdf.set_text_color(*MUTED)
        pdf.set_x(pdf.l_margin + 4)
        pdf.multi_cell(pdf.epw - 4, _points(9), principle.wording, align="L", new_x="LMARGIN", new_y="NEXT")
        said = pledge_statement(org.pledge_statements, principle.id)
        if said:
            pdf.set_text_color(*INK)
            pdf.set_x(pdf.l_margin + 4)
            words = _("What we will do:") + " " + said[0]
            pdf.multi_cell(pdf.epw - 4, _points(9), words, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)


def _objective_text(objective: Aim) -> str:
    principle = BY_ID[objective.principle].name if objective.principle in BY_ID else str(objective.principle)
    what = {"measure": measure_label(objective.measure), "principle": principle}
    if objective.offer_type:
        text = _("%(measure)s (%(type)s), %(principle)s") % {**what, "type": type_label(objective.offer_type)}
    else:
        text = _("%(measure)s, %(principle)s") % what
    return f"{text}\n{objective.note}" if objective.note else text


def _objectives(pdf: FPDF, objectives: Sequence[Progress]) -> None:
    _heading(pdf, _("Objectives and progress"), room=25)
    if not objectives:
        _text(pdf, _("No objectives were set for this year."))
        return
    rows = []
    for progress in objectives:
        objective = progress.objective
        status = objective_status(progress.status)
        if progress.status == "at_risk":
            status += "\n" + _("By now it should be at least %(expected)s.") % {"expected": progress.expected}
        rows.append(
            [
                _objective_text(objective),
                f"{objective.target:,}",
                long_date(objective.deadline),
                progress.count.text,
                status,
            ]
        )
    headings = [_("Objective"), _("Target"), _("Deadline"), _("So far"), _("Status")]
    _table(pdf, headings, rows, (62, 14, 36, 24, 34), numeric_from=1)


def _uptake(pdf: FPDF, report: Report) -> None:
    total = report.total
    rows = [[measure_label(m), total.cells[m].text] for m in report.headline]
    rows += [
        [_("Applications that led to a start"), total.rate("starts", "applications")],
        [_("Starts that were completed"), total.rate("completions", "starts")],
        [_("Codes claimed that were used"), total.rate("redeemed", "claimed")],
        [_("Median days from applying to starting"), report.median_days],
        [_("Feedback score (out of 5)"), report.score],
    ]
    _heading(pdf, _("Uptake this year"), room=(len(rows) + 1) * (_points(10) + 2.4))  # its rows stay together
    _table(pdf, [_("Measure"), _("This year")], rows, (3, 1), size=10, width=120)


def _figures(
    pdf: FPDF,
    caption: str,
    first: str,
    rows: list[Row],
    label: Callable[[str], str],
    columns: tuple[str, ...] = COLUMNS,
) -> None:
    """One of the report's tables: a row for each key, a column for each measure, in a small type so that all nine
    columns fit the page."""
    height = _points(7) * 3 + 2.4 + len(rows) * (_points(7) + 2.4)  # headings of up to three lines, one line a row
    _heading(pdf, caption, room=height if height < WHOLE else 30)
    if not rows:
        _text(pdf, _("Nothing to show for this year."))
        return
    headings = [first, *(measure_label(m) for m in columns)]
    body = [[label(row.key), *(row.cells[m].text for m in columns)] for row in rows]
    pdf.set_font(FAMILY, "", 7)
    longest = max(pdf.get_string_width(values[0]) for values in body)
    first_width = min(max(longest + 2 * PADDING + 0.5, 26), 40)  # long names get room, up to a point
    _table(pdf, headings, body, (first_width, *([(pdf.epw - first_width) / len(columns)] * len(columns))), size=7)


def _month_chart(pdf: FPDF, rows: list[Row], measure: str, title: str) -> None:
    """The dashboard's chart (app.progress.charts), scaled to the page: a month whose count is not shown has no bar
    and a dash."""
    bars, room, label_height = 30.0, 5.0, 5.0
    _heading(pdf, title, room=bars + room + label_height + 12)
    if not rows:
        _text(pdf, _("Nothing to show for this year."))
        return
    drawn = charts.bars(rows, measure, month_label)
    across, up = pdf.epw / drawn.width, bars / (drawn.baseline - charts.TOP)
    slot = pdf.epw / len(rows)
    base = pdf.get_y() + room + bars
    pdf.set_font(FAMILY, "", 7)
    pdf.set_text_color(*INK)
    pdf.set_fill_color(*ACCENT)
    for bar in drawn.bars:
        middle = pdf.l_margin + (bar.x + bar.width / 2) * across
        if bar.height > 0:
            pdf.rect(pdf.l_margin + bar.x * across, base - bar.height * up, bar.width * across, bar.height * up, "F")
        pdf.set_xy(middle - slot / 2, base - bar.height * up - 4.5)
        pdf.cell(slot, 4, bar.value, align="C")
        pdf.set_xy(middle - slot / 2, base + 1)
        pdf.cell(slot, 4, _fit(pdf, bar.label, slot), align="C")
    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, base, pdf.l_margin + pdf.epw, base)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_y(base + label_height + 2)
    _text(pdf, _("A dash marks a month whose count is not shown."), size=8, colour=MUTED)


def _feedback(pdf: FPDF, report: Report, feedback: Themes) -> None:
    _heading(pdf, _("What young people said"), room=50)
    _text(
        pdf,
        _("Responses: %(responses)s. Feedback score (out of 5): %(score)s.")
        % {"responses": report.responses.text, "score": report.score},
    )
    pdf.ln(2)
    if feedback.ratings:
        rows = [[str(rating), cell.text] for rating, cell in enumerate(feedback.ratings, start=1)]
        _table(pdf, [_("Rating (out of 5)"), _("Responses")], rows, (3, 2), width=90)
    if feedback.themes:
        if pdf.will_page_break(30):
            pdf.add_page()
        rows = [[theme_label(key), cell.text] for key, cell in feedback.themes]
        _table(pdf, [_("What their words were about"), _("Responses")], rows, (3, 2), width=90)
        _text(
            pdf,
            _("Words are counted by what they mention, and never quoted: they could say who wrote them."),
            size=8,
            colour=MUTED,
        )


def _verdict(pdf: FPDF, verdict: Verdict | None, year: int, enough: int) -> None:
    _heading(pdf, _("Young people's verdict"), room=40)
    _text(
        pdf,
        _(
            "Once a year, young people who applied to the organisation or claimed a code from it are asked: did it"
            " keep its promise, and would they recommend it? Their answers are anonymous, and the verdict is shown"
            " once at least %(enough)d have answered."
        )
        % {"enough": enough},
    )
    pdf.ln(2)
    if verdict is None:
        _text(pdf, _("Not enough answers yet for %(year)s.") % {"year": year_label(year)}, bold=True)
        return
    rows = [
        [_("Answered"), verdict.answered.text, ""],
        [_("Said it kept its promise"), verdict.kept_promise.text, verdict.kept_share],
        [_("Would recommend it"), verdict.recommend.text, verdict.recommend_share],
    ]
    _table(pdf, [_("Question"), _("Young people"), _("Share")], rows, (3, 1.5, 1), width=120)
