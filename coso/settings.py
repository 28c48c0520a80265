"""coso settings: one file, every value from an environment variable with a safe default.

COSO_DEBUG          "1" turns debug on (off by default)
COSO_SECRET_KEY     secret key; when unset, one is generated once into COSO_DATA_DIR/secret_key
COSO_DATA_DIR       where the SQLite database, the secret key, uploads and the pages' figures cache live (default ./var)
DATABASE_URL        e.g. postgres://user@127.0.0.1:5432/coso; SQLite in COSO_DATA_DIR when unset
COSO_ALLOWED_HOSTS  comma-separated host names (default 127.0.0.1,localhost)
COSO_SESSION_HOURS  idle hours before a session expires (default 8)
COSO_HANDOVER_DAYS  days an account stays open, read-only, after its assignment ended (default 90; decision 0007)
COSO_HTTPS          "1" when served over HTTPS: secure cookies and HSTS
COSO_HSTS_SECONDS   how long browsers keep to HTTPS once told (default 31536000, a year; HTTPS only)
COSO_DEMO           "1" for the demo (`make run` sets it): its well-known password may be kept;
                    unset, a user who logs in with it must change it first
COSO_IMPORT_MAX_ROWS  rows of one sheet an upload may hold (default 300000; a province's list is about 100000)
COSO_REPLICAS       comma-separated database URLs of PostgreSQL streaming-replication standbys of DATABASE_URL:
                    pages that write nothing read them (coso/lib/replicas.py; README, "Operating")
COSO_REPLICA_STICKY_SECONDS  seconds a browser that wrote keeps reading the primary (default 10)
COSO_LEDGER         "0" makes the member figures read the periods only, never the ledger of counts (default on)
COSO_PAGE_CACHE     "0" computes the report's and the dashboard's figures on every request (default: kept until
                    the data changes, coso/lib/pagecache.py, decision 0014)
COSO_WORKER_MEMORY_MB  address space of the background worker (`coso worker`), in MB (default 4096)
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("COSO_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("COSO_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _env_bool("COSO_DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("COSO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("COSO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "coso.lib",
    "coso.access",
    "coso.audit",
    "coso.places",
    "coso.organizations",
    "coso.people",
    "coso.members",
    "coso.evaluation",
    "coso.quality",
    "coso.imports",
    "coso.measures",
    "coso.reports",
    "coso.data",  # the data wing: `coso demo`, `coso scenario`, `coso synth` (no models)
    "coso.grassroots",
    "coso.inspection",
    "coso.training",
    "coso.staffing",
    "coso.activities",
    "coso.restructuring",
    "coso.resolutions",
    "coso.targets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "coso.lib.replicas.ReplicaMiddleware",  # before anything reads the database (the session)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "coso.lib.middleware.SlidingSessionMiddleware",
    "coso.lib.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "coso.lib.middleware.RefuseNulMiddleware",
    "coso.lib.middleware.NoStoreMiddleware",
    "coso.access.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "coso.access.middleware.ReadOnlyMiddleware",  # a write refused by the dates: 403 saying why
    # axes must come last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coso.urls"
WSGI_APPLICATION = "coso.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "coso" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coso.access.context_processors.access",
            ],
            # `num` (5.612) in every template without a load
            "builtins": ["template_partials.templatetags.partials", "coso.lib.templatetags.numbers"],
        },
    }
]

# Widget templates (the search picker) live with the project's templates; selects are written in
# Python (coso.lib.forms.FormRenderer: the same markup at a tenth of the cost).
FORM_RENDERER = "coso.lib.forms.FormRenderer"

# SQLite by default so that one command runs the system on a laptop: WAL lets readers work
# while one writer writes, busy_timeout waits for the lock instead of failing, and IMMEDIATE
# transactions take the write lock up front so two writers never deadlock on an upgrade.
DATABASES = {
    # an empty DATABASE_URL counts as unset
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'coso.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs seconds on our short aggregate queries and gains nothing on them
    # (measured on the quality page: +2.4 s); the measures issue may revisit for national scans.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# read replicas (coso/lib/replicas.py): replica1, replica2… beside the primary; tests mirror the primary
for _n, _url in enumerate(filter(None, (u.strip() for u in os.environ.get("COSO_REPLICAS", "").split(","))), start=1):
    DATABASES[f"replica{_n}"] = dj_database_url.parse(_url, conn_max_age=600, conn_health_checks=True)
    DATABASES[f"replica{_n}"]["OPTIONS"] = {"options": "-c jit=off"}
    DATABASES[f"replica{_n}"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["coso.lib.replicas.ReplicaRouter"]
COSO_REPLICA_STICKY_SECONDS = int(os.environ.get("COSO_REPLICA_STICKY_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The report's and the dashboard's figures, computed once per state of the data (coso/lib/pagecache.py):
# in files under the data folder, shared by the server's processes (a figure computed by one serves
# them all); a write anywhere moves the token they are kept under.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "coso-default"},
    "pages": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(DATA_DIR / "pagecache"),
              "TIMEOUT": 6 * 3600, "OPTIONS": {"MAX_ENTRIES": 500}},
}
COSO_PAGE_CACHE = os.environ.get("COSO_PAGE_CACHE", "1") != "0"

AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "coso.access.backends.AssignmentBackend",  # refuses a closed assignment (decision 0007)
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's checks with Vietnamese messages (coso.access.passwords)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "coso.access.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "coso.access.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "coso.access.passwords.CommonPasswordValidator"},
    {"NAME": "coso.access.passwords.NumericPasswordValidator"},
]
COSO_DEMO = _env_bool("COSO_DEMO")
LOGIN_URL = "access:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "access:login"

# Brute force: five failures for one username from one address lock that pair for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("COSO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "access/locked_out.html"

SESSION_COOKIE_AGE = int(os.environ.get("COSO_SESSION_HOURS", "8")) * 3600
COSO_HANDOVER_DAYS = int(os.environ.get("COSO_HANDOVER_DAYS", "90"))
# The age counts from the last request, so an idle session expires; the session row is rewritten
# at most every SESSION_REFRESH_SECONDS, not on every request (coso.lib.middleware.SlidingSessionMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 300
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("COSO_HTTPS")
# Once a browser has seen the site over HTTPS it never tries plain HTTP again (HSTS); off without
# HTTPS, since a browser told so could not reach a plain-HTTP installation any more.
SECURE_HSTS_SECONDS = int(os.environ.get("COSO_HSTS_SECONDS", "31536000")) if _env_bool("COSO_HTTPS") else 0
# HTTPS ends at the reverse proxy (README): the request reaches us over plain HTTP, and the proxy
# says it was HTTPS in X-Forwarded-Proto (it must set that header itself, never pass the client's).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _env_bool("COSO_HTTPS") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "coso.access.views.csrf_failure"  # the layout's 403 page, in Vietnamese

# Uploaded .xlsx/.csv (member lists, evaluation proposals): a sheet with more rows is refused
# before its rows are parsed (coso.lib.excel.open_book), so a tiny file of a million empty rows
# cannot hold a web process for minutes.
COSO_IMPORT_MAX_ROWS = int(os.environ.get("COSO_IMPORT_MAX_ROWS", "300000"))
# the member figures of the top of the tree from the ledger of counts (coso/measures/ledger.py,
# decision 0011); the write paths keep the ledger whatever this says
COSO_LEDGER = _env_bool("COSO_LEDGER", True)

# Background work (an import's checking and writing of a large file): django-tasks with its
# database backend, so no broker; `coso worker` (started beside the web server by `make run`)
# takes the jobs, under an address-space bound so a hostile file cannot take the machine.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "imports"]}}
COSO_WORKER_MEMORY_MB = int(os.environ.get("COSO_WORKER_MEMORY_MB", "4096"))

# Every script and style ships with the app; nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["coso.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "coso" / "static"]
# Hashed names with a year's cache once collected (coso/lib/staticfiles.py); before any
# collectstatic, WhiteNoise serves the plain names straight from the app's static folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "coso.lib.staticfiles.StaticStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads (members' photos) live beside the database. There is deliberately no MEDIA_URL route:
# a photo is personal data, served only by members:photo after the scope check.
MEDIA_ROOT = DATA_DIR / "media"

# A 403 or 404 is a line in the log (who asked for what), not a traceback: only server errors
# (5xx) keep theirs (coso.lib.logs.ClientErrorsOnOneLine).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_one_line": {"()": "coso.lib.logs.ClientErrorsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_one_line"]}},
    "loggers": {"django.request": {"filters": ["client_errors_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("COSO_LOG_LEVEL", "WARNING")},
}

# The date from which the two-tier administration and 294-QĐ/TW apply (no district level).
TWO_TIER_FROM = "2025-07-01"
