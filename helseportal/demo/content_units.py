"""Unit pages for every school health service and health station for youth, with staff and notices (issue 5).

Fjellhaug's school health service is written by school nurse Ingrid through the staff-side services, as she
would do it herself; the other units get a short page from the system. Safe to run again: pages, staff and
notices that exist are left alone, so what editors have changed is kept.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from helseportal.content import services
from helseportal.content.queries import UNIT_KINDS, Notice, UnitPage
from helseportal.content.services import LinkFields, StaffFields
from helseportal.demo import actors, personas
from helseportal.organisations.models import Unit, UnitKind

ABOUT = {
    UnitKind.SCHOOL_HEALTH_SERVICE: (
        "<p>Skolehelsetjenesten er et gratis tilbud til alle elever på skolen. Du kan komme til oss med store og "
        "små spørsmål, for eksempel om kropp, følelser, venner, familie eller skole.</p>"
        "<p>Vi har taushetsplikt. Det betyr at vi ikke forteller andre hva du har sagt, med noen få unntak som vi "
        "alltid forklarer deg først.</p>"
    ),
    UnitKind.YOUTH_HEALTH_STATION: (
        "<p>Helsestasjon for ungdom er et gratis tilbud for deg som er ung. Du kan komme innom uten time, og du "
        "trenger ikke å si hvem du er hvis du ikke vil.</p>"
        "<p>Her kan du snakke med helsesykepleier eller lege om det du lurer på. Alle som jobber her har "
        "taushetsplikt.</p>"
    ),
}
HOURS_NOTE = {
    UnitKind.SCHOOL_HEALTH_SERVICE: "Helsesykepleieren er på skolen hver dag. Du kan også be om time her på siden.",
    UnitKind.YOUTH_HEALTH_STATION: "Drop-in i hele åpningstiden. Det kan bli litt venting når det er mange innom.",
}


@dataclass(frozen=True)
class DemoNotice:
    title: str
    grade: int
    text: str
    links: tuple[LinkFields, ...] = ()
    days_from_now: int = 0  # > 0: scheduled


SENDER = "Helsesykepleier Ingrid"
NOTICES = (
    DemoNotice(
        "Velkommen til 8. trinn",
        8,
        "Hei, og velkommen til ungdomsskolen! Jeg heter Ingrid og er helsesykepleier her på skolen. Kontoret mitt "
        "er i andre etasje, ved siden av biblioteket. Du kan stikke innom når døren er åpen, eller be om en time "
        "her på helseportalen.",
    ),
    DemoNotice(
        "Samtale med helsesykepleier i 9. trinn",
        9,
        "I løpet av høsten får alle i 9. trinn tilbud om en kort samtale med helsesykepleier. Vi snakker om "
        "hvordan du har det, og du kan ta opp det du vil. Kontaktlæreren din sier fra når det er din klasse sin tur.",
    ),
    DemoNotice(
        "Tema for 10. trinn: søvn og skjerm",
        10,
        "Denne måneden snakker vi om søvn og skjermbruk i klassene på 10. trinn. Har du spørsmål etterpå, er du "
        "velkommen innom. Du finner mer om søvn hos Helsenorge.",
        links=(LinkFields("Søvn og hvile – helsenorge.no", "https://www.helsenorge.no/"),),
    ),
    DemoNotice(
        "Åpen dør i lunsjen neste uke",
        10,
        "Neste uke har helsesykepleier åpen dør i lunsjen hver dag. Du trenger ikke time, og du kan komme alene "
        "eller sammen med en venn.",
        days_from_now=7,
    ),
)
STAFF = (
    StaffFields("Ingrid Dahl", "Helsesykepleier", "8–10", personas.INGRID.hpr_number, consent_to_show=True),
    StaffFields("Jonas Lie", "Lege", "8–10", "", consent_to_show=False),
)


@transaction.atomic
def load_unit_pages() -> int:
    """Make sure every SHT and HFU in the database has a page; fill Fjellhaug's. Return how many pages exist."""
    for unit in Unit.objects.filter(kind__in=UNIT_KINDS).order_by("pk"):
        page = services.ensure_unit_page(unit)
        if not page.about and page.latest_revision is not None and page.revisions.count() == 1:
            page.about = ABOUT[UnitKind(unit.kind)]
            page.hours_note = HOURS_NOTE[UnitKind(unit.kind)]
            page.save_revision().publish()
    _load_fjellhaug()
    return UnitPage.objects.count()


def _load_fjellhaug() -> None:
    sht = Unit.objects.filter(orgnr=personas.SHT_OSLO.orgnr).first()
    if sht is None or sht.parent_id is None:
        return
    nurse = actors.clinician(personas.INGRID, personas.SHT_OSLO)
    page = services.editable_page(nurse)
    if not page.staff.exists():
        for member in STAFF:
            services.add_staff(nurse, member)
    if Notice.objects.child_of(page).exists():
        return
    for notice in NOTICES:
        go_live_at = timezone.now() + datetime.timedelta(days=notice.days_from_now) if notice.days_from_now else None
        services.create_notice(
            nurse,
            title=notice.title,
            school_id=sht.parent_id,
            grades=[notice.grade],
            text=notice.text,
            sender=SENDER,
            links=notice.links,
            go_live_at=go_live_at,
        )
