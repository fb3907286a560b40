from pathlib import Path

import pytest

from app.settings import SettingsError, load_settings, new_vapid_key

PROD = {
    "APP_ENV": "prod",
    "DATABASE_URL": "postgresql://app@db.internal/app",
    "MEILI_URL": "http://search.internal:7700",
    "MEILI_MASTER_KEY": "k" * 32,
    "SECRET_KEY": "s" * 40,
    "PERSON_KEY": "p" * 40,
    "MEILI_SEARCH_KEY": "m" * 64,
    "BASE_URL": "https://cyfle.example",
    "SMTP_URL": "smtp://mail.example:587",
}


DEV = {"APP_ENV": "dev"}


def test_dev_gives_the_embedded_setup(tmp_path: Path) -> None:
    settings = load_settings(DEV | {"VAR_DIR": str(tmp_path)})
    assert settings.app_env == "dev"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.embedded_database and settings.embedded_search


def test_dev_generates_a_secret_once_and_keeps_it_under_var(tmp_path: Path) -> None:
    first = load_settings(DEV | {"VAR_DIR": str(tmp_path)}).secret_key
    second = load_settings(DEV | {"VAR_DIR": str(tmp_path)}).secret_key
    assert first == second and len(first) >= 32
    kept = tmp_path / "secret_key"
    assert kept.read_text() == first
    assert kept.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("app_env", ["", " ", "staging", "production", "Dev"])
def test_app_env_unset_or_unknown_stops_start_up_and_generates_nothing(app_env: str, tmp_path: Path) -> None:
    env = {"VAR_DIR": str(tmp_path)} | ({"APP_ENV": app_env} if app_env else {})
    with pytest.raises(SettingsError, match="APP_ENV"):
        load_settings(env)
    assert not (tmp_path / "secret_key").exists()


def test_only_dev_and_test_have_the_dev_surface(tmp_path: Path) -> None:
    assert load_settings(DEV | {"VAR_DIR": str(tmp_path)}).has_dev_surface
    assert load_settings({"APP_ENV": "test", "VAR_DIR": str(tmp_path)}).has_dev_surface
    assert not load_settings(PROD | {"VAR_DIR": str(tmp_path)}).has_dev_surface


@pytest.mark.parametrize("url", ["smtp://m.example:587", "smtps://m.example", "smtp+insecure://127.0.0.1:25"])
def test_smtp_urls_say_how_they_are_protected(url: str, tmp_path: Path) -> None:
    assert load_settings(DEV | {"SMTP_URL": url, "VAR_DIR": str(tmp_path)}).smtp_url == url


def test_prod_with_everything_set_starts(tmp_path: Path) -> None:
    settings = load_settings(PROD | {"VAR_DIR": str(tmp_path)})
    assert settings.is_prod and settings.host == "0.0.0.0"
    assert not (tmp_path / "secret_key").exists() and not (tmp_path / "person_key").exists()


@pytest.mark.parametrize(
    "missing",
    "DATABASE_URL MEILI_URL MEILI_MASTER_KEY SECRET_KEY PERSON_KEY BASE_URL SMTP_URL".split(),
)
def test_prod_refuses_to_start_without_a_secret_and_names_it(missing: str, tmp_path: Path) -> None:
    env = {key: value for key, value in PROD.items() if key != missing} | {"VAR_DIR": str(tmp_path)}
    with pytest.raises(SettingsError, match=missing):
        load_settings(env)
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"APP_ENV": "staging"}, "APP_ENV must be one of dev, test, prod"),
        ({"APP_ENV": ""}, "APP_ENV is not set"),
        ({"PORT": "eighty"}, "PORT must be a whole number"),
        ({"PORT": "70000"}, "PORT must be between 1 and 65535"),
        ({"WEB_CONCURRENCY": "0"}, "WEB_CONCURRENCY must be between"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 32"),
        ({"PERSON_KEY": "short"}, "PERSON_KEY must be at least 32"),
        ({"TRUSTED_PROXY_HOPS": "0"}, "TRUSTED_PROXY_HOPS must be between 1 and 10"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL must be a postgresql:// URL"),
        ({"MEILI_URL": "search:7700"}, "MEILI_URL must be an http"),
        ({"WORKER_IN_PROCESS": "maybe"}, "WORKER_IN_PROCESS must be true or false"),
        ({"BASE_URL": "cyfle.example"}, "BASE_URL must be an http"),
        ({"SMTP_URL": "mail.example:25"}, "SMTP_URL must be an smtp"),
        ({"VAPID_PRIVATE_KEY": "not-a-key"}, "VAPID_PRIVATE_KEY must be a P-256 key"),
        ({"VAPID_SUBJECT": "team@cyfle.example"}, "VAPID_SUBJECT must be a mailto:"),
        ({"METRICS_TOKEN": "guessable"}, "METRICS_TOKEN must be at least 32"),
        ({"METRICS_PORT": "8000"}, "METRICS_PORT must differ from PORT"),
        ({"METRICS_PORT": "ninety"}, "METRICS_PORT must be a whole number"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be text or json"),
    ],
)
def test_bad_values_get_one_clear_sentence(env: dict[str, str], message: str, tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(DEV | env | {"VAR_DIR": str(tmp_path)})


def test_the_worker_runs_in_process_only_in_dev_unless_told(tmp_path: Path) -> None:
    assert load_settings(DEV | {"VAR_DIR": str(tmp_path)}).worker_in_process is True
    assert load_settings(PROD | {"VAR_DIR": str(tmp_path)}).worker_in_process is False
    assert load_settings({"APP_ENV": "test", "VAR_DIR": str(tmp_path)}).worker_in_process is False
    assert load_settings(DEV | {"WORKER_IN_PROCESS": "off", "VAR_DIR": str(tmp_path)}).worker_in_process is False


def test_web_push_has_a_kept_key_in_dev_and_only_a_given_one_in_prod(tmp_path: Path) -> None:
    dev = load_settings(DEV | {"VAR_DIR": str(tmp_path), "MAIL_FROM": "Cyfle <team@cyfle.example>"})
    assert dev.pushes and dev.vapid_private_key == (tmp_path / "vapid_private_key").read_text()
    assert dev.vapid_subject == "mailto:team@cyfle.example"
    assert not load_settings(PROD | {"VAR_DIR": str(tmp_path)}).pushes, "optional: unset, nobody is offered it"
    key = new_vapid_key()
    assert load_settings(PROD | {"VAR_DIR": str(tmp_path), "VAPID_PRIVATE_KEY": key}).vapid_private_key == key


def test_metrics_are_off_unless_asked_for_and_production_logs_json(tmp_path: Path) -> None:
    dev = load_settings(DEV | {"VAR_DIR": str(tmp_path)})
    assert dev.metrics_token is None and dev.metrics_port is None and dev.log_format == "text"
    prod = load_settings(PROD | {"VAR_DIR": str(tmp_path)})
    assert prod.metrics_token is None and prod.metrics_port is None and prod.log_format == "json"
    asked = load_settings(DEV | {"METRICS_TOKEN": "t" * 40, "METRICS_PORT": "9091", "LOG_FORMAT": "JSON",
                                 "VAR_DIR": str(tmp_path)})  # fmt: skip
    assert asked.metrics_token == "t" * 40 and asked.metrics_port == 9091 and asked.log_format == "json"
