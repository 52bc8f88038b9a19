"""The appointment types as a configuration family for usage statistics' "who uses this" (issue 13 item 3).

A unit has an appointment type when the rules give it to the times booked there (`rules.appointment_type`: a GP
office's are GP times, a health station's health-station times, a school health service's and an HFU's youth
times), or when it has appointments of that type (a record system may send any type through the FHIR API). No
person is read: only which units, from the unit register and the appointments' unit and type columns.
"""

from django.utils.translation import gettext_lazy as _

from helseportal.appointments import rules
from helseportal.appointments.models import Appointment, AppointmentType
from helseportal.organisations.models import Unit
from helseportal.stats import services as stats

FAMILY = "appointment_type"


def appointment_types() -> list[stats.Configuration]:
    units: dict[str, set[str]] = {t.value: set() for t in AppointmentType}
    for orgnr, kind in Unit.objects.values_list("orgnr", "kind"):
        if kind in rules.ORDINARY_UNIT_KINDS:
            units[rules.appointment_type(kind, youth=False)].add(orgnr)
        if kind in rules.YOUTH_UNIT_KINDS:
            units[rules.appointment_type(kind, youth=True)].add(orgnr)
    for orgnr, type_ in Appointment.objects.values_list("unit__orgnr", "type").distinct().order_by():
        units.setdefault(type_, set()).add(orgnr)
    return [stats.Configuration(t.value, t.label, frozenset(units[t.value])) for t in AppointmentType]


def register() -> None:
    """Counted by the counters' `detail`: appointments requested and booked name their type's code."""
    stats.register_configurations(FAMILY, _("Timetyper"), appointment_types, counted=stats.BY_DETAIL)
