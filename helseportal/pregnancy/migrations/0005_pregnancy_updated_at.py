"""`Pregnancy.updated_at`: the last change of the pregnancy (the FHIR API's EpisodeOfCare); existing rows start from
when they were recorded."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def since_recorded(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("pregnancy", "Pregnancy").objects.update(updated_at=models.F("recorded_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('pregnancy', '0004_birth_section_to_birth_outcomes'),
    ]

    operations = [
        migrations.AddField(
            model_name='pregnancy',
            name='updated_at',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.RunPython(since_recorded, migrations.RunPython.noop, elidable=True),
    ]
