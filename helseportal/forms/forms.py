"""One step of a form as a Django form: a field per enabled question of the step, in Designsystemet's markup, each
with a clear Norwegian error, and the rows the page shows around them (group headings, display texts, calculated
values). `StepForm.answers()` gives what was entered as FHIR answer elements, for the draft.

A field is named by the item's place in the form (`i<index>`, never its linkId, which may hold any character).
Types: boolean (Ja/Nei), decimal and quantity (a comma or a point), integer, date, dateTime, time, string, text,
choice (radio buttons; check boxes when it repeats), open-choice (the same with a free-text "Annet"), attachment.
A repeating question of another type gets `REPEAT_SLOTS` inputs.
"""

import base64
import copy
import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helseportal.core.errors import Invalid
from helseportal.core.forms import DsForm, decimal_problem
from helseportal.fhir import JSON
from helseportal.forms import logic
from helseportal.forms.definition import Definition, Item, Step, bound_value

REPEAT_SLOTS = 3  # a repeating question that is not a choice: this many inputs (a house choice)
STRING_MAX_LENGTH = 1000  # when the form gives no maxLength (a house choice, like the other free-text fields)
TEXT_MAX_LENGTH = 10000
ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024  # a house choice: a photo or a letter, not a film
ATTACHMENT_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
# How each type's files begin (the PDF 1.7 standard's header; JPEG's SOI marker and the next marker's FF; PNG's
# signature): the type is read from the file, never taken from the browser (an HTML page sent as image/png).
MAGIC_BYTES = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
REQUIRED = gettext_lazy("Svar på dette spørsmålet.")
# An open choice that does not repeat has one answer: an option, or her own words under «Annet», not both.
ONE_OR_OTHER = gettext_lazy("Velg ett av svarene, eller skriv ditt eget svar under «Annet». Ikke begge.")
YES_NO = [("true", gettext_lazy("Ja")), ("false", gettext_lazy("Nei"))]


def sniffed_type(content: bytes) -> str:
    """The content type a file's first bytes show (`MAGIC_BYTES`); "" when it is none of PDF, JPEG and PNG."""
    return next((kind for magic, kind in MAGIC_BYTES.items() if content.startswith(magic)), "")


def _number(value: Decimal) -> int | float:
    """A cleaned decimal as JSON's number. The field's validators (`within_decimal`) have bounded it; the check
    here keeps `int()` off an unbounded one (1e300000 is a 300 000-digit integer) should that ever change."""
    if decimal_problem(value):
        raise ValueError("an unbounded decimal reached _number")
    return int(value) if value == value.to_integral_value() else float(value)


class CommaDecimalField(forms.DecimalField):
    """A decimal written with a comma (72,5) or a point (72.5)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        return super().to_python(value)


def _bounds(item: Item, parse: Any) -> list[Any]:
    """Validators for the form's minValue and maxValue, with their messages; a calculated bound (`today()`) is
    worked out now, on the portal's clock."""
    checks = []
    low, high = _limit(item, item.minimum, item.minimum_expression), _limit(item, item.maximum, item.maximum_expression)
    if low is not None:
        low = parse(low)

        def at_least(value: Any) -> None:
            if value < low:
                raise ValidationError(_("Svaret må være minst %(low)s.") % {"low": _shown(low)})

        checks.append(at_least)
    if high is not None:
        high = parse(high)
        if (
            item.type == "dateTime"
            and item.maximum_expression
            and len(str(_limit(item, None, item.maximum_expression))) == 10
        ):
            high += datetime.timedelta(days=1, microseconds=-1)  # a date as the latest: any time that day
        not_in_future = item.type == "date" and item.maximum_expression.replace(" ", "") == "today()"

        def at_most(value: Any) -> None:
            if value > high:
                if not_in_future:
                    raise ValidationError(_("Datoen kan ikke være fram i tid."))
                raise ValidationError(_("Svaret kan være høyst %(high)s.") % {"high": _shown(high)})

        checks.append(at_most)
    return checks


def _limit(item: Item, fixed: Any, expression: str) -> Any:
    """A bound's value: the fixed one, or the calculated one as it is now (None: no bound)."""
    if fixed is not None or not expression:
        return fixed
    return bound_value(expression, item.type)


def _shown(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value).replace(".", ",") if isinstance(value, Decimal) else str(value)


