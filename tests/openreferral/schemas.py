"""Validates the open data's answers against Open Referral UK 3.0, vendored beside this file (SOURCE.md says
what is here and how each endpoint is checked): JSON Schema draft 2020-12, $refs resolved by a registry, and
formats asserted (uuid, uri, email, date-time), not just noted."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HERE = Path(__file__).resolve().parent
RAW = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
OPENAPI = "urn:openreferral-uk-3.0:openapi"
COMPILED = ("service", "service_list", "service_at_location", "service_at_location_list", "service_with_definitions")
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}
LISTS = {"/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms"}
# openapi.json names compiled/service.json for this one, but its example is a service_at_location (SOURCE.md).
OVERRIDES = {"/service_at_locations/{id}": RAW + "compiled/service_at_location.json"}


def load(name: str) -> Any:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def _resource(contents: dict[str, Any]) -> Resource[Any]:
    return Resource(contents=contents, specification=DRAFT202012)


@cache
def registry() -> Registry[Any]:
    resources = [(RAW + f"compiled/{name}.json", _resource(load(f"compiled/{name}.json"))) for name in COMPILED]
    # taxonomy.json and taxonomy_term.json are not compiled: the same objects are definitions of the compiled service.
    definitions = load("compiled/service_with_definitions.json")["definitions"]
    for name in ("taxonomy", "taxonomy_term"):
        resources.append((RAW + f"{name}.json", _resource({**definitions[name], "definitions": definitions})))
    resources.append((OPENAPI, _resource(load("openapi.json"))))
    return Registry().with_resources(resources)


def _pointer(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


@cache
def validator(endpoint: str) -> Draft202012Validator:
    """For an endpoint as openapi.json names it ("/services/{id}"): its 200 answer's schema."""
    if endpoint in OVERRIDES:
        schema = {"$ref": OVERRIDES[endpoint]}
    else:
        assert endpoint in load("openapi.json")["paths"], endpoint
        where = f"/paths/{_pointer(endpoint)}/get/responses/200/content/{_pointer('application/json')}/schema"
        schema = {"$ref": f"{OPENAPI}#{where}"}
    return Draft202012Validator(schema, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def problems(endpoint: str, document: Any) -> list[str]:
    found = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator(endpoint).iter_errors(document)
    ]
    if endpoint in LISTS:
        missing = PAGE_KEYS - set(document)
        found += [f"the page has no {key}" for key in sorted(missing)]
    return found


def check(endpoint: str, document: Any) -> None:
    """Fails naming every way `document` is not what the standard says `endpoint` answers."""
    found = problems(endpoint, document)
    assert not found, f"{endpoint} does not validate:\n" + "\n".join(found[:20])
