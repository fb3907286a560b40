"""Writing to the audit log: call inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

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
    await AuditEntry.insert(
        AuditEntry(
            actor=actor,
            action=action,
            organisation=organisation,
            subject_type=subject_type,
            subject_id=subject_id,
            detail=detail,
        )
    )
