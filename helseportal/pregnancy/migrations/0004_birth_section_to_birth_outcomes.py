"""Move the old one-fetus "birth" section (status, free-text time) to the per-fetus BirthOutcome series.

Only the newest valid version per pregnancy is moved, and only when its time can be read (ISO, or dd.mm.åååå with
an optional tt:mm); its provenance comes along. The section rows themselves stay as they are: nothing is deleted.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

OSLO = ZoneInfo("Europe/Oslo")
STATUS = {"born": "live", "stillborn": "stillborn"}
PROVENANCE = (
    "person_id",
    "author_kind",
    "author_practitioner_id",
    "author_name",
    "author_hpr_number",
    "author_unit_name",
    "author_unit_orgnr",
)


def _moment(text: str) -> datetime.datetime | None:
    text = text.strip()
    for parse in (datetime.datetime.fromisoformat, lambda t: datetime.datetime.strptime(t, "%d.%m.%Y %H:%M")):
        try:
            moment = parse(text)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=OSLO)
    try:
        return datetime.datetime.strptime(text, "%d.%m.%Y").replace(tzinfo=OSLO)
    except ValueError:
        return None


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    SectionEntry = apps.get_model("pregnancy", "SectionEntry")
    BirthOutcome = apps.get_model("pregnancy", "BirthOutcome")
    newest = {}
    for entry in SectionEntry.objects.filter(section="birth", entered_in_error_at__isnull=True).order_by("recorded_at"):
        newest[entry.pregnancy_id] = entry
    for entry in newest.values():
        status, moment = STATUS.get(entry.data.get("status")), _moment(str(entry.data.get("time", "")))
        if status is None or moment is None:
            continue
        fields = {name: getattr(entry, name) for name in PROVENANCE}
        outcome = BirthOutcome.objects.create(
            pregnancy_id=entry.pregnancy_id, fetus=1, status=status, born_at=moment, **fields
        )
        BirthOutcome.objects.filter(pk=outcome.pk).update(recorded_at=entry.recorded_at)


class Migration(migrations.Migration):
    dependencies = [("pregnancy", "0003_card_fields_issue_16")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
