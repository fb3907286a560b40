"""What a handler asks for by name and the app provides once: `settings` and `today`.

A handler declares `settings: Provided[Settings]` or `today: Provided[date]` (as it declares `FromPath[int]`).
The marker makes a missing provider fail at start-up, rather than Litestar quietly reading `?today=` from the
query string, and skips validating a value we made ourselves."""

from datetime import date
from typing import TypeAlias, TypeVar, cast

from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import SkipValidation

from app.settings import Settings

T = TypeVar("T")

Provided: TypeAlias = NamedDependency[SkipValidation[T]]


def _settings(state: State) -> Settings:
    return cast(Settings, state.settings)


def _today() -> date:
    """Per request, so a process that runs past midnight never serves yesterday."""
    return date.today()


# Plain functions with no I/O: called in the event loop, no thread hop per request.
DEPENDENCIES = {
    "settings": Provide(_settings, sync_to_thread=False),
    "today": Provide(_today, sync_to_thread=False),
}
