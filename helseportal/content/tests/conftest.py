import pytest

from helseportal.content.services import LoadSummary, load_pregnancy_weeks


@pytest.fixture
def weeks(db: None) -> LoadSummary:
    """The shipped weeks 4–42, published, in a database built without migrations (so no Wagtail tree yet)."""
    return load_pregnancy_weeks()
