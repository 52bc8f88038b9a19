"""Loading the shipped texts: three languages, idempotent, every week distinct, the safety advice where it belongs."""

import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from wagtail.models import GroupPagePermission, Page

from helseportal.content.models import PregnancyWeekIndexPage, PregnancyWeekPage
from helseportal.pregnancy.weeks import SHIPPED, Block, WeekText
from helseportal.pregnancy.weeks.loading import EDITOR_GROUP, LoadSummary, load_pregnancy_weeks
from helseportal.pregnancy.weeks.tests.conftest import week_page

LANGUAGES = ["nb", "nn", "en"]
ALL_WEEKS = list(range(4, 43))


@dataclass(frozen=True)
class Phrases:
    """What the texts of one language must say, in that language's words."""

    ask: tuple[str, ...]  # the midwife or the GP
    emergency: str  # 113
    reduced_movements: str  # the advice on reduced fetal movements, from week 24
    birth_unit_now: str  # call the birth unit at once, from week 22


PHRASES = {
    "nb": Phrases(
        ask=("jordmor", "fastlege"),
        emergency="ring 113",
        reduced_movements="kontakte fødeavdelingen med en gang",
        birth_unit_now="fødeavdelingen med en gang",
    ),
    "nn": Phrases(
        ask=("jordmor", "fastlege"),
        emergency="ring 113",
        reduced_movements="kontakte fødeavdelinga med ein gong",
        birth_unit_now="fødeavdelinga med ein gong",
    ),
    "en": Phrases(
        ask=("midwife", "GP"),
        emergency="call 113",
        reduced_movements="contact the maternity ward at once",
        birth_unit_now="maternity ward at once",
    ),
}


def pages_of(language: str) -> dict[int, PregnancyWeekPage]:
    return {page.week: page for page in PregnancyWeekPage.objects.filter(locale__language_code=language)}


def words_of(text: WeekText) -> str:
    return " ".join(str(block) for block in (*text.baby, *text.mother, *text.consultation))


def test_it_loads_every_week_from_4_to_42_published_in_three_languages(weeks: LoadSummary):
    assert weeks == LoadSummary(created=117, updated=0, kept=0)
    for language in LANGUAGES:
        live = PregnancyWeekPage.objects.live().filter(locale__language_code=language)
        assert sorted(live.values_list("week", flat=True)) == ALL_WEEKS, language
    assert week_page(24, "nn").title == "Veke 24"
    assert week_page(24, "en").title == "Week 24"


def test_loading_again_changes_nothing_in_any_language(weeks: LoadSummary):
    fields = ("week", "locale__language_code", "summary", "baby", "latest_revision_id", "translation_key")
    before = list(PregnancyWeekPage.objects.order_by("path").values(*fields))
    assert load_pregnancy_weeks() == LoadSummary(created=0, updated=0, kept=117)
    assert list(PregnancyWeekPage.objects.order_by("path").values(*fields)) == before
    indexes = PregnancyWeekIndexPage.objects.values_list("locale__language_code", "title")
    assert sorted(indexes) == [
        ("en", "Pregnancy week by week"),
        ("nb", "Svangerskapet uke for uke"),
        ("nn", "Svangerskapet veke for veke"),
    ]
    assert Page.find_problems() == ([], [], [], [], [])  # the page tree is still consistent


def test_the_pages_of_a_week_are_translations_of_each_other(weeks: LoadSummary):
    for week in ALL_WEEKS:
        original = week_page(week)
        translations = {page.locale.language_code: page.specific for page in original.get_translations()}
        assert sorted(translations) == ["en", "nn"], f"week {week}"
        assert {page.week for page in translations.values()} == {week}
    nn_index = PregnancyWeekIndexPage.objects.get(locale__language_code="nn")
    assert nn_index.live
    assert nn_index.translation_key == PregnancyWeekIndexPage.objects.get(locale__language_code="nb").translation_key
    assert week_page(24, "nn").get_parent().specific == nn_index


def test_it_keeps_what_an_editor_changed_unless_told_to_overwrite(weeks: LoadSummary):
    page = week_page(20, "nn")
    page.summary = "Skrive om av ein redaktør."
    page.save_revision().publish()
    assert load_pregnancy_weeks().kept == 117
    assert week_page(20, "nn").summary == "Skrive om av ein redaktør."
    assert load_pregnancy_weeks(overwrite=True) == LoadSummary(created=0, updated=1, kept=116)
    assert week_page(20, "nn").summary == SHIPPED["nn"].weeks[16].summary


def test_it_recreates_a_week_an_editor_deleted_as_a_translation_of_the_others(weeks: LoadSummary):
    key = week_page(33, "en").translation_key
    week_page(33).delete()
    assert load_pregnancy_weeks().created == 1
    assert week_page(33).translation_key == key
    assert week_page(33).live


def test_a_second_page_for_a_week_in_the_same_language_is_refused(weeks: LoadSummary):
    duplicate = PregnancyWeekPage(title="Veke 24 igjen", week=24, summary="x", baby="", mother="", consultation="")
    nn_index = week_page(24, "nn").get_parent()
    with pytest.raises(ValidationError, match="allerede en side for uke 24"):
        nn_index.add_child(instance=duplicate)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("field", ["summary", "baby", "mother", "consultation"])
def test_no_two_weeks_share_a_text(weeks: LoadSummary, field: str, language: str):
    texts = [getattr(page, field) for week, page in pages_of(language).items() if 8 <= week <= 41]
    assert len(texts) == 34
    assert len(set(texts)) == len(texts), f"two weeks share their {field} text in {language}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("field", ["summary", "baby", "mother", "consultation"])
