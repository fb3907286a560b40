from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import JSONB
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-28T09:09:57:321191"
VERSION = "1.38.0"
DESCRIPTION = "pledge statements: what an organisation will do for each principle, in its words; organisation kinds for every public sector"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="app", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Organisation",
        tablename="organisation",
        column_name="pledge_statements",
        db_column_name="pledge_statements",
        column_class_name="JSONB",
        column_class=JSONB,
        params={
            "default": "{}",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

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
                    "platform": "platform",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
