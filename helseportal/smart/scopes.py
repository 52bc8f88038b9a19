"""Which scopes a client may ask for, and a request narrowed to them.

The grammar of a resource scope is `helseportal.fhir.scopes`'s; this module adds the launch and OpenID scopes
SMART App Launch uses, and the rule that a system client holds only `system/` scopes and an app only
`patient/` ones (`user/` is not offered).
"""

from collections.abc import Iterable

from helseportal.fhir.scopes import Context, Scope, parse

# The non-resource scopes an app may hold (SMART App Launch 2.0 § "Scopes for requesting context data" and
# "…identity data"). `launch` (EHR launch) is not offered: only the standalone patient launch is.
APP_EXTRAS = ("launch/patient", "openid", "fhirUser", "offline_access", "online_access")
REFRESH_SCOPES = frozenset({"offline_access", "online_access"})


def context_for(kind: str) -> Context:
    return Context.SYSTEM if kind == "system" else Context.PATIENT


def invalid(texts: Iterable[str], *, kind: str) -> list[str]:
    """The scopes in `texts` a client of `kind` can never hold (for registration: say which, and refuse)."""
    wrong = []
    for text in texts:
        scope = parse(text)
        if scope is None:
            if kind == "system" or text not in APP_EXTRAS:
                wrong.append(text)
        elif scope.context != context_for(kind):
            wrong.append(text)
    return wrong


def narrow(requested: Iterable[str], allowed: Iterable[str], *, kind: str) -> list[str]:
    """Each requested scope cut down to what `allowed` grants of it; what nothing grants is left out.

    `system/*.rs` with `system/Appointment.cruds` allowed becomes `system/Appointment.rs`; a SMART 1.0 scope comes
    back in its 2.0 form. A granular scope (with a query) is granted only when allowed word for word.
    """
    allowed = list(allowed)
    allowed_scopes = [scope for text in allowed if (scope := parse(text)) is not None and not scope.query]
    granted: list[str] = []
    for text in dict.fromkeys(requested):
        scope = parse(text)
        if scope is None or scope.query:
            if text in allowed and not invalid([text], kind=kind):
                granted.append(text)
            continue
        if scope.context != context_for(kind):
            continue
        granted.extend(str(cut) for holder in allowed_scopes if (cut := _intersection(scope, holder)) is not None)
    return list(dict.fromkeys(granted))


def _intersection(wanted: Scope, holder: Scope) -> Scope | None:
    if holder.context != wanted.context:
        return None
    if "*" not in (holder.resource_type, wanted.resource_type) and holder.resource_type != wanted.resource_type:
        return None
    permissions = wanted.permissions & holder.permissions
    if not permissions:
        return None
    resource_type = wanted.resource_type if wanted.resource_type != "*" else holder.resource_type
    return Scope(wanted.context, resource_type, frozenset(permissions))


def wants_refresh(scope: str) -> bool:
    return bool(REFRESH_SCOPES & set(scope.split()))
