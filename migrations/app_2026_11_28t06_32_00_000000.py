from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T06:32:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "offer: partial index offer_findable, for the sitemap's list of findable offers"

# The sitemap lists every published offer not past its closing date, in id order, with its languages and when it
# last changed (app.offers.listing): all of that is in this index, so PostgreSQL reads it without the table (an
# index-only scan), and counts them the same way.
INDEX = "offer_findable"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="app", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl(
            f"CREATE INDEX {INDEX} ON offer (id) INCLUDE (closes_on, language, title_alt, updated_at, reviewed_at)"
            " WHERE status = 'published'"
        )

    async def run_backwards():
        await engine_finder().run_ddl(f"DROP INDEX {INDEX}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
