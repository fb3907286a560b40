"""bench/search_quality.py, the harness behind search_recall_at_5, on real PostgreSQL + Meilisearch: a judged query
that finds its relevant offers scores 1, one that cannot scores 0, and one no offer satisfies is an error."""

import re
from datetime import date, timedelta

import pytest
from meilisearch_python_sdk import AsyncClient

from app.offers.reindex import reindex
from app.offers.tables import OfferStatus, OfferType
from bench.search_quality import Judgement, NothingRelevant, measure, recall_at_5, report
from tests import factories

TODAY = date.today()


def _judged(query: str, relevant: str, kind: str = "english") -> Judgement:
    return Judgement(query, kind, re.compile(relevant, re.IGNORECASE))


async def _marketplace(search: AsyncClient) -> None:
    museum = await factories.organisation(name="Amgueddfa'r Cymoedd")
    await factories.offer(title="Climbing wall taster", type=OfferType.sport, summary="Two hours on the wall.")
    await factories.offer(
        title="Gweithdy celf am ddim",
        summary="Peintio ac arlunio gydag artist lleol.",
        language="cy",
        title_alt="Free art workshop",
        org=museum,
    )
    await factories.offer(title="Theatre tickets for £3", type=OfferType.culture)
    await factories.offer(title="Climbing club, closed", status=OfferStatus.closed)
    await factories.offer(title="Climbing trip, closed yesterday", closes_on=TODAY - timedelta(days=1))
    await reindex(search, TODAY)


async def test_recall_counts_the_relevant_offers_among_the_first_five(search: AsyncClient) -> None:
    await _marketplace(search)
    found, missed = _judged("climbing", r"climb"), _judged("zzzqqq", r"theatre")
    by_organisation = _judged("amgueddfa", r"amgueddfa'r cymoedd", "welsh")  # the organisation's name counts
    outcomes = await measure(search, [found, missed, by_organisation], TODAY)
    scores = {outcome.judgement.query: outcome.score for outcome in outcomes}
    assert scores == {"climbing": 1.0, "zzzqqq": 0.0, "amgueddfa": 1.0}
    # Offers a search cannot find today (closed, past their date) are not counted as relevant.
    assert outcomes[0].relevant == 1 and outcomes[0].shown == [("Climbing wall taster", True)]
    assert recall_at_5(outcomes) == 0.667
    assert "zzzqqq" in report(outcomes) and "climbing" not in report(outcomes).split("\n", 1)[1]


async def test_the_other_languages_words_make_an_offer_relevant(search: AsyncClient) -> None:
    await _marketplace(search)
    (outcome,) = await measure(search, [_judged("celf", r"art workshop", "cross_language")], TODAY)
    assert outcome.relevant == 1 and outcome.score == 1.0


async def test_a_judgement_no_offer_satisfies_is_an_error(search: AsyncClient) -> None:
    await _marketplace(search)
    with pytest.raises(NothingRelevant, match="opera"):
        await measure(search, [_judged("opera", r"\bopera\b")], TODAY)
