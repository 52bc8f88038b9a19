"""The citizen's page "Hvem har sett opplysningene mine": who read or changed their data, and when."""

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from helseportal.access import audit
from helseportal.access.audit.queries import LogFilter, WhoOption, log_events, log_rows, person_names, who_options
from helseportal.core.actor import Actor
from helseportal.core.routes import high

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 50
# Dates outside these bounds are typing mistakes, and would overflow when turned into times with a zone.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)
DATE_ERRORS = {"invalid": _("Skriv datoen som dd.mm.åååå, for eksempel 17.05.2026.")}


def _date_field(label: "StrOrPromise") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"}, format="%Y-%m-%d"),
    )


class LogFilterForm(forms.Form):
    """The page's filter, sent with GET so it works without JavaScript and can be bookmarked."""

    date_from = _date_field(_("Fra dato"))
    date_to = _date_field(_("Til dato"))
    who = forms.ChoiceField(
        label=_("Person eller virksomhet"), required=False, widget=forms.Select(attrs={"class": "ds-input"})
    )
    include_own = forms.BooleanField(
        label=_("Vis også min egen bruk"), required=False, widget=forms.CheckboxInput(attrs={"class": "ds-input"})
    )

    def __init__(self, data: Any, *, options: list[WhoOption]) -> None:
        super().__init__(data)
        groups = {"person": _("Personer"), "unit": _("Virksomheter"), "client": _("Fagsystemer")}
        choices: list[Any] = [("", _("Alle"))]
        for group, label in groups.items():
            members = [(o.value, o.label) for o in options if o.group == group]
            if members:
                choices.append((label, members))
        who = self.fields["who"]
        assert isinstance(who, forms.ChoiceField)
        who.choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("date_from", "date_to"):
            day = cleaned.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Velg en dato mellom 01.01.1900 og 31.12.2999."))
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("«Til dato» kan ikke være før «Fra dato»."))
        return cleaned

    def log_filter(self) -> LogFilter:
        data = self.cleaned_data
        return LogFilter(data["date_from"], data["date_to"], data["who"], data["include_own"])


@high
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    include_own = request.GET.get("include_own") in ("on", "true", "1")
    with transaction.atomic():
        # Reading the log is itself a read of personal data: audited in the same transaction as the read.
        audit.record(actor, "audit:log:read", subject_id=actor.subject_id)
        form = LogFilterForm(request.GET or None, options=who_options(actor, include_own=include_own))
        context = _with_subject(actor, {"form": form, "page": None, "rows": [], "filtered": form.is_bound})
        if not form.is_bound or form.is_valid():
            log_filter = form.log_filter() if form.is_bound else LogFilter()
            page = Paginator(log_events(actor, log_filter), PAGE_SIZE).get_page(request.GET.get("page"))
            context.update(page=page, rows=log_rows(actor, page.object_list))
    return render(request, "access/audit/log.html", context)


def _with_subject(actor: Actor, context: dict[str, Any]) -> dict[str, Any]:
    """Name the person whose log this is when the actor acts for someone else (a child, a fullmakt giver)."""
    subject_name = ""
    if actor.acts_for_other and actor.subject_id is not None:
        subject_name = person_names({actor.subject_id}).get(actor.subject_id, "")
    return {**context, "subject_name": subject_name}
