"""The API's caller, from the bearer token: for `/fhir/` only, and nothing else there.

Under `/fhir/` the session's login never counts (a page's cookie must not authorise an API call a third-party
site could make the browser send); the Actor comes from `Authorization: Bearer <token>` or is anonymous.
Everywhere else this does nothing, and a bearer token never logs anyone in to a page.

For a token that is unknown, expired, revoked, of a disabled client, or of a connection whose person may no
longer act for its subject, the request carries `bearer_error = "invalid_token"`, so the API's 401 can say
`WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 § 3.1). Without any token, the attribute is absent.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from helseportal.core.actor import ANONYMOUS
from helseportal.core.request import set_actor

API_PREFIX = "/fhir/"
INVALID_TOKEN = "invalid_token"  # noqa: S105 (RFC 6750's error code, not a secret)
ATTRIBUTE = "bearer_error"


def bearer_token(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    from helseportal.smart import queries  # the models are loaded only once the middleware is called

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            set_actor(request, ANONYMOUS)
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() == "bearer":
                actor = queries.actor_for_token(token.strip())
                if actor is None:
                    setattr(request, ATTRIBUTE, INVALID_TOKEN)
                else:
                    set_actor(request, actor)
        return get_response(request)

    return middleware
