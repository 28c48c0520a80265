"""coso settings: one file, every value from an environment variable with a safe default.

COSO_DEBUG          "1" turns debug on (off by default)
COSO_SECRET_KEY     secret key; when unset, one is generated once into COSO_DATA_DIR/secret_key
COSO_DATA_DIR       where the SQLite database, the secret key and uploads live (default ./var)
DATABASE_URL        e.g. postgres://user@127.0.0.1:5432/coso; SQLite in COSO_DATA_DIR when unset
COSO_ALLOWED_HOSTS  comma-separated host names (default 127.0.0.1,localhost)
COSO_SESSION_HOURS  idle hours before a session expires (default 8)
COSO_IMPORT_MAX_ROWS  rows of one sheet an upload may hold (default 300000; a province's list is about 100000)
COSO_LEDGER         "0" makes the member figures read the periods only, never the ledger of counts (default on)
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "coso.lib.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
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
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# Widget templates (the search picker) live with the project's templates.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
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
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: an idle session expires
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("COSO_HTTPS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Uploaded .xlsx/.csv (member lists, evaluation proposals): a sheet with more rows is refused
# before its rows are parsed (coso.lib.excel.open_book), so a tiny file of a million empty rows
# cannot hold a web process for minutes.
COSO_IMPORT_MAX_ROWS = int(os.environ.get("COSO_IMPORT_MAX_ROWS", "300000"))
# the member figures of the top of the tree from the ledger of counts (coso/measures/ledger.py,
# decision 0011); the write paths keep the ledger whatever this says
COSO_LEDGER = _env_bool("COSO_LEDGER", True)

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
# WhiteNoise serves straight from the app's static folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads (members' photos) live beside the database. There is deliberately no MEDIA_URL route:
# a photo is personal data, served only by members:photo after the scope check.
MEDIA_ROOT = DATA_DIR / "media"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("COSO_LOG_LEVEL", "WARNING")},
}

# The date from which the two-tier administration and 294-QĐ/TW apply (no district level).
TWO_TIER_FROM = "2025-07-01"
