from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder

ID = "2026-11-28T11:02:35:677930"
VERSION = "1.38.0"
DESCRIPTION = "Kept figures say which events they count (settled_at, max_event), so they are brought up to date by the people with events since"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="app", description=DESCRIPTION)

    manager.add_column(
        table_class_name="KeptFigures",
        tablename="kept_figures",
        column_name="max_event",
        db_column_name="max_event",
        column_class_name="BigInt",
        column_class=BigInt,
        params={
            "default": 0,
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

    manager.add_column(
        table_class_name="KeptFigures",
        tablename="kept_figures",
        column_name="settled_at",
        db_column_name="settled_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
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

    # Kept figures are brought up to date by working out the people with new events (app.uptake.kept): every
    # event of a person, by their keyed hash. It also finds their "went to apply" events (verdicts), so the
    # partial index of 2026-11-28T09:41 goes.
    async def run():
        await engine_finder().run_ddl("CREATE INDEX uptake_event_person_at ON uptake_event (person_key, at)")
        await engine_finder().run_ddl("DROP INDEX uptake_event_went_by_person")

    async def run_backwards():
        await engine_finder().run_ddl(
            "CREATE INDEX uptake_event_went_by_person ON uptake_event (person_key, at) WHERE kind = 'went_to_apply'"
        )
        await engine_finder().run_ddl("DROP INDEX uptake_event_person_at")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
