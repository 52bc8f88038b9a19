"""The staff side of a unit page (/helsepersonell/enhet/): its editors keep the page, the staff and the notices.

A practitioner logged in with HelseID reaches these pages for the unit they chose at login, and only when
`access.policy` finds them an editor there; anyone else gets 404 (`NotFound` from the services), as if there
were no page. Every write goes through `content.services`.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from helseportal.content import queries, services
from helseportal.content.forms import NoticeForm, StaffForm, UnitPageForm
from helseportal.content.models import UnitPage
from helseportal.core.errors import Refused
from helseportal.core.request import actor_of
from helseportal.core.routes import practitioner


@practitioner
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    """The unit page as its editors see it: the texts, the staff (with or without consent) and every notice."""
    page = services.editable_page(actor_of(request))
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
    actor = actor_of(request)
    page = services.editable_page(actor)
    form = UnitPageForm.for_page(page, *_posted(request))

    def save() -> str:
        services.update_unit_page(
            actor,
            display_name=form.cleaned_data["display_name"],
            about=form.about_html(page),
            hours_note=form.cleaned_data["hours_note"],
            picture=form.cleaned_data["picture"] or None,
            remove_picture=form.cleaned_data.get("remove_picture", False),
        )
        return _("Enhetssiden er lagret og publisert.")

    return _saved(request, form, save) or _form_page(request, form, _("Endre enhetssiden"), page)


@practitioner
@require_http_methods(["GET", "POST"])
def add_staff(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    page = services.editable_page(actor)
    form = StaffForm(*_posted(request))
    del form.fields["remove_picture"]

    def save() -> str:
        services.add_staff(actor, form.staff_fields(), picture=form.cleaned_data["picture"] or None)
        return _("Den ansatte er lagt til.")

    return _saved(request, form, save) or _form_page(request, form, _("Legg til en ansatt"), page)


@practitioner
@require_http_methods(["GET", "POST"])
def edit_staff(request: HttpRequest, staff_id: int) -> HttpResponse:
    actor = actor_of(request)
    page = services.editable_page(actor)
    member = next((m for m in page.staff.all() if m.pk == staff_id), None)
    if member is None:
        raise Http404
    form = StaffForm.for_member(member, *_posted(request))

    def save() -> str:
        services.update_staff(
            actor,
            staff_id,
            form.staff_fields(),
            picture=form.cleaned_data["picture"] or None,
            remove_picture=form.cleaned_data.get("remove_picture", False),
        )
        return _("Endringen er lagret.")

    return _saved(request, form, save) or _form_page(request, form, _("Endre %(name)s") % {"name": member.name}, page)


@practitioner
@require_POST
def remove_staff(request: HttpRequest, staff_id: int) -> HttpResponse:
    services.remove_staff(actor_of(request), staff_id)
    return _back_home(request, _("Den ansatte er fjernet fra siden."))


@practitioner
@require_http_methods(["GET", "POST"])
def add_notice(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    page = services.editable_page(actor)
    form = NoticeForm(request.POST if request.method == "POST" else None, schools=services.allowed_schools(page.unit))

    def save() -> str:
        data = form.cleaned_data
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
        if notice.go_live_at:
            return _("Oppslaget er lagret og publiseres på valgt tidspunkt.")
        return _("Oppslaget er publisert.")

    return _saved(request, form, save) or _form_page(
        request, form, _("Nytt oppslag"), page, template="content/staff/notice_form.html"
    )


@practitioner
@require_POST
def withdraw_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    services.withdraw_notice(actor_of(request), notice_id)
    return _back_home(request, _("Oppslaget er trukket tilbake og vises ikke lenger."))


def _posted(request: HttpRequest) -> tuple[Any, Any]:
    """The form's data and files on a POST; nothing on a GET (so an empty POST still shows the form's errors)."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _saved(request: HttpRequest, form: Form, save: Callable[[], str]) -> HttpResponse | None:
    """Run `save` for a valid form and go back to the unit's home with the message it returns; None when there is
    a form to show (not posted, invalid, or refused by the service, whose reason goes on the form)."""
    if not form.is_valid():
        return None
    try:
        done = save()
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return None
    return _back_home(request, done)


def _back_home(request: HttpRequest, done: str) -> HttpResponse:
    """Back to the unit page's staff home, saying what was done."""
    messages.success(request, done)
    return redirect("content_staff:home")


def _form_page(
    request: HttpRequest, form: Form, title: str, page: UnitPage, *, template: str = "content/staff/form.html"
) -> HttpResponse:
    context = {"form": form, "title": title, "page": page}
    return render(request, template, context, status=400 if form.errors else 200)
