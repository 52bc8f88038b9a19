"""The record services' demo data goes in through the FHIR API engine, once, whatever how often it is loaded."""

from collections import Counter

import pytest

from helseportal.access.models import AuditEvent
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.demo.records import DATA, DemoBundleRefused, load_records
from helseportal.fhir.models import ResourceVersion
from helseportal.identity.models import Person
from helseportal.records.models import Record


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


def test_every_demo_bundle_is_accepted_and_a_second_load_changes_nothing(demo: None):
    sent = load_records()
    assert sent == Record.objects.count() > 0
    versions = ResourceVersion.objects.count()
    assert load_records() == sent  # each entry answered again (200, unchanged) …
    assert Record.objects.count() == sent
    assert ResourceVersion.objects.count() == versions


def test_the_demo_records_reach_kari_and_her_log_names_the_sending(demo: None):
    load_records()
    kari = Person.objects.get(pid=personas.KARI.pid)
    assert Record.objects.filter(person=kari).exists()
    assert Counter(AuditEvent.objects.filter(subject_id=kari.pk).values_list("action", flat=True))["api:results:create"]


def test_a_bundle_the_api_refuses_stops_the_loading_with_its_name(demo: None, tmp_path):
    folder = tmp_path / personas.MAJORSTUEN_GP.orgnr
    folder.mkdir()
    (folder / "broken.json").write_text('{"resourceType": "Bundle", "type": "transaction", "entry": [{"resource":'
                                        ' {"resourceType": "Observation"}, "request": {"method": "POST", "url":'
                                        ' "Observation"}}]}')  # fmt: skip
    with pytest.raises(DemoBundleRefused, match=r"broken\.json"):
        load_records(tmp_path)


def test_the_data_folders_are_units_by_organisation_number():
    assert all(folder.name.isdigit() and len(folder.name) == 9 for folder in DATA.iterdir() if folder.is_dir())
