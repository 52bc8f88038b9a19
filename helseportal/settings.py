"""Settings for helseportal, read from the environment.

Every knob is an environment variable with a safe default for development. The typed helpers below are
the only way settings read the environment, so `docs/operations.md` can list them all by grepping `env_`.
"""

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HELSEPORTAL_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


# dev: `make run`; test: the test suite and benchmarks; staging: a deployment like production (HTTPS behind a
# proxy, the identity providers' test environments, no DEBUG, no dev IdP) for synthetic (Tenor) persons only;
# production: real persons.
ENVIRONMENTS = ("dev", "test", "staging", "production")
HELSEPORTAL_ENV = env_str("HELSEPORTAL_ENV", "dev")
if HELSEPORTAL_ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(f"HELSEPORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {HELSEPORTAL_ENV!r}")
PRODUCTION = HELSEPORTAL_ENV == "production"
# Staging and production are deployed: HTTPS, secure cookies, keys from files, start-up checks.
DEPLOYED = HELSEPORTAL_ENV in ("staging", "production")

DEBUG = env_bool("DEBUG", HELSEPORTAL_ENV == "dev")
# Identity providers (OIDC). With no issuer set, the development identity provider at /dev-idp/ is used
# through exactly the same client code (discovery over HTTP), so any standards-compliant provider works.
HELSEPORTAL_IDPORTEN_ISSUER = env_str("HELSEPORTAL_IDPORTEN_ISSUER")
HELSEPORTAL_HELSEID_ISSUER = env_str("HELSEPORTAL_HELSEID_ISSUER")
# The development identity provider (/dev-idp/): never deployed, and not mounted once both real issuers are set.
HELSEPORTAL_DEV_IDP = env_bool(
    "HELSEPORTAL_DEV_IDP", not DEPLOYED and not (HELSEPORTAL_IDPORTEN_ISSUER and HELSEPORTAL_HELSEID_ISSUER)
)
# Synthetic (Tenor) identity numbers: the only persons in the providers' test environments, so on in staging.
HELSEPORTAL_TEST_IDENTITIES = env_bool("HELSEPORTAL_TEST_IDENTITIES", not PRODUCTION)
# Django's own admin at /admin/ (password login for Django users): off when deployed unless an operator turns it on.
HELSEPORTAL_DJANGO_ADMIN = env_bool("HELSEPORTAL_DJANGO_ADMIN", not DEPLOYED)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key or DEPLOYED:
        return key
    # Development and test: a random key kept under var/, so sessions survive a restart.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


FOLKEREGISTERET = "helseportal.identity.register.FolkeregisteretRegister"
LOCAL_POPULATION_REGISTERS = (
    "helseportal.identity.register.LocalRegister",
    "helseportal.identity.register.DatabaseRegister",
)
FLR = "helseportal.organisations.gp_register.FlrGpRegister"
LOCAL_GP_REGISTER = "helseportal.organisations.gp_register.LocalGpRegister"


