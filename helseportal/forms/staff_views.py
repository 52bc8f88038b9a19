"""The forms' staff pages under /helsepersonell/skjemaer/ (issue 17 items 2 and 4), and the sent response as PDF.

- The unit's inbox (clinicians of the receiving unit, `inbox.py`): the responses sent to it, newest first or most
  pressing first, unread or all; one opened (marked read), and its PDF.
- Publishing (the unit's editors, `publishing.py`): the unit's forms and an upload; a form version's page with the
  checklist, the history, the preview of every step (read-only), and "Send til godkjenning" / "Trekk tilbake".

All `practitioner`: HelseID level 4 with an HPR number; the role at the unit is the access check's (404 otherwise).
The citizen's PDF is here too (`substantial`, like her receipt).
"""

import base64
import binascii

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helseportal.access.policy import unit_role
from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid
from helseportal.core.forms import DsForm
from helseportal.core.request import actor_of, page_number
from helseportal.core.routes import practitioner, substantial
from helseportal.forms import checklist, inbox, logic, publishing, queries
from helseportal.forms.definition import Definition, load
from helseportal.forms.forms import StepForm, sniffed_type
from helseportal.forms.models import FormResponse
from helseportal.forms.pdf import attachments_of, render_pdf, response_context
from helseportal.forms.services import initial_answers
from helseportal.forms.views import advice_of, summary_of
from helseportal.organisations.models import Role as UnitRole
from helseportal.stats import services as stats


@practitioner
@require_GET
def staff_inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    order = request.GET.get("sorter", inbox.NEWEST)
    order = order if order in inbox.ORDERS else inbox.NEWEST
    unread = request.GET.get("ulest") == "1"
    page = page_number(request)
    rows = inbox.responses(actor, order=order, unread=unread, page=page)
    context = {
        "responses": rows[: inbox.PAGE_SIZE],
        "has_next": len(rows) > inbox.PAGE_SIZE,
        "page": page,
        "order": order,
        "unread": unread,
        "editor": unit_role(actor, UnitRole.EDITOR) is not None,
    }
    return render(request, "forms/staff/inbox.html", context)


def _response_context(actor: Actor, found: FormResponse, *, staff: bool) -> dict[str, object]:
    definition = queries.definition_of(found.form)
    context = response_context(actor, found, definition, summary_of(definition, found.answers), staff=staff)
    return context | {"advice": "" if staff else advice_of(definition, found)}


@practitioner
@require_GET
def staff_response(request: HttpRequest, response_id: int) -> HttpResponse:
    actor = actor_of(request)
    found = inbox.response(actor, response_id)
    return render(request, "forms/staff/response.html", _response_context(actor, found, staff=True))


@practitioner
@require_GET
def staff_attachment(request: HttpRequest, response_id: int, number: int) -> HttpResponse:
    """One attachment of a response sent to the unit, for its staff: audited as opening the response (404 for another
    unit's, audited as refused), always a download (`Content-Disposition: attachment`, `nosniff`), its type read from
    its bytes again rather than from what was stored."""
    found = inbox.response(actor_of(request), response_id)
    attachments = attachments_of(found.resource)
    if not 1 <= number <= len(attachments):
        raise Http404
    try:
        content = base64.b64decode(attachments[number - 1].get("data") or "", validate=True)
    except (ValueError, binascii.Error):
        raise Http404 from None
    kind = sniffed_type(content) or "application/octet-stream"
    response = HttpResponse(content, content_type=kind)
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(kind, "bin")
    response["Content-Disposition"] = f'attachment; filename="vedlegg-{number}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _pdf(found: FormResponse, context: dict[str, object]) -> HttpResponse:
    response = HttpResponse(render_pdf(context), content_type="application/pdf")
    stats.count(stats.Event.PDF_EXPORTED, queries.stats_service(found.area), unit=found.unit, detail="form")
    response["Content-Disposition"] = 'attachment; filename="skjema.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@practitioner
@require_GET
def staff_response_pdf(request: HttpRequest, response_id: int) -> HttpResponse:
    actor = actor_of(request)
    found = inbox.response(actor, response_id, action=inbox.EXPORTED)
    return _pdf(found, _response_context(actor, found, staff=True))


