"""The Actor: survives the session as JSON unchanged, and says whom it acts for."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helseportal.core.actor import ANONYMOUS, Actor, Assurance, Role

keys = st.none() | st.integers(min_value=1, max_value=2**53)
actors = st.builds(
    Actor,
    role=st.sampled_from(Role),
    assurance=st.sampled_from(Assurance),
    person_id=keys,
    subject_id=keys,
    practitioner_id=keys,
    hpr_number=st.none() | st.text(alphabet="0123456789", min_size=7, max_size=9),
    unit_id=keys,
    client_id=st.none() | st.text(max_size=40),
    scopes=st.frozensets(st.text(min_size=1, max_size=30), max_size=5),
    display_name=st.text(max_size=60),
    subject_name=st.text(max_size=60),
)


@given(actor=actors)
def test_an_actor_survives_the_session_unchanged(actor: Actor):
    # Django's session serializer is JSON: the round trip must go through it, not only through a dict.
    stored = json.loads(json.dumps(actor.to_session()))
    restored = Actor.from_session(stored)
    assert restored == actor
    assert type(restored.role) is Role
    assert type(restored.assurance) is Assurance
    assert isinstance(restored.scopes, frozenset)


@given(actor=actors)
def test_the_session_form_is_plain_json(actor: Actor):
    data = actor.to_session()
    assert data["role"] == actor.role.value
    assert data["assurance"] == int(actor.assurance)
    assert data["scopes"] == sorted(actor.scopes)
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize("empty", [None, {}])
def test_an_empty_session_is_the_anonymous_actor(empty: dict | None):
    actor = Actor.from_session(empty)
    assert actor == ANONYMOUS
    assert not actor.is_authenticated
    assert not actor.is_citizen


def test_a_session_from_before_scopes_existed_still_loads():
    data = Actor(role=Role.CITIZEN, assurance=Assurance.HIGH, person_id=1, subject_id=1).to_session()
    del data["scopes"]
    assert Actor.from_session(data).scopes == frozenset()


KARI = Actor(role=Role.CITIZEN, assurance=Assurance.HIGH, person_id=1, subject_id=1, display_name="Kari Nordmann")


def test_kari_acting_for_herself_does_not_act_for_another():
    assert not KARI.acts_for_other


def test_kari_acting_for_ola_acts_for_another_as_parent():
    for_ola = KARI.acting_for(2, Role.PARENT)
    assert for_ola.acts_for_other
    assert (for_ola.person_id, for_ola.subject_id, for_ola.role) == (1, 2, Role.PARENT)
    assert for_ola.display_name == "Kari Nordmann"
    assert not KARI.acts_for_other  # the original is untouched


def test_switching_back_to_oneself_ends_acting_for_another():
    assert not KARI.acting_for(2, Role.PARENT).acting_for(1, Role.CITIZEN).acts_for_other


@given(person_id=keys, subject_id=keys)
def test_only_a_citizen_with_another_subject_acts_for_another(person_id: int | None, subject_id: int | None):
    actor = Actor(role=Role.CITIZEN, person_id=person_id, subject_id=subject_id)
    expected = person_id is not None and subject_id is not None and person_id != subject_id
    assert actor.acts_for_other == expected


def test_a_practitioner_has_no_own_person():
    mette = Actor(role=Role.PRACTITIONER, assurance=Assurance.HIGH, practitioner_id=7, hpr_number="9144889")
    assert mette.is_practitioner
    assert not mette.is_citizen
    assert not mette.acts_for_other
    with pytest.raises(PermissionError):
        _ = mette.own_person_id


def test_an_anonymous_visitor_has_no_own_person():
    with pytest.raises(PermissionError):
        _ = ANONYMOUS.own_person_id


def test_a_parent_acting_for_a_child_is_still_herself():
    assert KARI.acting_for(2, Role.PARENT).own_person_id == 1


@pytest.mark.parametrize(
    ("acr", "assurance"),
    [
        ("idporten-loa-high", Assurance.HIGH),
        ("idporten-loa-substantial", Assurance.SUBSTANTIAL),
        ("Level4", Assurance.NONE),
        ("", Assurance.NONE),
    ],
)
def test_the_acr_from_id_porten_maps_to_an_assurance_level(acr: str, assurance: Assurance):
    assert Assurance.from_acr(acr) == assurance


@pytest.mark.parametrize("assurance", [Assurance.SUBSTANTIAL, Assurance.HIGH])
def test_an_assurance_level_maps_back_to_the_acr_it_came_from(assurance: Assurance):
    assert Assurance.from_acr(assurance.acr) == assurance


def test_high_assurance_satisfies_substantial_but_not_the_other_way_round():
    assert Assurance.HIGH >= Assurance.SUBSTANTIAL > Assurance.NONE
    assert not Assurance.SUBSTANTIAL >= Assurance.HIGH