def refuse_unsafe_deployment() -> None:
    """Stop at start-up when staging or production settings would be unsafe; say what to change.

    This runs as the settings load. Django's deployment checks (`check --deploy`, with our own in
    identity/checks.py) need the apps loaded and run right after, from identity's deploy guard.
    """
    problems = []
    if DEBUG:
        problems.append("DEBUG is on: set DEBUG=false")
    if len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY is missing or shorter than 50 characters")
    if HELSEPORTAL_DEV_IDP:
        problems.append("the development identity provider is on: set HELSEPORTAL_DEV_IDP=false")
    if PRODUCTION and HELSEPORTAL_TEST_IDENTITIES:
        problems.append("synthetic test identities are accepted: set HELSEPORTAL_TEST_IDENTITIES=false")
    for provider in ("IDPORTEN", "HELSEID"):
        if not env_str(f"HELSEPORTAL_{provider}_ISSUER").startswith("https://"):
            problems.append(f"HELSEPORTAL_{provider}_ISSUER must be the provider's https:// issuer URL")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty: set it to the portal's host name")
    if PRODUCTION and env_str("HELSEPORTAL_NOTIFY_BACKEND", "real") != "real":
        problems.append("notifications go to the fake outbox: set HELSEPORTAL_NOTIFY_BACKEND=real")
    register = env_str("HELSEPORTAL_POPULATION_REGISTER", FOLKEREGISTERET)
    if PRODUCTION and register in LOCAL_POPULATION_REGISTERS:
        problems.append(
            "the population register is the local fake, which invents persons: "
            f"set HELSEPORTAL_POPULATION_REGISTER={FOLKEREGISTERET} and HELSEPORTAL_FREG_URL"
        )
    if PRODUCTION and register == FOLKEREGISTERET and not env_str("HELSEPORTAL_FREG_URL").startswith("https://"):
        problems.append("HELSEPORTAL_FREG_URL must be Folkeregisteret's https:// API address")
    gp_register = env_str("HELSEPORTAL_GP_REGISTER", FLR)
    if PRODUCTION and gp_register == LOCAL_GP_REGISTER:
        problems.append(f"the GP register is the local fake with the demo's lists: set HELSEPORTAL_GP_REGISTER={FLR}")
    if PRODUCTION and gp_register == FLR and not env_str("HELSEPORTAL_FLR_URL").startswith("https://"):
        problems.append("HELSEPORTAL_FLR_URL must be Norsk helsenett's https:// address of the FLR service")
    if PRODUCTION:  # the audit log's anchor outside the database (ADR 0015)
        key_file = env_str("HELSEPORTAL_AUDIT_SIGNING_KEY_FILE")
        if not key_file or not Path(key_file).is_file():
            problems.append(
                "HELSEPORTAL_AUDIT_SIGNING_KEY_FILE must name the audit log's Ed25519 signing key (a PEM file the "
                "database never holds)"
            )
        if not env_str("HELSEPORTAL_AUDIT_CHECKPOINTS"):
            problems.append(
                "HELSEPORTAL_AUDIT_CHECKPOINTS must name the place outside the database for the audit log's signed "
                "checkpoints (a file or directory)"
            )
    if problems:
        raise ImproperlyConfigured(
            f"helseportal refuses to start with HELSEPORTAL_ENV={HELSEPORTAL_ENV}: " + "; ".join(problems) + "."
        )


ALLOWED_HOSTS = [h for h in env_str("ALLOWED_HOSTS", "" if DEPLOYED else "127.0.0.1,localhost").split(",") if h]
if DEPLOYED:
    refuse_unsafe_deployment()

INSTALLED_APPS = [
    "helseportal.core",
    "helseportal.identity",
    "helseportal.identity.devidp",
    "helseportal.access",
    "helseportal.youth",
    "helseportal.pregnancy",
    "helseportal.appointments",
    "helseportal.messaging",
    "helseportal.forms",
    "helseportal.copayments",
    "helseportal.gp",
    "helseportal.travel",
    "helseportal.gpservices",
    "helseportal.offerings",
    "helseportal.stats",
    "helseportal.records",
    "helseportal.notify",
    "helseportal.subscriptions",
    "helseportal.smart",
    "helseportal.fhir",
    "helseportal.content",
    "helseportal.organisations",
    "helseportal.demo",
    "django_tasks_db",
    # Wagtail for editorial content (helseportal.content, admin at /cms/). Its admin needs documents and images
    # installed although the portal mounts neither; search backs the admin's page search.
    "wagtail.documents",
    "wagtail.images",
    "wagtail.users",
    "wagtail.search",
    "wagtail.locales",  # the admin's list of content languages (nb, nn, en)
    "wagtail.contrib.simple_translation",  # "Oversett" in /cms/: a page copied into another language's tree
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    # Last, so its ready() runs when every other app is ready: Django's deployment checks at start-up.
    "helseportal.identity.deployguard",
]
# Forms render through the project's templates, so templates/includes/form_div.html can style them.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    # First of all: the request's id, its log line and metrics, and /healthz, /readyz, /metrics (core/edge.py).
    "helseportal.core.edge.edge",
    # Under /fhir/ the API's own list below runs instead of this one (fhir/api/lean.py), so it comes first.
    "helseportal.fhir.api.lean.fhir_requests_take_the_lean_path",
    # Which database a read may use: the replica for views marked `reads_may_be_stale`, the primary after a write
    # (the API's reads take none of this: all of them go to the primary).
    "helseportal.core.dbrouter.ReplicaReads",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "helseportal.identity.middleware.provider_form_action",
    "helseportal.core.middleware.refuse_nul",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "helseportal.core.middleware.bokmal_by_default",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "helseportal.views.errors.portal_pages_in_debug",  # DEBUG: the portal's 404/500 pages, the traceback in the log
    "helseportal.views.errors.domain_errors",  # NotFound → 404 page, Refused/Invalid → 400 page (core/errors.py)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "helseportal.identity.middleware.absolute_session_limit",
    "helseportal.identity.middleware.sliding_session",
    "helseportal.core.middleware.actor",
    "helseportal.core.routes.RouteGuard",
    "helseportal.stats.middleware.page_views",  # a citizen's GET answered 200 on a service's page: one count, no query
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "helseportal.core.middleware.no_store",
]

