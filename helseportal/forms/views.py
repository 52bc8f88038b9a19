"""The citizen's form pages: Skjemaer (the forms offered and her sent responses), a form's start page, one page per
step, the summary before sending, and a sent response (the receipt, with the unit's advice).

Every step is a plain POST (no JavaScript): "Neste" saves the step when it is valid, "Tilbake" saves what is valid
and goes back; the enabled steps are worked out on the server from the answers each time. The routes are
`substantial` so that a youth with MinID reaches her school health service's forms; `access.policy` refuses every
other area below BankID (404), like the youth pages.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helseportal.core.errors import Invalid
from helseportal.core.request import actor_of
from helseportal.core.routes import substantial
from helseportal.fhir import JSON
from helseportal.forms import logic, queries, services
from helseportal.forms.definition import Definition, Item
from helseportal.forms.forms import StepForm, answer_text
from helseportal.forms.models import FormResponse


def enabled_steps(definition: Definition, answers: dict[str, list[JSON]]) -> list[int]:
    """The steps the answers so far open: a group's step when the group is enabled, a loose run when any is."""
    enabled = logic.enabled_links(definition, answers)
    return [
        step.number
        for step in definition.steps
        if (step.group.link_id in enabled if step.group else any(i.link_id in enabled for i in step.items))
    ]


@substantial
@require_GET
def form_list(request: HttpRequest) -> HttpResponse:
    return render(request, "forms/list.html", {"forms": queries.offered(actor_of(request))})


@substantial
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, form_id: int) -> HttpResponse:
    """GET: what the form is and who gets it; POST: start (or resume) the draft at the step she left."""
    actor = actor_of(request)
    form, _subject = queries.form_for(actor, form_id)
    if request.method == "POST":
        draft = services.start(actor, form_id)
        steps = enabled_steps(queries.definition_of(form), draft.answers)
        at = [s for s in steps if s >= draft.step]
        return redirect("forms:step", form_id, at[0]) if at else redirect("forms:summary", form_id)
    mine = queries.draft_of(actor, form_id)
    earlier = queries.earlier_draft(actor, form.url, form.version) if mine is None else None
    context = {"form": form, "definition": queries.definition_of(form), "draft": mine, "earlier": earlier}
    return render(request, "forms/start.html", context)


ADDING = ("add:", "remove:")  # the buttons of a repeating group: save what is written, add or remove an instance


@substantial
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, form_id: int, step: int) -> HttpResponse:
    actor = actor_of(request)
    form, _subject = queries.form_for(actor, form_id)
    definition = queries.definition_of(form)
    draft = queries.draft_of(actor, form_id, shown=request.method == "GET")
    if draft is None:
        return redirect("forms:start", form_id)
    steps = enabled_steps(definition, draft.answers)
    if step not in steps:
        return redirect(_next_url(form_id, steps, step))
    action = str(request.POST.get("action", "next")) if request.method == "POST" else ""
    page = _page(request, definition, step, draft.answers, lenient=action.startswith(ADDING))
    if request.method == "POST" and page.is_valid() and action.startswith(ADDING):
        answers = page.answers()
        try:
            anchor = page.change(action, answers)
        except Invalid as refusal:
            page.add_error(None, refusal.message)
        else:
            services.save_step(actor, form_id, step, answers, page.shown())
            return redirect(reverse("forms:step", args=[form_id, step]) + f"#{anchor}")
    elif request.method == "POST" and page.stale:
        page = _page(request, definition, step, draft.answers, fresh=True)
    elif request.method == "POST" and not action.startswith(ADDING):
        going_back = action == "back"
        if page.is_valid() or going_back:
            resume_at = step - 1 if going_back else step + 1
            draft = services.save_step(actor, form_id, resume_at, page.answers(), page.shown())
            steps = enabled_steps(definition, draft.answers)
            if going_back:
                earlier = [s for s in steps if s < step]
                return redirect("forms:step", form_id, earlier[-1]) if earlier else redirect("forms:start", form_id)
            if page.opened(draft.answers):
                messages.info(request, _("Svarene dine åpnet flere spørsmål på denne siden."))
                return redirect("forms:step", form_id, step)
            return redirect(_next_url(form_id, steps, step))
    context = {
        "form": form,
        "definition": definition,
        "page": page,
        "rows": page.rows_with_fields(),
        "step": definition.steps[step],
        "position": steps.index(step) + 1,
        "count": len(steps),
    }
    return render(request, "forms/step.html", context, status=400 if page.errors or page.stale else 200)


