from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T16:01:00:554339"
VERSION = "1.38.0"
DESCRIPTION = "Codes still to claim have their own index, so a claim does not step over every claimed code"

# Piccolo cannot declare a partial index on a table, so it is made here; the schema check ignores raw SQL.
INDEX = "concession_code_unclaimed"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="app", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl(f"CREATE INDEX {INDEX} ON concession_code (offer, id) WHERE claimed_at IS NULL")

    async def run_backwards():
        await engine_finder().run_ddl(f"DROP INDEX {INDEX}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
