"""Population-data providers (CSDL quốc gia về dân cư): a typed protocol and a registry, like the
portal and payments providers. `local` is a deterministic synthetic population (demo, tests);
`national` the real adapter, configured by endpoint and credentials."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from congvu.portal import conf
from congvu.portal.providers import Health


class PopulationUnavailable(Exception):
    """The provider is down, slow past the timeout, or refused the request."""


@dataclass(frozen=True)
class Citizen:
    id_number: str
    full_name: str
    birth_date: dt.date
    permanent_address: str
    female: bool = False


@runtime_checkable
class PopulationProvider(Protocol):
    key: str
    label: str

    def lookup(self, id_number: str) -> Citizen | None:
        """The citizen with this (well-formed) number, None when unknown; PopulationUnavailable otherwise."""
        ...

    def health(self) -> Health:
        ...


def get_population_provider(key: str | None = None) -> PopulationProvider:
    key = key or conf.get("CONGVU_POPULATION_PROVIDER")
    entry = (conf.get("CONGVU_POPULATION_PROVIDERS") or {}).get(key)
    if entry is None:
        raise KeyError(key)
    options: dict[str, Any] = {k: v for k, v in entry.items() if k != "class"}
    provider = import_string(entry["class"])(key=key, options=options)
    if not isinstance(provider, PopulationProvider):
        raise ImproperlyConfigured(f"{entry['class']} does not implement PopulationProvider")
    return provider
