"""The shape of the shipped week texts, shared by the module of each language (`nb`, `nn`, `en`)."""

from dataclasses import dataclass

type Block = str | tuple[str, ...]


@dataclass(frozen=True)
class WeekText:
    week: int
    summary: str
    baby: tuple[Block, ...]
    mother: tuple[Block, ...]
    consultation: tuple[Block, ...]


# The weeks each notice is added to: the same in every language, so they are written once, here.
UNTIL_22 = range(4, 22)  # when to call the GP or the emergency room
FROM_22 = range(22, 37)  # call the birth unit at once (the birth unit, not the GP, from week 22)
AT_TERM = range(37, 43)  # call the birth unit at once, and when labour starts
FROM_24 = range(24, 43)  # reduced fetal movements: contact the birth unit at once


@dataclass(frozen=True)
class Notice:
    """Advice added under its own heading to the mother section of a range of weeks."""

    heading: str
    text: str
    weeks: range

    @property
    def first_week(self) -> int:
        return self.weeks[0]

    @property
    def last_week(self) -> int:
        return self.weeks[-1]

    def applies_to(self, week: int) -> bool:
        return week in self.weeks


@dataclass(frozen=True)
class ShippedTexts:
    """Every shipped text of one language: the titles of the index and of a week page, the notices, the weeks."""

    language: str
    index_title: str
    page_title: str  # with a {week} placeholder, e.g. "Uke {week}"
    notices: tuple[Notice, ...]
    weeks: tuple[WeekText, ...]

    def title(self, week: int) -> str:
        return self.page_title.format(week=week)
