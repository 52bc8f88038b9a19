"""A page with one form that adds an entry to the card, for her (`her_page`) or for health personnel with a
read-and-write grant (`staff_page`): the form, the service that saves it, and where the card shows it.

Each page is data (`EntryPage`); the flow is written once: a valid POST saves through the service and goes back to
the card at the entry's block, a refusal shows on the form, anything else shows the form again.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.request import actor_of
from helseportal.core.routes import high, practitioner
from helseportal.core.time import today
from helseportal.pregnancy import queries, services
from helseportal.pregnancy.forms.card_fields import EarlierBirthForm, VaccinationForm
from helseportal.pregnancy.forms.fields import EntryForm
from helseportal.pregnancy.models import Pregnancy
from helseportal.pregnancy.presentation.fields import FieldsView
from helseportal.pregnancy.worklist import gestational_age_on

View = Callable[..., HttpResponse]
HER = "pregnancy/fields/woman_form.html"
STAFF = "pregnancy/fields/practitioner_form.html"


def dated_today(pregnancy: Pregnancy) -> dict[str, object]:
    return {"date": today()}


def blank(pregnancy: Pregnancy) -> dict[str, object]:
    return {}


@dataclass(frozen=True)
class EntryPage:
    form: type[EntryForm]
    save: Callable[..., object]  # a service: save(actor, pregnancy, **form.entry())
    title: Promise
    saved: Promise  # the message after saving
    anchor: str = ""  # the block on the card that shows the entry (none: the card's top)
    initial: Callable[[Pregnancy], dict[str, object]] = blank  # the form's first values, from the pregnancy


# The two pages both she and health personnel have (she registers a vaccine "she got": `her_page` says so).
EARLIER_BIRTH = EntryPage(
    EarlierBirthForm,
    services.add_earlier_birth,
    _("Legg til en tidligere fødsel"),
    _("Fødselen er lagt til."),
    "felt-tidligere-fodsler",
)
VACCINATION = EntryPage(
    VaccinationForm,
    services.add_vaccination,
    _("Registrer en vaksine"),
    _("Vaksinen er registrert."),
    "felt-vaksiner",
    dated_today,
)


def staff_context(pregnancy: Pregnancy) -> dict[str, object]:
    """What every practitioner's form page shows above the form: whose card, which week, and the way back."""
    return {
        "pregnancy": pregnancy,
        "person": pregnancy.person,
        "ga": gestational_age_on(pregnancy.due_date, today()),
        "card_url": reverse("pregnancy:practitioner_card", args=[pregnancy.pk]),
    }


def _entry(
    request: HttpRequest,
    actor: Actor,
    pregnancy: Pregnancy,
    page: EntryPage,
    *,
    card_url: str,
    template: str,
    context: dict[str, object],
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = page.form(data, pregnancy=pregnancy, initial=page.initial(pregnancy))
    if form.is_valid():
        try:
            page.save(actor, pregnancy, **form.entry())
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, str(page.saved))
            return redirect(f"{card_url}#{page.anchor}" if page.anchor else card_url)
    context = {"form": form, "title": page.title, "intro": page.anchor, **context}
    return render(request, template, context, status=400 if form.errors else 200)


def her_page(page: EntryPage) -> View:
    """Her form for her ongoing pregnancy (or that of the person she acts for); shown on the card as hers."""

    @high
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest) -> HttpResponse:
        actor = actor_of(request)
        url = reverse("pregnancy:card")
        context = {"fields": FieldsView("woman"), "cancel_url": url}
        return _entry(request, actor, queries.ongoing(actor), page, card_url=url, template=HER, context=context)

    return view


def staff_page(page: EntryPage) -> View:
    """A practitioner's form for a card shared with them read-and-write; 404 otherwise."""

    @practitioner
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pregnancy_id: int) -> HttpResponse:
        actor = actor_of(request)
        pregnancy = queries.pregnancy_for(actor, pregnancy_id, write=True)
        context = {"fields": FieldsView("practitioner"), **staff_context(pregnancy)}
        url = str(context["card_url"])
        return _entry(request, actor, pregnancy, page, card_url=url, template=STAFF, context=context)

    return view
