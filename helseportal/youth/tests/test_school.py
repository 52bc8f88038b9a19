"""Min skole: her school and grade, the school health service's page, consenting staff, her grade's notices."""

import pytest

from helseportal.content.models import Notice
from helseportal.content.tests.conftest import time_passes
from helseportal.core.actor import Actor
from helseportal.organisations.models import SchoolEnrolment
from helseportal.youth.tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.dates
def test_nora_sees_her_school_grade_and_the_school_nurse(nora: Actor):
    html = client_for(nora).get("/ungdom/skole/").content.decode()
    assert "Du går i 10. trinn på Fjellhaug ungdomsskole." in html
    assert "Skolehelsetjenesten er et gratis tilbud" in html  # about us
    assert "Ingrid Dahl" in html
    assert "HPR-nummer 9200345" in html
    assert "Trinn 8–10" in html
    assert "Åpningstider de neste sju dagene" in html


def test_staff_without_consent_are_not_shown(nora: Actor):
    assert "Jonas Lie" not in client_for(nora).get("/ungdom/skole/").content.decode()


def test_she_sees_the_live_notices_for_her_grade_only_newest_first(nora: Actor):
    html = client_for(nora).get("/ungdom/skole/").content.decode()
    assert "Tema for 10. trinn: søvn og skjerm" in html
    assert "Velkommen til 8. trinn" not in html
    assert "Samtale med helsesykepleier i 9. trinn" not in html
    assert "Åpen dør i lunsjen neste uke" not in html  # scheduled a week ahead


@pytest.mark.dates
def test_a_scheduled_notice_appears_when_its_time_has_come(nora: Actor):
    time_passes(Notice.objects.get(title="Åpen dør i lunsjen neste uke"), days=8)
    html = client_for(nora).get("/ungdom/skole/").content.decode()
    # It went live a day ago (as if eight days had passed), after the grade 10 theme: newest first.
    assert html.index("Tema for 10. trinn: søvn og skjerm") < html.index("Åpen dør i lunsjen neste uke")


def test_without_an_enrolment_she_gets_a_clear_page_pointing_to_the_hfu_finder(nora: Actor):
    SchoolEnrolment.objects.all().delete()
    for path in ("/ungdom/skole/", "/ungdom/be-om-time/"):
        response = client_for(nora).get(path)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Vi finner ikke skolen din" in html
        assert 'href="/ungdom/finn-hfu/"' in html


def test_the_page_speaks_nynorsk_when_she_chooses_it(nora: Actor):
    from django.conf import settings

    client = client_for(nora)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    html = client.get("/ungdom/skole/").content.decode()
    assert "Skulen min" in html
    assert "Du går i 10. trinn på Fjellhaug ungdomsskole." in html