def _date(value: Any) -> datetime.date:
    return datetime.date.fromisoformat(str(value)[:10])


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def _time(value: Any) -> datetime.time:
    return datetime.time.fromisoformat(str(value))


def _datetime(value: Any) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else timezone.make_aware(moment)


def _plain_field(item: Item, label: str, required: bool) -> forms.Field:
    """The field of one answer to a question that is not a choice."""
    common: dict[str, Any] = {"label": label, "required": required}
    errors = {"required": REQUIRED}
    match item.type:
        case "boolean":
            return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, error_messages=errors, **common)
        case "decimal" | "quantity":
            suffix = f" ({(item.unit or {}).get('display') or (item.unit or {}).get('code')})" if item.unit else ""
            common["label"] = label + suffix
            return CommaDecimalField(
                error_messages=errors | {"invalid": _("Skriv et tall, for eksempel 72,5.")},
                validators=_bounds(item, _decimal),
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                **common,
            )
        case "integer":
            return forms.IntegerField(
                error_messages=errors | {"invalid": _("Skriv et helt tall.")},
                validators=_bounds(item, int),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                **common,
            )
        case "date":
            return forms.DateField(
                input_formats=["%Y-%m-%d", "%d.%m.%Y"],
                error_messages=errors | {"invalid": _("Skriv datoen som dd.mm.åååå.")},
                validators=_bounds(item, _date),
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                **common,
            )
        case "dateTime":
            return forms.DateTimeField(
                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
                error_messages=errors | {"invalid": _("Skriv dato og klokkeslett som dd.mm.åååå tt:mm.")},
                validators=_bounds(item, _datetime),
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                **common,
            )
        case "time":
            return forms.TimeField(
                error_messages=errors | {"invalid": _("Skriv klokkeslettet som tt:mm.")},
                validators=_bounds(item, _time),
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                **common,
            )
        case "attachment":
            return forms.FileField(error_messages=errors | {"invalid": _("Velg en fil.")}, **common)
    limit = item.max_length or (TEXT_MAX_LENGTH if item.type == "text" else STRING_MAX_LENGTH)
    widget = forms.Textarea(attrs={"rows": 4}) if item.type == "text" else forms.TextInput()
    return forms.CharField(
        max_length=limit,
        error_messages=errors | {"max_length": _("Skriv høyst %(limit_value)d tegn. Du har skrevet %(show_value)d.")},
        widget=widget,
        **common,
    )


def _to_answer(item: Item, value: Any) -> JSON | None:
    """A cleaned value as the item's answer element; None for nothing entered."""
    if value in (None, "", []):
        return None
    match item.type:
        case "boolean":
            return {"valueBoolean": value == "true"}
        case "decimal":
            return {"valueDecimal": _number(value)}
        case "quantity":
            unit = item.unit or {}
            quantity = {"value": _number(value), "unit": unit.get("display") or unit.get("code")}
            quantity |= {"system": unit.get("system"), "code": unit.get("code")}
            return {"valueQuantity": {k: v for k, v in quantity.items() if v is not None}}
        case "integer":
            return {"valueInteger": value}
        case "date":
            return {"valueDate": value.isoformat()}
        case "dateTime":
            return {"valueDateTime": timezone.localtime(value).replace(microsecond=0).isoformat()}
        case "time":
            return {"valueTime": value.replace(microsecond=0).isoformat()}
    return {"valueString": str(value)}


def _initial(item: Item, answer: JSON) -> Any:
    """An answer element as the field's initial value."""
    key, value = logic.value_of(answer)
    try:
        match key:
            case "valueBoolean":
                return "true" if value else "false"
            case "valueDecimal":
                return str(value).replace(".", ",")
            case "valueQuantity":
                return str(value.get("value", "")).replace(".", ",")
            case "valueDate":
                return _date(value)
            case "valueDateTime":
                return timezone.localtime(_datetime(value)).replace(tzinfo=None)
            case "valueTime":
                return _time(value)
    except (ValueError, TypeError, AttributeError, InvalidOperation):
        return None
    return value


Where = tuple[tuple[Item, int], ...]  # the repeating groups around a row and the instance (from 0) in each


