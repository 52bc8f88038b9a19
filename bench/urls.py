"""The portal's URLs plus a bare baseline view, so a case can compare a page with the cost of the stack itself."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from helseportal.core.routes import public
from helseportal.urls import urlpatterns as portal_urlpatterns


@public
def baseline(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok")


urlpatterns = [path("bench-baseline/", baseline), *portal_urlpatterns]
