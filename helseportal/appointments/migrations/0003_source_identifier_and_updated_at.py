"""The source's business identifier on an appointment (one row per identifier and unit), and `updated_at`.

Existing rows get their creation time as their last change. Adding a column that is not null makes Django rebuild
the table on SQLite, which drops the no-double-booking triggers (migration 0002): they are installed again last.
"""

from importlib import import_module

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

RULE = import_module("helseportal.appointments.migrations.0002_no_double_booking")


def since_created(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for name in ("Appointment", "AppointmentRequest"):
        apps.get_model("appointments", name).objects.update(updated_at=models.F("created_at"))


def reinstall_rule(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    RULE.install_rule(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('appointments', '0002_no_double_booking'),
        ('identity', '0006_login_session_created'),
        ('organisations', '0002_hours_postcodes_enrolments'),
    ]

    operations = [
        # Going back removes the columns (a rebuild on SQLite again): the triggers come back after that.
        migrations.RunPython(migrations.RunPython.noop, reinstall_rule, elidable=False),
        migrations.AddField(
            model_name='appointment',
            name='source_system',
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name='appointment',
            name='source_value',
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name='appointment',
            name='updated_at',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name='appointmentrequest',
            name='updated_at',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddIndex(
            model_name='appointment',
            index=models.Index(fields=['unit', 'updated_at'], name='appointment_unit_id_1bf247_idx'),
        ),
        migrations.AddIndex(
            model_name='appointmentrequest',
            index=models.Index(fields=['unit', 'updated_at'], name='appointment_unit_id_8abae7_idx'),
        ),
        migrations.AddConstraint(
            model_name='appointment',
            constraint=models.UniqueConstraint(condition=models.Q(('source_value', ''), _negated=True), fields=('unit', 'source_system', 'source_value'), name='appointment_one_per_source_identifier'),
        ),
        migrations.RunPython(since_created, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(reinstall_rule, migrations.RunPython.noop, elidable=False),
    ]
