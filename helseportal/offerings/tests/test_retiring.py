"""A kind retired in code never silently removes a unit's choice: a migration retiring a kind in use refuses, naming
the units; the database check stops `migrate` when a kind in use is missing from the registry."""

import pytest
from django.apps import apps
from django.core import checks

from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.offerings import kinds
from helseportal.offerings.checks import kinds_in_use_are_known
from helseportal.offerings.models import Offering
from helseportal.offerings.retiring import KindInUse, RetireKinds
from helseportal.organisations.models import Unit


@pytest.fixture
def units(db: None) -> tuple[Unit, Unit]:
    load_demo()
    return Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr), Unit.objects.get(orgnr=personas.HFU_OSLO.orgnr)


def migrate_forwards(operation: RetireKinds) -> None:
    """Run the migration step's forward function as `migrate` does, with the historical models."""
    operation.code(apps, None)


def test_a_migration_retiring_a_service_kind_in_use_by_a_unit_fails_with_the_units_named(units):
    office, _hfu = units
    Offering.objects.create(unit=office, kind=kinds.GP_FLU_VACCINE, enabled=False, text="Fra oktober.")
    with pytest.raises(KindInUse) as refused:
        migrate_forwards(RetireKinds([kinds.GP_FLU_VACCINE]))
    assert "'gp_flu_vaccine' is used by Kirkeveien legesenter (910000004)" in str(refused.value)
    assert Offering.objects.filter(unit=office, kind=kinds.GP_FLU_VACCINE).exists()


def test_a_migration_retiring_a_kind_no_unit_uses_goes_through(units):
    migrate_forwards(RetireKinds([kinds.GP_FLU_VACCINE]))


def test_the_database_check_names_the_units_of_a_kind_missing_from_the_registry(units):
    office, hfu = units
    Offering.objects.create(unit=office, kind="gp_annet", enabled=True)
    Offering.objects.create(unit=hfu, kind="gp_annet", enabled=False)
    Offering.objects.create(unit=office, kind=kinds.GP_BOOKING, enabled=True)
    [error] = kinds_in_use_are_known(databases=["default"])
    assert error.id == "offerings.E001"
    assert "Helsestasjon for ungdom" in error.msg or hfu.shown_name in error.msg
    assert "Kirkeveien legesenter (910000004)" in error.msg
    assert "gp_booking" not in error.msg


def test_the_check_is_a_database_check_and_quiet_when_every_kind_is_known(units):
    office, _hfu = units
    Offering.objects.create(unit=office, kind=kinds.GP_BOOKING, enabled=True)
    assert kinds_in_use_are_known(databases=["default"]) == []
    assert kinds_in_use_are_known(databases=None) == []
    assert kinds_in_use_are_known in checks.registry.registry.get_checks(include_deployment_checks=False)
