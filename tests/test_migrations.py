from piccolo.apps.migrations.commands.new import AutoMigrationManager

from app.piccolo_app import APP_CONFIG


async def test_migrations_match_the_tables() -> None:
    """Fails when a table changed without a migration: run `piccolo migrations new app --auto --desc='...'`
    (with PICCOLO_CONF=app.piccolo_conf)."""
    statements = await AutoMigrationManager(auto_input="y").get_alter_statements(app_config=APP_CONFIG)
    pending = [line for group in statements for line in group.statements]
    assert pending == []
