import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from helseportal.access import audit
from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor, Assurance, Role

pytestmark = pytest.mark.django_db
MIDWIFE = Actor(
    role=Role.PRACTITIONER, assurance=Assurance.HIGH, practitioner_id=1, hpr_number="9144889", display_name="Mette Berg"
)


def test_many_events_keep_the_chain_whole_and_cost_the_same_for_two_or_twenty():
    with transaction.atomic():
        audit.record(MIDWIFE, "pregnancy:card:read", subject_id=99)
    counts = []
    for n in (2, 20):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            audit.record_many(
                MIDWIFE,
                "pregnancy:worklist:read",
                subject_ids=list(range(n)),
                resources=[[f"EpisodeOfCare/{i}"] for i in range(n)],
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert AuditEvent.objects.filter(action="pregnancy:worklist:read").count() == 22
    call_command("audit", "verify")  # exits non-zero (SystemExit) on a broken chain


@pytest.mark.django_db(transaction=True)
def test_many_refuses_outside_a_transaction():
    with pytest.raises(RuntimeError):
        audit.record_many(MIDWIFE, "pregnancy:worklist:read", subject_ids=[1])
