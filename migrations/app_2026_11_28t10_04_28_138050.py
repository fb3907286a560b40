from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Varchar

ID = "2026-11-28T10:04:28:138050"
VERSION = "1.38.0"
DESCRIPTION = "oversight bodies: a kind of organisation"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="app", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="Organisation",
        tablename="organisation",
        column_name="kind",
        db_column_name="kind",
        params={
            "choices": Enum(
                "OrganisationKind",
                {
                    "employer": "employer",
                    "cultural": "cultural",
                    "third_sector": "third_sector",
                    "leisure": "leisure",
                    "council": "council",
                    "sponsor": "sponsor",
                    "health": "health",
                    "education": "education",
                    "housing": "housing",
                    "employment": "employment",
                    "emergency": "emergency",
                    "transport": "transport",
                    "oversight": "oversight",
                    "platform": "platform",
                },
            )
        },
        old_params={
            "choices": Enum(
                "OrganisationKind",
                {
                    "employer": "employer",
                    "cultural": "cultural",
                    "third_sector": "third_sector",
                    "leisure": "leisure",
                    "council": "council",
                    "sponsor": "sponsor",
                    "health": "health",
                    "education": "education",
                    "housing": "housing",
                    "employment": "employment",
                    "emergency": "emergency",
                    "transport": "transport",
                    "platform": "platform",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
