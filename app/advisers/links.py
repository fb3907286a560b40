"""What other domains ask of advisers, with nothing heavier imported: which roles advise, ending an adviser's
links when they stop advising (another role, or gone from the organisation), and whether taking an offer up
followed a suggestion (for uptake)."""

from __future__ import annotations

from app.advisers.tables import AdviserLink, Suggestion
from app.audit import service as audit

ADVISING = ("adviser", "verifier")


async def drop_links(membership_id: int, actor: int | None, organisation: int) -> None:
    """Inside the caller's transaction (the one that changes or removes the membership)."""
    gone = await AdviserLink.raw("DELETE FROM adviser_link WHERE membership = {} RETURNING id", membership_id)
    if gone:
        await audit.record("adviser.links_ended", actor=actor, organisation=organisation, links=len(gone))


async def was_suggested(young_person_id: int, offer_id: int) -> bool:
    """Whether taking this offer up follows an adviser's suggestion the young person did not dismiss."""
    return bool(
        await Suggestion.exists().where(
            (Suggestion.link._.young_person == young_person_id)
            & (Suggestion.offer == offer_id)
            & Suggestion.dismissed_at.is_null()
        )
    )
