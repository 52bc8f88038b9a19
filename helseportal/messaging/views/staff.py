"""The unit staff's pages under /helsepersonell/meldinger/: the unit's inbox, a thread, reply, assign, close.

Only a clinician member of the unit the practitioner acts for gets in; anyone else gets 404.
"""

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helseportal.core.errors import Refused
from helseportal.core.request import actor_of, page_number
from helseportal.core.routes import practitioner
from helseportal.messaging import queries, services
from helseportal.messaging.forms import AssignForm, ReplyForm
from helseportal.messaging.queries import StaffView
from helseportal.messaging.views.download import attachment_response
from helseportal.messaging.views.replies import post_reply


@practitioner
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    view = request.GET.get("vis", StaffView.UNASSIGNED)
    if view not in StaffView.CHOICES:
        view = StaffView.UNASSIGNED
    unread = request.GET.get("ulest") == "1"
    page = page_number(request)
    rows = queries.staff_inbox(actor, view=view, unread=unread, page=page)
    context = {
        "threads": rows[: queries.STAFF_PAGE_SIZE],
        "has_next": len(rows) > queries.STAFF_PAGE_SIZE,
        "page": page,
        "view": view,
        "unread": unread,
        "views": [
            (StaffView.UNASSIGNED, _("Ufordelte")),
            (StaffView.MINE, _("Mine")),
            (StaffView.ALL, _("Alle")),
        ],
    }
    return render(request, "messaging/staff/inbox.html", context)


def _thread_page(
    request: HttpRequest, thread_id: int, reply_form: ReplyForm, assign_form: AssignForm, status: int = 200
) -> HttpResponse:
    actor = actor_of(request)
    page = queries.staff_thread(actor, thread_id)
    services.mark_read(actor, page.thread)
    context = {"page": page, "thread": page.thread, "form": reply_form, "assign_form": assign_form}
    return render(request, "messaging/staff/thread.html", context, status=status)


@practitioner
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    actor = actor_of(request)
    colleagues = queries.colleagues(actor)
    form = ReplyForm(request.POST if request.method == "POST" else None, request.FILES or None)
    assign_form = AssignForm(colleagues=colleagues)
    if request.method == "POST":
        sent = post_reply(request, actor, thread_id, form, sent=_("Svaret er sendt."), url="messaging:staff_thread")
        return sent or _thread_page(request, thread_id, form, assign_form, status=400)
    return _thread_page(request, thread_id, form, assign_form)


@practitioner
@require_POST
def assign(request: HttpRequest, thread_id: int) -> HttpResponse:
    actor = actor_of(request)
    form = AssignForm(request.POST, colleagues=queries.colleagues(actor))
    queries.staff_thread_for_write(actor, thread_id)
    if form.is_valid():
        try:
            services.assign(actor, thread_id, form.cleaned_data["practitioner"].pk)
        except Refused as refusal:
            form.add_error("practitioner", refusal.message)
        else:
            messages.success(request, _("Samtalen er fordelt."))
            return redirect("messaging:staff_thread", thread_id)
    return _thread_page(request, thread_id, ReplyForm(), form, status=400)


@practitioner
@require_POST
def close(request: HttpRequest, thread_id: int) -> HttpResponse:
    services.close(actor_of(request), thread_id)
    messages.success(request, _("Samtalen er avsluttet."))
    return redirect("messaging:staff_thread", thread_id)


@practitioner
@require_GET
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    return attachment_response(queries.staff_attachment(actor_of(request), attachment_id))
