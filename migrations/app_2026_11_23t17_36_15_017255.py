from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.base import OnDelete
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Varchar

ID = "2026-11-23T17:36:15:017255"
VERSION = "1.38.0"
DESCRIPTION = "Money records are never deleted by a cascade; refunds beyond what unclaimed units covered have their own ledger kind"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="app", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="Sponsorship",
        tablename="sponsorship",
        column_name="sponsor",
        db_column_name="sponsor",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Sponsorship",
        tablename="sponsorship",
        column_name="offer",
        db_column_name="offer",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="LedgerEntry",
        tablename="ledger_entry",
        column_name="kind",
        db_column_name="kind",
        params={
            "choices": Enum(
                "EntryKind",
                {
                    "funding_in": "funding_in",
                    "due_to_provider": "due_to_provider",
                    "refund_out": "refund_out",
                    "refund_unbacked": "refund_unbacked",
                },
            )
        },
        old_params={
            "choices": Enum(
                "EntryKind",
                {
                    "funding_in": "funding_in",
                    "due_to_provider": "due_to_provider",
                    "refund_out": "refund_out",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="LedgerEntry",
        tablename="ledger_entry",
        column_name="sponsorship",
        db_column_name="sponsorship",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="LedgerEntry",
        tablename="ledger_entry",
        column_name="provider",
        db_column_name="provider",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Code",
        tablename="concession_code",
        column_name="funded_by",
        db_column_name="funded_by",
        params={"on_delete": OnDelete.restrict},
        old_params={"on_delete": OnDelete.cascade},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    return manager
