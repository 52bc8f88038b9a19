"""`ResourceType.source_for`: the source a logical id belongs to, by the longest id prefix, whether the type's
prefixes let it look the prefix up (none ends in a digit) or it walks them longest first."""

from hypothesis import given
from hypothesis import strategies as st

from helseportal.fhir import provider
from helseportal.fhir.provider import ResourceType, Source
from helseportal.identity.models import Person


def source(prefix: str) -> Source:
    return Source(model=Person, scope=lambda actor: Person.objects.none(), to_fhir=lambda row: {}, id_prefix=prefix)


def walked(sources: tuple[Source, ...], logical_id: str) -> tuple[Source, str] | None:
    """The rule as written: the longest prefix the id starts with decides; its rest must be the row's number."""
    for candidate in sorted(sources, key=lambda s: len(s.id_prefix), reverse=True):
        if logical_id.startswith(candidate.id_prefix):
            key = logical_id.removeprefix(candidate.id_prefix)
            return (candidate, key) if key.isdigit() else None
    return None


PREFIX = st.text(alphabet="ab-1٣", max_size=4)
ID = st.text(alphabet="ab-0179٣", max_size=8)


@given(prefixes=st.lists(PREFIX, max_size=6, unique=True), logical_id=ID)
def test_the_source_is_the_longest_prefixs_as_the_rule_says(prefixes: list[str], logical_id: str):
    sources = tuple(source(prefix) for prefix in prefixes)
    assert ResourceType("Observation", sources).source_for(logical_id) == walked(sources, logical_id)


def test_a_plain_number_finds_the_unprefixed_source_among_many_by_lookup():
    sources = (*(source(f"card-{n}-") for n in "abcdefgh"), source(""))
    observation = ResourceType("Observation", sources)
    assert observation.source_for("17") == (sources[-1], "17")
    assert observation.source_for("card-c-4") == (sources[2], "4")
    assert observation.source_for("card-x-4") is None  # "" is the longest prefix: its rest is not a number
    assert observation.source_for("card-c-") is None
    assert provider._by_prefix(sources)[1] is not None  # looked up, not walked


def test_a_prefix_ending_in_a_digit_is_walked():
    sources = (source("v2"), source("v"), source(""))
    observation = ResourceType("Observation", sources)
    assert provider._by_prefix(sources)[1] is None
    assert observation.source_for("v27") == (sources[0], "7")
    assert observation.source_for("v37") == (sources[1], "37")
