"""Writing to the audit log: call inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from piccolo.utils.encoding import dump_json

from app.audit.tables import AuditEntry


async def record(
    action: str,
    *,
    actor: int | None,
    organisation: int | None = None,
    subject: tuple[str, int] | None = None,
    **detail: Any,
) -> None:
    subject_type, subject_id = subject if subject else ("", None)
    # Raw SQL: the query builder's insert cost more than the change being audited (redeeming at a busy door).
    await AuditEntry.raw(
        "INSERT INTO audit_log (actor, action, organisation, subject_type, subject_id, detail)"
        " VALUES ({}, {}, {}, {}, {}, {}::jsonb)",
        actor,
        action,
        organisation,
        subject_type,
        subject_id,
        dump_json(detail),
    )