@dataclass
class Row:
    """One thing the step shows: a heading, a text, a calculated value, or a question with its field(s); and for a
    repeating group, the start and end of each instance ("instance", "instance_end") and its "add" row."""

    kind: str  # "group", "display", "readonly", "question", "instance", "instance_end", "add" (or "disabled")
    item: Item
    depth: int = 0
    names: list[str] = field(default_factory=list)
    bound: list[forms.BoundField] = field(default_factory=list)
    value: str = ""
    attachment: str = ""  # the name of a file uploaded earlier
    where: Where = ()
    scope: dict[str, list[Any]] | None = None  # the instance the answers go into (None: the top level)
    label: str = ""  # an instance's name («Legemiddel 2»)
    action: str = ""  # the button's value: add an instance, remove this one
    allowed: bool = False  # the button is offered (fewer than maxOccurs; more than the least)
    anchor: str = ""
    count: int = 0  # an "add" row: the instances shown, posted back to notice a page out of date
    count_name: str = ""


def _prefix(where: Where) -> str:
    """What a field's name starts with inside an instance (the group's place in the form, the instance's number)."""
    return "".join(f"r{group.index}.{number}-" for group, number in where)


def _anchor(where: Where) -> str:
    return "del-" + "-".join(f"{group.index}-{number}" for group, number in where)


@dataclass(frozen=True)
class Change:
    """An "add" or "remove" button: which repeating group, in which instance of the groups around it."""

    add: bool
    group: Item
    where: Where
    number: int = -1  # the instance removed


def answer_text(item: Item, answers: list[JSON]) -> str:
    """The answers as the summary and the receipt show them."""
    return ", ".join(filter(None, (_text_of(item, answer) for answer in answers)))


def _text_of(item: Item, answer: JSON) -> str:
    key, value = logic.value_of(answer)
    for option in item.options:
        if option.answer == answer or (
            key == "valueCoding" and option.answer.get(key, {}).get("code") == value.get("code")
        ):
            return str(option.label)
    try:
        match key:
            case "valueBoolean":
                return str(_("Ja") if value else _("Nei"))
            case "valueDecimal" | "valueInteger":
                return str(value).replace(".", ",")
            case "valueQuantity":
                return f"{str(value.get('value')).replace('.', ',')} {value.get('unit', '')}".strip()
            case "valueDate":
                return _date(value).strftime("%d.%m.%Y")
            case "valueDateTime":
                return timezone.localtime(_datetime(value)).strftime("%d.%m.%Y %H:%M")
            case "valueTime":
                return str(value)[:5]
            case "valueAttachment":
                return str(value.get("title") or _("Vedlegg"))
            case "valueCoding":
                return str(value.get("display") or value.get("code") or "")
    except (ValueError, TypeError, AttributeError):
        return ""
    return str(value)


