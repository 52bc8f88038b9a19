"""Repeating groups (issue 17): a group with `repeats: true`, at the top or nested, asked once per instance — on the
page («Legemiddel 1», «Legemiddel 2», "Legg til en til", "Fjern", no JavaScript), in the draft, in the
QuestionnaireResponse (one `item` per instance, the same linkId), in `required` and `enableWhen` (per instance),
bounded by minOccurs/maxOccurs or our cap, and on every page that shows the answers (summary, receipt, the unit's
inbox, the PDF). Bad posts (an instance that is not there, a removed one posted again, a forged count) get a
Norwegian answer, never a 500."""

from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.forms import logic, services
from helseportal.forms.definition import MAX_INSTANCES, Definition, load
from helseportal.forms.forms import StepForm
from helseportal.forms.models import Form, FormResponse
from helseportal.forms.tests.test_pdf import pdf_text
from helseportal.forms.tests.test_views import client_for

MIN_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs"
MAX_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs"
CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
YES, NO = [{"valueBoolean": True}], [{"valueBoolean": False}]


def medicines(*extensions: dict[str, Any], top: bool = False, **group: Any) -> dict[str, Any]:
    """A form with a repeating group «Barn» (name, required; allergic?; which allergy, asked when allergic, in the
    same instance), and a question outside it that one inside depends on."""
    children = {
        "linkId": "barn",
        "type": "group",
        "text": "Barn",
        "repeats": True,
        "extension": list(extensions),
        "item": [
            {"linkId": "navn", "type": "string", "text": "Navn", "required": True},
            {"linkId": "allergi", "type": "boolean", "text": "Allergi?"},
            {
                "linkId": "hvilken",
                "type": "string",
                "text": "Hvilken allergi?",
                "required": True,
                "enableWhen": [{"question": "allergi", "operator": "=", "answerBoolean": True}],
            },
            {
                "linkId": "skole",
                "type": "string",
                "text": "Skole",
                "enableWhen": [{"question": "skolebarn", "operator": "=", "answerBoolean": True}],
            },
        ],
    } | group
    outside = {"linkId": "skolebarn", "type": "boolean", "text": "Har du skolebarn?"}
    items = (
        [outside, children] if top else [{"linkId": "om", "type": "group", "text": "Om", "item": [outside, children]}]
    )
    return {
        "resourceType": "Questionnaire",
        "url": "urn:helseportal:forms:test:barn",
        "version": "1",
        "status": "active",
        "title": "Barna",
        "item": items,
    }


def sent(definition: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    response = logic.response_resource(definition, answers)
    QuestionnaireResponse.model_validate(response)
    assert logic.mismatches(definition, response) == []
    return response


TWO = {
    "skolebarn": YES,
    "barn": [
        {"navn": [{"valueString": "Ola"}], "allergi": YES, "hvilken": [{"valueString": "Nøtter"}]},
        {"navn": [{"valueString": "Nora"}], "allergi": NO, "skole": [{"valueString": "Ila"}]},
    ],
}


def test_a_repeating_group_is_read_with_its_bounds_and_no_longer_refused() -> None:
    definition = load(medicines({"url": MIN_OCCURS, "valueInteger": 2}, {"url": MAX_OCCURS, "valueInteger": 4}))
    group = definition.by_link["barn"]
    assert group.is_repeating_group
    assert (group.min_occurs, group.max_occurs, group.least_instances) == (2, 4, 2)
    assert load(medicines()).by_link["barn"].max_occurs == MAX_INSTANCES  # our cap, without maxOccurs
    assert load(medicines({"url": MAX_OCCURS, "valueInteger": 1000})).by_link["barn"].max_occurs == MAX_INSTANCES


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"extension": [{"url": MIN_OCCURS, "valueInteger": 3}, {"url": MAX_OCCURS, "valueInteger": 2}]}, "minOccurs"),
        ({"extension": [{"url": MIN_OCCURS, "valueInteger": MAX_INSTANCES + 1}]}, "så mange tar vi ikke imot"),
    ],
)
def test_bounds_that_cannot_hold_are_refused(change: dict[str, Any], reason: str) -> None:
    with pytest.raises(Invalid) as refused:
        load(medicines(**change))
    assert reason in refused.value.message


