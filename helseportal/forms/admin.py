"""The operator's approval of forms (issue 17 item 4, the roadmap's quality routine), in Django's admin.

The list shows every form version with its unit and status (a filter picks "Venter på godkjenning"); a version's
approval page (`<id>/godkjenning/`) shows the automatic checklist (`checklist.py`), the preview of every step,
and two buttons: approve (published; only when no check failed) or refuse with a reason the unit sees. Nothing
here changes a form's content: the admin's own add, change and delete are off. The admin sits behind its own login
(HelseID and a Django user with `is_staff`, `helseportal staff`); approving needs the `change_form` permission.
Each decision is a `FormChange` and an audit event, by the operator logged in.
"""

from dataclasses import replace
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid, NotFound
from helseportal.core.request import actor_of
from helseportal.forms import checklist, publishing
from helseportal.forms.definition import load
from helseportal.forms.models import Form, FormChange, FormStatus
from helseportal.forms.staff_views import preview_steps


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Begrunnelse (enheten ser den; påkrevd ved avvisning)"),
        required=False,
        max_length=publishing.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ChangeInline(admin.TabularInline[FormChange, Form]):
    model = FormChange
    fields = readonly_fields = ("at", "action", "by_name", "reason")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Form)
class FormAdmin(admin.ModelAdmin[Form]):
    list_display = ("title", "version", "unit", "status", "updated_at", "approval_link")
    list_filter = ("status",)
    search_fields = ("title", "url")
    fields = readonly_fields = ("title", "url", "version", "unit", "area", "public", "status", "imported_at")
    inlines = (ChangeInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("Godkjenning"))
    def approval_link(self, form: Form) -> str:
        if form.status != FormStatus.PENDING:
            return ""
        url = reverse("admin:questionnaires_form_approval", args=[form.pk])
        return format_html('<a href="{}">{}</a>', url, _("Vurder"))

    def get_urls(self) -> list[URLPattern]:
        approval = path(
            "<int:form_id>/godkjenning/",
            self.admin_site.admin_view(self.approval_view),
            name="questionnaires_form_approval",
        )
        return [approval, *super().get_urls()]

    def approval_view(self, request: HttpRequest, form_id: int) -> HttpResponse:
        if not request.user.has_perm("questionnaires.change_form"):
            raise PermissionDenied
        form = Form.objects.select_related("unit").filter(pk=form_id).first()
        if form is None:
            return redirect("admin:questionnaires_form_changelist")
        decision = DecisionForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and decision.is_valid():
            done = self._decide(request, form_id, request.POST.get("decision", ""), decision)
            if done:
                return redirect("admin:questionnaires_form_changelist")
        return self._page(request, form, decision)

    def _decide(self, request: HttpRequest, form_id: int, choice: str, decision: DecisionForm) -> bool:
        operator = _operator(request)
        try:
            if choice == "approve":
                publishing.approve(operator, form_id)
                messages.success(request, _("Skjemaet er godkjent og publisert."))
            elif choice == "refuse":
                publishing.refuse(operator, form_id, decision.cleaned_data["reason"])
                messages.success(request, _("Skjemaet er avvist. Enheten ser begrunnelsen."))
            else:
                return False
        except (Invalid, NotFound) as refusal:
            decision.add_error(None, getattr(refusal, "message", "") or _("Skjemaet finnes ikke."))
            return False
        return True

    def _page(self, request: HttpRequest, form: Form, decision: DecisionForm) -> HttpResponse:
        checks = checklist.run(form.resource)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Godkjenning: %(title)s (versjon %(version)s)") % {"title": form.title, "version": form.version},
            "form": form,
            "checks": checks,
            "passed": checklist.passed(checks),
            "decision": decision,
            "preview": preview_steps(load(form.resource)) if checks[0].outcome == checklist.OK else [],
        }
        status = 400 if decision.errors else 200
        return TemplateResponse(request, "forms/admin/approval.html", context, status=status)


def _operator(request: HttpRequest) -> Actor:
    """The operator as the audit log names her: the HelseID login of the same session, named by her Django user."""
    actor = actor_of(request)
    user = request.user
    name = (user.get_full_name() if hasattr(user, "get_full_name") else "") or user.get_username()
    return replace(actor, display_name=actor.display_name or _("Operatør %(name)s") % {"name": name})