# The FHIR API's middleware (bearer tokens, no session, no pages): what of the list above an API call needs.
FHIR_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "helseportal.core.middleware.refuse_nul",
    "django.middleware.common.CommonMiddleware",  # as for pages: /fhir/R4 → /fhir/R4/, Content-Length
    "helseportal.smart.middleware.bearer_token",  # the Actor from the bearer token (anonymous without one)
    "helseportal.core.routes.RouteGuard",  # every route classified; the API's are `system`
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "helseportal.core.middleware.no_store",
]

# The FHIR API's hot read (fhir/api/hot.py, ADR 0019): a plain read by id that the engine has planned, answered in
# front of Django in one statement (token, row, audit event). Every answer is the engine's either way; off, Django
# serves every read (docs/operations.md, "The FHIR API's hot read").
FHIR_HOT_READ = env_bool("HELSEPORTAL_FHIR_HOT_READ", True)

ROOT_URLCONF = "helseportal.urls"
WSGI_APPLICATION = "helseportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "helseportal.core.context_processors.site",
            ],
        },
    }
]

# Database: SQLite (WAL) under var/ by default; PostgreSQL 15 in production and in `make test`.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'helseportal.sqlite3'}")


def parse_database_url(url: str, conn_max_age: int = 0) -> dj_database_url.DBConfig:
    """dj_database_url's parse, plus libpq's multi-host form `postgres://user@db1:5432,db2:5432/name?…`.

    The hosts and ports go to libpq as comma-separated lists (HOST "db1,db2", PORT "5432,5432"); with
    `?target_session_attrs=read-write` it connects to whichever of them takes writes (docs/operations.md, "High
    availability"). dj_database_url refuses a netloc with more than one port, so the hosts are cut out first: the
    netloc ends at the first `/`, `?` or `#`, each host is percent-decoded (a socket folder `%2Fvar%2Frun…`, an IPv6
    zone `%25eth0`) and an empty host is refused.
    """
    scheme, sep, rest = url.partition("://")
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    netloc, tail = rest[:end], rest[end:]
    credentials, at, hosts = netloc.rpartition("@")
    if not sep or "," not in hosts:
        return dj_database_url.parse(url, conn_max_age=conn_max_age)
    names, ports = [], []
    for host in hosts.split(","):
        if host.startswith("["):  # an IPv6 address: [::1]:5432
            name, _, port = host[1:].partition("]")
            port = port.removeprefix(":")
        else:
            name, _, port = host.partition(":")
        if not name:
            raise ImproperlyConfigured(f"an empty host in the database URL's host list: {hosts!r}")
        names.append(unquote(name))
        ports.append(port or "5432")
    parsed = dj_database_url.parse(f"{scheme}://{credentials}{at}multihost{tail}", conn_max_age=conn_max_age)
    parsed["HOST"], parsed["PORT"] = ",".join(names), ",".join(ports)
    return parsed