def test_an_enable_when_from_outside_into_a_repeating_group_is_refused() -> None:
    resource = medicines()
    resource["item"][0]["item"].append(
        {
            "linkId": "etter",
            "type": "string",
            "enableWhen": [{"question": "navn", "operator": "exists", "answerBoolean": True}],
        }
    )
    with pytest.raises(Invalid) as refused:
        load(resource)
    assert "gjentatt gruppe utenfor etter" in refused.value.message


def test_a_calculation_inside_a_repeating_group_is_refused() -> None:
    resource = medicines()
    expression = {"language": "text/fhirpath", "expression": "1"}
    resource["item"][0]["item"][1]["item"].append(
        {"linkId": "tall", "type": "integer", "extension": [{"url": CALCULATED, "valueExpression": expression}]}
    )
    with pytest.raises(Invalid) as refused:
        load(resource)
    assert "kan ikke regnes ut" in refused.value.message


def test_the_response_repeats_the_group_item_once_per_instance_with_the_same_link_id() -> None:
    response = sent(load(medicines()), TWO)
    instances = [item for item in response["item"][0]["item"] if item["linkId"] == "barn"]
    assert len(instances) == 2
    assert [[child["linkId"] for child in one["item"]] for one in instances] == [
        ["navn", "allergi", "hvilken"],
        ["navn", "allergi", "skole"],  # Nora has no allergy: «Hvilken allergi?» is not asked in her instance
    ]


def test_enable_when_reads_its_own_instance_and_the_answers_outside_the_group() -> None:
    definition = load(medicines(top=True))
    tree = logic.enabled_tree(definition, TWO)
    first, second = tree.instances["barn"]
    assert "hvilken" in first.links
    assert "hvilken" not in second.links
    assert "skole" in first.links
    assert "skole" in second.links
    no_school = logic.enabled_tree(definition, TWO | {"skolebarn": NO})
    assert not any("skole" in one.links for one in no_school.instances["barn"])


def test_required_is_checked_per_instance() -> None:
    definition = load(medicines())
    answers = {"barn": [TWO["barn"][0], {"allergi": YES}]}
    gaps = [(gap.item.link_id, [(g.link_id, n) for g, n in gap.where]) for gap in logic.missing(definition, answers)]
    assert gaps == [("navn", [("barn", 2)]), ("hvilken", [("barn", 2)])]
    assert services.gap_message(logic.missing(definition, answers)[0]) == "Du har ikke svart på «Navn» i «Barn 2»."


def test_min_occurs_asks_for_that_many_filled_in() -> None:
    definition = load(medicines({"url": MIN_OCCURS, "valueInteger": 2}))
    gaps = logic.missing(definition, {"barn": [TWO["barn"][1]]})
    assert any(gap.item.link_id == "barn" for gap in gaps)
    assert services.gap_message(next(g for g in gaps if g.item.link_id == "barn")) == "Fyll ut «Barn» minst 2 ganger."
    assert logic.missing(definition, TWO) == []


def test_a_response_with_more_instances_than_max_occurs_does_not_fit() -> None:
    definition = load(medicines({"url": MAX_OCCURS, "valueInteger": 1}))
    response = logic.response_resource(load(medicines()), TWO)
    assert "barn: more than 1 instances" in logic.mismatches(definition, response)


def test_a_calculation_over_the_response_sees_every_instance() -> None:
    resource = medicines(top=True)
    expression = {"language": "text/fhirpath", "expression": "%resource.repeat(item).where(linkId='navn').count()"}
    resource["item"].append(
        {"linkId": "antall", "type": "integer", "extension": [{"url": CALCULATED, "valueExpression": expression}]}
    )
    definition = load(resource)
    assert logic.calculate(definition, TWO)["antall"] == [{"valueInteger": 2}]


