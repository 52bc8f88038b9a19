"""Wagtail hooks: the staff side's entries in a page's history, with who did what."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogActionRegistry, LogFormatter

STAFF_SIDE_ACTION = "helseportal.staff_side"
STAFF_SIDE_CHANGES = {
    "page": _("Endret enhetssiden"),
    "staff_added": _("La til en ansatt"),
    "staff_changed": _("Endret en ansatt"),
    "staff_removed": _("Fjernet en ansatt"),
    "notice_created": _("Skrev et oppslag"),
    "notice_withdrawn": _("Trakk tilbake et oppslag"),
}


class StaffSideFormatter(LogFormatter):
    label = _("Endret på helsepersonellsiden")

    def format_message(self, log_entry: Any) -> str:
        data = log_entry.data or {}
        what = STAFF_SIDE_CHANGES.get(data.get("what", ""), self.label)
        return _("%(what)s (%(name)s, HPR %(hpr)s, på helsepersonellsiden)") % {
            "what": what,
            "name": data.get("practitioner", ""),
            "hpr": data.get("hpr", ""),
        }


@hooks.register("register_log_actions")
def register_staff_side_action(actions: LogActionRegistry) -> None:
    actions.register_action(STAFF_SIDE_ACTION)(StaffSideFormatter)
