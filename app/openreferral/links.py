"""Absolute addresses in the open data, built from route names and BASE_URL (never the request's Host)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Links:
    base_url: str
    reverse: Callable[..., str]  # the app's route_reverse

    def to(self, name: str, **params: Any) -> str:
        return self.base_url + self.reverse(name, **params)
