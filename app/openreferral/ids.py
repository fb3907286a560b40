"""Identifiers in the open data: HSDS wants a UUID for everything, and ours never change.

Offers, organisations and an offer's place at its location are rows with whole-number ids, which a UUID carries
whole: version 8 (RFC 9562, "custom"), the first six bytes "cyfle" in ASCII and a zero, a 12-bit kind, and the
row's id in the last 62 bits, so `/services/{id}` goes straight to the row by its primary key, with no table of
UUIDs to keep. Offer ids are public already (`/offers/<id>`). Everything else (taxonomies and their terms,
locations, languages, attributes) is a UUID 5 of a fixed name under our own namespace: the same name, the same id,
in every deployment and for ever."""

from __future__ import annotations

from enum import IntEnum
from uuid import UUID, uuid5

from app.core.db import MAX_ID

TAG = int.from_bytes(b"cyfle\x00")  # 48 bits: 6379666c-6500-8...
VERSION = 8
VARIANT = 0b10
MAX_ROW_ID = (1 << 62) - 1


class Kind(IntEnum):
    namespace = 0
    service = 1
    organization = 2
    service_at_location = 3


def row_uuid(kind: Kind, row_id: int) -> str:
    if not 0 <= row_id <= MAX_ROW_ID:
        raise ValueError("row id out of range")
    return str(UUID(int=(TAG << 80) | (VERSION << 76) | (int(kind) << 64) | (VARIANT << 62) | row_id))


def row_id(kind: Kind, text: str) -> int | None:
    """The row id a UUID of ours for `kind` carries; None for anything else (not a UUID, someone else's, or one of
    ours for another kind)."""
    if len(text) > 45:  # a UUID with braces or urn:uuid: at most; never parse a megabyte
        return None
    try:
        value = UUID(text).int
    except ValueError:
        return None
    if value >> 80 != TAG or (value >> 76) & 0xF != VERSION or (value >> 62) & 0b11 != VARIANT:
        return None
    if (value >> 64) & 0xFFF != int(kind):
        return None
    found = value & MAX_ROW_ID
    return found if 0 < found <= MAX_ID else None  # a row's id is a positive int4


NAMESPACE = UUID(row_uuid(Kind.namespace, 0))


def named_uuid(*parts: str | int) -> str:
    """The UUID 5 of a name under our namespace: named_uuid("taxonomy", "offer-type")."""
    return str(uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


def is_uuid(text: str) -> bool:
    if len(text) > 45:
        return False
    try:
        UUID(text)
    except ValueError:
        return False
    return True
