"""The shipped texts of "Svangerskapet uke for uke", weeks 4–42: one module of data per language.

`nb` is the original; `nn` and `en` are faithful translations of it, with the same medical content and nothing
added. Each module has the same names (`LANGUAGE`, `INDEX_TITLE`, `PAGE_TITLE`, `NOTICES`, `WEEKS`): plain data.
`loading.load_pregnancy_weeks()` (`helseportal load_content`) loads them into one Wagtail page tree per
language; the page models are `content`'s, which shows them at /gravid/uke/<week>/ (docs/content.md).
"""

from types import ModuleType

from helseportal.pregnancy.weeks import en, nb, nn
from helseportal.pregnancy.weeks.base import Block, Notice, ShippedTexts, WeekText

__all__ = ["NOTICES", "SHIPPED", "WEEKS", "Block", "Notice", "ShippedTexts", "WeekText", "shipped"]


def _texts(module: ModuleType) -> ShippedTexts:
    return ShippedTexts(module.LANGUAGE, module.INDEX_TITLE, module.PAGE_TITLE, module.NOTICES, module.WEEKS)


# In loading order: bokmål first, since the other languages are translations of its pages.
SHIPPED: dict[str, ShippedTexts] = {texts.language: texts for texts in map(_texts, (nb, nn, en))}

# The bokmål texts under their old names.
NOTICES = nb.NOTICES
WEEKS = nb.WEEKS


def shipped(language: str) -> ShippedTexts | None:
    """Return the shipped texts in `language` ("nb", "nn" or "en"), or None if none are shipped in it."""
    return SHIPPED.get(language)
