"""Editorial content as Wagtail pages: the pregnancy week by week (Svangerskapet uke for uke), and the pages,
staff lists and notices of the school health services and health stations for youth (DOMAIN.md §4).

One module per kind of page (`weeks`, `units`, `notices`); `base.PortalPage` is what our pages share. Other
apps read these through `content.queries` and write them through `content.services`.
"""

from helseportal.content.models.base import IndexPage, PortalPage, page_panels
from helseportal.content.models.notices import (
    FIRST_GRADE,
    GRADES,
    LAST_GRADE,
    Notice,
    NoticeAdminForm,
    NoticeLink,
    grade_choices_field,
    grade_mask,
    grade_span,
    grades_of,
    validate_https,
)
from helseportal.content.models.units import (
    UNIT_KINDS,
    UNIT_RICH_TEXT_FEATURES,
    StaffMember,
    UnitIndexPage,
    UnitPage,
    unit_opening_hours,
    validate_hpr,
)
from helseportal.content.models.weeks import (
    FIRST_WEEK,
    LAST_WEEK,
    RICH_TEXT_FEATURES,
    PregnancyWeekIndexPage,
    PregnancyWeekPage,
)

__all__ = [
    "FIRST_GRADE",
    "FIRST_WEEK",
    "GRADES",
    "LAST_GRADE",
    "LAST_WEEK",
    "RICH_TEXT_FEATURES",
    "UNIT_KINDS",
    "UNIT_RICH_TEXT_FEATURES",
    "IndexPage",
    "Notice",
    "NoticeAdminForm",
    "NoticeLink",
    "PortalPage",
    "PregnancyWeekIndexPage",
    "PregnancyWeekPage",
    "StaffMember",
    "UnitIndexPage",
    "UnitPage",
    "grade_choices_field",
    "grade_mask",
    "grade_span",
    "grades_of",
    "page_panels",
    "unit_opening_hours",
    "validate_hpr",
    "validate_https",
]
