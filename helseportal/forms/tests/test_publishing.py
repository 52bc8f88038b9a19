"""Publishing (issue 17 item 4): a unit's editor uploads, previews and sends a form to the operator, who approves
or refuses it from the checklist; a published version never changes, a new version is a new row, a retired version
is hidden from citizens while its responses keep pointing at it; every change says who and when, and is audited."""

import copy
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid, NotFound
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.forms import checklist, publishing, queries, services
from helseportal.forms.models import Form, FormChange, FormStatus
from helseportal.forms.tests.conftest import NURSE_FORM
from helseportal.identity.services import grant_staff

pytestmark = pytest.mark.django_db
PUBLISHING = "/helsepersonell/skjemaer/publisering/"


def nurse_form(version: str = "1", **changes: Any) -> dict[str, Any]:
    form = copy.deepcopy(NURSE_FORM) | {"version": version}
    form.update(changes)
    return form


@pytest.fixture
def ingrid(demo: None) -> Actor:
    """The school nurse: clinician and editor at Nora's school health service."""
    return actors.clinician(personas.INGRID, personas.SHT_OSLO)


@pytest.fixture
def lars(demo: None) -> Actor:
    """The GP: clinician at his office, editor nowhere."""
    return actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)


@pytest.fixture
def operator_client(demo: None) -> Client:
    """Mette as the operator: a Django admin user (HelseID in the same session), as `helseportal staff` makes one."""
    user = grant_staff(personas.METTE.hpr_number, superuser=True)
    client = Client()
    client.force_login(user)
    log_in(client, actors.clinician(personas.METTE))
    return client


def client_for(actor: Actor) -> Client:
    client = Client()
    log_in(client, actor)
    return client


def upload(client: Client, resource: Any, name: str = "skjema.json") -> Any:
    data = resource if isinstance(resource, bytes) else json.dumps(resource).encode()
    return client.post(PUBLISHING, {"questionnaire": SimpleUploadedFile(name, data, "application/json")})


def test_upload_preview_send_approve_retire_as_editor_and_operator(
    ingrid: Actor, operator_client: Client, nora_youth: Actor
) -> None:
    editor = client_for(ingrid)
    assert "Last opp et skjema" in editor.get(PUBLISHING).content.decode()
    uploaded = upload(editor, nurse_form())
    form = Form.objects.get(url=NURSE_FORM["url"], version="1")
    assert uploaded.url == f"{PUBLISHING}{form.pk}/"
    assert form.status == FormStatus.DRAFT
    assert not queries.offered(nora_youth)  # a draft is no one's to fill in
    preview = editor.get(uploaded.url).content.decode()
    assert "Forhåndsvisning" in preview
    assert "Skriv kort" in preview
    assert "<fieldset disabled" in preview
    assert "Send til godkjenning" in preview
    assert "Mangler nynorsk" in preview  # the checklist flags missing translations

    assert editor.post(f"{uploaded.url}send-til-godkjenning/").status_code == 302
    form.refresh_from_db()
    assert form.status == FormStatus.PENDING
    assert "venter på godkjenning" in editor.get(uploaded.url).content.decode()

    listed = operator_client.get("/admin/questionnaires/form/?status__exact=pending").content.decode()
    assert "Vurder" in listed
    page = operator_client.get(f"/admin/questionnaires/form/{form.pk}/godkjenning/")
    assert page.status_code == 200
    assert "Alle obligatoriske spørsmål kan vises" in page.content.decode()
    assert "Tilgjengelighet (axe)" in page.content.decode()
    assert (
        operator_client.post(f"/admin/questionnaires/form/{form.pk}/godkjenning/", {"decision": "approve"}).status_code
        == 302
    )
    form.refresh_from_db()
    assert form.status == FormStatus.ACTIVE
    assert [f.pk for f in queries.offered(nora_youth)] == [form.pk]

    sent = services.start(nora_youth, form.pk)
    services.save_step(nora_youth, form.pk, 1, {"hva": [{"valueString": "Søvn"}]}, ["hva"])
    services.submit(nora_youth, form.pk)
    assert editor.post(f"{uploaded.url}trekk-tilbake/").status_code == 302
    form.refresh_from_db()
    assert form.status == FormStatus.RETIRED
    assert not queries.offered(nora_youth)
    with pytest.raises(NotFound):
        queries.form_for(nora_youth, form.pk)
    assert queries.response_for(nora_youth, sent.pk).form_id == form.pk  # her response still points at it

    changes = list(FormChange.objects.filter(form=form).values_list("action", "by_name"))
    assert changes == [
        ("imported", "Ingrid Dahl"),
        ("submitted", "Ingrid Dahl"),
        ("approved", "Mette Berg"),
        ("retired", "Ingrid Dahl"),
    ]
    audited = AuditEvent.objects.filter(action__startswith="forms:form:").values_list("action", "actor_name")
    assert list(audited.order_by("pk")) == [
        ("forms:form:imported", "Ingrid Dahl"),
        ("forms:form:submitted", "Ingrid Dahl"),
        ("forms:form:approved", "Mette Berg"),
        ("forms:form:retired", "Ingrid Dahl"),
    ]
    change = operator_client.get(f"/admin/questionnaires/form/{form.pk}/change/").content.decode()
    assert "Godkjent og publisert" in change  # the history, read-only
    assert operator_client.get("/admin/questionnaires/form/add/").status_code == 403
    history = editor.get(uploaded.url).content.decode()
    assert "Godkjent og publisert – Mette Berg" in history


