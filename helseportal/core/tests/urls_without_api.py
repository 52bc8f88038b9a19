"""A URLconf without the FHIR API (tests of what needs one)."""

urlpatterns: list[object] = []
