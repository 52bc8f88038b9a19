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


@dataclass(frozen=True)
class Notice:
    """Advice added under its own heading to the mother section of a range of weeks."""

    heading: str
    text: str
    first_week: int
    last_week: int

    def applies_to(self, week: int) -> bool:
        return self.first_week <= week <= self.last_week


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
