"""Her overview's card part kept per state of the card (`pregnancy.overview`, issue 14): every write to the card gives
it a new version, a write shows on the next view, another person never gets her part, each language and day its
own, the week's article follows a publish, and every view still has its access decision and audit record."""

import dataclasses
import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor, Role
from helseportal.core.ids import synthetic_fnr
from helseportal.core.testing import log_in
from helseportal.core.time import OSLO, today
from helseportal.demo import actors, personas
from helseportal.demo.pregnancy import load_pregnancy
from helseportal.identity.models import Person
from helseportal.organisations.models import Unit
from helseportal.pregnancy import queries, services
from helseportal.pregnancy.models import Note, Pregnancy, Symptom
from helseportal.pregnancy.tests.test_card_views import start_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(kari: Actor) -> Pregnancy:
    load_pregnancy()
    return Pregnancy.objects.get(person_id=kari.subject_id)


def _page(client: Client) -> str:
    response = client.get("/gravid/")
    assert response.status_code == 200
    return response.content.decode()


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _reads(subject_id: int) -> list[list[str]]:
    events = AuditEvent.objects.filter(action=queries.CARD_READ, subject_id=subject_id).order_by("pk")
    return [list(e.resources) for e in events]


def test_a_kept_part_is_shown_again_with_its_check_and_audit_record(client: Client, kari: Actor, card: Pregnancy):
    log_in(client, kari)
    first = _page(client)
    again = _page(client)
    assert _without_tokens(first) == _without_tokens(again)
    reads = _reads(card.person_id)
    assert len(reads) == 2
    assert reads[0] == reads[1]  # the kept part's record names what the read that rendered it named
    assert f"EpisodeOfCare/{card.pk}" in reads[1]


def test_a_write_shows_on_the_next_view(client: Client, kari: Actor, card: Pregnancy):
    log_in(client, kari)
    assert "131/87" not in _page(client)
    at = datetime.datetime.combine(today(), datetime.time(8, 0), OSLO)
    with transaction.atomic():
        services.add_own_measurement(kari, card, kind="bp", measured_at=at, systolic=131, diastolic=87)
    assert "131/87" in _page(client)


def test_a_denied_view_gets_nothing_kept(client: Client, kari: Actor, card: Pregnancy):
    """Per (no tie to Kari) asking for her card as if acting for her: 404, however often her part was shown."""
    log_in(client, kari)
    _page(client)
    per = Person.objects.get(pid=personas.PER.pid)
    intruder = Client()
    log_in(intruder, dataclasses.replace(actors.citizen(personas.PER), role=Role.PROXY, subject_id=card.person_id))
    response = intruder.get("/gravid/")
    assert response.status_code == 404
    assert "Du er i uke" not in response.content.decode()
    assert per.pk != card.person_id


def test_another_woman_never_gets_her_part(client: Client, kari: Actor, card: Pregnancy):
    log_in(client, kari)
    karis = _page(client)
    person = Person.objects.create(
        pid=synthetic_fnr(datetime.date(1991, 3, 4), 404), given_name="Kvinne", family_name="Testesen"
    )
    other = actors.of_person(person)
    start_at(other, weeks=12, days=1)
    theirs = Client()
    log_in(theirs, other)
    html = _page(theirs)
    assert "Du er i uke 12+1" in html
    assert "Du er i uke 12+1" not in karis
    assert _reads(person.pk)
    assert all(f"EpisodeOfCare/{card.pk}" not in r for r in _reads(person.pk))


def test_each_language_has_its_own(client: Client, kari: Actor, card: Pregnancy):
    log_in(client, kari)
    assert "Du er i uke" in _page(client)
    client.post("/i18n/setlang/", {"language": "en", "next": "/gravid/"})
    english = _page(client)
    assert "You are in week" in english
    assert "Du er i uke" not in english


def test_the_next_day_is_rendered_anew(client: Client, kari: Actor, card: Pregnancy, monkeypatch: pytest.MonkeyPatch):
    from helseportal.pregnancy import overview

    log_in(client, kari)
    week = queries.ongoing_card(kari, series=()).ga
    assert week is not None
    assert f"Du er i uke {week}" in _page(client)
    tomorrow = today() + datetime.timedelta(days=1)
    monkeypatch.setattr(overview, "today", lambda: tomorrow)
    monkeypatch.setattr(queries, "today", lambda: tomorrow)
    assert f"Du er i uke {week}" not in _page(client)


def test_the_week_article_follows_a_publish(client: Client, kari: Actor, card: Pregnancy):
    from helseportal.content.queries import week_article
    from helseportal.pregnancy.weeks.loading import load_pregnancy_weeks

    load_pregnancy_weeks()
    log_in(client, kari)
    week = queries.ongoing_card(kari, series=()).ga
    assert week is not None
    article = week_article(week.weeks)
    assert article is not None
    assert f"Dette skjer i uke {week.weeks}" in _page(client)
    article.unpublish()
    assert f"Dette skjer i uke {week.weeks}" not in _page(client)
    revision = article.save_revision()
    revision.publish()
    assert f"Dette skjer i uke {week.weeks}" in _page(client)


