from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder

ID = "2026-11-28T09:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "offer.ring_fenced and offer.guaranteed_interview: places and interviews kept for care-experienced young people; public_changed_at follows them"

# Whether an offer keeps places or guarantees an interview is public: public_changed_at (the open data's
# last_modified, and what kept figures are worked out from) moves when either changes. The trigger's function of
# 2026-11-28T06:31 is replaced with one that also compares them; PL/pgSQL reads the columns only when it runs, so it
# may be replaced before they are added.
OFFER_COLUMNS = (
    "organisation, type, title, summary, description, language, title_alt, summary_alt, description_alt, principles,"
    " travel_paid, equipment_provided, mentor, flexible_hours, accessible_venue, free, pay_pence, pay_per,"
    " price_pence, usual_price_pence, min_age, max_age, places, location_name, latitude, longitude, remote,"
    " council_area, closes_on, starts_on, status, apply_method, apply_url, published_at"
)
KEPT = ", ring_fenced, guaranteed_interview"


def _function(columns: str) -> str:
    new = ", ".join(f"NEW.{column.strip()}" for column in columns.split(","))
    old = ", ".join(f"OLD.{column.strip()}" for column in columns.split(","))
    return f"""CREATE OR REPLACE FUNCTION offer_public_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF ({new}) IS DISTINCT FROM ({old}) THEN
            NEW.public_changed_at := clock_timestamp();
          END IF;
          RETURN NEW;
        END $$"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="app", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl(_function(OFFER_COLUMNS + KEPT))

    async def run_backwards():  # before the columns are dropped
        await engine_finder().run_ddl(_function(OFFER_COLUMNS))

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)

    manager.add_column(
        table_class_name="Offer",
        tablename="offer",
        column_name="guaranteed_interview",
        db_column_name="guaranteed_interview",
        column_class_name="Boolean",
        column_class=Boolean,
        params={
            "default": False,
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
        table_class_name="Offer",
        tablename="offer",
        column_name="ring_fenced",
        db_column_name="ring_fenced",
        column_class_name="Boolean",
        column_class=Boolean,
        params={
            "default": False,
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

    return manager
