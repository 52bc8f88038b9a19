"""bench/million.py writes the audit log's chain and the Observations' JSON from templates (50M and 10M rows, faster
than building objects): the text must be exactly what the project's own serialisation gives, for any value."""

import datetime
import json
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from bench import million
from helseportal.access.audit.chain import HASHED_FIELDS, canonical_json

names = st.text(max_size=40)  # quotes, backslashes, control characters, any letters
ids = st.none() | st.integers(min_value=1, max_value=10**12)
hashes = st.text("0123456789abcdef", min_size=64, max_size=64)
moments = st.datetimes(
    min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2100, 1, 1), timezones=st.just(datetime.UTC)
)


def test_the_template_has_the_hashed_fields_in_canonical_order() -> None:
    assert tuple(sorted(HASHED_FIELDS)) == million._CANONICAL_KEYS


@given(
    action=names, role=names, person=ids, practitioner=ids, name=names, hpr=names, unit=ids, unit_name=names,
    orgnr=names, moment=moments, subject=st.integers(min_value=1, max_value=10**12), previous=hashes,
)  # fmt: skip
def test_audit_text_is_canonical_json(
    action: str, role: str, person: int | None, practitioner: int | None, name: str, hpr: str, unit: int | None,
    unit_name: str, orgnr: str, moment: datetime.datetime, subject: int, previous: str,
) -> None:  # fmt: skip
    fields = (role, person, practitioner, name, hpr, unit, unit_name, orgnr)
    text = million._canonical_text(action, fields, million._ts(moment), subject, previous)
    event = SimpleNamespace(
        occurred_at=moment, action=action, outcome="allowed", reason="", purpose="", actor_role=role,
        actor_person_id=person, actor_practitioner_id=practitioner, actor_name=name, actor_hpr_number=hpr,
        actor_unit_id=unit, actor_unit_name=unit_name, actor_unit_orgnr=orgnr, actor_client_id="",
        on_behalf_of_id=None, subject_id=subject, resources=[], hidden_from_representatives=False,
        previous_hash=previous,
    )  # fmt: skip
    assert text.encode() == canonical_json(event)  # type: ignore[arg-type]


def test_observation_text_is_the_json_it_stands_for() -> None:
    world = million.World(units=[], sources=[1, 2], practitioners=[])
    for line in million._records([(7, "Ada Hansen")], world):
        resource = json.loads(line.split("\t")[2])
        assert resource["subject"] == {"reference": "Patient/7"}
        assert resource["effectiveDateTime"] == line.split("\t")[7]
        assert isinstance(resource["valueQuantity"]["value"], float)
        assert resource["code"]["coding"][0]["code"] == line.split("\t")[4]
