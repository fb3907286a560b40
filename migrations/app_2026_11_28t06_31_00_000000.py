from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T06:31:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "public_changed_at kept by triggers; the open data's indexes over published offers"

# public_changed_at moves only when something anyone can see changes: an offer's approved columns (a waiting edit
# lives in `pending`, and review notes, versions and sponsorship are nobody else's business), an organisation's
# name, kind, approval or pledge. A trigger, so every writer (the team, the worker closing offers past their date,
# statements written by hand) keeps it without having to remember. Rows that exist get their best earlier guess.
OFFER_COLUMNS = (
    "organisation, type, title, summary, description, language, title_alt, summary_alt, description_alt, principles,"
    " travel_paid, equipment_provided, mentor, flexible_hours, accessible_venue, free, pay_pence, pay_per,"
    " price_pence, usual_price_pence, min_age, max_age, places, location_name, latitude, longitude, remote,"
    " council_area, closes_on, starts_on, status, apply_method, apply_url, published_at"
)
ORGANISATION_COLUMNS = "name, kind, approved_at, pledged_at"


def _trigger(table: str, columns: str) -> list[str]:
    new = ", ".join(f"NEW.{column.strip()}" for column in columns.split(","))
    old = ", ".join(f"OLD.{column.strip()}" for column in columns.split(","))
    return [
        f"""CREATE FUNCTION {table}_public_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF ({new}) IS DISTINCT FROM ({old}) THEN
            NEW.public_changed_at := clock_timestamp();
          END IF;
          RETURN NEW;
        END $$""",
        f"CREATE TRIGGER {table}_public_changed BEFORE UPDATE ON {table}"
        f" FOR EACH ROW EXECUTE FUNCTION {table}_public_changed()",
    ]


# /openreferral/services pages through published offers in the order they were first published, and counts them:
# this index answers both without reading the offers themselves (their descriptions make the table wide), with the
# taxonomy and age filters. Kept narrow (no place, no text), so the planner prefers it to reading the table.
OPEN_DATA_INDEX = (
    "CREATE INDEX offer_open_data ON offer (published_at, id) INCLUDE (organisation, closes_on, type, principles,"
    " travel_paid, equipment_provided, mentor, flexible_hours, accessible_venue, free, min_age, max_age)"
    " WHERE status = 'published'"
)
# `search=` matches whole words of the title and summary in either language (app/openreferral/service.py WORDS is
# the same expression, as it must be for the index to be used).
WORDS_INDEX = (
    "CREATE INDEX offer_open_data_words ON offer USING gin (to_tsvector('simple'::regconfig,"
    " title || ' ' || summary || ' ' || title_alt || ' ' || summary_alt)) WHERE status = 'published'"
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="app", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        await engine.run_ddl(
            "UPDATE offer SET public_changed_at = greatest(updated_at, coalesce(reviewed_at, updated_at),"
            " coalesce(published_at, updated_at))"
        )
        await engine.run_ddl("UPDATE organisation SET public_changed_at = coalesce(approved_at, created_at)")
        for statement in [*_trigger("offer", OFFER_COLUMNS), *_trigger("organisation", ORGANISATION_COLUMNS)]:
            await engine.run_ddl(statement)
        await engine.run_ddl(OPEN_DATA_INDEX)
        await engine.run_ddl(WORDS_INDEX)

    async def run_backwards():
        engine = engine_finder()
        for table in ("offer", "organisation"):
            await engine.run_ddl(f"DROP TRIGGER {table}_public_changed ON {table}")
            await engine.run_ddl(f"DROP FUNCTION {table}_public_changed()")
        await engine.run_ddl("DROP INDEX offer_open_data_words")
        await engine.run_ddl("DROP INDEX offer_open_data")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
