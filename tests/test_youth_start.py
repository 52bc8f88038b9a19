"""The youth start page: Nora reaches it with MinID; her mother acting for her never does."""

import pytest
from django.test import Client

from helseportal.core.actor import Assurance, Role
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo

pytestmark = pytest.mark.django_db


def test_nora_with_minid_reaches_the_youth_start_page(client: Client):
    load_demo()
    nora = actors.citizen(personas.NORA, Assurance.SUBSTANTIAL)
    log_in(client, nora.acting_for(nora.subject_key, Role.YOUTH))
    assert "Foreldrene dine ser ikke det du gjør her" in client.get("/ungdom/").content.decode()


def test_kari_acting_for_nora_gets_404_on_the_youth_pages(client: Client):
    load_demo()
    kari, nora = actors.citizen(personas.KARI), actors.citizen(personas.NORA)
    log_in(client, kari.acting_for(nora.subject_key, Role.PARENT))
    assert client.get("/ungdom/").status_code == 404
