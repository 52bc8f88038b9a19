"""Who may use the appointment services: the access check for citizens, the unit membership for staff.

Citizens and parents use area `appointments`; the youth path uses the youth area, which only the youth herself
passes (a parent acting for her is denied, and her items are filtered out of every ordinary list).
"""

from django.http import Http404

from helseportal.access.models import ServiceArea
from helseportal.access.policy import YOUTH_AREA, check, require
from helseportal.core.actor import Actor, Assurance
from helseportal.organisations.models import Membership, Unit
from helseportal.organisations.models import Role as UnitRole


def area(*, youth: bool) -> str:
    return YOUTH_AREA if youth else ServiceArea.APPOINTMENTS


def require_citizen(actor: Actor, *, youth: bool, audit_action: str = "") -> int:
    """The person whose appointments the call is about; a denial answers 404.

    A denial on the youth path is not audited: the audit record would be a trace of the youth service on the
    subject's log, which her parents may read.
    """
    if actor.subject_id is None or not actor.is_citizen:
        raise Http404
    require(actor, subject_id=actor.subject_id, area=area(youth=youth), audit_action="" if youth else audit_action)
    return actor.subject_id


def may_use(actor: Actor, *, youth: bool) -> bool:
    """Whether the citizen path (`youth` or not) is open to this actor, without raising or auditing."""
    if actor.subject_id is None or not actor.is_citizen:
        return False
    return bool(check(actor, subject_id=actor.subject_id, area=area(youth=youth)))


def is_clinician_at(practitioner_id: int, unit_id: int) -> bool:
    return Membership.objects.filter(practitioner_id=practitioner_id, unit_id=unit_id, role=UnitRole.CLINICIAN).exists()


def require_clinician(actor: Actor) -> Unit:
    """The unit a practitioner acts for, if they work there as a clinician; 404 otherwise.

    HelseID says who they are; the membership says they may see the unit's requests and calendar.
    """
    if not (actor.is_practitioner and actor.hpr_number and actor.assurance >= Assurance.HIGH):
        raise Http404
    if actor.unit_id is None or not is_clinician_at(actor.practitioner_key, actor.unit_id):
        raise Http404
    return Unit.objects.get(pk=actor.unit_id)
