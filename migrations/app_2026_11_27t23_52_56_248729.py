from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSONB
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-27T23:52:56:248729"
VERSION = "1.38.0"
DESCRIPTION = "organisation.proposed: a new name, kind or area waits for the team"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="app", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Organisation",
        tablename="organisation",
        column_name="proposed",
        db_column_name="proposed",
        column_class_name="JSONB",
        column_class=JSONB,
        params={
            "default": None,
            "null": True,
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

    return manager
