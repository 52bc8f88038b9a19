import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def from_created(apps, schema_editor):
    """A grant made before this field was last changed when made, or when revoked."""
    grant = apps.get_model("access", "SharingGrant")
    grant.objects.filter(revoked_at__isnull=True).update(updated=F("created"))
    grant.objects.filter(revoked_at__isnull=False).update(updated=F("revoked_at"))


class Migration(migrations.Migration):
    dependencies = [("access", "0004_service_areas_for_the_next_services")]

    operations = [
        migrations.AddField(
            model_name="sharinggrant",
            name="updated",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.RunPython(from_created, migrations.RunPython.noop),
    ]
