"""The open data's pure parts: identifiers, taxonomies, the rate limit's buckets and the kept counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.core.i18n import speaking
from app.openreferral.ids import Kind, named_uuid, row_id, row_uuid
from app.openreferral.limits import Buckets
from app.openreferral.params import Paging
from app.openreferral.service import next_link
from app.openreferral.taxonomies import TAXONOMIES, all_terms, terms_of
from app.openreferral.totals import TTL_S, Totals


def test_ids_carry_their_row_and_kind() -> None:
    services = [kind for kind in Kind if kind is not Kind.namespace]
    for kind in services:
        for n in (1, 42, 2**31 - 1):
            assert row_id(kind, row_uuid(kind, n)) == n
            assert row_id(kind, row_uuid(kind, n).upper()) == n
            assert all(row_id(other, row_uuid(kind, n)) is None for other in services if other is not kind)
    assert row_uuid(Kind.service, 42) == "6379666c-6500-8001-8000-00000000002a"
    assert row_id(Kind.service, "5c4d79d7-cc55-470e-9f1f-8cad074e4892") is None  # someone else's
    assert row_id(Kind.service, row_uuid(Kind.service, 2**31)) is None  # past any row (int4)
    assert row_id(Kind.service, "6379666c-6500-8001-8000-000000000000") is None  # row 0
    assert row_id(Kind.service, "x" * 100) is None


def test_published_ids_never_change() -> None:
    """Directories keep these ids: one of each kind, written out, so a change to how they are made fails here."""
    assert named_uuid("taxonomy", "offer-type", "term", "apprenticeship") == "80a1e3f9-6d0a-503f-b871-4d340ce7111a"
    assert named_uuid("taxonomy", "charter-principle") == "a19445fb-89a5-5587-b2f9-dc06f7639475"
    assert row_uuid(Kind.organization, 7) == "6379666c-6500-8002-8000-000000000007"
    assert row_uuid(Kind.service_at_location, 7) == "6379666c-6500-8003-8000-000000000007"


def test_every_term_has_its_own_id_and_words_in_both_languages() -> None:
    terms = all_terms()
    assert len(terms) == 9 + 11 + 6
    assert len({found.taxonomy.term_id(found.term) for found in terms}) == len(terms)
    assert len({taxonomy.id for taxonomy in TAXONOMIES}) == 3
    for locale in ("en", "cy"):
        with speaking(locale):
            for found in terms:
                assert found.term.name and found.term.description
    with speaking("cy"):
        assert {found.term.description for found in terms}.isdisjoint(
            {found.term.description_msgid for found in terms}
        ), "a term's description is not translated into Welsh"


def test_an_offer_carries_its_type_principles_and_support() -> None:
    offer = {"type": "sport", "principles": [5, 7], "free": True, "mentor": False}
    assert [found.term.slug for found in terms_of(offer)] == ["sport", "ambition", "good-health", "free"]


def test_a_client_may_burst_then_waits_its_turn() -> None:
    buckets = Buckets()
    assert [buckets.take("a", 60, 100.0) for _ in range(60)] == [0.0] * 60
    assert buckets.take("a", 60, 100.0) == 1.0  # one a second after the burst
    assert buckets.take("b", 60, 100.0) == 0.0  # another client has its own
    assert buckets.take("a", 60, 101.0) == 0.0
    assert 0 < buckets.take("a", 60, 101.5) <= 1.0
    buckets.prune(60, 1000.0)  # long after: everyone's bucket is full again, so nobody need be kept
    assert buckets.kept == {}


def test_a_count_is_kept_while_the_data_stays_the_same() -> None:
    totals = Totals()
    stamp = datetime(2026, 11, 28, tzinfo=UTC)
    totals.keep(("q", 1), stamp, 42, 0.0)
    assert totals.get(("q", 1), stamp, 1.0) == 42
    assert totals.get(("q", 2), stamp, 1.0) is None  # another query
    assert totals.get(("q", 1), stamp + timedelta(microseconds=1), 1.0) is None  # something changed
    assert totals.get(("q", 1), stamp, TTL_S + 1) is None  # kept only so long
    for n in range(600):
        totals.keep(("many", n), stamp, n, 2.0)
    assert len(totals.kept) == 512 and totals.get(("many", 599), stamp, 3.0) == 599


def test_the_next_link_keeps_the_filters_and_names_where_it_starts() -> None:
    query = [("taxonomy_term_id", "t"), ("page", "1"), ("after", "old"), ("search", "swim pool")]
    link = next_link("https://cyfle.example/openreferral/services", query, Paging(1, 20), 99)
    assert link == (
        "https://cyfle.example/openreferral/services?taxonomy_term_id=t&search=swim+pool&page=2&per_page=20"
        f"&after={row_uuid(Kind.service, 99)}"
    )


def test_ipv4_clients_on_a_dual_stack_socket_each_have_their_own_bucket() -> None:
    from types import SimpleNamespace

    from app.openreferral.limits import client_key

    settings = SimpleNamespace(client_ip_header="", trusted_proxy_hops=1)
    keys = {client_key(SimpleNamespace(client=SimpleNamespace(host=f"::ffff:192.0.2.{n}"), headers={}), settings)
            for n in (1, 2)}  # fmt: skip
    assert keys == {"192.0.2.1", "192.0.2.2"}
