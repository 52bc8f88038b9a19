"""The citizen's pages: the inbox at /meldinger/, a new message, one thread with its replies, attachments."""

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helseportal.core.errors import Refused
from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.messaging import queries, services
from helseportal.messaging.forms import NewThreadForm, ReplyForm
from helseportal.messaging.views.download import attachment_response
from helseportal.messaging.views.replies import post_reply, show_refusal


@high
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    threads = queries.citizen_inbox(actor_of(request))
    return render(request, "messaging/inbox.html", {"threads": threads})


@high
@require_http_methods(["GET", "POST"])
def new_thread(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = NewThreadForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        units=queries.messageable_units(actor),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = services.start_thread(
                actor, unit_id=data["unit"].pk, subject=data["subject"], body=data["body"], uploads=data["attachments"]
            )
        except Refused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, _("Meldingen er sendt."))
            return redirect("messaging:thread", thread.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "messaging/new.html", {"form": form}, status=status)


@high
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    actor = actor_of(request)
    form = ReplyForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST":
        sent = post_reply(request, actor, thread_id, form, sent=_("Meldingen er sendt."), url="messaging:thread")
        if sent is not None:
            return sent
    page = queries.citizen_thread(actor, thread_id)
    services.mark_read(actor, page.thread)
    context = {"page": page, "thread": page.thread, "form": form}
    return render(request, "messaging/thread.html", context, status=400 if request.method == "POST" else 200)


@high
@require_GET
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    return attachment_response(queries.citizen_attachment(actor_of(request), attachment_id))
