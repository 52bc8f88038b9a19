"""Kartlegging før første svangerskapskontroll: her answers, in fieldsets of card sections and the form's own
questions, saved as a draft and then sent to the midwife (`services.save_first_form`)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from helseportal.core.forms import DsForm
from helseportal.pregnancy.forms.fields import optional_choice, past_date
from helseportal.pregnancy.forms.sections import from_json, section_form_class, to_json
from helseportal.pregnancy.sections import GDM_RISK_QUESTIONS, SECTIONS, YES_NO

# Defined in sections.py with the card's other definitions: the card shows her answers too.
RISK_QUESTIONS: tuple[tuple[str, Any], ...] = GDM_RISK_QUESTIONS


class RiskForm(DsForm):
    """The risk groups for gestational diabetes that only she can tell (guidance.risk_factors reads them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in RISK_QUESTIONS:
            self.add_field(key, forms.BooleanField(label=label, required=False, widget=forms.CheckboxInput()))


class OtherForm(DsForm):
    text = forms.CharField(
        label=_("Er det noe annet du vil at jordmor eller lege skal vite?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class UrineForm(DsForm):
    taken = optional_choice(_("Har du tatt urinprøve?"), YES_NO)
    date = past_date(_("Dato for urinprøven"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("taken") == "yes" and not data.get("date") and "date" not in self.errors:
            self.add_error("date", _("Skriv datoen du tok urinprøven."))
        return data


@dataclass(frozen=True)
class Group:
    """One fieldset of the first form: fields of one answers key (a card section or the form's own)."""

    key: str
    legend: Promise
    answers_key: str
    fields: tuple[str, ...] = ()  # empty: every field of the form


def _keys(section: str, suffix: str = "") -> tuple[str, ...]:
    return tuple(f.key for f in SECTIONS[section].fields if f.key.endswith(suffix))


WORK_FIELDS = ("occupation", "employment_last_6_months", "employment_percent")
GROUPS: tuple[Group, ...] = (
    Group("personal", _("Om deg"), "mother", tuple(k for k in _keys("mother") if k not in WORK_FIELDS)),
    Group("pregnancy", _("Svangerskap"), "previous"),
    Group("lifestyle", _("Levevaner"), "lifestyle", _keys("lifestyle", "_first")),
    Group("medication", _("Kosttilskudd og legemidler"), "medication"),
    Group("conditions", _("Sykdommer"), "conditions"),
    Group("genetic", _("Arvelige sykdommer i familien"), "genetic"),
    Group("work", _("Arbeid"), "mother", WORK_FIELDS),
    Group("risk", _("Spørsmål om risiko for svangerskapsdiabetes"), "risk"),
    Group("other", _("Annet"), "other"),
    Group("urine", _("Urinprøve"), "urine"),
)
OWN_FORMS: dict[str, type[DsForm]] = {"risk": RiskForm, "other": OtherForm, "urine": UrineForm}


def _form_classes() -> dict[str, type[DsForm]]:
    classes: dict[str, type[DsForm]] = {}
    for group in GROUPS:
        if group.answers_key in OWN_FORMS:
            classes[group.answers_key] = OWN_FORMS[group.answers_key]
        else:
            keys = [k for g in GROUPS if g.answers_key == group.answers_key for k in g.fields]
            classes[group.answers_key] = section_form_class(SECTIONS[group.answers_key], keys or None)
    return classes


class FirstForm:
    """Kartlegging før første svangerskapskontroll: one sub-form per answers key, prefixed by that key."""

    def __init__(self, data: Any = None, answers: dict[str, Any] | None = None) -> None:
        answers = answers or {}
        self.forms = {
            key: cls(data, prefix=key, initial=self._initial(key, answers.get(key) or {}))
            for key, cls in _form_classes().items()
        }

    @staticmethod
    def _initial(key: str, values: dict[str, Any]) -> dict[str, Any]:
        if key in SECTIONS:
            return from_json(SECTIONS[key], values)
        return dict(values)

    def is_valid(self) -> bool:
        results = {key: form.is_valid() for key, form in self.forms.items()}  # every form, so all errors show
        return all(results.values())

    @property
    def has_errors(self) -> bool:
        return any(form.errors for form in self.forms.values())

    def answers(self) -> dict[str, Any]:
        """The answers keyed by section key (and "risk", "other", "urine"), as save_first_form takes them."""
        found = {key: to_json(form.cleaned_data) for key, form in self.forms.items()}
        return {key: values for key, values in found.items() if values}

    def groups(self) -> list[tuple[Group, list[forms.BoundField]]]:
        return [(g, [self.forms[g.answers_key][name] for name in self._names(g)]) for g in GROUPS]

    def _names(self, group: Group) -> Iterable[str]:
        return group.fields or tuple(self.forms[group.answers_key].fields)
