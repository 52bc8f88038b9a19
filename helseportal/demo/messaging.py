"""Kari's thread with her GP office: two messages from her and a reply from GP Lars (issue #5).

Written through the services, so it is checked and audited like real use; safe to run again.
"""

from django.db import transaction

from helseportal.demo import actors, personas
from helseportal.messaging import services
from helseportal.messaging.models import Thread
from helseportal.organisations.models import Unit

SUBJECT = "Spørsmål om blodtrykket"


@transaction.atomic
def load_messaging() -> bool:
    """Create Kari's thread at the GP office unless it is there; True when it was created."""
    kari = actors.citizen(personas.KARI)
    office = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)
    if Thread.objects.filter(person_id=kari.own_person_id, unit=office, subject=SUBJECT).exists():
        return False
    lars = actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)
    thread = services.start_thread(
        kari,
        unit_id=office.pk,
        subject=SUBJECT,
        body="Hei! Jeg har målt blodtrykket hjemme tre dager på rad, rundt 135/85. Er det noe å bry seg om?",
    )
    services.reply(kari, thread.pk, body="Jeg glemte å si at jeg er gravid i uke 24.")
    services.reply(
        lars,
        thread.pk,
        body=(
            "Takk for beskjed. 135/85 er under grensen på 140/90, men vi vil gjerne følge det. Ta med målingene "
            "til neste kontroll, og ring oss om du får hodepine, synsforstyrrelser eller verdier over 140/90."
        ),
    )
    return True
