from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import JSONB
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.column_types import Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.constraints import Unique

ID = "2026-11-23T19:38:56:576224"
VERSION = "1.38.0"
DESCRIPTION = "Figures kept between requests, and uptake_event organisation index replaced by organisation and at"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="app", description=DESCRIPTION)

    manager.add_table(
        class_name="KeptFigures",
        tablename="kept_figures",
        schema=None,
        columns=None,
    )

    manager.add_column(
        table_class_name="KeptFigures",
        tablename="kept_figures",
        column_name="scope",
        db_column_name="scope",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 40,
            "default": "",
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
        column_name="asked",
        db_column_name="asked",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 200,
            "default": "",
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
        column_name="version",
        db_column_name="version",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 200,
            "default": "",
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
        column_name="value",
        db_column_name="value",
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

    manager.add_column(
        table_class_name="KeptFigures",
        tablename="kept_figures",
        column_name="computed_at",
        db_column_name="computed_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": TimestamptzNow(),
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
        column_name="read_at",
        db_column_name="read_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": TimestamptzNow(),
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

    manager.add_constraint(
        table_class_name="KeptFigures",
        tablename="kept_figures",
        constraint_name="kept_once_each",
        constraint_class=Unique,
        params={"columns": ["scope", "asked"], "nulls_distinct": True},
        schema=None,
    )

    manager.alter_column(
        table_class_name="UptakeEvent",
        tablename="uptake_event",
        column_name="organisation",
        db_column_name="organisation",
        params={"index": False},
        old_params={"index": True},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    # Piccolo declares single-column indexes only: these two let a page count a year's events for one
    # organisation or one council area from the index alone, to know whether kept figures still hold.
    async def run():
        for column in ("organisation", "council_area"):
            await engine_finder().run_ddl(f"CREATE INDEX uptake_event_{column}_at ON uptake_event ({column}, at)")

    async def run_backwards():
        for column in ("organisation", "council_area"):
            await engine_finder().run_ddl(f"DROP INDEX uptake_event_{column}_at")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
