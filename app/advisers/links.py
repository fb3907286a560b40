"""What other domains ask of advisers, with nothing heavier imported: which roles advise, ending an adviser's
links when they stop advising (another role, or gone from the organisation), and whether taking an offer up
followed a suggestion (for uptake), and linking the adviser who handed over an invitation code."""

from __future__ import annotations

from app.advisers.tables import AdviserLink, Suggestion
from app.audit import service as audit
from app.core.auth import ADVISERS, Principal
from app.organisations.tables import Membership

ADVISING = ADVISERS


async def drop_links(membership_id: int, actor: int | None, organisation: int) -> None:
    """Inside the caller's transaction (the one that changes or removes the membership)."""
    gone = await AdviserLink.raw("DELETE FROM adviser_link WHERE membership = {} RETURNING id", membership_id)
    if gone:
        await audit.record("adviser.links_ended", actor=actor, organisation=organisation, links=len(gone))


async def was_suggested(young_person_id: int, offer_id: int) -> bool:
    """Whether taking this offer up follows an adviser's suggestion the young person did not dismiss."""
    # Written out: every claim and application asks, and Piccolo building this join cost a quarter of a claim's CPU.
    rows = await Suggestion.raw(
        "SELECT EXISTS (SELECT 1 FROM adviser_suggestion s JOIN adviser_link l ON l.id = s.link"
        " WHERE l.young_person = {} AND s.offer = {} AND s.dismissed_at IS NULL) AS suggested",
        young_person_id,
        offer_id,
    )
    return bool(rows[0]["suggested"])


async def link_from_invitation(who: Principal, young_person_id: int, council_id: int, minted_by: int | None) -> None:
    """An invitation whose maker offered to advise, used by a young person who agreed: linked at once (the adviser
    asked by handing the code over). Inside the transaction that spent the code."""
    if minted_by is None:
        return
    membership = (
        await Membership.select(Membership.id)
        .where(
            (Membership.user == minted_by)
            & (Membership.organisation == council_id)
            & Membership.role.is_in(list(ADVISING))
        )
        .first()
    )
    if membership is None:
        return
    rows = await AdviserLink.raw(
        "INSERT INTO adviser_link (young_person, membership, status, share_applications, share_codes,"
        " email_suggestions, created_at, linked_at) VALUES ({}, {}, 'linked', false, false, false, now(), now())"
        " ON CONFLICT (young_person, membership) DO UPDATE SET status = 'linked', linked_at = now() RETURNING id",
        young_person_id,
        membership["id"],
    )
    await audit.record(
        "adviser.linked_by_invitation",
        actor=who.user_id,
        organisation=council_id,
        subject=("user", minted_by),
        link=rows[0]["id"],
    )