def test_a_top_level_repeating_group_is_a_step_showing_its_instances() -> None:
    resource = medicines(top=True)
    definition = load(resource)
    step = definition.steps[1]
    page = StepForm(None, step=step, answers=TWO, enabled=logic.enabled_tree(definition, TWO), definition=definition)
    labels = [row.label for row in page.rows if row.kind == "instance"]
    assert (str(step.title), labels) == ("Barn", ["Barn 1", "Barn 2"])
    assert page["r1.1-i2"].value() == "Nora"  # the second instance's name field


def test_a_post_fills_each_instance_and_a_required_question_is_asked_in_each() -> None:
    definition = load(medicines(top=True))
    step = definition.steps[1]
    answers = {"skolebarn": NO, "barn": [{}, {}]}
    enabled = logic.enabled_tree(definition, answers)
    posted = {"c1": "2", "r1.0-i2": "Ola", "r1.0-i3": "true", "r1.0-i4": "Pollen", "r1.1-i3": "false"}
    page = StepForm(posted, {}, step=step, answers=answers, enabled=enabled, definition=definition)
    assert not page.is_valid()
    assert list(page.errors) == ["r1.1-i2"]  # the second child's name; the first child's allergy is answered
    posted["r1.1-i2"] = "Nora"
    page = StepForm(posted, {}, step=step, answers=answers, enabled=enabled, definition=definition)
    assert page.is_valid(), page.errors
    saved = page.answers()
    assert saved["barn"] == [  # «Hvilken allergi?» was not on the page yet: Ola's «Ja» opens it, in his instance
        {"navn": [{"valueString": "Ola"}], "allergi": YES},
        {"navn": [{"valueString": "Nora"}], "allergi": NO},
    ]
    assert page.opened(answers | saved)
    again = StepForm(None, step=step, answers=answers | saved, enabled=logic.enabled_tree(definition, answers | saved))
    assert [row.names for row in again.rows if row.item.link_id == "hvilken"] == [["r1.0-i4"]]


# The e-consultation's «Legemidler du bruker» (step 3): «Bruker du legemidler fast?», then «Legemiddel» repeated.
USES, GROUP, NAME, DOSE = "i12", 13, "i14", "i15"


def field(number: int, name: str) -> str:
    return f"r{GROUP}.{number}-{name}"


@pytest.fixture
def medicine_step(kari: Actor, econsultation: Form) -> str:
    """Kari's e-consultation with the first two steps answered and «Bruker du legemidler fast?» Ja."""
    definition = load(econsultation.resource)
    tema = definition.by_link["tema"].options[1].answer  # Sykmelding: no further question
    services.start(kari, econsultation.pk)
    first = {"tema": [tema], "overskrift": [{"valueString": "Sykmelding"}], "beskrivelse": [{"valueString": "Syk"}]}
    services.save_step(kari, econsultation.pk, 1, first, list(first))
    second = {"egenandel": YES}
    services.save_step(kari, econsultation.pk, 2, second, list(second))
    services.save_step(kari, econsultation.pk, 2, {"bruker-legemidler": YES}, ["bruker-legemidler"])
    return f"/skjemaer/{econsultation.pk}/steg/2/"


def draft_of(kari: Actor, form: Form) -> list[dict[str, Any]]:
    return list(FormResponse.objects.get(person_id=kari.subject_id, form=form).answers.get("legemidler", []))


def test_legg_til_en_til_saves_what_is_written_and_shows_one_more(
    kari: Actor, econsultation: Form, medicine_step: str
) -> None:
    client = client_for(kari)
    page = client.get(medicine_step).content.decode()
    assert "Legemiddel 1" in page
    assert "Legg til en til" in page
    assert "Legemiddel 2" not in page
    assert f'value="remove:r{GROUP}.0-"' not in page  # the only one cannot be removed
    added = client.post(
        medicine_step, {"action": f"add:g{GROUP}", USES: "true", f"c{GROUP}": "1", field(0, NAME): "Amlodipin"}
    )
    assert added.status_code == 302
    assert added.url.endswith(f"steg/2/#del-{GROUP}-1")
    assert draft_of(kari, econsultation) == [{"legemidler.navn": [{"valueString": "Amlodipin"}]}, {}]
    page = client.get(medicine_step).content.decode()
    assert "Legemiddel 2" in page
    assert "Fjern" in page
    assert 'value="Amlodipin"' in page


