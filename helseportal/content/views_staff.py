"""The staff side of a unit page (/helsepersonell/enhet/): its editors keep the page, the staff and the notices.

A practitioner logged in with HelseID reaches these pages for the unit they chose at login, and only when they
are an editor there (`organisations.Membership`); anyone else gets 404, as if there were no page. Every write
goes through `content.services`.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from helseportal.content import queries, services
from helseportal.content.forms import NoticeForm, StaffForm, UnitPageForm
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.routes import practitioner


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


@practitioner
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    """The unit page as its editors see it: the texts, the staff (with or without consent) and every notice."""
    page = services.editable_page(_actor(request))
    context = {
        "page": page,
        "unit": page.unit,
        "staff": list(page.staff.all()),
        "notices": queries.unit_notices(page),
        "public_url": page.get_url(request=request),
    }
    return render(request, "content/staff/home.html", context)


@practitioner
@require_http_methods(["GET", "POST"])
def edit_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    page = services.editable_page(actor)
    posted = request.method == "POST"
    form = UnitPageForm.for_page(page, request.POST if posted else None, request.FILES if posted else None)
    if form.is_valid():
        try:
            services.update_unit_page(
                actor,
                display_name=form.cleaned_data["display_name"],
                about=form.about_html(page),
                hours_note=form.cleaned_data["hours_note"],
                picture=form.cleaned_data["picture"] or None,
                remove_picture=form.cleaned_data.get("remove_picture", False),
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Enhetssiden er lagret og publisert."))
            return redirect("content_staff:home")
    return _form_page(request, form, _("Endre enhetssiden"), page)


@practitioner
@require_http_methods(["GET", "POST"])
def add_staff(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    page = services.editable_page(actor)
    posted = request.method == "POST"
    form = StaffForm(request.POST if posted else None, request.FILES if posted else None)
    del form.fields["remove_picture"]
    if form.is_valid():
        try:
            services.add_staff(actor, form.staff_fields(), picture=form.cleaned_data["picture"] or None)
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Den ansatte er lagt til."))
            return redirect("content_staff:home")
    return _form_page(request, form, _("Legg til en ansatt"), page)


@practitioner
@require_http_methods(["GET", "POST"])
def edit_staff(request: HttpRequest, staff_id: int) -> HttpResponse:
    actor = _actor(request)
    page = services.editable_page(actor)
    member = next((m for m in page.staff.all() if m.pk == staff_id), None)
    if member is None:
        raise Http404
    posted = request.method == "POST"
    initial = {
        "name": member.name,
        "role": member.role,
        "grades": member.grades,
        "hpr_number": member.hpr_number,
        "consent_to_show": member.consent_to_show,
    }
    form = StaffForm(request.POST if posted else None, request.FILES if posted else None, initial=initial)
    if member.picture_id is None:
        del form.fields["remove_picture"]
    if form.is_valid():
        try:
            services.update_staff(
                actor,
                staff_id,
                form.staff_fields(),
                picture=form.cleaned_data["picture"] or None,
                remove_picture=form.cleaned_data.get("remove_picture", False),
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Endringen er lagret."))
            return redirect("content_staff:home")
    return _form_page(request, form, _("Endre %(name)s") % {"name": member.name}, page)


@practitioner
@require_POST
def remove_staff(request: HttpRequest, staff_id: int) -> HttpResponse:
    services.remove_staff(_actor(request), staff_id)
    messages.success(request, _("Den ansatte er fjernet fra siden."))
    return redirect("content_staff:home")


@practitioner
@require_http_methods(["GET", "POST"])
def add_notice(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    page = services.editable_page(actor)
    schools = services.allowed_schools(page.unit)
    form = NoticeForm(request.POST if request.method == "POST" else None, schools=schools)
    if form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.create_notice(
                actor,
                title=data["title"],
                school_id=data["school"],
                grades=data["grades"],
                text=data["text"],
                sender=data["sender"],
                links=form.links(),
                go_live_at=data["go_live_at"],
                expire_at=data["expire_at"],
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            if notice.go_live_at:
                messages.success(request, _("Oppslaget er lagret og publiseres på valgt tidspunkt."))
            else:
                messages.success(request, _("Oppslaget er publisert."))
            return redirect("content_staff:home")
    context = {"form": form, "title": _("Nytt oppslag"), "page": page}
    return render(request, "content/staff/notice_form.html", context, status=400 if form.errors else 200)


@practitioner
@require_POST
def withdraw_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    services.withdraw_notice(_actor(request), notice_id)
    messages.success(request, _("Oppslaget er trukket tilbake og vises ikke lenger."))
    return redirect("content_staff:home")


def _form_page(request: HttpRequest, form: UnitPageForm | StaffForm, title: str, page: object) -> HttpResponse:
    context = {"form": form, "title": title, "page": page}
    return render(request, "content/staff/form.html", context, status=400 if form.errors else 200)
