"""The review's findings on Pasientreiser (session 23), each with the test that failed before its fix."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from helseportal.travel import queries
from helseportal.travel.tests.conftest import World


def _claim_selects(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if 'FROM "travel_travelclaim"' in q["sql"]]


def test_her_list_and_the_offices_queue_do_not_load_the_forms_with_their_receipts(world: World):
    """Finding 14: up to 200 rows, each with its base64 receipts, were read for a list that shows none of them."""
    world.claim()
    with CaptureQueriesContext(connection) as captured:
        assert queries.claims_for(world.me())
        assert queries.queue(world.officer()).rows
    selects = _claim_selects(captured)
    assert len(selects) == 2
    assert all('"travel_travelclaim"."response"' not in sql for sql in selects)