DATABASES = {"default": parse_database_url(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        # Writers take the lock at BEGIN, so two requests never deadlock upgrading a read lock.
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME", "") or None}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's search index uses PostgreSQL's full-text fields, which Django checks for contrib.postgres.
    INSTALLED_APPS.append("django.contrib.postgres")
    # Pooled connections (psycopg's pool, docs/operations.md "Database connections"): on by default when deployed.
    # Each process keeps at most DB_POOL_MAX_SIZE, by default one per granian thread (`helseportal serve` sets
    # HELSEPORTAL_SERVE_THREADS), so the server opens at most workers × threads (+ the task worker's) connections
    # and a request beyond them waits in granian's queue, or up to DB_POOL_TIMEOUT seconds for a connection.
    if env_bool("DB_POOL", DEPLOYED):
        if DATABASES["default"]["CONN_MAX_AGE"]:
            raise ImproperlyConfigured("DB_CONN_MAX_AGE and DB_POOL exclude each other: unset one of them")
        _pool_max = env_int("DB_POOL_MAX_SIZE", env_int("HELSEPORTAL_SERVE_THREADS", 2))
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DB_POOL_MIN_SIZE", min(2, _pool_max)),
            "max_size": _pool_max,
            "timeout": env_int("DB_POOL_TIMEOUT", 10),  # seconds a request waits for a connection, then an error
            "max_idle": 300,  # an idle connection above min_size is closed after five minutes
            "max_lifetime": 3600,  # and every connection renewed within the hour (psycopg_pool's defaults)
        }
# A streaming replica for reads that may be a little stale (docs/operations.md "A read replica", ADR 0017): the
# router (core/dbrouter.py) sends a read there only when its view or block says it may be stale, outside a
# transaction, before the request wrote, while the replica is at most HELSEPORTAL_DB_REPLICA_MAX_LAG_SECONDS behind
# (checked at most every HELSEPORTAL_DB_REPLICA_CHECK_SECONDS per process); else, and when it is down, the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
# How long a query on the replica may take (our choice): the server cancels it then (`statement_timeout`), and a
# replica that answers nothing at all (a frozen machine, a network black hole) is cut off by the client a second
# later (core/dbrouter.py), and the read goes to the primary.
HELSEPORTAL_DB_REPLICA_TIMEOUT_SECONDS = float(env_str("HELSEPORTAL_DB_REPLICA_TIMEOUT_SECONDS", "3"))


def replica_options(options: dict[str, Any], timeout: float, pool: dict[str, Any] | None = None) -> dict[str, Any]:
    """The replica's connection options: the URL's own, plus what keeps a replica that stops answering from holding
    a request (ADR 0017). All values our choice:

    - `connect_timeout` 2 s: a dead replica costs a read 2 s at most, once;
    - TCP keepalives (first probe after 5 s idle, every 2 s, 3 lost = dead) and `tcp_user_timeout` 5 s (data sent
      and not acknowledged for 5 s = dead): a network black hole ends the connection instead of leaving it open
      for the kernel's two hours;
    - `lock_timeout` 2 s: a standby's reads wait for the locks its replay holds (a replayed TRUNCATE or DDL, until
      its commit replays), indefinitely while replay is paused; give up and read from the primary instead;
    - `statement_timeout` `timeout` s: no query on the replica runs longer.

    Each `-c` setting is added to the URL's own `options` unless the URL sets it (review 14, F5). With a `pool` (the
    primary's), the replica gets its own of the same size, but a read waits for one of its connections no longer
    than a connection may take to open: a replica that dies between two health checks costs a read `connect_timeout`
    at most, then the read goes to the primary, not the pool's `timeout` (10 s by default).
    """
    merged = {
        "connect_timeout": 2,
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 3,
        "tcp_user_timeout": 5000,
        **options,
    }
    given = str(merged.get("options", ""))
    wanted = {"lock_timeout": "2000", "statement_timeout": str(round(timeout * 1000))}
    added = [f"-c {name}={value}" for name, value in wanted.items() if name not in given]
    merged["options"] = " ".join(part for part in (given, *added) if part)
    if pool is not None:
        merged["pool"] = pool | {"timeout": min(pool.get("timeout", 30), float(merged["connect_timeout"]))}
    return merged


if DATABASE_REPLICA_URL:
    DATABASES["replica"] = parse_database_url(DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must name a PostgreSQL streaming replica")
    DATABASES["replica"]["OPTIONS"] = replica_options(
        DATABASES["replica"].get("OPTIONS", {}),
        HELSEPORTAL_DB_REPLICA_TIMEOUT_SECONDS,
        pool=DATABASES["default"].get("OPTIONS", {}).get("pool"),
    )
    # Tests: the replica alias reads the test database; the replica tests start a real one (tests/replica.py).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["helseportal.core.dbrouter.ReplicaRouter"]
HELSEPORTAL_DB_REPLICA_MAX_LAG_SECONDS = float(env_str("HELSEPORTAL_DB_REPLICA_MAX_LAG_SECONDS", "5"))  # our choice
HELSEPORTAL_DB_REPLICA_CHECK_SECONDS = float(env_str("HELSEPORTAL_DB_REPLICA_CHECK_SECONDS", "2"))  # our choice
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Language: bokmål first, nynorsk and English. No language prefix in URLs (like Helsenorge).
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "helseportal_language"
LANGUAGE_COOKIE_SECURE = DEPLOYED
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
# Wagtail keeps one page tree per language (docs/content.md); a page is shown in the language of the cookie.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if DEPLOYED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Sessions: 30 minutes idle (ID-porten federation rule); the absolute limit lives in identity.
# The idle limit slides without a write per request: `identity.middleware.sliding_session` saves the session (and so
# moves its expiry to 30 minutes on) when the last save is a minute old, so it ends between 29 and 30 minutes idle.
SESSION_COOKIE_AGE = 30 * 60
# Django's database sessions, their read one statement written once (core/sessions.py: no ORM compiling per request).
SESSION_ENGINE = "helseportal.core.sessions"

# Django's cache, per process (Django's default, made explicit): it holds what is rendered once per state read from
# the database in the same request, whose key carries that state (her overview's card part: pregnancy/overview.py),
# so that a process that never saw a state renders it; never a session or a decision. Entries: our choice (a part is
# a few kB; a worker keeps its most recent citizens' overviews).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("HELSEPORTAL_CACHE_ENTRIES", 2000)},
    }
}
SESSION_SAVE_EVERY_REQUEST = False
# Usage statistics (stats/services.py, ADR 0016): counts wait in each process's buffer at most this long (0: written at
# once, as in dev and the tests). Our choice: a crash loses at most five seconds of counts, never a person's data.
HELSEPORTAL_STATS_FLUSH_SECONDS = float(env_str("HELSEPORTAL_STATS_FLUSH_SECONDS", "5" if DEPLOYED else "0"))
HELSEPORTAL_STATS_ENABLED = env_bool("HELSEPORTAL_STATS_ENABLED", True)  # off only to measure what counting costs
HELSEPORTAL_SESSION_TOUCH_SECONDS = 60  # our choice: at most a minute earlier than the limit, one write a minute
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "helseportal.views.csrf_failure"

