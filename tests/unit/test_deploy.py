"""The deployment files say what the README says they do."""

import tomllib

from app.settings import ROOT


def test_fly_runs_migrations_on_release_and_checks_health() -> None:
    fly = tomllib.loads((ROOT / "fly.toml").read_text())
    assert fly["deploy"]["release_command"] == "python -m app migrate"
    assert fly["env"]["APP_ENV"] == "prod"
    assert int(fly["env"]["PORT"]) == fly["http_service"]["internal_port"]
    assert fly["http_service"]["checks"][0]["path"] == "/health"  # routing: the process answers
    ready = fly["checks"]["ready"]  # watching: database, search, migrations; Fly's proxy does not route by it
    assert (ready["path"], ready["processes"]) == ("/ready", ["app"])
    assert ready["port"] == fly["http_service"]["internal_port"]


def test_fly_stops_machines_the_way_the_server_shuts_down_gracefully() -> None:
    from app.__main__ import GRACEFUL_SHUTDOWN_S

    fly = tomllib.loads((ROOT / "fly.toml").read_text())
    assert fly["kill_signal"] == "SIGTERM"
    assert int(fly["kill_timeout"].removesuffix("s")) > GRACEFUL_SHUTDOWN_S + 5  # room to close pools after
    assert fly["env"]["MEILI_URL"].startswith("http://cyfle-search.internal")


def test_fly_scrapes_the_metrics_port_which_no_public_service_exposes() -> None:
    fly = tomllib.loads((ROOT / "fly.toml").read_text())
    [metrics] = fly["metrics"]
    assert metrics["port"] == int(fly["env"]["METRICS_PORT"]) != fly["http_service"]["internal_port"]
    assert metrics["path"] == "/metrics" and metrics["processes"] == ["app"]
    assert "services" not in fly, "only http_service (PORT) is public"


def test_meilisearch_app_is_private_and_keeps_its_data() -> None:
    search = tomllib.loads((ROOT / "search" / "fly.toml").read_text())
    assert search["build"]["image"].startswith("getmeili/meilisearch:v1.21")
    assert "http_service" not in search and "services" not in search, "never exposed to the internet"
    assert search["env"]["MEILI_ENV"] == "production"
    assert search["env"]["MEILI_DB_PATH"].startswith(search["mounts"]["destination"])


def test_dockerfile_serves_the_app_in_prod() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["python", "-m", "app", "serve"]' in dockerfile
    assert "APP_ENV=prod" in dockerfile
    assert "pybabel compile" in dockerfile


def test_the_fly_environment_with_its_secrets_is_a_valid_production_setup() -> None:
    from app.settings import load_settings

    fly = tomllib.loads((ROOT / "fly.toml").read_text())
    secrets = {
        "DATABASE_URL": "postgresql://app@cyfle-db.flycast/app",
        "MEILI_MASTER_KEY": "k" * 32,
        "SECRET_KEY": "s" * 48,
        "PERSON_KEY": "p" * 48,
        "MEILI_SEARCH_KEY": "m" * 64,
        "SMTP_URL": "smtp://user:pass@smtp.example:587",
    }
    settings = load_settings(fly["env"] | secrets)
    assert settings.is_prod and settings.base_url.startswith("https://")
    assert settings.client_ip_header == "fly-client-ip"  # rate limits see the client, not Fly's proxy
    assert fly["env"]["TZ"] == "Europe/London"  # dates flip at midnight in Wales, not in UTC
