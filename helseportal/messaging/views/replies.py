"""What the citizen's and the staff's thread pages share: sending a reply, and showing a refusal on the form."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.messaging import queries, services
from helseportal.messaging.files import BadAttachment


def show_refusal(form: forms.Form, refusal: Refused) -> None:
    """Put a refused write on the form: a refused upload at the attachments field, anything else on top."""
    form.add_error("attachments" if isinstance(refusal, BadAttachment) else None, refusal.message)


def post_reply(
    request: HttpRequest, actor: Actor, thread_id: int, form: forms.Form, *, sent: str, url: str
) -> HttpResponse | None:
    """Send the reply in a valid form and go back to the thread; None when the form holds errors to show.

    A thread the actor may not write in answers 404 before the form says anything about what was posted.
    """
    queries.thread_for_write(actor, thread_id)
    if not form.is_valid():
        return None
    try:
        services.reply(actor, thread_id, body=form.cleaned_data["body"], uploads=form.cleaned_data["attachments"])
    except Refused as refusal:
        show_refusal(form, refusal)
        return None
    messages.success(request, sent)
    return redirect(url, thread_id)
