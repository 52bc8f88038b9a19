"""One week page per language: the week is no longer unique on its own, and the content languages exist.

With Wagtail's localisation on (WAGTAIL_I18N_ENABLED), week 24 has a page in bokmål, nynorsk and English, so the
database can no longer hold `week` unique by itself. A week is unique within a language: `PregnancyWeekPage.clean`
checks it, as the language (`locale`) lives in Wagtail's page table, out of reach of a constraint here.

The locales nb, nn and en are created if missing (Wagtail's own migration made only the default one, from
LANGUAGE_CODE). Existing pages keep their locale (the default, bokmål) and their text: `helseportal load_content`
adds the nynorsk and English trees beside them. Going back removes nothing: a locale may already have pages.
"""

import django.core.validators
from django.db import migrations, models

LANGUAGES = ("nb", "nn", "en")  # settings.LANGUAGES, frozen here as a migration must not follow settings


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for language in LANGUAGES:
        Locale.objects.get_or_create(language_code=language)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0004_notice_no_reverse_managers"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AlterField(
            model_name="pregnancyweekpage",
            name="week",
            field=models.IntegerField(
                help_text="Et tall fra 4 til 42. Siden vises på /gravid/uke/<uke>/.",
                validators=[
                    django.core.validators.MinValueValidator(4),
                    django.core.validators.MaxValueValidator(42),
                ],
                verbose_name="svangerskapsuke",
            ),
        ),
        migrations.RunPython(create_locales, migrations.RunPython.noop),
    ]