def _page(
    request: HttpRequest,
    definition: Definition,
    step: int,
    answers: dict[str, list[JSON]],
    *,
    lenient: bool = False,
    fresh: bool = False,
) -> StepForm:
    """The step's form: bound to the post, or (`fresh`) as the draft has it now, after a post from a page that was
    out of date (another tab added or removed an instance): shown again with a word about it, nothing saved."""
    posted = request.method == "POST" and not fresh
    page = StepForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        step=definition.steps[step],
        answers=answers,
        enabled=logic.enabled_tree(definition, answers),
        definition=definition,
        lenient=lenient,
    )
    if fresh:
        page.stale = True
    return page


def _next_url(form_id: int, steps: list[int], after: int) -> str:
    later = [s for s in steps if s > after]
    return reverse("forms:step", args=[form_id, later[0]]) if later else reverse("forms:summary", args=[form_id])


def summary_of(definition: Definition, answers: dict[str, list[JSON]]) -> list[dict[str, object]]:
    """Per enabled step: its title and the enabled questions with their answers as text; a repeating group as one
    row per instance («Legemiddel 1») holding the rows of its questions (the summary, the receipt, her sent forms,
    the unit's inbox and the PDF all show these)."""
    enabled = logic.enabled_tree(definition, answers)
    found = []
    for number in enabled_steps(definition, answers):
        step = definition.steps[number]
        rows = [row for top in step.items for row in _summary_rows(top, answers, enabled)]
        found.append({"number": number, "title": step.title, "rows": rows})
    return found


def _summary_rows(item: Item, answers: dict[str, list[JSON]], enabled: logic.Enabled) -> list[dict[str, object]]:
    if item.link_id not in enabled.links:
        return []
    if item.is_question:
        return [{"item": item, "answer": answer_text(item, answers.get(item.link_id, []))}]
    if not item.is_repeating_group:
        return [row for child in item.items for row in _summary_rows(child, answers, enabled)]
    states = enabled.instances.get(item.link_id, [])
    return [
        {"instance": item.instance_label(number), "rows": [r for c in item.items for r in _summary_rows(c, one, state)]}
        for number, (one, state) in enumerate(zip(logic.instances_of(item, answers), states, strict=False), start=1)
    ]


@substantial
@require_http_methods(["GET", "POST"])
def summary(request: HttpRequest, form_id: int) -> HttpResponse:
    """What she is about to send, step by step with a link to change each; POST sends it."""
    actor = actor_of(request)
    form, _subject = queries.form_for(actor, form_id)
    definition = queries.definition_of(form)
    draft = queries.draft_of(actor, form_id, shown=request.method == "GET")
    if draft is None:
        return redirect("forms:start", form_id)
    error = ""
    if request.method == "POST":
        try:
            sent = services.submit(actor, form_id)
        except Invalid as refusal:
            error = refusal.message
        else:
            messages.success(request, _("Skjemaet er sendt til %(unit)s.") % {"unit": queries.sent_to(form)})
            return redirect("forms:response", sent.pk)
    steps = summary_of(definition, logic.calculate(definition, draft.answers))
    context = {"form": form, "definition": definition, "steps": steps, "error": error}
    return render(request, "forms/summary.html", context, status=400 if error else 200)


@substantial
@require_GET
def response_list(request: HttpRequest) -> HttpResponse:
    return render(request, "forms/responses.html", {"responses": queries.responses_for(actor_of(request))})


def advice_of(definition: Definition, response: FormResponse) -> str:
    """The advice the unit wrote for the triage outcome she got, in the page's language ("" if none)."""
    rules = definition.triage
    if response.triage_rule is None or not 0 <= response.triage_rule < len(rules):
        return ""
    return str(rules[response.triage_rule].advice)


@substantial
@require_GET
def response(request: HttpRequest, response_id: int) -> HttpResponse:
    """A sent response: the receipt right after sending, and her copy later."""
    found = queries.response_for(actor_of(request), response_id)
    definition = queries.definition_of(found.form)
    context = {
        "response": found,
        "definition": definition,
        "steps": summary_of(definition, found.answers),
        "advice": advice_of(definition, found),
    }
    return render(request, "forms/response.html", context)
