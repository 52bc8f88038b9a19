"""The receiving unit's side of the forms (issue 17 item 2): the responses sent to the unit the practitioner acts for,
newest first or by triage priority, unread or read, and one response opened (marked read by the unit).

Only a clinician member of the unit gets in (`access.policy.require_unit_role`; anyone else gets 404); a response
to another unit is 404 too, and the attempt is audited. A youth's form to her school health service goes to that
service only, so only its staff see it; its events are hidden from her representatives, as in the youth pages.
A response to a form whose owning domain takes it (the pregnancy survey, `fhir.questionnaires`) is in no unit's inbox
(`queries.received`): the unit imported the form, the domain decides who reads the answers (the card's sharing).
The list writes one `forms:inbox:read` event per citizen on the page (names, form titles and priorities are shown,
no answers); opening one writes `forms:response:opened`, its PDF `forms:response:exported`.
"""

from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from helseportal.access import audit
from helseportal.access.models import Outcome
from helseportal.access.policy import require_unit_role
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound
from helseportal.forms.models import FormResponse, ResponseStatus
from helseportal.forms.queries import received

PAGE_SIZE = 50
NEWEST, PRIORITY = "nyeste", "prioritet"
ORDERS = (NEWEST, PRIORITY)
# request-priority, most pressing first (http://hl7.org/fhir/request-priority); no outcome last.
PRIORITY_RANK = {"stat": 0, "asap": 1, "urgent": 2, "routine": 3}
OPENED, EXPORTED = "forms:response:opened", "forms:response:exported"


def _ranked(rows: QuerySet[FormResponse]) -> QuerySet[FormResponse]:
    rank = Case(
        *[When(priority=code, then=Value(number)) for code, number in PRIORITY_RANK.items()],
        default=Value(len(PRIORITY_RANK)),
        output_field=IntegerField(),
    )
    return rows.annotate(priority_rank=rank)


def responses(actor: Actor, *, order: str = NEWEST, unread: bool = False, page: int = 1) -> list[FormResponse]:
    """One page of the responses sent to the unit (one row more than a page, to know there is a next)."""
    unit = require_unit_role(actor)
    rows = _ranked(FormResponse.objects.filter(received(), unit=unit, status=ResponseStatus.COMPLETED))
    if unread:
        rows = rows.filter(read_by_unit_at__isnull=True)
    ordering = ("priority_rank", "-authored", "-id") if order == PRIORITY else ("-authored", "-id")
    start = (max(page, 1) - 1) * PAGE_SIZE
    with transaction.atomic():
        found = list(rows.select_related("form", "person", "author").order_by(*ordering)[start : start + PAGE_SIZE + 1])
        shown: dict[int, list[FormResponse]] = {}
        for row in found[:PAGE_SIZE]:
            shown.setdefault(row.person_id, []).append(row)
        audit.record_many(
            actor,
            "forms:inbox:read",
            subject_ids=list(shown),
            resources=[[f"QuestionnaireResponse/form-{r.pk}" for r in theirs] for theirs in shown.values()],
            purpose="unit_inbox",
            hidden_from_representatives=[any(r.hidden_from_representatives for r in rs) for rs in shown.values()],
        )
    return found


def response(actor: Actor, response_id: int, *, action: str = OPENED) -> FormResponse:
    """One response sent to the unit, audited; opening it marks it read by the unit (the first time)."""
    unit = require_unit_role(actor)
    with transaction.atomic():
        found = (
            FormResponse.objects.select_related("form", "person", "author", "unit")
            .filter(received(), pk=response_id, status=ResponseStatus.COMPLETED)
            .first()
        )
        if found is None:
            raise NotFound
        hidden = found.hidden_from_representatives
        if found.unit_id != unit.pk:
            audit.record(
                actor,
                action,
                subject_id=found.person_id,
                outcome=Outcome.DENIED,
                reason="other_unit",
                hidden_from_representatives=hidden,
            )
        else:
            audit.record(
                actor,
                action,
                subject_id=found.person_id,
                resources=[f"QuestionnaireResponse/form-{found.pk}"],
                hidden_from_representatives=hidden,
            )
            # The first reader marks it; a second one at the same moment changes nothing.
            if found.read_by_unit_at is None:
                found.read_by_unit_at = timezone.now()
                FormResponse.objects.filter(pk=found.pk, read_by_unit_at__isnull=True).update(
                    read_by_unit_at=found.read_by_unit_at
                )
    if found.unit_id != unit.pk:
        raise NotFound
    return found