def test_fjern_removes_that_instance_and_the_others_keep_their_answers(
    kari: Actor, econsultation: Form, medicine_step: str
) -> None:
    client = client_for(kari)
    base = {USES: "true", field(0, NAME): "Amlodipin", field(1, NAME): "Paracet", field(1, DOSE): "Ved behov"}
    client.post(medicine_step, {"action": f"add:g{GROUP}", f"c{GROUP}": "1", USES: "true"})
    removed = client.post(medicine_step, base | {"action": f"remove:r{GROUP}.0-", f"c{GROUP}": "2"})
    assert removed.status_code == 302
    assert draft_of(kari, econsultation) == [
        {"legemidler.navn": [{"valueString": "Paracet"}], "legemidler.dose": [{"valueString": "Ved behov"}]}
    ]


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"action": f"remove:r{GROUP}.0-", f"c{GROUP}": "1"}, "«Legemiddel» må være med minst 1 ganger."),
        ({"action": f"remove:r{GROUP}.7-", f"c{GROUP}": "1"}, "Den delen av skjemaet finnes ikke lenger."),
        ({"action": "add:g99", f"c{GROUP}": "1"}, "Den delen av skjemaet finnes ikke lenger."),
        ({"action": f"add:g{GROUP}", f"c{GROUP}": "5"}, "Skjemaet er endret i et annet vindu"),
        ({"action": "next", f"c{GROUP}": "x"}, "Skjemaet er endret i et annet vindu"),
        ({"action": "back"}, "Skjemaet er endret i et annet vindu"),  # the count is missing
    ],
)
def test_bad_posts_get_a_norwegian_answer_and_change_nothing(
    kari: Actor, econsultation: Form, medicine_step: str, posted: dict[str, str], message: str
) -> None:
    before = draft_of(kari, econsultation)
    page = client_for(kari).post(medicine_step, posted | {USES: "true", field(0, NAME): "Ny"})
    assert page.status_code == 400
    assert message in page.content.decode()
    assert draft_of(kari, econsultation) == before


def test_a_removed_instance_posted_again_from_another_tab_is_noticed(
    kari: Actor, econsultation: Form, medicine_step: str
) -> None:
    client = client_for(kari)
    client.post(medicine_step, {"action": f"add:g{GROUP}", f"c{GROUP}": "1", USES: "true"})
    remove = {"action": f"remove:r{GROUP}.1-", f"c{GROUP}": "2", USES: "true"}
    assert client.post(medicine_step, remove).status_code == 302
    again = client.post(medicine_step, remove)  # the old tab: it still shows two
    assert again.status_code == 400
    assert "Skjemaet er endret i et annet vindu" in again.content.decode()
    assert len(draft_of(kari, econsultation)) == 1


def test_at_the_cap_there_is_no_button_and_a_forged_add_is_refused(
    kari: Actor, econsultation: Form, medicine_step: str
) -> None:
    full = [{"legemidler.navn": [{"valueString": f"Legemiddel {n}"}]} for n in range(MAX_INSTANCES)]
    services.save_step(kari, econsultation.pk, 2, {"legemidler": full}, ["legemidler"])
    client = client_for(kari)
    page = client.get(medicine_step).content.decode()
    assert "Legg til en til" not in page
    assert f"Du kan ikke legge til flere enn {MAX_INSTANCES}." in page
    forged = client.post(medicine_step, {"action": f"add:g{GROUP}", f"c{GROUP}": str(MAX_INSTANCES), USES: "true"})
    assert forged.status_code == 400
    assert len(draft_of(kari, econsultation)) == MAX_INSTANCES


