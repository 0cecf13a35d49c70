"""Lotse's one settings module, driven by environment variables.

Every deployment (demo, tests, production) runs this same file; only the environment differs.
Without `DATABASE_URL`, Lotse uses a SQLite file under `var/`. Outside demo mode it refuses to start
with DEBUG on or without a real secret key.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(environ.Env().str("LOTSE_VAR_DIR", default=str(PROJECT_DIR / "var")))

env = environ.Env()

# Demo mode (`make demo`, tests) may run with DEBUG and a throwaway key; production may not.
DEMO = env.bool("LOTSE_DEMO", default=False)
INSECURE_KEY = "insecure-demo-key-do-not-use-in-production"
DEBUG = env.bool("DEBUG", default=DEMO)
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_KEY if DEMO else "")

if not DEMO:
    if DEBUG:
        raise ImproperlyConfigured(
            "Lotse refuses to start with DEBUG on outside the demo. Set DEBUG=false (or LOTSE_DEMO=true for a demo)."
        )
    if not SECRET_KEY or SECRET_KEY == INSECURE_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "Lotse refuses to start without a secret key of at least 32 characters. Set SECRET_KEY "
            "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(50))'`) or LOTSE_DEMO=true for a demo."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEMO else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    # Lotse's rooms, lowest first: a room may import the ones above it, never the ones below.
    "lotse.core",
    "lotse.accounts",
    "lotse.tenancy",
    "lotse.sso",
    "lotse.strategy",
    "lotse.portfolio",
    "lotse.ozg",
    "lotse.pilots",
    "lotse.synergy",
    "lotse.reuse",
    "lotse.participation",
    "lotse.reports",
    "lotse.api",
    "lotse.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "lotse.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lotse.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # admin edits record the signed-in person too
    "lotse.tenancy.middleware.TenantMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the German lockout page
]

ROOT_URLCONF = "lotse.urls"
WSGI_APPLICATION = "lotse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lotse.tenancy.context_processors.tenancy",
                "lotse.sso.context_processors.sso",
            ],
        },
    },
]

# --- Database: SQLite under var/ by default, PostgreSQL (psycopg 3) when DATABASE_URL is set.
# IMMEDIATE takes SQLite's write lock at BEGIN, so concurrent writers queue instead of failing mid-way.
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "lotse.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
# Keep connections open between requests (a new SQLite connection with its WAL setup costs ~4 ms per request);
# health checks replace one that the database closed meanwhile.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins before any password check
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout against password guessing (django-axes): five failures for one account from one address lock that
# pair for 15 minutes; failures and logins are kept as the audit of logins (AccessLog, AccessFailureLog).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field (axes would look for "email")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "lotse.accounts.views.locked_out"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
AXES_VERBOSE = False
# A second factor (TOTP) for coordinators and platform admins; off only in the demo.
REQUIRE_SECOND_FACTOR = env.bool("LOTSE_REQUIRE_2FA", default=not DEMO)
SECOND_FACTOR_POLICY = "lotse.tenancy.selectors.needs_second_factor"
OTP_TOTP_ISSUER = env.str("OTP_ISSUER", default="Lotse")
# A session lasts at most a working day.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)

# --- Single sign-on: LDAP / Active Directory (LDAP_URL) and OpenID Connect (OIDC_ISSUER). docs/sso.md.
LDAP_URL = env.str("LDAP_URL", default="")  # e.g. ldaps://dc1.musterstadt.local
if LDAP_URL:
    AUTHENTICATION_BACKENDS.insert(1, "lotse.sso.ldap.DirectoryBackend")
LDAP_AUTH_URL = [LDAP_URL] if LDAP_URL else []
LDAP_AUTH_USE_TLS = env.bool("LDAP_START_TLS", default=False)
LDAP_AUTH_SEARCH_BASE = env.str("LDAP_USER_BASE", default="")  # e.g. ou=people,dc=musterstadt,dc=de
LDAP_AUTH_OBJECT_CLASS = env.str("LDAP_USER_CLASS", default="inetOrgPerson")  # Active Directory: user
LDAP_AUTH_USER_FIELDS = {
    "directory_id": env.str("LDAP_ID_ATTRIBUTE", default="uid"),  # Active Directory: sAMAccountName
    "email": "mail",
    "first_name": "givenName",
    "last_name": "sn",
}
LDAP_AUTH_USER_LOOKUP_FIELDS = ("directory_id",)
LDAP_AUTH_CLEAN_USER_DATA = "lotse.sso.ldap.clean_user_data"
LDAP_AUTH_SYNC_USER_RELATIONS = "lotse.sso.ldap.sync_groups"
# OpenLDAP binds as uid=…,<LDAP_USER_BASE>; Active Directory as user@domain:
# LDAP_BIND_FORMAT=django_python3_ldap.utils.format_username_active_directory_principal and LDAP_AD_DOMAIN.
LDAP_AUTH_FORMAT_USERNAME = env.str("LDAP_BIND_FORMAT", default="django_python3_ldap.utils.format_username_openldap")
LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN = env.str("LDAP_AD_DOMAIN", default="") or None
LDAP_AUTH_CONNECT_TIMEOUT = 5
LDAP_AUTH_POOL_ACTIVE = 1  # one round over the servers; ldap3 would otherwise retry an unreachable one forever
LDAP_AUTH_RECEIVE_TIMEOUT = 10
LDAP_GROUP_SEARCH_BASE = env.str("LDAP_GROUP_BASE", default=LDAP_AUTH_SEARCH_BASE)
# OpenID Connect (e.g. Keycloak: OIDC_ENDPOINT=https://id.musterstadt.de/realms/lotse/protocol/openid-connect).
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid email profile groups")
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
# The provider asks for a second factor itself (as Keycloak can): then Lotse does not ask again.
OIDC_PROVIDER_ENFORCES_MFA = env.bool("OIDC_PROVIDER_ENFORCES_MFA", default=False)
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.insert(1, "lotse.sso.oidc.ProviderBackend")
# Directory groups (LDAP group cn, OIDC "groups" claim) → roles: "group=municipality:role; …" (docs/sso.md).
SSO_GROUP_ROLES = env.str("SSO_GROUP_ROLES", default="")
SSO_ADMIN_GROUPS = env.str("SSO_ADMIN_GROUPS", default="")

# --- Language: German first, English second; the user's choice lives in a cookie.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static files: everything served by Lotse itself (whitenoise), nothing from a CDN.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- E-mail: console in the demo, SMTP (EMAIL_URL=smtp://user:pass@host:587/?tls=True) in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEMO else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Lotse <lotse@localhost>")

# --- Background work: django-tasks (Django 6's task API) with its database backend, so SQLite and PostgreSQL
# alike hold the queue and any number of `lotse db_worker` processes on any machine work it off.
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# /readyz reports the queue as stalled when a task has been due for longer than this (no worker running).
TASKS_STALLED_AFTER_SECONDS = env.int("TASKS_STALLED_AFTER_SECONDS", default=600)
# Further states /readyz reports without making them a condition of readiness: name -> function returning a string.
# The synergy engine's model ("unavailable: …" means lexical evidence only; EMBEDDINGS_* in docs/synergy.md).
READYZ_REPORTS = {"embeddings": "lotse.synergy.embeddings.status"}
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Links in e-mails (confirmation, "Was ist aus meiner Idee geworden?") point here.
LOTSE_BASE_URL = env.str("LOTSE_BASE_URL", default="http://127.0.0.1:8000")
# The operator's GovData contributor id (an IRI from http://dcat-ap.de/def/contributors/), for a DCAT-AP.de
# delivery to GovData; without it the open-data record leaves dcatde:contributorID out.
GOVDATA_CONTRIBUTOR_ID = env.str("GOVDATA_CONTRIBUTOR_ID", default="")
# Public forms submitted faster than this (seconds after the page was served) are taken for bots.
PARTICIPATION_MIN_SECONDS = env.float("PARTICIPATION_MIN_SECONDS", default=3.0)

# --- Cache and sessions: local memory by default, Redis when CACHE_URL is set.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Security: strict by default, relaxed only where plain HTTP is the demo's reality.
SECURE = not DEMO and env.bool("LOTSE_HTTPS", default=True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
AXES_IPWARE_PROXY_COUNT = 1 if BEHIND_PROXY else None
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content security policy: only Lotse's own scripts, styles, fonts and images; no inline code at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
LANGUAGE_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"

# API: requests per token (or client) and hour, counted in the cache.
API_RATE = env.str("API_RATE", default="1000/h")

# Logs go to stdout: one JSON object per line in production (LOG_FORMAT=json), plain text in the demo. Every
# record passes the redaction filter, so tokens, passwords and signed links never reach a log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "lotse.core.logging.RedactSecrets"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="text" if DEMO else "json"),
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # runserver's access log (the demo) has a handler of its own in Django's defaults, without the filter
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# The audit trail (django-simple-history) records who made a change; services pass the user explicitly.
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True  # restoring goes through our service, which checks permissions and versions
