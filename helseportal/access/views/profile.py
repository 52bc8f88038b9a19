"""The profile page: name from the register, contact details, language, notifications, powers of attorney, and the
consent to youth access (*ungdomstilgang*) for each child of 13–15 the parent may act for."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from helseportal.access import queries, services, youth_access
from helseportal.access.forms import ContactForm, GrantPowerForm
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.identity.models import Person


def _me(request: HttpRequest) -> tuple[Actor, Person]:
    actor = actor_of(request)
    if actor.acts_for_other:
        raise Http404  # the profile is one's own; switch back to yourself to see it
    return actor, queries.own_person(actor)


@high
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    actor, person = _me(request)
    initial = {
        "email": person.email,
        "mobile": person.mobile,
        "notify_by_sms": person.notify_by_sms,
        "notify_by_email": person.notify_by_email,
        "preferred_language": person.preferred_language or "nb",
    }
    contact = ContactForm(request.POST if request.method == "POST" else None, initial=initial, prefix="contact")
    if request.method == "POST" and contact.is_valid():
        services.update_contact(actor, **contact.cleaned_data)
        messages.success(request, _("Kontaktopplysningene er lagret."))
        response = redirect("access:profile")
        # The chosen language takes effect at once, as if picked in the header's language switch.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            contact.cleaned_data["preferred_language"],
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite="Lax",
            httponly=True,
        )
        return response
    return _render(request, person, contact, GrantPowerForm(prefix="power"))


def _render(request: HttpRequest, person: Person, contact: ContactForm, grant: GrantPowerForm) -> HttpResponse:
    given, received = queries.powers_given(person), queries.powers_received(person)
    context = {"person": person, "contact": contact, "grant": grant, "given": given, "received": received}
    context["youth_children"] = youth_access.children(actor_of(request))
    return render(request, "access/profile.html", context, status=200 if not (contact.errors or grant.errors) else 400)


@high
@require_POST
def grant_power(request: HttpRequest) -> HttpResponse:
    actor, person = _me(request)
    form = GrantPowerForm(request.POST, prefix="power")
    if form.is_valid():
        try:
            services.grant_power(actor, **form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Fullmakten er registrert."))
            return redirect("access:profile")
    return _render(request, person, ContactForm(prefix="contact", initial={"preferred_language": "nb"}), form)


@high
@require_POST
def revoke_power(request: HttpRequest, poa_id: int) -> HttpResponse:
    actor, _person = _me(request)
    if services.revoke_power(actor, poa_id) is None:
        raise Http404
    messages.success(request, _("Fullmakten er trukket tilbake."))
    return redirect("access:profile")


@high
@require_POST
def give_youth_access(request: HttpRequest, child_id: int) -> HttpResponse:
    """A parent gives consent to youth access for her child of 13–15 (404 for a child she may not act for)."""
    actor, _person = _me(request)
    consent = youth_access.give(actor, child_id)
    messages.success(request, _("%(name)s har fått ungdomstilgang.") % {"name": consent.child.given_name})
    return redirect("access:profile")


@high
@require_POST
def withdraw_youth_access(request: HttpRequest, child_id: int) -> HttpResponse:
    """Either parent withdraws the consent in force (404 for a child she may not act for, or none in force)."""
    actor, _person = _me(request)
    consent = youth_access.withdraw(actor, child_id)
    if consent is None:
        raise Http404
    messages.success(
        request, _("Ungdomstilgangen for %(name)s er trukket tilbake.") % {"name": consent.child.given_name}
    )
    return redirect("access:profile")
