from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T11:03:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "outbox: the rows that keep failing or were set aside, for /admin/outbox"

# /admin/outbox lists the few rows that keep failing (3 tries or more) or were set aside and not dropped; the
# table holds up to 30 days of finished rows (the worker purges older ones by done_at, whose index it uses).
INDEX = "outbox_troubled"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="app", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl(
            f"CREATE INDEX {INDEX} ON outbox (id) WHERE (done_at IS NULL AND attempts >= 3)"
            " OR (dropped_at IS NULL AND last_error LIKE 'set aside:%')"
        )

    async def run_backwards():
        await engine_finder().run_ddl(f"DROP INDEX {INDEX}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
