from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T00:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "uptake_event: one 'went_to_apply' per person, offer and day (UK), held by a partial unique index"

# Following an offer's link to apply again and again must not pump its figures: the database keeps one event a
# day for each person and offer (app.uptake.service.ONCE_A_DAY), so requests at once cannot both count. Repeats
# already recorded are the same person going again the same day: they are removed first, keeping the first.
INDEX = "uptake_event_went_once_a_day"
DAY = "((at AT TIME ZONE 'Europe/London')::date)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="app", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl(
            "DELETE FROM uptake_event e USING uptake_event f WHERE e.kind = 'went_to_apply'"
            " AND f.kind = 'went_to_apply' AND e.offer = f.offer AND e.person_key = f.person_key"
            f" AND (e.at AT TIME ZONE 'Europe/London')::date = (f.at AT TIME ZONE 'Europe/London')::date"
            " AND e.id > f.id"
        )
        await engine_finder().run_ddl(
            f"CREATE UNIQUE INDEX {INDEX} ON uptake_event (offer, person_key, {DAY}) WHERE kind = 'went_to_apply'"
        )

    async def run_backwards():
        await engine_finder().run_ddl(f"DROP INDEX {INDEX}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