class StepForm(DsForm):
    """The fields of one step's enabled questions; `rows` is what the page shows, in order. A repeating group shows
    each instance with its fields (named with the instance, `_prefix`), a "Fjern" button per instance (not below the
    least), a "Legg til en til" button, and the number of instances as a hidden field: a post made from a page that
    is out of date (another tab added or removed one) is noticed (`stale`) rather than put in the wrong instance.
    `lenient` (adding or removing) asks for nothing: only what is written wrongly is an error."""

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        step: Step,
        answers: dict[str, list[JSON]],
        enabled: "set[str] | logic.Enabled",
        definition: Definition | None = None,
        lenient: bool = False,
    ) -> None:
        super().__init__(data, files)
        self._top: dict[str, list[Any]] = {}
        self.step = step
        self.definition = definition
        self.answers_before = answers
        self.lenient = lenient
        self.rows: list[Row] = []
        self.items: dict[str, Item] = {}
        self.tree: dict[str, list[Any]] = {}  # per repeating group at the top level: its instances, as shown
        self.changes: dict[str, Change] = {}
        self.stale = False
        self._contents: dict[str, bytes] = {}  # per field: the upload's bytes, read once
        for item in step.items:
            self._add(item, answers, enabled, depth=0, where=(), scope=None)

    def _add(
        self,
        item: Item,
        answers: dict[str, list[Any]],
        enabled: "set[str] | logic.Enabled",
        *,
        depth: int,
        where: Where,
        scope: dict[str, list[Any]] | None,
    ) -> None:
        if item.link_id not in (enabled.links if isinstance(enabled, logic.Enabled) else enabled):
            return
        given = answers.get(item.link_id, [])
        if item.is_repeating_group:
            self._add_instances(item, answers, enabled, depth=depth, where=where, scope=scope)
            return
        if item.type in ("group", "display"):
            self.rows.append(Row(item.type, item, depth, where=where))
            for child in item.items:
                self._add(child, answers, enabled, depth=depth + 1, where=where, scope=scope)
            return
        if item.read_only:
            self.rows.append(Row("readonly", item, depth, value=answer_text(item, given), where=where))
            return
        row = Row("question", item, depth, where=where, scope=scope)
        self.items[item.link_id] = item
        label = f"{item.prefix} {item.text}".strip() if item.prefix else str(item.text)
        for name, built in self._fields(item, label, given, _prefix(where)):
            if item.help:
                built.help_text = str(item.help)
            if self.lenient:
                built.required = False
            self.add_field(name, built)
            row.names.append(name)
        if item.type == "attachment" and given:
            row.attachment = answer_text(item, given)
            self.fields[row.names[0]].required = False
        self.rows.append(row)

    def _add_instances(
        self,
        group: Item,
        answers: dict[str, list[Any]],
        enabled: "set[str] | logic.Enabled",
        *,
        depth: int,
        where: Where,
        scope: dict[str, list[Any]] | None,
    ) -> None:
        """Each instance of a repeating group (a copy: the post's answers go into it), then the "add" row."""
        instances = copy.deepcopy(logic.instances_of(group, answers))
        (self.tree if scope is None else scope)[group.link_id] = instances
        states = enabled.instances.get(group.link_id, []) if isinstance(enabled, logic.Enabled) else []
        removable = len(instances) > group.least_instances
        for number, one in enumerate(instances):
            inner = (*where, (group, number))
            label = group.instance_label(number + 1)
            remove = f"remove:{_prefix(inner)}"
            self.changes[remove] = Change(False, group, where, number)
            start = Row("instance", group, depth, where=inner, label=label, anchor=_anchor(inner))
            self.rows.append(start)
            state: set[str] | logic.Enabled = states[number] if number < len(states) else enabled
            for child in group.items:
                self._add(child, one, state, depth=depth + 1, where=inner, scope=one)
            self.rows.append(
                Row("instance_end", group, depth, where=inner, label=label, action=remove, allowed=removable)
            )
        add = f"add:{_prefix(where)}g{group.index}"
        self.changes[add] = Change(True, group, where)
        self.rows.append(
            Row(
                "add",
                group,
                depth,
                where=where,
                action=add,
                allowed=len(instances) < group.max_occurs,
                count=len(instances),
                count_name=f"{_prefix(where)}c{group.index}",
                anchor=_anchor((*where, (group, len(instances) - 1))),
            )
        )

    def _fields(self, item: Item, label: str, given: list[JSON], prefix: str = "") -> list[tuple[str, forms.Field]]:
        name = f"{prefix}i{item.index}"
        if item.type in ("choice", "open-choice"):
            return self._choice_fields(item, name, label, given)
        if item.repeats and item.type != "attachment":
            built = []
            for slot in range(REPEAT_SLOTS):
                slot_label = (
                    label if slot == 0 else _("%(label)s (svar %(number)s)") % {"label": label, "number": slot + 1}
                )
                one = _plain_field(item, slot_label, item.required and slot == 0)
                one.initial = _initial(item, given[slot]) if slot < len(given) else None
                built.append((f"{name}_{slot}" if slot else name, one))
            return built
        one = _plain_field(item, label, item.required)
        if given and item.type != "attachment":
            one.initial = _initial(item, given[0])
        return [(name, one)]

    def _choice_fields(self, item: Item, name: str, label: str, given: list[JSON]) -> list[tuple[str, forms.Field]]:
        choices = [(str(number), str(option.label)) for number, option in enumerate(item.options)]
        chosen = [str(n) for n, option in enumerate(item.options) if option.answer in given]
        open_choice = item.type == "open-choice"
        required = item.required and not open_choice  # an open choice may be answered in its free text instead
        errors: dict[str, Any] = {"required": REQUIRED, "invalid_choice": _("Velg et av svarene.")}
        if item.repeats:
            built: forms.Field = forms.MultipleChoiceField(
                label=label,
                choices=choices,
                required=required,
                widget=forms.CheckboxSelectMultiple,
                error_messages=errors | {"invalid_list": _("Velg et av svarene.")},
                initial=chosen,
            )
        else:
            built = forms.ChoiceField(
                label=label,
                choices=choices,
                required=required,
                widget=forms.RadioSelect,
                error_messages=errors,
                initial=chosen[0] if chosen else None,
            )
        fields = [(name, built)]
        if open_choice:
            other = [a["valueString"] for a in given if "valueString" in a]
            fields.append(
                (
                    f"{name}_other",
                    forms.CharField(
                        label=_("Annet svar"),
                        required=False,
                        max_length=item.max_length or STRING_MAX_LENGTH,
                        initial=other[0] if other else "",
                        error_messages={"max_length": _("Skriv høyst %(limit_value)d tegn.")},
                    ),
                )
            )
        return fields

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self._out_of_date():
            self.stale = True
            raise ValidationError(
                _("Skjemaet er endret i et annet vindu siden denne siden ble vist. Se over svarene og prøv igjen.")
            )
        self._drop_disabled()
        for row in self.rows:
            if row.kind != "question":
                continue
            item = row.item
            if item.type == "open-choice" and item.required and not self._answers_of(row):
                self.add_error(row.names[0], REQUIRED)
            if item.type == "open-choice" and not item.repeats and len(self._answers_of(row)) > 1:
                self.add_error(row.names[0], ONE_OR_OTHER)
            if item.type == "attachment":
                self._check_attachment(row.names[0])
        return cleaned

    def _out_of_date(self) -> bool:
        """Whether the post was made from a page with another number of instances than the draft has now."""
        return any(str(self.data.get(row.count_name, "")) != str(row.count) for row in self.rows if row.kind == "add")

    def _drop_disabled(self) -> None:
        """The questions this post's own answers disable (she changed "Telefon" back to "Melding") are not
        required any more: their errors go, and so do their answers. In a repeating group, per instance."""
        if self.definition is None:
            return
        for row in self.rows:
            if row.kind == "question" and all(name in self.cleaned_data for name in row.names):
                _put(self._top if row.scope is None else row.scope, row.item.link_id, self._answers_of(row))
        enabled = logic.enabled_tree(self.definition, {**self.answers_before, **self._top, **self.tree})
        for row in self.rows:
            if row.kind in ("question", "add") and row.item.link_id not in _state_at(enabled, row.where).links:
                for name in row.names:
                    self.errors.pop(name, None)
                    self.cleaned_data.pop(name, None)
                if row.scope is not None:
                    row.scope.pop(row.item.link_id, None)
                row.kind = "disabled" if row.kind == "question" else "disabled_group"

    def _check_attachment(self, name: str) -> None:
        upload = self.cleaned_data.get(name)
        if not isinstance(upload, UploadedFile):
            return
        if upload.size is None or upload.size > ATTACHMENT_MAX_BYTES:
            self.add_error(name, _("Filen er for stor. Den kan være høyst 2 MB."))
        elif not sniffed_type(self._content(name, upload)):
            self.add_error(name, _("Vi tar bare imot PDF, JPEG og PNG."))

    def _answers_of(self, row: Row) -> list[JSON]:
        item, data = row.item, self.cleaned_data
        if item.type in ("choice", "open-choice"):
            picked = data.get(row.names[0]) or []
            numbers = picked if isinstance(picked, list) else [picked]
            found = [dict(item.options[int(n)].answer) for n in numbers if n not in ("", None)]
            other = (data.get(f"{row.names[0]}_other") or "").strip() if item.type == "open-choice" else ""
            return found + ([{"valueString": other}] if other else [])
        if item.type == "attachment":
            return self._attachment(row.names[0], item, self.answers_before if row.scope is None else row.scope)
        return [answer for name in row.names if (answer := _to_answer(item, data.get(name))) is not None]

    def _content(self, name: str, upload: UploadedFile) -> bytes:
        """The upload's bytes (at most one more than the limit), read once: the answers are asked for more than once
        (to see what this post disables, then to save), and a second read would find the file at its end."""
        if name not in self._contents:
            upload.seek(0)
            self._contents[name] = upload.read(ATTACHMENT_MAX_BYTES + 1)
        return self._contents[name]

    def _attachment(self, name: str, item: Item, before: dict[str, list[Any]]) -> list[JSON]:
        upload = self.cleaned_data.get(name)
        if not isinstance(upload, UploadedFile):
            return list(before.get(item.link_id, []))  # the file uploaded earlier stays
        content = self._content(name, upload)
        attachment = {
            "contentType": sniffed_type(content),
            "data": base64.b64encode(content).decode("ascii"),
            "title": (upload.name or "vedlegg")[:200],
            "size": len(content),
        }
        return [{"valueAttachment": attachment}]

    def answers(self) -> dict[str, list[Any]]:
        """The answers entered on the step, for the fields that are valid (all of them on a valid form); a repeating
        group's instances whole (what was there before where a field is not valid)."""
        valid = getattr(self, "cleaned_data", {})
        found: dict[str, list[Any]] = {}
        for row in self.rows:
            if row.kind == "question" and all(name in valid for name in row.names) and not self._row_errors(row):
                if row.scope is None:
                    found[row.item.link_id] = self._answers_of(row)
                else:
                    _put(row.scope, row.item.link_id, self._answers_of(row))
        for row in self.rows:
            if row.kind == "add" and not row.where:
                found[row.item.link_id] = self.tree[row.item.link_id]
        return found

    def _row_errors(self, row: Row) -> bool:
        return any(name in self.errors for name in row.names)

    def shown(self) -> list[str]:
        """The linkIds whose answers this step replaces (the editable questions on it, the repeating groups, and
        those it disabled)."""
        return [
            row.item.link_id
            for row in self.rows
            if not row.where
            and (
                (row.kind == "question" and not self._row_errors(row))
                or row.kind in ("disabled", "add", "disabled_group")
            )
        ]

    def opened(self, answers: dict[str, list[Any]]) -> bool:
        """Whether these answers (just saved) enable a question on this step, in any instance, that the page did
        not show (no JavaScript: the step is shown again with it, rather than skipped)."""
        if self.definition is None:
            return False
        enabled = logic.enabled_tree(self.definition, answers)
        again = StepForm(None, step=self.step, answers=answers, enabled=enabled, definition=self.definition)
        shown = {(_prefix(row.where), row.item.link_id) for row in self.rows if row.kind in ("question", "disabled")}
        return any((_prefix(row.where), row.item.link_id) not in shown for row in again.rows if row.kind == "question")

    def change(self, action: str, answers: dict[str, list[Any]]) -> str:
        """Add or remove an instance in `answers` (from `answers()`) for the button pressed; the anchor of the
        instance to show. `Invalid` (in Norwegian) for a button this page does not have, or beyond the bounds."""
        change = self.changes.get(action)
        if change is None:
            raise Invalid(_("Den delen av skjemaet finnes ikke lenger. Se over svarene og prøv igjen."))
        try:
            container: dict[str, list[Any]] = answers
            for group, number in change.where:
                container = container[group.link_id][number]
            instances = container[change.group.link_id]
        except (KeyError, IndexError, TypeError):  # the group this post's own answers closed
            raise Invalid(_("Den delen av skjemaet finnes ikke lenger. Se over svarene og prøv igjen.")) from None
        if change.add:
            if len(instances) >= change.group.max_occurs:
                raise Invalid(_("Du kan ikke legge til flere enn %(count)s.") % {"count": change.group.max_occurs})
            instances.append(logic.initial_answers(change.group.items))
            return _anchor((*change.where, (change.group, len(instances) - 1)))
        if len(instances) <= change.group.least_instances:
            raise Invalid(
                _("«%(group)s» må være med minst %(count)s ganger.")
                % {"group": change.group.text, "count": change.group.least_instances}
            )
        del instances[change.number]
        return _anchor((*change.where, (change.group, min(change.number, len(instances) - 1))))

    def rows_with_fields(self) -> list[Row]:
        for row in self.rows:
            row.bound = [self[name] for name in row.names]
        return self.rows


def _put(instance: dict[str, list[Any]], link: str, given: list[JSON]) -> None:
    """An answer into an instance; none entered: the question has no entry (as in the draft at the top)."""
    if given:
        instance[link] = given
    else:
        instance.pop(link, None)


def _state_at(enabled: logic.Enabled, where: Where) -> logic.Enabled:
    """What is enabled in the instance a row is in (nothing, if that instance is not there)."""
    for group, number in where:
        states = enabled.instances.get(group.link_id, [])
        if number >= len(states):
            return logic.Enabled(set())
        enabled = states[number]
    return enabled
