"""The .ics file: RFC 5545 lines (CRLF, folded at 75 octets), times in UTC, read back by a small parser."""

import datetime
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from helseportal.appointments import ics, queries, services
from helseportal.appointments.tests.conftest import at, free_time, unit
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound
from helseportal.demo import personas

TEXT_ESCAPE = re.compile(r"\\([\\;,nN])")


def unfold(data: bytes) -> dict[str, str]:
    """Parse the VEVENT back: undo folding (CRLF + space), split NAME:VALUE, unescape TEXT."""
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
    text = data.replace(b"\r\n ", b"").decode()
    fields = {}
    for line in text.split("\r\n"):
        if line:
            name, _, value = line.partition(":")
            fields.setdefault(name, value)
    for name in ("SUMMARY", "LOCATION", "DESCRIPTION"):
        if name in fields:
            # One pass, as RFC 5545 §3.3.11 reads it: replacing one escape after another would read an escaped
            # backslash followed by "n" as a backslash and a line break (Hypothesis found "\\n").
            fields[name] = TEXT_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), fields[name])
    return fields


def parse_utc(value: str) -> datetime.datetime:
    return datetime.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC)


@given(st.text(min_size=0, max_size=300))
@example("\\n")  # a backslash, then "n": not a line break
def test_any_text_survives_escaping_and_folding(text: str):
    text = text.replace("\r", "")
    start = datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC)
    data = ics.calendar(
        uid="x@y",
        stamp=start,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=20),
        summary=text,
        location="Ø" * 80,
    )
    fields = unfold(data)
    assert fields["SUMMARY"] == text
    assert fields["LOCATION"] == "Ø" * 80


@pytest.mark.django_db
@pytest.mark.dates
def test_the_appointment_reads_back_with_utc_times_and_no_reason(kari: Actor, lars: Actor):
    request = services.request_appointment(
        kari, unit_id=unit(personas.MAJORSTUEN_GP).pk, meeting_form="physical", phone="91234567", reason="Hemmelig"
    )
    slot = free_time(personas.LARS, personas.MAJORSTUEN_GP, at(3, 10))
    appointment = services.answer_request(lars, request.pk, meeting_form="physical", free_time_id=slot.pk)
    fields = unfold(queries.ics(kari, appointment.pk))
    assert fields["BEGIN"] == "VCALENDAR"
    assert fields["VERSION"] == "2.0"
    assert fields["UID"] == f"appointment-{appointment.pk}@helseportal"
    assert parse_utc(fields["DTSTART"]) == slot.starts_at
    assert parse_utc(fields["DTEND"]) == slot.ends_at
    assert parse_utc(fields["DTSTAMP"]) <= datetime.datetime.now(datetime.UTC)
    assert "Kirkeveien" in fields["LOCATION"]
    assert fields["SUMMARY"].startswith("Legetime")
    assert "Lars Bakken" in fields["DESCRIPTION"]
    assert personas.LARS.hpr_number in fields["DESCRIPTION"]
    assert "Hemmelig" not in str(fields)


@pytest.mark.django_db
def test_the_youth_path_and_the_ordinary_path_do_not_cross(nora_youth: Actor, ingrid: Actor, kari_for_nora: Actor):
    request = services.request_appointment(
        nora_youth, unit_id=unit(personas.SHT_OSLO).pk, meeting_form="phone", phone="91234567", via_youth_service=True
    )
    slot = free_time(personas.INGRID, personas.SHT_OSLO, at(3, 10))
    appointment = services.answer_request(ingrid, request.pk, meeting_form="phone", free_time_id=slot.pk)
    assert unfold(queries.ics(nora_youth, appointment.pk, youth=True))["SUMMARY"].startswith("Ungdomstime")
    for actor, youth in ((nora_youth, False), (kari_for_nora, None), (kari_for_nora, True)):
        with pytest.raises(NotFound):
            queries.ics(actor, appointment.pk, youth=youth)
