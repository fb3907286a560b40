from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T07:55:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "offer_findable: when an offer last changed is public_changed_at (a waiting or returned edit is not)"

INDEX = "offer_findable"
NEW = "(id) INCLUDE (closes_on, language, title_alt, public_changed_at) WHERE status = 'published'"
OLD = "(id) INCLUDE (closes_on, language, title_alt, updated_at, reviewed_at) WHERE status = 'published'"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="app", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl(f"DROP INDEX {INDEX}")
        await engine_finder().run_ddl(f"CREATE INDEX {INDEX} ON offer {NEW}")

    async def run_backwards():
        await engine_finder().run_ddl(f"DROP INDEX {INDEX}")
        await engine_finder().run_ddl(f"CREATE INDEX {INDEX} ON offer {OLD}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
