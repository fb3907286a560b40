"""Piccolo's configuration: one engine, one app. The DSN is set from the settings at start-up."""

import os

from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine

DB = PostgresEngine(config={"dsn": os.environ.get("DATABASE_URL", "")})

APP_REGISTRY = AppRegistry(apps=["app.piccolo_app"])