@substantial
@require_GET
def response_pdf(request: HttpRequest, response_id: int) -> HttpResponse:
    """Her copy of a sent response (or that of the person she acts for), as on the receipt."""
    actor = actor_of(request)
    found = queries.response_for(actor, response_id, action=inbox.EXPORTED)
    return _pdf(found, _response_context(actor, found, staff=False))


AUDIENCE_OWN = gettext_lazy("Enhetens egne pasienter eller elever (de som har vært i kontakt med enheten)")
AUDIENCE_EVERYONE = gettext_lazy("Alle innbyggere")


class UploadForm(DsForm):
    questionnaire = forms.FileField(
        label=gettext_lazy("Skjemafil (FHIR Questionnaire, JSON)"),
        help_text=gettext_lazy("Høyst %(size)s kB.") % {"size": publishing.MAX_UPLOAD_BYTES // 1024},
        error_messages={"required": gettext_lazy("Velg en fil."), "empty": gettext_lazy("Filen er tom.")},
    )
    audience = forms.ChoiceField(  # who may fill it in once published (publishing.upload's `public`)
        label=gettext_lazy("Hvem kan fylle ut skjemaet?"),
        choices=[("own", AUDIENCE_OWN), ("everyone", AUDIENCE_EVERYONE)],
        initial="own",
        required=False,  # left out: the unit's own, the narrower choice
        widget=forms.RadioSelect,
    )


@practitioner
@require_http_methods(["GET", "POST"])
def publishing_list(request: HttpRequest) -> HttpResponse:
    """The unit's forms, and an upload (a new draft version, or a draft replaced)."""
    actor = actor_of(request)
    entries = publishing.unit_forms(actor)
    upload = UploadForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and upload.is_valid():
        try:
            data = upload.cleaned_data["questionnaire"].read(publishing.MAX_UPLOAD_BYTES + 1)
            public = upload.cleaned_data["audience"] == "everyone"
            form = publishing.upload(actor, publishing.parse_upload(data), public=public)
        except Invalid as refusal:
            upload.add_error("questionnaire", refusal.message)
        else:
            messages.success(
                request, _("Skjemaet er lastet opp som utkast. Se over det før du sender det til godkjenning.")
            )
            return redirect("forms:staff_form", form.pk)
    unit = publishing.editor_unit(actor)
    context = {"forms": entries, "upload_form": upload, "unit": unit}
    return render(request, "forms/staff/publishing.html", context, status=400 if upload.errors else 200)


def preview_steps(definition: Definition) -> list[dict[str, object]]:
    """Every step as the citizen sees it, with every item shown (the conditions say when), filled with the form's
    initial values; the fields are disabled by the template's fieldset."""
    answers = logic.calculate(definition, initial_answers(definition))
    everything = {item.link_id for item in definition.walk()}
    pages = []
    for step in definition.steps:
        page = StepForm(None, step=step, answers=answers, enabled=everything, definition=definition)
        pages.append({"step": step, "rows": page.rows_with_fields()})
    return pages


def form_page(request: HttpRequest, form_id: int, *, error: str = "", status: int = 200) -> HttpResponse:
    entry = publishing.unit_form(actor_of(request), form_id)
    definition = load(entry.form.resource)
    context = {
        "entry": entry,
        "form": entry.form,
        "definition": definition,
        "checks": checklist.run(entry.form.resource),
        "preview": preview_steps(definition),
        "error": error,
    }
    return render(request, "forms/staff/form.html", context, status=status)


@practitioner
@require_GET
def staff_form(request: HttpRequest, form_id: int) -> HttpResponse:
    return form_page(request, form_id)


@practitioner
@require_POST
def staff_form_submit(request: HttpRequest, form_id: int) -> HttpResponse:
    try:
        publishing.submit(actor_of(request), form_id)
    except Invalid as refusal:
        return form_page(request, form_id, error=refusal.message, status=400)
    messages.success(request, _("Skjemaet er sendt til godkjenning."))
    return redirect("forms:staff_form", form_id)


@practitioner
@require_POST
def staff_form_retire(request: HttpRequest, form_id: int) -> HttpResponse:
    try:
        publishing.retire(actor_of(request), form_id)
    except Invalid as refusal:
        return form_page(request, form_id, error=refusal.message, status=409)
    messages.success(request, _("Skjemaet er trukket tilbake. Innbyggerne ser det ikke lenger."))
    return redirect("forms:staff_form", form_id)