def test_no_week_is_another_with_the_numbers_swapped(field: str, language: str):
    weeks = SHIPPED[language].weeks
    masked = [re.sub(r"\d+", "#", " ".join(map(str, getattr(text, field)))) for text in weeks]
    assert len(set(masked)) == len(weeks)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_week_sends_questions_to_the_midwife_or_gp(language: str):
    for text in SHIPPED[language].weeks:
        words = words_of(text)
        assert any(who in words or who.capitalize() in words for who in PHRASES[language].ask), f"week {text.week}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_danger_signs_come_with_every_week_and_reduced_movements_from_week_24(weeks: LoadSummary, language: str):
    phrases = PHRASES[language]
    mother = {week: page.mother for week, page in pages_of(language).items()}
    for week in ALL_WEEKS:
        assert phrases.emergency in mother[week].lower(), f"week {week}"
        assert (phrases.reduced_movements in mother[week]) == (week >= 24), f"week {week}"
        assert (phrases.birth_unit_now in mother[week]) == (week >= 22), f"week {week}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_texts_give_no_sizes_or_weights_of_the_fetus(language: str):
    for text in SHIPPED[language].weeks:
        words = words_of(text)
        for unit in (" cm", " mm", " gram", " kilo", " kg"):
            assert unit not in words, f"week {text.week} mentions{unit}"


def shape(blocks: tuple[Block, ...]) -> list[object]:
    """A section's shape: a paragraph is "p", a list is its length; and the numbers each block holds."""
    return [("p" if isinstance(b, str) else len(b), re.findall(r"\d+", str(b))) for b in blocks]


@pytest.mark.parametrize("language", ["nn", "en"])
def test_the_translations_follow_the_bokmaal_block_for_block_with_the_same_numbers(language: str):
    original, translation = SHIPPED["nb"], SHIPPED[language]
    assert [text.week for text in translation.weeks] == [text.week for text in original.weeks]
    for nb, other in zip(original.weeks, translation.weeks, strict=True):
        assert re.findall(r"\d+", other.summary) == re.findall(r"\d+", nb.summary), f"week {nb.week}"
        for field in ("baby", "mother", "consultation"):
            assert shape(getattr(other, field)) == shape(getattr(nb, field)), f"week {nb.week}, {field}"
    for nb_notice, notice in zip(original.notices, translation.notices, strict=True):
        assert (notice.first_week, notice.last_week) == (nb_notice.first_week, nb_notice.last_week)
        assert re.findall(r"\d+", notice.text) == re.findall(r"\d+", nb_notice.text)


SCHEDULE = {
    "nb": {
        6: ["Første svangerskapskontroll", "uke 12"],  # first consultation at week 6–12
        11: ["tidlige ultralyd", "11+0", "13+6"],  # early ultrasound 11+0–13+6 for all
        17: ["rutineultralyd", "17–19"],
        24: ["SF-mål", "blodtrykk", "urin", "RhD", "sukkerbelastning"],
        25: ["sukkerbelastning", "24 og 28"],  # glucose test for risk groups at 24–28
        28: ["fast kontroll", "anti-D"],  # RhD-negative women with an RhD-positive baby
        32: ["fast kontroll", "SF-mål"],
        36: ["fast kontroll", "ligger", "røyk, snus og alkohol"],  # lifestyle asked again at 36
        38: ["fast kontroll"],
        40: ["fast kontroll", "uke 41"],
        41: ["kontroll rundt uke 41"],
    },
    "nn": {
        6: ["Første svangerskapskontroll", "veke 12"],
        11: ["tidlege ultralydundersøkinga", "11+0", "13+6"],
        17: ["rutineultralyd", "17–19"],
        24: ["SF-mål", "blodtrykk", "urin", "RhD", "sukkerbelasting"],
        25: ["sukkerbelasting", "24 og 28"],
        28: ["fast kontroll", "anti-D"],
        32: ["fast kontroll", "SF-mål"],
        36: ["fast kontroll", "ligg", "røyk, snus og alkohol"],
        38: ["fast kontroll"],
        40: ["fast kontroll", "veke 41"],
        41: ["kontroll rundt veke 41"],
    },
    "en": {
        6: ["first antenatal check-up", "week 12"],
        11: ["early ultrasound", "11+0", "13+6"],
        17: ["routine ultrasound", "17–19"],
        24: ["symphysis-fundal height", "blood pressure", "urine", "RhD", "glucose tolerance test"],
        25: ["glucose tolerance test", "24 and 28"],
        28: ["regular check-up", "anti-D"],
        32: ["regular check-up", "symphysis-fundal height"],
        36: ["regular check-up", "lying", "smoking, snus and alcohol"],
        38: ["regular check-up"],
        40: ["regular check-up", "week 41"],
        41: ["check-up around week 41"],
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_national_schedule_lands_in_the_right_weeks(weeks: LoadSummary, language: str):
    pages = pages_of(language)
    for week, words in SCHEDULE[language].items():
        missing = [word for word in words if word not in pages[week].consultation]
        assert not missing, f"week {week} in {language} does not mention {missing}"


def test_the_editor_group_may_add_edit_publish_and_translate_in_every_language(weeks: LoadSummary):
    group = Group.objects.get(name=EDITOR_GROUP)
    for index in PregnancyWeekIndexPage.objects.all():
        codenames = set(
            GroupPagePermission.objects.filter(group=group, page=index).values_list("permission__codename", flat=True)
        )
        assert codenames == {"add_page", "change_page", "publish_page"}, index.locale
    assert set(group.permissions.values_list("codename", flat=True)) == {"access_admin", "submit_translation"}
    load_pregnancy_weeks()
    assert GroupPagePermission.objects.filter(group=group).count() == 9
