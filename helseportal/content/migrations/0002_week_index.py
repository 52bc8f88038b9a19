"""Create the parent page of the pregnancy weeks, so editors can add weeks on a freshly migrated database.

Historical models have no treebeard methods, so the page's place in the tree is computed here as Wagtail's own
initial-data migration does it. `helseportal load_content` finds this page and fills it with the shipped weeks.
"""

import uuid

from django.db import migrations
from django.db.models import F

STEP_LENGTH = 4  # treebeard's materialised path: four base-36 digits per level
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
TITLE = "Svangerskapet uke for uke"
SLUG = "gravid-uke-for-uke"


def _step(number):
    text = ""
    while number:
        number, digit = divmod(number, 36)
        text = DIGITS[digit] + text
    return text.rjust(STEP_LENGTH, "0")


def create_week_index(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    ContentType = apps.get_model("contenttypes", "ContentType")
    WeekIndex = apps.get_model("content", "PregnancyWeekIndexPage")
    if WeekIndex.objects.exists():
        return
    site = Site.objects.filter(is_default_site=True).first()
    parent = Page.objects.filter(pk=site.root_page_id).first() if site else None
    parent = parent or Page.objects.filter(depth=1).order_by("path").first()
    if parent is None:
        return  # no page tree: load_content creates the root and the index
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    number = int(last.path[-STEP_LENGTH:], 36) + 1 if last else 1
    content_type, _ = ContentType.objects.get_or_create(app_label="content", model="pregnancyweekindexpage")
    WeekIndex.objects.create(
        title=TITLE,
        draft_title=TITLE,
        slug=SLUG,
        content_type=content_type,
        path=parent.path + _step(number),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{SLUG}/",
        locale_id=parent.locale_id,
        translation_key=uuid.uuid4(),
        live=True,
    )
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_week_index, migrations.RunPython.noop)]
