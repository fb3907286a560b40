"""What a handler asks for by name and the app provides once: `settings`, `today` and `who`; and `Id`, the type
of every id in a path.

A handler declares `settings: Provided[Settings]`, `today: Provided[date]` or `who: Provided[Principal]` (the
signed-in person; asking for it on a page anyone may see sends them to sign in). The marker makes a missing
provider fail at start-up, rather than Litestar quietly reading `?today=` from the query string, and skips
validating a value we made ourselves.

`org_id: Id` bounds a path's id to what a row can have: anything else (0, a number past int4) is a 404 before the
handler runs, so no handler or service checks `0 < id <= MAX_ID` for an id that came from a path."""

from datetime import date
from typing import Annotated, Any, TypeAlias, TypeVar, cast

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import Parameter, SkipValidation

from app.core.auth import Principal, require
from app.core.db import MAX_ID
from app.settings import Settings

T = TypeVar("T")

Provided: TypeAlias = NamedDependency[SkipValidation[T]]
Id: TypeAlias = Annotated[int, Parameter(gt=0, le=MAX_ID)]


def _settings(state: State) -> Settings:
    return cast(Settings, state.settings)


def _today() -> date:
    """Per request, so a process that runs past midnight never serves yesterday."""
    return date.today()


def _who(request: Request[Any, Any, Any]) -> Principal:
    return require(request)


# Plain functions with no I/O: called in the event loop, no thread hop per request.
DEPENDENCIES = {
    "settings": Provide(_settings, sync_to_thread=False),
    "today": Provide(_today, sync_to_thread=False),
    "who": Provide(_who, sync_to_thread=False),
}