# Security headers. CSP is strict everywhere, so the browser tests see what production sends.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
}
if DEPLOYED:
    # Static files from STATIC_ROOT (filled by `helseportal collectstatic`), compressed and cache-busted.
    MIDDLEWARE.insert(3, "whitenoise.middleware.WhiteNoiseMiddleware")  # after the edge, the API's switch, security
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # __Host- cookies: only over HTTPS, only for this host, path /.
    SESSION_COOKIE_NAME = "__Host-session"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Behind a proxy the browser's Origin is the public https:// one; name others (a second public name) here.
    CSRF_TRUSTED_ORIGINS = [
        o for o in env_str("CSRF_TRUSTED_ORIGINS", ",".join(f"https://{h}" for h in ALLOWED_HOSTS)).split(",") if o
    ]
elif env_bool("HELSEPORTAL_WHITENOISE", False):
    # `helseportal serve` in development: granian serves no static files, so WhiteNoise does, from the sources.
    MIDDLEWARE.insert(3, "whitenoise.middleware.WhiteNoiseMiddleware")
    WHITENOISE_USE_FINDERS = True

# Identity providers (OIDC): the issuers are read above. CLIENT_KEY is a path to the client's private key (JWK
# JSON or PEM) for private_key_jwt; in dev and test a key is generated there on first use.
HELSEPORTAL_IDPORTEN_CLIENT_ID = env_str("HELSEPORTAL_IDPORTEN_CLIENT_ID", "helseportal-dev")
HELSEPORTAL_IDPORTEN_CLIENT_KEY = env_str("HELSEPORTAL_IDPORTEN_CLIENT_KEY", str(VAR_DIR / "idporten-client.jwk"))
HELSEPORTAL_HELSEID_CLIENT_ID = env_str("HELSEPORTAL_HELSEID_CLIENT_ID", "helseportal-dev")
HELSEPORTAL_HELSEID_CLIENT_KEY = env_str("HELSEPORTAL_HELSEID_CLIENT_KEY", str(VAR_DIR / "helseid-client.jwk"))
# The FHIR API's authorization server signs its ID tokens with this key (JWK JSON or PEM); generated in dev and test.
HELSEPORTAL_SMART_SIGNING_KEY = env_str("HELSEPORTAL_SMART_SIGNING_KEY", str(VAR_DIR / "smart-signing.jwk"))
# The audit log's signed checkpoints (ADR 0015, access/audit/checkpoints.py): the Ed25519 private key (PEM) they are
# signed with, which the database never holds, and the store outside the database (an append-only file, or a
# directory for it). Generated and kept under var/ outside production; production refuses to start without both.
# PUBLIC_KEYS_FILE: a JWK Set of earlier keys' public halves, so checkpoints from before a key rotation verify.
HELSEPORTAL_AUDIT_SIGNING_KEY_FILE = env_str(
    "HELSEPORTAL_AUDIT_SIGNING_KEY_FILE", "" if PRODUCTION else str(VAR_DIR / "audit-signing-key.pem")
)
# Outside production the default file is named after the database, so checkpoints of a throwaway PostgreSQL or a
# removed SQLite file are never held against another database's chain (`make clean` removes them).
_DATABASE_TAG = hashlib.sha256(DATABASE_URL.encode()).hexdigest()[:12]
HELSEPORTAL_AUDIT_CHECKPOINTS = env_str(
    "HELSEPORTAL_AUDIT_CHECKPOINTS", "" if PRODUCTION else str(VAR_DIR / f"audit-checkpoints-{_DATABASE_TAG}.jws")
)
HELSEPORTAL_AUDIT_PUBLIC_KEYS_FILE = env_str("HELSEPORTAL_AUDIT_PUBLIC_KEYS_FILE")
# Folkeregisteret: the local fake (persons in this database, and an invented person for any synthetic number) or
# a class with the same interface. Production uses Folkeregisteret's API and refuses the fakes.
HELSEPORTAL_POPULATION_REGISTER = env_str(
    "HELSEPORTAL_POPULATION_REGISTER", FOLKEREGISTERET if PRODUCTION else LOCAL_POPULATION_REGISTERS[0]
)
# The GP register (fastlegeregisteret, organisations/gp_register.py): the local fake (lists in this database) or a
# class with the same interface, such as the client for Norsk helsenett's FLR service. Production refuses the fake.
HELSEPORTAL_GP_REGISTER = env_str("HELSEPORTAL_GP_REGISTER", FLR if PRODUCTION else LOCAL_GP_REGISTER)
HELSEPORTAL_FLR_URL = env_str("HELSEPORTAL_FLR_URL")
HELSEPORTAL_FLR_USERNAME = env_str("HELSEPORTAL_FLR_USERNAME")
HELSEPORTAL_FLR_PASSWORD = env_str("HELSEPORTAL_FLR_PASSWORD")
# The school register (which school and grade a pupil is in): the local fake or a class with the same interface.
HELSEPORTAL_SCHOOL_REGISTER = env_str(
    "HELSEPORTAL_SCHOOL_REGISTER", "helseportal.organisations.schools.LocalSchoolRegister"
)
HELSEPORTAL_FREG_URL = env_str("HELSEPORTAL_FREG_URL")
HELSEPORTAL_FREG_TOKEN = env_str("HELSEPORTAL_FREG_TOKEN")
# Sessions end 120 minutes after login whatever the activity (ID-porten's maximum).
HELSEPORTAL_SESSION_ABSOLUTE_SECONDS = env_int("HELSEPORTAL_SESSION_ABSOLUTE_SECONDS", 120 * 60)
# How many proxies in front of the portal append to X-Forwarded-For: the client's address (for limiting how fast
# failed logins are recorded) is the entry that many places from the right. 0: REMOTE_ADDR.
HELSEPORTAL_FORWARDED_HOPS = env_int("HELSEPORTAL_FORWARDED_HOPS", 0)

