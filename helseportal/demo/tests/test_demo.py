import pytest
from django.core.management import call_command
from stdnum.no import orgnr

from helseportal.core.ids import parse_pid
from helseportal.demo import personas
from helseportal.identity.models import ParentalResponsibility, Person, Practitioner
from helseportal.organisations.models import Membership, Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.mark.dates  # the demo's free times skip weekends and the past
def test_demo_is_idempotent():
    call_command("demo")
    counts = (Person.objects.count(), Practitioner.objects.count(), Unit.objects.count(), Membership.objects.count())
    call_command("demo")
    assert counts == (
        Person.objects.count(),
        Practitioner.objects.count(),
        Unit.objects.count(),
        Membership.objects.count(),
    )
    assert counts[0] == len(personas.CITIZENS)


def test_demo_stories_are_loaded_once():
    """The issue-5 stories: unit pages, free times and appointments, Kari's thread; a second run adds nothing."""
    from helseportal.appointments.models import Appointment, FreeTime
    from helseportal.content.models import Notice, UnitPage
    from helseportal.messaging.models import Message, Thread

    def counts() -> tuple[int, ...]:
        models = (UnitPage, Notice, FreeTime, Appointment, Thread, Message)
        return tuple(model.objects.count() for model in models)  # type: ignore[attr-defined]

    call_command("demo")
    first = counts()
    assert all(first), f"a demo story is empty: {first}"
    call_command("demo")
    assert counts() == first


def test_demo_persons_have_valid_synthetic_numbers_and_derived_ages():
    call_command("demo")
    for person in Person.objects.all():
        pid = parse_pid(person.pid, allow_synthetic=True)
        assert pid.synthetic
        assert person.birth_date == pid.birth_date
    ola = Person.objects.get(pid=personas.OLA.pid)
    assert ParentalResponsibility.objects.filter(parent__pid=personas.KARI.pid, child=ola).exists()


def test_demo_units_span_two_municipalities_with_valid_orgnr():
    call_command("demo")
    assert {u.municipality_name for u in Unit.objects.all()} == {"Oslo", "Bergen"}
    assert all(orgnr.is_valid(u.orgnr) for u in Unit.objects.all())
    kinds = set(Unit.objects.values_list("kind", flat=True))
    assert {
        UnitKind.GP_OFFICE,
        UnitKind.HEALTH_STATION,
        UnitKind.YOUTH_HEALTH_STATION,
        UnitKind.SCHOOL,
        UnitKind.SCHOOL_HEALTH_SERVICE,
        UnitKind.HOSPITAL,
    } <= kinds
    assert Unit.objects.filter(kind=UnitKind.SCHOOL).count() == 2


def test_the_school_nurse_works_at_noras_school_health_service():
    call_command("demo")
    nurse = Practitioner.objects.get(hpr_number=personas.INGRID.hpr_number)
    assert nurse.memberships.filter(unit__orgnr=personas.SHT_OSLO.orgnr, role="editor").exists()


def test_demo_refuses_to_run_without_test_identities(settings):
    from django.core.management.base import CommandError

    settings.HELSEPORTAL_TEST_IDENTITIES = False
    with pytest.raises(CommandError):
        call_command("demo")
