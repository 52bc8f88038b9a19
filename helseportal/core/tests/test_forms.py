"""DsForm renders every field in Designsystemet's markup (issue 16: radio buttons and checkboxes were 8×24 px).

Designsystemet 1.x draws a radio button or checkbox as a 24×24 px box when the input and its label are siblings
in a `ds-field`; a group of them is a `ds-fieldset` with a legend. Help text and errors are named by
aria-describedby on the input, or on the fieldset for a group.
"""

from bs4 import BeautifulSoup, Tag
from django import forms

from helseportal.core.forms import DsForm


class ExampleForm(DsForm):
    notify = forms.BooleanField(label="Varsle meg på SMS", required=False, help_text="Vi sender bare varsler.")
    severity = forms.ChoiceField(
        label="Hvor plagsomt",
        choices=[("mild", "Lite"), ("severe", "Mye")],
        widget=forms.RadioSelect,
        help_text="Velg ett.",
    )
    forms_of_meeting = forms.MultipleChoiceField(
        label="Oppmøte", choices=[("physical", "Oppmøte"), ("phone", "Telefon")], widget=forms.CheckboxSelectMultiple
    )
    name = forms.CharField(label="Etternavn", help_text="Som i folkeregisteret.")


def rendered(form: DsForm) -> BeautifulSoup:
    return BeautifulSoup(str(form), "html.parser")


def tag(soup: BeautifulSoup | Tag, selector: str) -> Tag:
    found = soup.select_one(selector)
    assert found is not None, f"no {selector}"
    return found


def assert_box_beside_its_label(field: Tag, input_id: str) -> None:
    """The ds-field holds the input first and its label right after it: Designsystemet's 24×24 px layout."""
    children = [child for child in field.children if isinstance(child, Tag)]
    assert children[0].name == "input"
    assert children[0]["id"] == input_id
    assert "ds-input" in children[0]["class"]
    assert children[1].name == "label"
    assert children[1]["for"] == input_id


def test_a_checkbox_sits_before_its_label_in_a_ds_field_with_its_help_text():
    soup = rendered(ExampleForm())
    checkbox = tag(soup, "#id_notify")
    field = checkbox.parent
    assert isinstance(field, Tag)
    assert field["class"] == ["ds-field"]
    assert_box_beside_its_label(field, "id_notify")
    assert tag(field, "#id_notify_helptext").get_text() == "Vi sender bare varsler."
    assert checkbox["aria-describedby"] == "id_notify_helptext"


def test_radio_buttons_are_a_fieldset_with_a_legend_and_one_ds_field_per_choice():
    soup = rendered(ExampleForm())
    fieldset = tag(soup, "fieldset:has(#id_severity_0)")
    assert "ds-fieldset" in fieldset["class"]
    assert tag(fieldset, "legend").get_text() == "Hvor plagsomt"
    assert fieldset["aria-describedby"] == "id_severity_helptext"
    assert tag(fieldset, "#id_severity_helptext").get_text() == "Velg ett."
    for n, label in enumerate(["Lite", "Mye"]):
        choice = tag(fieldset, f"#id_severity_{n}")
        assert choice["type"] == "radio"
        field = choice.parent
        assert isinstance(field, Tag)
        assert field["class"] == ["ds-field"]
        assert_box_beside_its_label(field, f"id_severity_{n}")
        assert tag(field, "label").get_text() == label


def test_a_checkbox_list_is_rendered_like_the_radio_buttons():
    soup = rendered(ExampleForm())
    fieldset = tag(soup, "fieldset:has(#id_forms_of_meeting_0)")
    assert tag(fieldset, "legend").get_text() == "Oppmøte"
    for n in range(2):
        choice = tag(fieldset, f"#id_forms_of_meeting_{n}")
        assert choice["type"] == "checkbox"
        assert isinstance(choice.parent, Tag)
        assert_box_beside_its_label(choice.parent, f"id_forms_of_meeting_{n}")


def test_errors_are_one_element_that_the_input_or_the_fieldset_names():
    form = ExampleForm({"severity": "nonsense"})
    form.add_error("name", "Skriv etternavnet.")
    soup = rendered(form)
    fieldset = tag(soup, "fieldset:has(#id_severity_0)")
    assert fieldset["aria-describedby"] == "id_severity_helptext id_severity_error"
    assert len(soup.select("#id_severity_error")) == 1
    assert "Velg et gyldig valg" in tag(soup, "#id_severity_error").get_text()
    name = tag(soup, "#id_name")
    assert name["aria-invalid"] == "true"
    assert name["aria-describedby"] == "id_name_helptext id_name_error"
    messages = [p.get_text() for p in tag(soup, "#id_name_error").select(".ds-validation-message")]
    assert messages == ["Dette feltet er påkrevet.", "Skriv etternavnet."]