def test_advice_that_names_her_birth_unit_is_not_kept(client: Client, kari: Actor, card: Pregnancy):
    """Her birth unit's telephone number is not part of the card's version: that part is rendered every time."""
    log_in(client, kari)
    with transaction.atomic():
        services.add_symptom(kari, card, kind="reduced_fetal_movements", severity="moderate", date=today())
    assert personas.BIRTH_UNIT.phone in _page(client)
    Unit.objects.filter(name=personas.BIRTH_UNIT.name).update(phone="+47 11 22 33 44")
    assert "+47 11 22 33 44" in _page(client)


def _writers(kari: Actor, mette: Actor) -> dict[str, Callable[[Pregnancy], Any]]:
    """Each of `services`' writes to the card, once (the sharing services write grants, not the card)."""
    on = today() - datetime.timedelta(days=2)
    return {
        "update_pregnancy": lambda p: services.update_pregnancy(mette, p, number_of_fetuses=1),
        "write_section": lambda p: services.write_section(kari, p, "co_parent", {"name": "Jonas"}),
        "save_first_form": lambda p: _first_form(kari, p),
        "correct_due_date": lambda p: services.correct_due_date(mette, p, due_date=p.due_date, reason="other"),
        "add_consultation": lambda p: services.add_consultation(mette, p, date=on, systolic=118, diastolic=72),
        "add_sf": lambda p: services.add_sf(mette, p, date=on, cm=25),
        "add_own_measurement": lambda p: services.add_own_measurement(
            kari, p, kind="weight", measured_at=datetime.datetime.combine(on, datetime.time(8), OSLO), value=Decimal(70)
        ),
        "add_symptom": lambda p: services.add_symptom(kari, p, kind="fatigue", severity="mild", date=on),
        "add_test": lambda p: services.add_test(mette, p, test="hb_t1", value="12.1", unit="g/dL", taken_on=on),
        "add_note": lambda p: services.add_note(kari, p, "Jern"),
        "tick_note": lambda p: services.tick_note(kari, Note.objects.filter(pregnancy=p).first().pk, True),  # type: ignore[union-attr]
        "add_ultrasound": lambda p: services.add_ultrasound(
            mette, p, kind="routine", date=on, ga_days=140, fetuses=1, placenta="anterior"
        ),
        "add_nipt": lambda p: services.add_nipt(mette, p, date=on, result="low"),
        "add_vaccination": lambda p: services.add_vaccination(kari, p, vaccine="influenza", date=on, place="Apotek"),
        "add_earlier_birth": lambda p: services.add_earlier_birth(
            kari, p, year=2020, weeks=40, mode="vaginal", birth_weight_g=3400
        ),
        "add_birth_outcome": lambda p: services.add_birth_outcome(
            mette, p, fetus=1, status="live", born_at=datetime.datetime.combine(on, datetime.time(3), OSLO)
        ),
        "mark_in_error": lambda p: services.mark_in_error(
            kari, "symptom", Symptom.objects.filter(pregnancy=p, author_kind="woman").latest("pk").pk
        ),
    }


def _first_form(kari: Actor, pregnancy: Pregnancy) -> None:
    pregnancy.first_forms.all().delete()  # the demo's is sent; a draft may be saved again
    services.save_first_form(kari, pregnancy, {"other": {"note": "x"}}, submit=False)


WRITERS = sorted(_writers(Actor(), Actor()))


@pytest.mark.parametrize("writer", WRITERS)
def test_every_write_to_the_card_gives_it_a_new_version(kari: Actor, mette: Actor, card: Pregnancy, writer: str):
    before = Pregnancy.objects.get(pk=card.pk).version
    with transaction.atomic():
        _writers(kari, mette)[writer](Pregnancy.objects.get(pk=card.pk))
    assert Pregnancy.objects.get(pk=card.pk).version != before


def test_every_writer_of_the_card_is_in_the_list() -> None:
    """A write service added to `services` must be added to `_writers` (or be one of sharing's, which write grants)."""
    sharing = {"share_with_clinician", "share_with_practitioner", "share_with_unit", "stop_sharing"}
    writers = {name for name in services.__all__ if callable(getattr(services, name)) and name[0].islower()}
    assert writers - sharing - {"start_pregnancy"} == set(WRITERS)


def test_a_pregnancy_made_without_the_services_has_a_version_of_its_own(kari: Actor) -> None:
    """Random, so that no two states share one, even across a test's rollback or a restore (models.card.new_version)."""
    made = Pregnancy.objects.create(person_id=kari.subject_id, author_kind="woman", due_date_lmp=today())
    assert made.version != 0
