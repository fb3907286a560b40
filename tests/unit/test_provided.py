"""`settings` and `today`, provided once by the app (app/core/deps.py); every page that uses them:
tests/test_access.py."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from litestar import Litestar, get
from litestar.datastructures import State
from litestar.exceptions import ImproperlyConfiguredException
from litestar.testing import create_test_client

from app.core.deps import DEPENDENCIES, Provided
from app.settings import Settings


@get("/probe", sync_to_thread=False)
def probe(settings: Provided[Settings], today: Provided[date]) -> dict[str, Any]:
    return {"env": settings.app_env, "today": today.isoformat()}


def test_handlers_get_the_apps_settings_and_todays_date_whatever_the_query_says(settings: Settings) -> None:
    with create_test_client([probe], dependencies=DEPENDENCIES, state=State({"settings": settings})) as client:
        answer = client.get("/probe", params={"today": "2000-01-01", "settings": "x"})
    assert answer.status_code == 200
    assert answer.json() == {"env": settings.app_env, "today": date.today().isoformat()}


def test_a_handler_asking_for_what_nobody_provides_stops_the_app_starting() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="Explicit dependency"):
        Litestar([probe])