# Notifications (SMS and e-mail, no health content): "fake" writes them to the outbox table (dev, test),
# "real" sends e-mail over SMTP (EMAIL_*) and SMS through the HTTPS gateway at HELSEPORTAL_SMS_URL, which gets
# POST {"to": "+47…", "text": "…"} with "Authorization: Bearer HELSEPORTAL_SMS_TOKEN". Production refuses "fake".
HELSEPORTAL_NOTIFY_BACKEND = env_str("HELSEPORTAL_NOTIFY_BACKEND", "real" if PRODUCTION else "fake")
if HELSEPORTAL_NOTIFY_BACKEND not in ("fake", "real"):
    raise ImproperlyConfigured(f"HELSEPORTAL_NOTIFY_BACKEND must be fake or real, not {HELSEPORTAL_NOTIFY_BACKEND!r}")
HELSEPORTAL_SMS_URL = env_str("HELSEPORTAL_SMS_URL")
HELSEPORTAL_SMS_TOKEN = env_str("HELSEPORTAL_SMS_TOKEN")
# FHIR subscriptions (rest-hook): endpoints must be https://; dev and test may also name this machine over http://.
HELSEPORTAL_SUBSCRIPTIONS_LOOPBACK_HTTP = not DEPLOYED and env_bool("HELSEPORTAL_SUBSCRIPTIONS_LOOPBACK_HTTP", True)
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": env_int("EMAIL_TIMEOUT", 10),
        },
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ikke-svar@helseportal.example")

