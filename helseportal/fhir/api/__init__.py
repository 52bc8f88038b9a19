"""The FHIR R4 API engine, mounted at `/fhir/R4/`: it serves whatever the domains registered with
`helseportal.fhir.provider.provide(ResourceType(...))` and knows no domain itself.

Routes (`urls.py`; every view is classified `system` and CSRF-exempt: callers hold bearer tokens)::

    GET  metadata                         CapabilityStatement (public)         capability.statement
    GET  openapi.json                     OpenAPI 3.1 document (public)        openapi.document
    POST /                                Bundle: transaction | batch          bundles.process
    GET  <Type>?…                         search (searchset Bundle)            searching.search_type
    POST <Type>                           create, If-None-Exist                writes.create
    POST <Type>/_search                   search, form body + query string     searching.search_type (posted)
    GET  <Type>/<id>                      read                                 reads.read
    GET  Binary/<id>                      read; the file itself unless FHIR    views.binary
                                          is asked for (R4 binary.html)
    PUT  <Type>/<id>                      update, If-Match                     writes.update
    GET  <Type>/<id>/_history[/<vid>]     history, vread                       reads.history / reads.vread
    GET  <Type>/_history                  the type's stored versions in scope  reads.type_history
    GET  Patient/<id>/$everything         everything about one patient         searching.everything
    *    anything else                    404 OperationOutcome (except `.well-known/`, SMART's)

One request (`views.endpoint`): content negotiation (`http.negotiate`: JSON only — `application/fhir+json`,
`application/json`, `_format=json`; else 406, and 415 for a body that is not JSON); the actor from
`core.request.actor_of` (401 with `WWW-Authenticate: Bearer` when anonymous, except the public routes); then the
interaction and the audit: a write and its audit in one `transaction.atomic()`, a read (GET) with no transaction
around it and its audit events in one insert of their own, committed before the answer leaves (ADR 0013). Under
`/fhir/` the API's own middleware runs (`lean.py`, `settings.FHIR_MIDDLEWARE`: no session, CSRF, locale or CSP).
Every error is an OperationOutcome: `core.errors` (`NotFound` 404, `Invalid` 400, `Refused` 422) and
`fhir.outcome.Problem` (its own status, issue code and FHIRPath expressions) from anywhere below; anything
unexpected is logged and answered 500 `exception` without details. The portal's 400/500 handlers answer an
OperationOutcome under `/fhir/` too.

Each interaction, in order: the type (`calls.resource_type`, 404 `not-supported`); for writes, a writer (405);
the SMART scope (`calls.require` → `fhir.scopes.allows`, 403 `forbidden`); then rows, always through
`Source.scope(actor)` (`paging.rows`, with the source's `select_related`/`prefetch_related`). A row out of scope
is a 404 exactly like a missing one, and is absent from searches, `_include`, `_total` and `$everything`.

- **Read**: `ResourceType.source_for(id)` → the source and the row key; the resource is `Source.to_fhir(row)`
  with `meta.versionId`/`lastUpdated` added; `ETag: W/"<versionId>"`, `Last-Modified`; `If-None-Match` → 304.
  Where the source declares its scope pure for the caller's role (`Source.scope_pure_for`), the read's SQL is
  compiled once per (source, role) and the caller's values put in (`plans.py`, checked with sentinel actors); on
  PostgreSQL, outside a transaction, that statement also inserts the read's audit event (or the refusal's) in a
  data-modifying `WITH` (ADR 0013, amendment), and it is prepared once per connection (`fhir/prepared.py`): a read
  is two statements, the token's and this one. **The hot read** (`hot.py`, ADR 0019): in front of Django (the WSGI
  application granian serves), a plain `GET <Type>/<id>` by a system client's token that SMART found valid in this
  process, for which that plan exists already, is one statement — the token's check, this read, its event — and the
  answer the engine's `reads.present` and Django's middleware's headers; anything else, and every miss, goes to
  Django with nothing written (`settings.FHIR_HOT_READ` switches it off).
- **Search** (`fhir.search`, `fhir.paging`, `fhir.bundle`): parameters per `provider.Param` kind; alternatives
  OR, repeats AND; each source filtered by its own fields, a source lacking a parameter matches nothing.
  `_count` 20 by default, at most 100 (our choice); `_sort` by the sources' sort names, `_id`, `_lastUpdated`, with
  the key as the last tie-break; keyset paging with a signed opaque `_cursor` in the `next` link (never OFFSET),
  several sources merged in one order (one query per source per page); `_include` (one query per target source,
  through the target's scope and only when the scopes allow reading the target); `_total=accurate|estimate`
  counts (off by default). `POST <Type>/_search` takes the parameters as a form body (415 for another type) together
  with the query string; its `self`/`next` links carry them sealed in the `_cursor` (`q.` + Fernet), never in the
  clear, and a GET of such a link opens them. Unknown parameters are ignored, left out of the `self` link and named
  in a warning entry (`search.mode=outcome`); `Prefer: handling=strict` refuses them (400). A bad value is a 400.
- **Writes**: validated with `fhir.resources` R4B before anything is stored (400 with `required`, `structure` or
  `value` issues and FHIRPath expressions); `ResourceType.writer` does the domain's work and returns `Written`
  (201 for `CREATED`, 200 for `UPDATED`/`UNCHANGED`); `Location` names the new version. `If-None-Exist`: no match
  creates, one match answers 200 with it, more are 412. `If-Match` against the current version, else 412.
  `Prefer: return=minimal|representation|OperationOutcome`.
- **Versions** (`fhir.models.ResourceVersion`, `versions.py`): every write through the API stores the resource
  as served. A row changed elsewhere since its last stored version (its `Source.last_updated` is newer) is served
  as one version more, and that version is stored first when the API next writes the row. A row never written
  through the API is version 1 (a change on a page does not show in its ETag until the API has stored a version).
- **Bundles** (`bundles.py`): a transaction runs creates (ordered by their `urn:uuid:` references, which are
  replaced by the new ids), then updates, then reads, all or nothing, and an error names `Bundle.entry[i]`; a
  batch runs each entry in its own savepoint and answers each with its status or outcome. At most 1,000 entries.
- **Read by id only** (`ResourceType.listed=False`: Binary): no search, no type history (405), not in `$everything`.
- **$everything**: every registered type whose scopes allow reading, each source filtered by its `person` field,
  the Patient itself included; paged like a search (`_count` 50 by default, `_type` to narrow).
- **Audit**: one `provider.auditor()` call per action per request, with the logical ids and the person keys it
  returned or wrote, inside the same transaction; nothing when nothing was returned. A read by id of a row out of
  scope is audited `denied` for its person; so is a search by a valid fødselsnummer/D-nummer naming a person out of
  scope (`searching._audit_refused_lookups`), run from `Call.afterwards` when the response closes, after the answer.

Output is compact JSON (orjson when installed), gzip when asked for and above 512 bytes; no pydantic on the read
path. `helseportal.fhir.testing.api(actor)` calls the API in tests as an Actor without a token.
"""