def test_a_name_left_out_in_the_second_instance_is_asked_for_there(
    kari: Actor, econsultation: Form, medicine_step: str
) -> None:
    client = client_for(kari)
    client.post(medicine_step, {"action": f"add:g{GROUP}", f"c{GROUP}": "1", USES: "true"})
    page = client.post(medicine_step, {"action": "next", f"c{GROUP}": "2", USES: "true", field(0, NAME): "Amlodipin"})
    assert page.status_code == 400
    assert page.content.decode().count("Svar på dette spørsmålet.") == 2  # at the field, and in the error summary


def test_every_instance_is_on_the_summary_the_receipt_the_inbox_and_the_pdf(
    kari: Actor, econsultation: Form, medicine_step: str
) -> None:
    client = client_for(kari)
    client.post(medicine_step, {"action": f"add:g{GROUP}", f"c{GROUP}": "1", USES: "true"})
    two = {USES: "true", f"c{GROUP}": "2", field(0, NAME): "Amlodipin", field(0, DOSE): "5 mg om morgenen"}
    assert client.post(medicine_step, two | {"action": "next", field(1, NAME): "Paracet"}).url.endswith("oppsummering/")
    summary = client.get(f"/skjemaer/{econsultation.pk}/oppsummering/").content.decode()
    for text in ("Legemiddel 1", "Amlodipin", "5 mg om morgenen", "Legemiddel 2", "Paracet"):
        assert text in summary
    assert client.post(f"/skjemaer/{econsultation.pk}/oppsummering/").status_code == 302
    response = FormResponse.objects.get(form=econsultation)
    step = next(item for item in response.resource["item"] if item["linkId"] == "legemidler-steg")
    assert [item["linkId"] for item in step["item"]] == ["bruker-legemidler", "legemidler", "legemidler"]
    receipt = client.get(f"/skjemaer/svar/{response.pk}/").content.decode()
    lars = Client()
    log_in(lars, actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    inbox = lars.get(f"/helsepersonell/skjemaer/svar/{response.pk}/").content.decode()
    pdf = pdf_text(client.get(f"/skjemaer/svar/{response.pk}/skjema.pdf").content)
    for shown in (receipt, inbox, pdf):
        assert "Legemiddel 1" in shown
        assert "Amlodipin" in shown
        assert "Legemiddel 2" in shown
        assert "Paracet" in shown


def test_a_repeating_group_inside_an_instance_repeats_within_it() -> None:
    resource = medicines(top=True)
    vaccines = {
        "linkId": "vaksine",
        "type": "group",
        "text": "Vaksine",
        "repeats": True,
        "item": [{"linkId": "vaksine.navn", "type": "string", "text": "Hvilken vaksine?"}],
    }
    resource["item"][1]["item"].append(vaccines)
    definition = load(resource)
    answers = {
        "barn": [
            {"navn": [{"valueString": "Ola"}], "vaksine": [{"vaksine.navn": [{"valueString": "MMR"}]}, {}]},
            {"navn": [{"valueString": "Nora"}]},
        ]
    }
    step = definition.steps[1]
    page = StepForm(None, step=step, answers=answers, enabled=logic.enabled_tree(definition, answers))
    labels = [row.label for row in page.rows if row.kind == "instance"]
    assert labels == ["Barn 1", "Vaksine 1", "Vaksine 2", "Barn 2", "Vaksine 1"]
    assert page["r1.0-r6.0-i7"].value() == "MMR"
    saved = page.answers()
    assert page.change("add:r1.1-g6", saved) == "del-1-1-6-1"
    assert len(saved["barn"][1]["vaksine"]) == 2
    response = sent(definition, answers)
    first = next(item for item in response["item"] if item["linkId"] == "barn")
    assert [child["linkId"] for child in first["item"]] == ["navn", "vaksine"]  # the empty second vaccine is left out