def test_the_operator_refuses_with_a_reason_the_unit_sees(ingrid: Actor, operator_client: Client) -> None:
    editor = client_for(ingrid)
    form = publishing.upload(ingrid, nurse_form())
    publishing.submit(ingrid, form.pk)
    approval = f"/admin/questionnaires/form/{form.pk}/godkjenning/"
    empty = operator_client.post(approval, {"decision": "refuse", "reason": "  "})
    assert empty.status_code == 400
    assert "Skriv hvorfor skjemaet avvises" in empty.content.decode()
    assert operator_client.post(approval, {"decision": "refuse", "reason": "Mangler nynorsk."}).status_code == 302
    form.refresh_from_db()
    assert form.status == FormStatus.DRAFT
    page = editor.get(f"{PUBLISHING}{form.pk}/").content.decode()
    assert "Avvist av driftsorganisasjonen" in page
    assert "Mangler nynorsk." in page
    assert "Avvist" in editor.get(PUBLISHING).content.decode()
    fixed = nurse_form(title="Før samtalen")  # the same version again while it is a draft: replaced
    assert publishing.upload(ingrid, fixed).pk == form.pk
    form.refresh_from_db()
    assert form.title == "Før samtalen"


def test_a_published_version_never_changes_and_a_new_version_is_a_new_row(ingrid: Actor) -> None:
    first = publishing.upload(ingrid, nurse_form("1"))
    publishing.submit(ingrid, first.pk)
    with pytest.raises(Invalid, match="allerede sendt til godkjenning eller publisert"):
        publishing.upload(ingrid, nurse_form("1", title="Endret"))
    second = publishing.upload(ingrid, nurse_form("2", title="Endret"))
    assert second.pk != first.pk
    assert Form.objects.filter(url=NURSE_FORM["url"]).count() == 2
    first.refresh_from_db()
    assert first.resource == nurse_form("1")


def test_a_url_belongs_to_the_unit_that_uploaded_it(ingrid: Actor, econsultation: Form) -> None:
    with pytest.raises(Invalid, match="tilhører en annen enhet"):
        publishing.upload(ingrid, dict(econsultation.resource) | {"version": "9"})


def test_only_the_units_editors_publish(ingrid: Actor, lars: Actor, kari: Actor) -> None:
    form = publishing.upload(ingrid, nurse_form())
    gp = client_for(lars)  # a clinician, but no editor
    assert gp.get(PUBLISHING).status_code == 404
    assert gp.get(f"{PUBLISHING}{form.pk}/").status_code == 404
    assert gp.post(f"{PUBLISHING}{form.pk}/send-til-godkjenning/").status_code == 404
    assert client_for(kari).get(PUBLISHING).status_code == 302  # a citizen: to HelseID
    form.refresh_from_db()
    assert form.status == FormStatus.DRAFT


