"""Loading the shipped texts: idempotent, every week distinct, and the safety advice where it belongs."""

import re

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Page

from helseportal.content.models import PregnancyWeekIndexPage, PregnancyWeekPage
from helseportal.content.pregnancy_weeks import WEEKS
from helseportal.content.services import EDITOR_GROUP, LoadSummary, load_pregnancy_weeks

REDUCED_MOVEMENTS = "kontakte fødeavdelingen med en gang"


def test_it_loads_every_week_from_4_to_42_published(weeks: LoadSummary):
    assert weeks == LoadSummary(created=39, updated=0, kept=0)
    assert sorted(PregnancyWeekPage.objects.live().values_list("week", flat=True)) == list(range(4, 43))


def test_loading_again_changes_nothing(weeks: LoadSummary):
    before = list(PregnancyWeekPage.objects.order_by("week").values("week", "summary", "baby", "latest_revision_id"))
    assert load_pregnancy_weeks() == LoadSummary(created=0, updated=0, kept=39)
    after = list(PregnancyWeekPage.objects.order_by("week").values("week", "summary", "baby", "latest_revision_id"))
    assert after == before
    assert PregnancyWeekIndexPage.objects.count() == 1
    assert Page.find_problems() == ([], [], [], [], [])  # the page tree is still consistent


def test_it_keeps_what_an_editor_changed_unless_told_to_overwrite(weeks: LoadSummary):
    page = PregnancyWeekPage.objects.get(week=20)
    page.summary = "Skrevet om av en redaktør."
    page.save_revision().publish()
    assert load_pregnancy_weeks().kept == 39
    assert PregnancyWeekPage.objects.get(week=20).summary == "Skrevet om av en redaktør."
    assert load_pregnancy_weeks(overwrite=True) == LoadSummary(created=0, updated=1, kept=38)
    assert PregnancyWeekPage.objects.get(week=20).summary != "Skrevet om av en redaktør."


def test_it_recreates_a_week_an_editor_deleted(weeks: LoadSummary):
    PregnancyWeekPage.objects.get(week=33).delete()
    assert load_pregnancy_weeks().created == 1
    assert PregnancyWeekPage.objects.filter(week=33).exists()


@pytest.mark.parametrize("field", ["summary", "baby", "mother", "consultation"])
def test_no_two_weeks_share_a_text(weeks: LoadSummary, field: str):
    texts = list(PregnancyWeekPage.objects.filter(week__range=(8, 41)).values_list(field, flat=True))
    assert len(texts) == 34
    assert len(set(texts)) == len(texts), f"two weeks share their {field} text"


@pytest.mark.parametrize("field", ["summary", "baby", "mother", "consultation"])
def test_no_week_is_another_with_the_numbers_swapped(field: str):
    masked = [re.sub(r"\d+", "#", " ".join(map(str, getattr(text, field)))) for text in WEEKS]
    assert len(set(masked)) == len(WEEKS)


def test_every_week_sends_questions_to_the_midwife_or_gp():
    for text in WEEKS:
        words = " ".join(str(block) for block in (*text.baby, *text.mother, *text.consultation)).lower()
        assert "jordmor" in words or "fastlege" in words, f"week {text.week}"


def test_the_danger_signs_come_with_every_week_and_reduced_movements_from_week_24(weeks: LoadSummary):
    mother = dict(PregnancyWeekPage.objects.values_list("week", "mother"))
    for week in range(4, 43):
        assert "Ring 113" in mother[week] or "ring 113" in mother[week], f"week {week}"
        assert (REDUCED_MOVEMENTS in mother[week]) == (week >= 24), f"week {week}"
        assert ("fødeavdelingen med en gang" in mother[week]) == (week >= 22), f"week {week}"


def test_the_texts_give_no_sizes_or_weights_of_the_fetus():
    for text in WEEKS:
        words = " ".join(str(block) for block in (*text.baby, *text.mother, *text.consultation))
        for unit in (" cm", " mm", " gram", " kilo", " kg"):
            assert unit not in words, f"week {text.week} mentions{unit}"


@pytest.mark.parametrize(
    ("week", "words"),
    [
        (6, ["Første svangerskapskontroll", "uke 12"]),  # first consultation at week 6–12
        (11, ["tidlige ultralyd", "11+0", "13+6"]),  # early ultrasound 11+0–13+6 for all
        (17, ["rutineultralyd", "17–19"]),
        (24, ["SF-mål", "blodtrykk", "urin", "RhD", "sukkerbelastning"]),
        (25, ["sukkerbelastning", "24 og 28"]),  # glucose test for risk groups at 24–28
        (28, ["fast kontroll", "anti-D"]),  # RhD-negative women with an RhD-positive baby
        (32, ["fast kontroll", "SF-mål"]),
        (36, ["fast kontroll", "ligger", "røyk, snus og alkohol"]),  # lifestyle asked again at 36
        (38, ["fast kontroll"]),
        (40, ["fast kontroll", "uke 41"]),
        (41, ["kontroll rundt uke 41"]),
    ],
)
def test_the_national_schedule_lands_in_the_right_weeks(weeks: LoadSummary, week: int, words: list[str]):
    consultation = PregnancyWeekPage.objects.get(week=week).consultation
    missing = [word for word in words if word not in consultation]
    assert not missing, f"week {week} does not mention {missing}"


def test_the_editor_group_may_add_edit_and_publish_under_the_week_index(weeks: LoadSummary):
    group = Group.objects.get(name=EDITOR_GROUP)
    index = PregnancyWeekIndexPage.objects.get()
    codenames = set(
        GroupPagePermission.objects.filter(group=group, page=index).values_list("permission__codename", flat=True)
    )
    assert codenames == {"add_page", "change_page", "publish_page"}
    assert group.permissions.filter(codename="access_admin").exists()
    load_pregnancy_weeks()
    assert GroupPagePermission.objects.filter(group=group).count() == 3
