"""The annual progress report as PDF (app.progress.pdf), from a hand-built context: no database needed. The PDF's
text is read back with pdfium, so what is checked is what a reader of the printed report would see."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pypdfium2 as pdfium

from app.core.counts import Cell
from app.core.i18n import speaking
from app.organisations.tables import OrganisationKind
from app.progress import pdf
from app.progress.service import Aim, Annual, Org, Progress, Themes
from app.settings import ROOT
from app.uptake import measures, published
from app.uptake.measures import MEASURES, Figures, Scope

YEAR = 2026
NAME = "Canolfan Hamdden Llanŵy a Chwmŷ"
SCREENSHOTS = ROOT / "var" / "test" / "screenshots"
MM = 72 / 25.4  # PDF points in a millimetre


def counts(**values: int) -> dict[str, int]:
    return dict.fromkeys(MEASURES, 0) | values


def context(objectives: bool = True) -> Annual:
    """Starts by type are 37 (apprenticeship), 4 (sport), 9 (mentoring) and 11 (culture): sport's 4 is "fewer than
    6", and the others are published (moved by 2 at most)."""
    by_type = {
        "apprenticeship": counts(offers=3, places=30, applications=52, starts=37, completions=19, people=58),
        "sport": counts(offers=2, places=80, applications=13, starts=4, completions=0, people=21),
        "mentoring": counts(offers=2, places=10, applications=14, starts=9, completions=4, people=17),
        "culture": counts(offers=3, places=20, applications=17, starts=11, completions=7, people=24),
    }
    total = counts(
        offers=12, places=140, applications=96, starts=61, completions=30, claimed=44, redeemed=38, people=120
    )
    months = measures.months(YEAR)
    people = [12, 3, 0, 15, 22, 9, 14, 11, 7, 0, 18, 9]
    by_month = {
        m: counts(people=n, applications=n // 2 + 1, offers=12, places=140) for m, n in zip(months, people, strict=True)
    }
    by_area = {
        "W06000015": counts(people=70, applications=55, starts=36, claimed=30, redeemed=26),
        "W06000011": counts(people=41, applications=36, starts=22, claimed=12, redeemed=10),
        "W06000001": counts(people=6, applications=2, starts=2, claimed=2, redeemed=2),
        "": counts(people=3, applications=3, starts=1),
    }
    figures = Figures(
        scope=Scope("organisation", organisation=7),
        year=YEAR,
        principle=None,
        total=total,
        by={"month": by_month, "type": by_type, "area": by_area, "organisation": {"7": total}},
        principles={5: counts(offers=9, places=110, applications=80, starts=50, people=99), 10: counts(starts=3)},
        median_days=12.4,
        pairs=40,
        score=4.3,
        responses=27,
    )
    progress = [
        Progress(
            Aim(
                principle=5,
                measure="starts",
                offer_type="apprenticeship",
                target=40,
                deadline=date(2027, 3, 31),
                note="With the Cardiff and Vale colleges, who take our apprentices for the day-release part.",
            ),
            Cell.of(37, 0),
            "on_track",
            30,
        ),
        Progress(
            Aim(principle=10, measure="completions", offer_type="", target=25, deadline=date(2026, 12, 31), note=""),
            Cell.of(3, 0),
            "at_risk",
            18,
        ),
    ]
    return Annual(
        org=Org(
            id=7,
            name=NAME,
            slug="canolfan-hamdden-llanwy",
            kind=OrganisationKind.leisure,
            pledged_principles=[1, 10, 5, 7],
            pledged_at=datetime(2025, 6, 2, 10, tzinfo=UTC),
            council_area="W06000015",
            pledge_statements={"10": {"cy": "Mentor i bob un sy’n dechrau gyda ni, am flwyddyn gyfan."}},
        ),
        year=YEAR,
        today=date(2026, 11, 20),
        report=published.report(figures),
        names={"7": NAME},
        objectives=progress if objectives else [],
        feedback=Themes(
            ratings=[Cell(0), Cell(None, "small"), Cell(None, "small"), Cell(8), Cell(12)],
            themes=[
                ("confidence", Cell(9)),
                ("skills", Cell(None, "small")),
                ("work", Cell(14)),
                ("people", Cell(7)),
                ("getting_there", Cell(0)),
                ("fun", Cell(11)),
            ],
        ),
    )


def pages_text(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def row_of(data: bytes, label: str) -> str:
    """The text on the same line as `label`, across the page: one row of a table."""
    document = pdfium.PdfDocument(data)
    for i in range(len(document)):
        page = document[i]
        text = page.get_textpage()
        found = text.search(label, match_case=True, match_whole_word=True).get_next()
        if found:
            _left, bottom, _right, top = text.get_charbox(found[0])
            return str(text.get_text_bounded(left=0, bottom=bottom - 1, right=page.get_width(), top=top + 1))
    raise AssertionError(f"{label!r} is not in the PDF")


def test_report_pdf_shows_protected_figures() -> None:
    report = context().report
    assert report.tables["type"][1].key == "sport" and report.tables["type"][1].cells["starts"].why == "small"

    data = pdf.render(context())

    assert data.startswith(b"%PDF")
    document = pdfium.PdfDocument(data)
    assert len(document) >= 2
    width, height = document[0].get_size()
    assert (round(width / MM), round(height / MM)) == (210, 297)  # A4 portrait
    metadata = document.get_metadata_dict()
    assert metadata["Author"] == "Cyfle"
    assert NAME in metadata["Title"] and "progress report" in metadata["Title"]
    assert b"/Lang (en)" in data
    text = "\n".join(pages_text(data))
    assert NAME in text  # ŵ and ŷ print: the fonts are Unicode
    assert "Annual corporate parenting progress report" in text
    assert "April 2026 to March 2027" in text
    assert "Made on 20 November 2026" in text
    assert f"Page 1 of {len(document)}" in text
    for heading in ("Principles pledged", "Objectives and progress", "Uptake this year", "By charter principle"):
        assert heading in text
    assert "fewer than 6" in text and "Tables may not add up exactly" in text
    assert text.index("Ambition") < text.index("Thrive") < text.index("Equality")  # ambition and thrive first

    # Sport had 4 starts: its row says "fewer than 6" and never 4. Apprenticeship's row, read the same way, shows
    # its 37 as published, the same number the report's cell holds, so the row really is read.
    sport = row_of(data, "Sport")
    assert "fewer than 6" in sport
    assert "4" not in sport.replace("fewer than 6", "").split(), sport
    apprenticeship = report.tables["type"][0].cells["starts"].value
    assert apprenticeship is not None and abs(apprenticeship - 37) <= 2
    assert str(apprenticeship) in row_of(data, "Apprenticeship").split()
    # The objective with 3 completions so far does not show 3 either.
    assert "3" not in row_of(data, "Completions, Thrive").replace("fewer than 6", "").split()


def test_nothing_runs_off_the_page() -> None:
    data = pdf.render(context())
    document = pdfium.PdfDocument(data)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for i in range(len(document)):
        page = document[i]
        width, height = page.get_size()
        text = page.get_textpage()
        for index in range(text.count_chars()):
            left, bottom, right, top = text.get_charbox(index)
            if right > left:  # a drawn character, not a line break
                assert 14 * MM <= left and right <= width - 14 * MM, (i, text.get_text_range(index, 1))
                assert 7 * MM <= bottom and top <= height - 7 * MM, (i, text.get_text_range(index, 1))
        page.render(scale=1.5).to_pil().save(SCREENSHOTS / f"report-pdf-page-{i + 1}.png")


def test_report_pdf_in_welsh_and_without_objectives() -> None:
    with speaking("cy"):
        data = pdf.render(context(objectives=False))
    text = "\n".join(pages_text(data))
    assert b"/Lang (cy)" in data
    assert NAME in text
    assert "Tudalen 1 o" in text
    assert "llai na 6" in text
    assert "Caerdydd" in text

    english = "\n".join(pages_text(pdf.render(context(objectives=False))))
    assert "No objectives were set for this year." in english


def council_context(suggested: int) -> Annual:
    """The same figures as a council's, where `suggested` of them followed an adviser's suggestion."""
    found = context(objectives=False)
    figures = replace(
        found.report.figures,
        scope=Scope("council", area="W06000015"),
        total=found.report.figures.total | {"suggested": suggested, "suggested_key": 201},
    )
    org = replace(found.org, kind=OrganisationKind.council, name="Cyngor Caerdydd")
    return replace(found, org=org, report=published.report(figures))


def test_a_councils_report_lists_uptake_after_a_suggestion_protected() -> None:
    """Only a council's report lists it, in English and Welsh, as published: a few are "fewer than 6"."""
    label = "Taken up after an adviser's suggestion"
    assert label not in "\n".join(pages_text(pdf.render(context())))
    few = pdf.render(council_context(4))
    assert "fewer than 6" in row_of(few, label) and "4" not in row_of(few, label).split()
    many = council_context(23)
    shown = many.report.total.cells["suggested"].value
    assert shown == Cell.of(23, 201).value and shown is not None and abs(shown - 23) <= 2
    data = pdf.render(many)
    assert str(shown) in row_of(data, label).split()
    document = pdfium.PdfDocument(data)
    page = next(i for i in range(len(document)) if "Uptake this year" in document[i].get_textpage().get_text_range())
    on_it = document[page].get_textpage().get_text_range()
    assert label in on_it and "Feedback score (out of 5)" in on_it, "the uptake table stays on one page"
    document[page].render(scale=1.5).to_pil().save(SCREENSHOTS / "council-report-pdf-uptake.png")
    with speaking("cy"):
        welsh = pdf.render(council_context(4))
    assert "llai na 6" in row_of(welsh, "Cyfleoedd a gymerwyd ar ôl awgrym cynghorydd")


def test_the_report_lists_offers_keeping_places_or_an_interview_as_they_are() -> None:
    """Counts of offers, about organisations: 3 reads 3, never "fewer than 6", on a line each of the summary."""
    found = context(objectives=False)
    total = found.report.figures.total | {"ring_fenced": 3, "guaranteed_interview": 4}
    data = pdf.render(replace(found, report=published.report(replace(found.report.figures, total=total))))
    assert row_of(data, "Offers live with ring-fenced places").split()[-1] == "3"
    assert row_of(data, "Offers live with a guaranteed interview").split()[-1] == "4"
    text = "\n".join(pages_text(data))
    assert text.index("Places offered") < text.index("Offers live with ring-fenced places")
    with speaking("cy"):
        welsh = pdf.render(replace(found, report=published.report(replace(found.report.figures, total=total))))
    assert row_of(welsh, "Cynigion byw gyda lleoedd wedi’u neilltuo").split()[-1] == "3"
