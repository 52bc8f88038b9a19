"""A sharing grant as a FHIR Consent: it validates with the R4B models, round-trips, names the grantee by HPR-nummer
or organisasjonsnummer, and is mapped in bokmål whatever the page's language."""

import datetime
import json
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation
from fhir.resources.R4B import get_fhir_model_class

from helseportal.access import sharing
from helseportal.access.fhir import consent
from helseportal.access.models import SharingGrant
from helseportal.core.actor import Actor
from helseportal.core.ids import FNR_SYSTEM, HPR_SYSTEM, ORGNR_SYSTEM
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.fhir import registry
from helseportal.organisations.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari() -> Actor:
    load_demo()
    return actors.citizen(personas.KARI)


def share(kari: Actor, **kwargs: Any) -> SharingGrant:
    defaults = {"permission": "read", "valid_to": today() + datetime.timedelta(days=90)}
    if "unit_id" in kwargs:
        return sharing.share_with_unit(kari, area="pregnancy", **(defaults | kwargs))
    who = {"hpr_number": personas.METTE.hpr_number, "family_name": personas.METTE.family_name}
    return sharing.share_with_practitioner(kari, area="pregnancy", **(who | defaults | kwargs))


def assert_valid_and_round_trips(resource: dict[str, Any]) -> None:
    """Validate with the R4B model of its type, then model → JSON → dict must give back what we made."""
    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    assert json.loads(model.model_dump_json()) == resource


def test_a_grant_to_the_midwife_is_a_consent_naming_her_by_hpr(kari: Actor) -> None:
    with transaction.atomic():
        grant = share(kari, permission="read")
    resource = consent(grant)
    assert resource["status"] == "active"
    assert resource["patient"]["identifier"] == {"system": FNR_SYSTEM, "value": personas.KARI.pid}
    assert resource["scope"]["coding"][0]["code"] == "patient-privacy"
    provision = resource["provision"]
    assert provision["actor"][0]["reference"]["identifier"] == {
        "system": HPR_SYSTEM,
        "value": personas.METTE.hpr_number,
    }
    assert [a["coding"][0]["code"] for a in provision["action"]] == ["access"]
    assert provision["period"]["end"] == grant.valid_to.isoformat()
    with transaction.atomic():
        sharing.revoke(kari, grant.pk)
    grant.refresh_from_db()
    assert consent(grant)["status"] == "inactive"


def test_a_grant_to_a_unit_names_it_by_orgnr_and_read_write_adds_correct(kari: Actor) -> None:
    station = Unit.objects.get(orgnr=personas.HEALTH_STATION.orgnr)
    with transaction.atomic():
        grant = share(kari, unit_id=station.pk, permission="read_write")
    provision = consent(grant)["provision"]
    actor = provision["actor"][0]["reference"]
    assert actor["identifier"] == {"system": ORGNR_SYSTEM, "value": station.orgnr}
    assert actor["type"] == "Organization"
    assert [a["coding"][0]["code"] for a in provision["action"]] == ["access", "correct"]
    assert_valid_and_round_trips(consent(grant))


def test_the_mapping_is_in_bokmal_whatever_the_page_language(kari: Actor) -> None:
    with transaction.atomic():
        grant = share(kari)
    with translation.override("en"):  # the English catalogue has "Pregnancy health card" for this label
        area = consent(grant)["provision"]["code"][0]["coding"][0]
        assert translation.gettext("Helsekort for gravide") == "Pregnancy health card"
    assert area["display"] == "Helsekort for gravide"


def test_the_consent_mapper_is_in_the_fhir_registry(kari: Actor) -> None:
    with transaction.atomic():
        grant = share(kari)
    assert registry.to_resource(grant) == consent(grant)
    assert [m.model for m in registry.mappers_for("Consent")] == [SharingGrant]