# Contact details shown in the footer and on the accessibility statement.
HELSEPORTAL_CONTACT_EMAIL = env_str("HELSEPORTAL_CONTACT_EMAIL", "kontakt@helseportal.example")
HELSEPORTAL_CONTACT_PHONE = env_str("HELSEPORTAL_CONTACT_PHONE", "23 32 70 00")

# Wagtail (editorial content). The admin's CSP is relaxed for /cms/ only, in helseportal/content/csp.py. It
# fetches no avatars from Gravatar and does not ask wagtail.org for new releases: it talks to no other origin.
WAGTAIL_SITE_NAME = "helseportal"
WAGTAILADMIN_BASE_URL = env_str("HELSEPORTAL_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Editors and administrators log in with HelseID (identity/views.py; access given by identity.services.grant_staff):
# no passwords to set, change or reset.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
LOGIN_URL = "identity:login_helseid"
# Passwords are not a way in, but Django users keep one field for it: should one ever be set (createsuperuser),
# Django's validators apply.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Logs: one JSON object a line with the request's id when deployed (LOG_FORMAT=json), plain text in development; both
# scrubbed of eleven-digit numbers and tokens (core/logs.py). LOG_FILE: also append the JSON lines to that file.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if DEPLOYED else "plain")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}")
LOG_FILE = env_str("LOG_FILE")
_REQUEST_ID = {"filters": ["request_id"]}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "helseportal.core.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"()": "helseportal.core.logs.PlainFormatter", "format": "{levelname} {name} {message}", "style": "{"},
        "json": {"()": "helseportal.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT} | _REQUEST_ID,
        **(
            {"file": {"class": "logging.FileHandler", "filename": LOG_FILE, "formatter": "json"} | _REQUEST_ID}
            if LOG_FILE
            else {}
        ),
    },
    "root": {"handlers": ["console", "file"] if LOG_FILE else ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every layout step at INFO; only its warnings matter here.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "authlib": {"level": "INFO"},  # at DEBUG it logs every token it issues (rule 3: no tokens in logs)
    },
}

# Attachments to secure messages (Meldinger): PDF, JPEG and PNG, recognised from their bytes.
HELSEPORTAL_MESSAGE_ATTACHMENT_MAX_BYTES = env_int("HELSEPORTAL_MESSAGE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
HELSEPORTAL_MESSAGE_ATTACHMENT_MAX_COUNT = env_int("HELSEPORTAL_MESSAGE_ATTACHMENT_MAX_COUNT", 5)

# Operators' endpoints (core/edge.py, docs/operations.md "Health checks" and "Metrics"): /metrics answers only to
# `Authorization: Bearer <HELSEPORTAL_METRICS_TOKEN>` (404 without one); /readyz re-reads the migrations this often.
HELSEPORTAL_METRICS_TOKEN = env_str("HELSEPORTAL_METRICS_TOKEN")
HELSEPORTAL_READYZ_MIGRATIONS_SECONDS = env_int("HELSEPORTAL_READYZ_MIGRATIONS_SECONDS", 30)