def test_the_upload_says_what_is_wrong(ingrid: Actor) -> None:
    editor = client_for(ingrid)
    too_big = upload(editor, b" " * (publishing.MAX_UPLOAD_BYTES + 1))
    assert too_big.status_code == 400
    assert "Filen er større enn 512 kB." in too_big.content.decode()
    assert "Filen er ikke JSON" in upload(editor, b"\xff\xfe{").content.decode()
    refused = upload(editor, nurse_form(item=[{"linkId": "x", "type": "url", "text": "Lenke"}]))
    assert refused.status_code == 400
    assert "som vi ikke kan vise" in refused.content.decode()
    assert "Velg en fil." in editor.post(PUBLISHING, {}).content.decode()
    assert not Form.objects.filter(url=NURSE_FORM["url"]).exists()


def test_the_operator_cannot_approve_a_form_that_fails_the_checklist(ingrid: Actor, operator_client: Client) -> None:
    form = publishing.upload(ingrid, nurse_form())
    Form.objects.filter(pk=form.pk).update(status=FormStatus.PENDING, resource=unreachable_required())
    page = operator_client.get(f"/admin/questionnaires/form/{form.pk}/godkjenning/").content.decode()
    assert "Godkjenn og publiser" not in page
    assert "kan bare avvises" in page
    approval = operator_client.post(f"/admin/questionnaires/form/{form.pk}/godkjenning/", {"decision": "approve"})
    assert approval.status_code == 400
    form.refresh_from_db()
    assert form.status == FormStatus.PENDING


def test_a_pending_form_is_not_served_by_the_fhir_api(ingrid: Actor) -> None:
    from helseportal.forms.fhir import forms_in_scope

    form = publishing.upload(ingrid, nurse_form())
    publishing.submit(ingrid, form.pk)
    assert not forms_in_scope(ingrid).filter(pk=form.pk).exists()


def test_a_user_without_the_permission_gets_no_approval_page(ingrid: Actor, demo: None) -> None:
    form = publishing.upload(ingrid, nurse_form())
    user = get_user_model().objects.create(username="bare-lese", is_staff=True)
    client = Client()
    client.force_login(user)
    assert client.get(f"/admin/questionnaires/form/{form.pk}/godkjenning/").status_code == 403


# --- the checklist -------------------------------------------------------------------------------------------


def unreachable_required() -> dict[str, Any]:
    """A required question behind a condition no answer can meet: a code that is not among the options."""
    return nurse_form(
        item=[
            {
                "linkId": "g",
                "type": "group",
                "text": "Spørsmål",
                "item": [
                    {
                        "linkId": "valg",
                        "type": "choice",
                        "text": "Velg",
                        "answerOption": [{"valueCoding": {"system": "urn:x", "code": "a", "display": "A"}}],
                    },
                    {
                        "linkId": "mer",
                        "type": "string",
                        "text": "Mer",
                        "required": True,
                        "enableWhen": [
                            {"question": "valg", "operator": "=", "answerCoding": {"system": "urn:x", "code": "b"}}
                        ],
                    },
                ],
            }
        ]
    )


def outcomes(resource: Any) -> dict[str, str]:
    return {check.key: check.outcome for check in checklist.run(resource)}


def details(resource: Any, key: str) -> str:
    return " ".join(next(check.details for check in checklist.run(resource) if check.key == key))


def test_the_checklist_passes_the_shipped_forms(econsultation: Form, triage_form: Form) -> None:
    for form in (econsultation, triage_form):
        assert outcomes(form.resource) == {
            "fhir": "ok",
            "language": "ok",  # their answer options have nn/en labels too (the review of session 21, finding 14)
            "required": "ok",
            "unused": "ok",
            "axe": "elsewhere",
        }, form.title
    untranslated = copy.deepcopy(triage_form.resource)
    for item in untranslated["item"]:
        for inner in item.get("item", []):
            for option in inner.get("answerOption", []):
                option["valueCoding"].pop("_display", None)
    assert outcomes(untranslated)["language"] == "warning"  # flagged, not a failure
    assert "Mangler nynorsk: symptomer «Hodepine»" in details(untranslated, "language")


