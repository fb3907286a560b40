from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T09:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "uptake_event: a young person's 'went_to_apply' events by their keyed hash (who can give a verdict)"

# Whom a young person can give a verdict on (app.verdicts.service.DEALINGS) includes the organisations whose offers
# they followed to apply on the provider's own site this year: their own events, found by their keyed hash, on
# every visit to /me. The unique index of 2026-11-28T00:10 leads with the offer, so it cannot find them.
INDEX = "uptake_event_went_by_person"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="app", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl(
            f"CREATE INDEX {INDEX} ON uptake_event (person_key, at) WHERE kind = 'went_to_apply'"
        )

    async def run_backwards():
        await engine_finder().run_ddl(f"DROP INDEX {INDEX}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
