"""Unit pages, staff and notices as `youth` reads them: consent, grades, scheduling, expiry, withdrawal."""

import datetime

import pytest
from django.utils import timezone

from helseportal.content import publishing, queries, services, tasks
from helseportal.content.models import Notice, UnitPage, grade_mask, grade_span, grades_of
from helseportal.content.services import StaffFields
from helseportal.content.tests.conftest import page_of, time_passes, unit
from helseportal.core.actor import Actor
from helseportal.demo import personas
from helseportal.demo.content_units import load_unit_pages
from helseportal.organisations.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def _notice(actor: Actor, title: str, grades: list[int], **kwargs: object) -> Notice:
    school = unit(personas.SCHOOL_OSLO)
    return services.create_notice(
        actor, title=title, school_id=school.pk, grades=grades, text="Tekst", sender="Ingrid", **kwargs
    )


def test_every_sht_and_hfu_has_a_live_page(demo: None):
    kinds = (UnitKind.SCHOOL_HEALTH_SERVICE, UnitKind.YOUTH_HEALTH_STATION)
    for each in Unit.objects.filter(kind__in=kinds):
        page = queries.unit_page_for(each.pk)
        assert page is not None
        assert page.unit_id == each.pk
    assert queries.unit_page_for(unit(personas.SCHOOL_OSLO).pk) is None  # a school has no unit page


def test_the_demo_is_idempotent_and_has_ingrid_and_the_notices(demo: None):
    pages, notices = UnitPage.objects.count(), Notice.objects.count()
    load_unit_pages()
    assert (UnitPage.objects.count(), Notice.objects.count()) == (pages, notices)
    page = page_of(personas.SHT_OSLO)
    assert [(m.name, m.hpr_number) for m in queries.visible_staff(page)] == [("Ingrid Dahl", "9200345")]
    assert page.staff.filter(consent_to_show=False).count() == 1
    school = unit(personas.SCHOOL_OSLO).pk
    for grade in (8, 9, 10):
        assert len(queries.notices_for(school, grade)) == 1, grade
    assert Notice.objects.filter(live=False).count() == 1  # next week's, scheduled


def test_staff_without_consent_are_never_visible(ingrid: Actor):
    services.add_staff(ingrid, StaffFields(name="Uten Samtykke", role="Lege"))
    page = page_of(personas.SHT_OSLO)
    names = [m.name for m in queries.visible_staff(page)]
    assert "Uten Samtykke" not in names
    assert "Jonas Lie" not in names
    assert "Ingrid Dahl" in names
    member = page.staff.get(name="Uten Samtykke")
    services.update_staff(ingrid, member.pk, StaffFields(name="Uten Samtykke", role="Lege", consent_to_show=True))
    assert "Uten Samtykke" in [m.name for m in queries.visible_staff(page)]


def test_notices_are_for_their_grades_and_school_newest_first(ingrid: Actor):
    school = unit(personas.SCHOOL_OSLO).pk
    older = _notice(ingrid, "Eldre", [8, 9])
    newer = _notice(ingrid, "Nyere", [9])
    Notice.objects.filter(pk=older.pk).update(first_published_at=timezone.now() - datetime.timedelta(hours=1))
    titles = [n.title for n in queries.notices_for(school, 9)]
    assert titles.index("Nyere") < titles.index("Eldre")
    assert "Nyere" not in [n.title for n in queries.notices_for(school, 8)]
    assert newer.pk not in [n.pk for n in queries.notices_for(unit(personas.SCHOOL_BERGEN).pk, 9)]
    assert queries.notices_for(school, 0) == []
    assert queries.notices_for(school, 14) == []


@pytest.mark.dates
def test_a_scheduled_notice_is_not_shown_before_go_live_at_then_is(ingrid: Actor):
    school = unit(personas.SCHOOL_OSLO).pk
    notice = _notice(ingrid, "Planlagt", [11], go_live_at=timezone.now() + datetime.timedelta(days=3))
    notice.refresh_from_db()
    assert not notice.live
    assert queries.notices_for(school, 11) == []
    assert queries.notices_for(school, 11, at=timezone.now() + datetime.timedelta(days=4)) == []  # not published
    time_passes(notice, days=4, worker_runs=False)
    assert queries.notices_for(school, 11) == []  # a read publishes nothing
    tasks.publish_scheduled_pages.call()  # the worker's periodic task, every minute
    assert [n.title for n in queries.notices_for(school, 11)] == ["Planlagt"]
    assert Notice.objects.get(pk=notice.pk).live


@pytest.mark.dates
def test_an_expired_notice_is_not_shown(ingrid: Actor):
    school = unit(personas.SCHOOL_OSLO).pk
    notice = _notice(ingrid, "Kort", [12], expire_at=timezone.now() + datetime.timedelta(hours=1))
    assert [n.pk for n in queries.notices_for(school, 12)] == [notice.pk]
    assert queries.notices_for(school, 12, at=timezone.now() + datetime.timedelta(hours=2)) == []


@pytest.mark.dates
def test_a_withdrawn_notice_disappears_and_its_schedule_is_cancelled(ingrid: Actor):
    school = unit(personas.SCHOOL_OSLO).pk
    live = _notice(ingrid, "Nå", [13])
    later = _notice(ingrid, "Senere", [13], go_live_at=timezone.now() + datetime.timedelta(days=1))
    services.withdraw_notice(ingrid, live.pk)
    services.withdraw_notice(ingrid, later.pk)
    assert publishing.publish_due() == 0
    later.refresh_from_db()
    assert later.scheduled_revision is None
    assert queries.notices_for(school, 13, at=timezone.now() + datetime.timedelta(days=2)) == []
    assert Notice.objects.filter(pk__in=[live.pk, later.pk]).count() == 2  # kept, not deleted


def test_the_sending_unit_is_the_parent_page_unit(ingrid: Actor):
    notice = _notice(ingrid, "Fra hvem", [8])
    assert notice.unit == unit(personas.SHT_OSLO)


def test_grades_pack_into_a_mask_and_read_back():
    assert grades_of(grade_mask([1, 8, 9, 10, 13])) == [1, 8, 9, 10, 13]
    assert grade_span([8, 9, 10]) == "8–10"
    assert grade_span([8, 10]) == "8, 10"
    with pytest.raises(ValueError, match="outside"):
        grade_mask([14])