def test_the_checklist_finds_a_required_item_no_answer_reaches() -> None:
    found = outcomes(unreachable_required())
    assert found["required"] == "failed"
    assert found["unused"] == "failed"
    assert "mer" in details(unreachable_required(), "required")


def test_the_checklist_flags_translations_and_fails_a_missing_bokmal_text() -> None:
    assert outcomes(nurse_form())["language"] == "warning"
    no_text = nurse_form(item=[{"linkId": "q", "type": "string"}])
    assert outcomes(no_text)["language"] == "failed"


@pytest.mark.parametrize(
    ("condition", "reachable"),
    [
        ({"operator": "=", "answerInteger": 20}, False),  # above maxValue 10
        ({"operator": ">", "answerInteger": 10}, False),
        ({"operator": ">=", "answerInteger": 10}, True),
        ({"operator": "<", "answerInteger": 0}, False),  # below minValue 0
        ({"operator": "<=", "answerInteger": 0}, True),
        ({"operator": "!=", "answerInteger": 99}, True),  # holds when there is no answer
        ({"operator": "exists", "answerBoolean": False}, True),
        ({"operator": "exists", "answerBoolean": True}, True),
    ],
)
def test_the_checklist_compares_a_condition_with_the_questions_bounds(
    condition: dict[str, Any], reachable: bool
) -> None:
    bounds = [
        {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 0},
        {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 10},
    ]
    resource = nurse_form(
        item=[
            {"linkId": "n", "type": "integer", "text": "Tall", "extension": bounds},
            {
                "linkId": "m",
                "type": "string",
                "text": "Mer",
                "required": True,
                "enableWhen": [{"question": "n"} | condition],
            },
        ]
    )
    assert (outcomes(resource)["required"] == "ok") is reachable


def test_the_checklist_sees_two_conditions_that_contradict_under_all() -> None:
    yes_and_no = [
        {"question": "b", "operator": "=", "answerBoolean": True},
        {"question": "b", "operator": "=", "answerBoolean": False},
    ]
    items = [
        {"linkId": "b", "type": "boolean", "text": "Ja?"},
        {"linkId": "m", "type": "string", "text": "Mer", "required": True, "enableWhen": yes_and_no},
    ]
    assert outcomes(nurse_form(item=items))["required"] == "failed"
    items[1]["enableBehavior"] = "any"
    items[1]["enableWhen"] = yes_and_no
    assert outcomes(nurse_form(item=items))["required"] == "ok"


def test_the_checklist_follows_a_chain_and_a_read_only_question() -> None:
    items = [
        {"linkId": "fast", "type": "string", "text": "Fast", "readOnly": True},  # never answered: no initial
        {
            "linkId": "a",
            "type": "boolean",
            "text": "A",
            "enableWhen": [{"question": "fast", "operator": "exists", "answerBoolean": True}],
        },
        {
            "linkId": "b",
            "type": "string",
            "text": "B",
            "required": True,
            "enableWhen": [{"question": "a", "operator": "=", "answerBoolean": True}],
        },
    ]
    assert "b" in details(nurse_form(item=items), "required")
    assert "a, b" in details(nurse_form(item=items), "unused")


def test_the_checklist_finds_an_expression_naming_a_missing_item() -> None:
    calculated = {
        "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
        "valueExpression": {
            "language": "text/fhirpath",
            "expression": "%resource.repeat(item).where(linkId='borte').answer.value.count()",
        },
    }
    items = [{"linkId": "sum", "type": "integer", "text": "Sum", "extension": [calculated]}]
    assert "sum → borte" in details(nurse_form(item=items), "unused")


def test_the_checklist_reports_an_invalid_resource_without_crashing() -> None:
    found = checklist.run({"resourceType": "Questionnaire", "status": "nonsense"})
    assert [check.outcome for check in found] == ["failed"]
