"""Annual reports, published. Once the reporting year (1 April to 31 March) has ended, an owner signs off the
year's report: it is kept exactly as it was then, in English and Welsh, as a page and a PDF, so later uptake never
changes it; a correction is a new version that says what changed. Signing submits it to the oversight bodies of
the organisation's nation. A report is due three months after its year ends, and overdue after that."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from jinja2_fragments import render_block

from app.audit import service as audit
from app.core.auth import Principal
from app.core.errors import Conflict, NotFound
from app.core.forms import Form
from app.core.i18n import _, speaking
from app.core.templating import make_environment
from app.organisations.tables import Organisation
from app.progress import pdf
from app.progress import service as progress
from app.publishing.tables import PublishedReport

CORRECTION_LENGTH = 1000
_env = make_environment()


class Standing(StrEnum):
    """Where a year's report stands on a given day."""

    in_progress = "in_progress"  # the year has not ended
    due = "due"  # ended, not yet signed off, and still within the three months
    overdue = "overdue"
    published = "published"


def year_ended(year: int, today: date) -> bool:
    return today > date(year + 1, 3, 31)


def due_on(year: int) -> date:
    """Three months after the reporting year ends on 31 March."""
    return date(year + 1, 6, 30)


def standing(year: int, published: bool, today: date) -> Standing:
    if published:
        return Standing.published
    if not year_ended(year, today):
        return Standing.in_progress
    return Standing.due if today <= due_on(year) else Standing.overdue


def nation_of(council_area: str) -> str:
    """Whose oversight bodies receive an organisation's reports: by the nation its area is in."""
    return {"W": "wales", "E": "england"}.get(council_area[:1], "")


@dataclass(frozen=True)
class Version:
    """One signed-off version of a year's report (without its body)."""

    id: int
    organisation: int
    year: int
    version: int
    correction: str
    signed_at: datetime
    submitted_to: str
    submitted_at: datetime | None


VERSION_COLUMNS = (
    PublishedReport.id,
    PublishedReport.organisation,
    PublishedReport.year,
    PublishedReport.version,
    PublishedReport.correction,
    PublishedReport.signed_at,
    PublishedReport.submitted_to,
    PublishedReport.submitted_at,
)


async def versions(org_id: int, year: int) -> list[Version]:
    """Newest first."""
    rows = await (
        PublishedReport.select(*VERSION_COLUMNS)
        .where((PublishedReport.organisation == org_id) & (PublishedReport.year == year))
        .order_by(PublishedReport.version, ascending=False)
    )
    return [Version(**row) for row in rows]


async def for_members(
    org_id: int, year: int, today: date, role: str | None, form: Any = None, errors: Any = None
) -> dict[str, Any]:
    """What the members' report page says about publishing it: where it stands and, for owners, the sign-off."""
    every = await versions(org_id, year)
    return {
        "versions": every,
        "standing": standing(year, bool(every), today),
        "due_on": due_on(year),
        "can_sign": role == "owner" and year_ended(year, today),
        "form": form or {},
        "errors": errors or {},
    }


Paths = Callable[..., str]


def _frozen(annual: progress.Annual, paths: Paths) -> tuple[str, bytes]:
    """The report's body as a page, and its PDF, in the language being spoken."""
    html = render_block(_env, "organisations/report.html", "report", **vars(annual), url_for=paths)
    return html, pdf.render(annual)


async def sign(who: Principal, org_id: int, year: int, form: Form, today: date, paths: Paths) -> int:
    """Sign off the year's report as it stands today; returns its version. `paths` makes the site's own links in
    it (route names to paths)."""
    if not year_ended(year, today):
        raise Conflict(_("You can sign off this report once its year has ended, after 31 March %(year)d.") % {
            "year": year + 1})  # fmt: skip
    if not form.flag("confirm"):
        form.error("confirm", _("Tick the box to confirm you are signing it off for your organisation."))
    correction = form.text("correction", CORRECTION_LENGTH, multiline=True)
    earlier = await versions(org_id, year)
    if earlier and not correction:
        form.error("correction", _("Say what this version corrects: it is published with it."))
    form.check()
    annual = await progress.annual(org_id, year, today)
    frozen = {}
    for lang in ("en", "cy"):
        with speaking(lang):
            frozen[lang] = _frozen(annual, paths)
    async with PublishedReport._meta.db.transaction():
        org = await Organisation.raw("SELECT council_area FROM organisation WHERE id = {} FOR UPDATE", org_id)
        latest = await versions(org_id, year)  # again, now that signing is one at a time for this organisation
        version = (latest[0].version if latest else 0) + 1
        nation = nation_of(org[0]["council_area"])
        await PublishedReport.insert(
            PublishedReport(
                organisation=org_id, year=year, version=version, correction=correction if version > 1 else "",
                signed_by=who.user_id, signed_at=datetime.now(UTC),
                html_en=frozen["en"][0], html_cy=frozen["cy"][0], pdf_en=frozen["en"][1], pdf_cy=frozen["cy"][1],
                submitted_to=nation, submitted_at=datetime.now(UTC) if nation else None,
            )
        )  # fmt: skip
        await audit.record("report.signed", actor=who.user_id, organisation=org_id, year=year, version=version)
    return version


@dataclass(frozen=True)
class Published:
    """A published report as its public page shows it."""

    organisation: str
    org_id: int
    version: Version
    html: str
    lang: str
    versions: list[Version]


async def _approved_name(org_id: int) -> str:
    found = (
        await Organisation.select(Organisation.name)
        .where((Organisation.id == org_id) & Organisation.approved_at.is_not_null())
        .first()
    )
    if found is None:
        raise NotFound(_("There is no published report here."))
    return str(found["name"])


async def published(org_id: int, year: int, version: int | None, reader: str) -> Published:
    """A version (the latest when None) of a year's published report, in the reader's language."""
    name = await _approved_name(org_id)
    every = await versions(org_id, year)
    chosen = next((one for one in every if version is None or one.version == version), None)
    if chosen is None:
        raise NotFound(_("There is no published report here."))
    column = PublishedReport.html_cy if reader == "cy" else PublishedReport.html_en
    row = await PublishedReport.select(column.as_alias("html")).where(PublishedReport.id == chosen.id).first()
    assert row is not None
    return Published(name, org_id, chosen, row["html"], reader, every)


async def published_pdf(org_id: int, year: int, version: int, reader: str) -> bytes:
    await _approved_name(org_id)
    column = PublishedReport.pdf_cy if reader == "cy" else PublishedReport.pdf_en
    row = (
        await PublishedReport.select(column.as_alias("pdf"))
        .where(
            (PublishedReport.organisation == org_id)
            & (PublishedReport.year == year)
            & (PublishedReport.version == version)
        )
        .first()
    )
    if row is None:
        raise NotFound(_("There is no published report here."))
    return bytes(row["pdf"])
