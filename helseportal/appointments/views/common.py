"""What the citizen's and the staff's pages share: running a posted form through a service, and answering it."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from helseportal.core.errors import Invalid, Refused


def posted(request: HttpRequest) -> Any:
    """The posted data, or None on a GET: an unbound form shows no errors, an empty POST shows them all."""
    return request.POST if request.method == "POST" else None


def submit[R](form: forms.Form, act: Callable[[dict[str, Any]], R]) -> R | None:
    """Run `act` on a bound, valid form's data; None if the form is unbound or has errors.

    A refusal from the service (`Invalid`, `Refused`) becomes the form's error, in the service's own words.
    """
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return act(form.cleaned_data)
    except (Invalid, Refused) as refusal:
        form.add_error(None, refusal.message)
        return None


def refused(act: Callable[[], object]) -> str:
    """Run `act`; the message of its refusal (`Invalid`, `Refused`), or "" when it went through."""
    try:
        act()
    except (Invalid, Refused) as refusal:
        return refusal.message
    return ""


def only(data: dict[str, Any], *names: str) -> dict[str, Any]:
    """The named fields of a form's data, to pass on to a service whose arguments have the same names."""
    return {name: data[name] for name in names}


def form_page(request: HttpRequest, template: str, form: forms.Form, **context: Any) -> HttpResponse:
    """The page with its form; 400 while the form has errors, so that a test or a script sees the refusal."""
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)
