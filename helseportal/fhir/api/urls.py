"""The routes under `/fhir/R4/`: a FHIR REST API (https://hl7.org/fhir/R4/http.html) for what is registered."""

from django.urls import path, re_path

from helseportal.fhir.api import views

app_name = "fhir"
TYPE = r"(?P<type_name>[A-Z][A-Za-z]{1,63})"
ID = r"(?P<logical_id>[A-Za-z0-9\-.]{1,64})"  # FHIR's id: [A-Za-z0-9\-\.]{1,64}

urlpatterns = [
    path("", views.base, name="base"),
    path("metadata", views.metadata, name="metadata"),
    path("openapi.json", views.openapi_document, name="openapi"),
    re_path(rf"^Patient/{ID}/\$everything$", views.everything, name="everything"),
    re_path(rf"^{TYPE}/_history$", views.type_history, name="type_history"),
    re_path(rf"^{TYPE}/_search$", views.search_by_post, name="search"),
    re_path(rf"^{TYPE}/{ID}/_history$", views.history, name="history"),
    re_path(rf"^{TYPE}/{ID}/_history/(?P<version>[0-9]{{1,9}})$", views.vread, name="vread"),
    re_path(rf"^Binary/{ID}$", views.binary, name="binary"),
    re_path(rf"^{TYPE}/{ID}$", views.instance, name="instance"),
    re_path(rf"^{TYPE}$", views.type_level, name="type"),
    # Anything else under the base is a 404 OperationOutcome, except SMART's discovery document beside it.
    re_path(r"^(?P<path>(?!\.well-known/)[\s\S]*)$", views.unknown, name="unknown"),
]
