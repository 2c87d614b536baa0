"""Settings for the learning portal, read from the environment (12-factor).

One module for every setup: nothing exists only in production. The defaults are the safe production
ones (debug off, secure cookies, HTTPS redirect); the first-run command turns debug on and falls back
to the embedded PostgreSQL, a local media folder, in-process tasks and a local-memory cache.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lms import devdb
from lms.db_router import replica_databases
from lms.env import env, env_bool, env_int, env_list
from lms.logs import init_sentry, logging_config
from lms.search_settings import search_backends

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Editors' texts in each language (courses/translation.py): registered before any app reads the models' fields.
    "modeltranslation",
    # Ours first, so that our templates override Wagtail's where we extend them.
    "learners.apps.LearnersConfig",
    "courses",
    "quizzes",
    "search",
    "lms",
    "lms.metrics.MetricsConfig",  # task metrics in every process (lms/metrics.py)
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "learners.apps.UsersConfig",  # wagtail.users, with our user views
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: the request id is on every log line and answer; metrics time the whole stack (lms/logs.py, lms/metrics.py).
    "lms.logs.RequestLogMiddleware",
    "lms.metrics.MetricsMiddleware",
    # Before anything that reads the Host: the load balancer's probes answer whatever Host it sends (lms/health.py).
    "lms.health.ProbeHostMiddleware",
    # A store that is down (database, Redis) answers 503 with Retry-After, not 500 (lms/health.py).
    "lms.health.OutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lms.content_security.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lms.inputs.RefuseNulMiddleware",  # before the session cookie reaches the database
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: PostgreSQL, the one engine (search stems Russian and English, facets use GROUPING SETS, services
# lock rows). DATABASE_URL names the server; without it, the embedded server that `make run` and
# `make test` start (lms/devdb.py).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or devdb.database_url(),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL database (postgres://...).")
# PostgreSQL's JIT compiles a query whose estimated cost passes `jit_above_cost`, on every execution: at 100,000
# courses the planner's estimate of a learner's one-query standing passes it, and compiling takes ~0.5 s for a query
# that runs in 1 ms (bench/README.md). The portal's queries are short; JIT stays off unless DATABASE_JIT=true.
if not env_bool("DATABASE_JIT", False):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
# A database that does not answer (its host gone, the network cut) fails a connection after this many seconds rather
# than the system's minutes, so that requests and the readiness probe fail fast (lms/health.py).
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))
# Read replicas: DATABASE_REPLICA_URLS (comma-separated postgres:// URLs) adds `replica1`, `replica2`, … with the
# primary's settings, and a router that sends the catalog's reads (its read model) to them and everything else,
# writes and a learner's own reads included, to the primary (lms/db_router.py).
_replicas = replica_databases(env_list("DATABASE_REPLICA_URLS"), DATABASES["default"])
DATABASES.update(_replicas)
DATABASE_REPLICAS = list(_replicas)
DATABASE_ROUTERS = ["lms.db_router.ReplicaRouter"] if DATABASE_REPLICAS else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by all app servers, used by throttling), else local memory.
if env("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Redis, shared by every process and server: the cache, the sessions and the attempt counters (learners/throttles.py
# and DRF's throttles count in the default cache). A Redis that stops answering fails an operation after
# REDIS_TIMEOUT_SECONDS instead of hanging the request; CACHE_KEY_PREFIX keeps portals (or test runs) that share
# one Redis database apart. Sessions are read from Redis and written to Redis and the database alike (`cached_db`):
# a Redis restart, flush or eviction logs no one out. Without Redis they stay in the database alone: a cache of
# each process's own in front of them would keep a session alive in one process after it ended in another.
if env("REDIS_URL"):
    _redis_timeout = float(env("REDIS_TIMEOUT_SECONDS") or 1)
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": _redis_timeout, "socket_timeout": _redis_timeout}
    CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX")
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Wagtail keeps every image rendition it hands out in this cache, writing it again on each use: in each
# process's memory that costs nothing, where Redis would cost a round trip per cover on every catalog page.
# A rendition only changes when its image's file is replaced; another process then serves the old one
# for at most TIMEOUT seconds.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
# How long the catalog's computed answers (search hits, facet counts, totals, pages of courses) are kept at
# most. Never stale: their generation lives in the database, so a change replaces them at once for every
# process, with Redis or the per-process local-memory cache (search/cache.py); this only bounds memory.
CATALOG_CACHE_SECONDS = env_int("CATALOG_CACHE_SECONDS", 86400)
# Off: every catalog answer (search hits, facets, pages of cards) is computed afresh; the bench measures both.
CATALOG_CACHE = env_bool("CATALOG_CACHE", True)
# With replicas, an answer may have been computed on a replica that had not yet replayed the latest change (and
# kept under the primary's new generation): it is replaced within CATALOG_REPLICA_CACHE_SECONDS.
if DATABASE_REPLICAS:
    CATALOG_CACHE_SECONDS = min(CATALOG_CACHE_SECONDS, env_int("CATALOG_REPLICA_CACHE_SECONDS", 30))

# Accounts
AUTH_USER_MODEL = "learners.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-learning"  # unless the login page was given where to go next
LOGOUT_REDIRECT_URL = "/"

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "learn@localhost")

# Internationalisation: English and Russian.
LANGUAGE_CODE = env("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# What editors write (categories, the home page's and the catalog's texts) has a column per language
# (django-modeltranslation, courses/translation.py); where the active language's is empty, the English one shows.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)


def _translated_field_label(verbose_name, language: str) -> str:
    """A translated field's column in the editor, in the editor's language: "Intro (English)"."""
    return f"{capfirst(verbose_name)} ({dict(LANGUAGES)[language]})"


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = _translated_field_label

# Static and media files
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Serve images' renditions (MEDIA_URL/images/) through Django; turn off when a web server or object
# storage serves them instead. Documents and videos never go out as plain files, whatever this says:
# checked views serve them (learners.files), so a web server must not serve the rest of MEDIA_ROOT.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Object storage (issue 19): with AWS_STORAGE_BUCKET_NAME, uploads and certificate PDFs go to that
# S3-compatible bucket instead of MEDIA_ROOT, still served only by the checked views; images' renditions
# are public there (lms/storage.py). Also read: AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME,
# AWS_S3_ADDRESSING_STYLE, AWS_LOCATION, AWS_S3_CUSTOM_DOMAIN, AWS_S3_URL_PROTOCOL; the keys
# (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) by boto3 itself. Add the renditions' origin to CSP_MEDIA_SOURCES.
if env("AWS_STORAGE_BUCKET_NAME"):
    from lms.storage import object_storage_settings

    globals().update(object_storage_settings(STORAGES))
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_PERMISSIONS = 0o644

# Wagtail
WAGTAIL_SITE_NAME = env("PORTAL_NAME", "Learning Portal")
# The portal's public address, for links that leave the site: certificates' QR codes and credentials, and,
# when it is set, every absolute link of API answers (lms/links.py), which otherwise follow the request's host.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
PORTAL_BASE_URL_SET = bool(env("PORTAL_BASE_URL"))
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
# Search: the database backend (modelsearch) on PostgreSQL full text: one text search configuration builds
# every vector and query. The built-in "russian" one stems Cyrillic words as Russian and Latin (ASCII) words
# as English, so one index serves the bilingual catalog (see search/catalog.py). Run `manage.py
# update_index` after changing it. With SEARCH_URL, Wagtail's OpenSearch backend with the same analysis serves
# the admin's search; the catalog's search stays on PostgreSQL (lms/search_settings.py).
WAGTAILSEARCH_BACKENDS = search_backends()
WAGTAIL_I18N_ENABLED = False
# Teachers publish their own courses: no moderation workflows (whose report would list every requester).
WAGTAIL_WORKFLOW_ENABLED = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no outside requests (and no email hashes sent to a third party)
# Wagtail's dashboard asks releases.wagtail.org for the latest version from each administrator's browser:
# off unless asked for ("true", or "lts" for long-term support releases only).
WAGTAIL_ENABLE_UPDATE_CHECK = env_bool("WAGTAIL_ENABLE_UPDATE_CHECK", False)
if env("WAGTAIL_ENABLE_UPDATE_CHECK").strip().lower() == "lts":
    WAGTAIL_ENABLE_UPDATE_CHECK = "lts"
# Uploads: size limits (MB) and accepted types, checked by content in courses/uploads.py. The type lists
# can only narrow what that module knows how to recognise. Images are checked by Wagtail itself.
UPLOAD_MAX_VIDEO_MB = env_int("UPLOAD_MAX_VIDEO_MB", 200)  # videos and audio
UPLOAD_MAX_DOCUMENT_MB = env_int("UPLOAD_MAX_DOCUMENT_MB", 20)
UPLOAD_MAX_IMAGE_MB = env_int("UPLOAD_MAX_IMAGE_MB", 10)  # images and video thumbnails
UPLOAD_VIDEO_EXTENSIONS = env_list("UPLOAD_VIDEO_EXTENSIONS", "mp4,webm,ogv,ogg,mov,m4v")
UPLOAD_AUDIO_EXTENSIONS = env_list("UPLOAD_AUDIO_EXTENSIONS", "mp3,ogg,m4a")
UPLOAD_DOCUMENT_EXTENSIONS = env_list("UPLOAD_DOCUMENT_EXTENSIONS", "pdf,txt,md,csv,vtt,zip,docx,xlsx,pptx,odt,ods,odp")
WAGTAILMEDIA = {
    "MEDIA_FORM_BASE": "courses.upload_forms.MediaFormBase",
    "VIDEO_EXTENSIONS": UPLOAD_VIDEO_EXTENSIONS,
    "AUDIO_EXTENSIONS": UPLOAD_AUDIO_EXTENSIONS,
}
WAGTAILDOCS_DOCUMENT_FORM_BASE = "courses.upload_forms.DocumentFormBase"
WAGTAILDOCS_EXTENSIONS = UPLOAD_DOCUMENT_EXTENSIONS
WAGTAILDOCS_MAX_UPLOAD_SIZE = UPLOAD_MAX_DOCUMENT_MB * 1024 * 1024
# Documents always go through Wagtail's view, which asks learners.files who may have them (its
# `before_serve_document` hook) and sends them as attachments with nosniff and a CSP; only PDFs may
# open in the browser.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]  # no SVG: it can carry scripts
WAGTAILIMAGES_MAX_UPLOAD_SIZE = UPLOAD_MAX_IMAGE_MB * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000  # refuses decompression bombs ("pixel floods")
WAGTAILIMAGES_IMAGE_FORM_BASE = "courses.upload_forms.ImageFormBase"  # the portal's image size limit

# Background tasks (certificate PDFs, search index updates): on a thread of the web process by default;
# in production `TASKS_BACKEND=django_tasks_db.DatabaseBackend` with `manage.py db_worker` as the worker.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "lms.tasks.ThreadBackend")}}
# Task queues (issue 19): the queues tasks may be put on, `default` and any in TASKS_EXTRA_QUEUES (comma-separated);
# a worker is told which to work on. `TASKS_BACKEND=django_tasks_rq.RQBackend` puts them in Redis (RQ) at
# TASKS_REDIS_URL, else REDIS_URL, with `manage.py rqworker default` as the worker. The database worker gets back
# the tasks of workers that died when it starts and every TASKS_RECOVERY_SECONDS (0: at start only); RQ retries
# them itself (lms/task_recovery.py).
TASKS["default"]["QUEUES"] = ["default", *env_list("TASKS_EXTRA_QUEUES")]
TASKS_RECOVERY_SECONDS = env_int("TASKS_RECOVERY_SECONDS", 60)
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    if not (env("TASKS_REDIS_URL") or env("REDIS_URL")):
        raise ImproperlyConfigured("The RQ task backend needs TASKS_REDIS_URL or REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
    # Short timeouts for enqueuing and the readiness probe, as for the cache (a worker raises its own read timeout
    # above its blocking wait: rq.worker.base).
    _rq_url = env("TASKS_REDIS_URL") or env("REDIS_URL")
    _rq_timeout = float(env("REDIS_TIMEOUT_SECONDS") or 1)
    if "socket_timeout" not in _rq_url:
        _rq_url += f"{'&' if '?' in _rq_url else '?'}socket_connect_timeout={_rq_timeout}&socket_timeout={_rq_timeout}"
    RQ_QUEUES = {name: {"URL": _rq_url} for name in TASKS["default"]["QUEUES"]}
    RQ = {"JOB_CLASS": "django_tasks_rq.Job", "QUEUE_CLASS": "lms.task_recovery.RetryingQueue"}

# Certificates: the Ed25519 key that signs their credentials (a PEM), or a file made on first use.
CERTIFICATE_SIGNING_KEY = env("CERTIFICATE_SIGNING_KEY")
CERTIFICATE_SIGNING_KEY_FILE = Path(
    env("CERTIFICATE_SIGNING_KEY_FILE", str(BASE_DIR / "var" / "certificate-signing-key.pem"))
)
# How long (seconds) verifiers and HTTP caches may keep the signed revocation status list: the longest
# a revocation can go unseen by someone who checks the list.
CERTIFICATE_STATUS_LIST_MAX_AGE = env_int("CERTIFICATE_STATUS_LIST_MAX_AGE", 300)

# The client address that rate limits count by (lms/throttles.py): the socket's peer, unless the portal
# runs behind this many proxies of ours that each append to X-Forwarded-For; then the address the
# outermost of them saw. Set it only behind such proxies, or anyone can pick their address.
NUM_PROXIES = env_int("NUM_PROXIES", 0)
if NUM_PROXIES < 0:
    raise ImproperlyConfigured("NUM_PROXIES must be 0 or more.")

# API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "lms.inputs.JSONParser",  # DRF's, with a nesting limit
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "lms.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "lms.throttles.AnonRateThrottle",
        "lms.throttles.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON_RATE", "300/min"),
        "user": env("THROTTLE_USER_RATE", "1200/min"),
        # Attempts at the doors that check a password or send mail, on the API, the site and the admin alike
        # (learners/throttles.py): per email, and per client address.
        "login": env("THROTTLE_LOGIN_RATE", "10/min"),
        "login_address": env("THROTTLE_LOGIN_ADDRESS_RATE", "100/min"),
        "password_reset": env("THROTTLE_PASSWORD_RESET_RATE", "5/hour"),
        "password_reset_address": env("THROTTLE_PASSWORD_RESET_ADDRESS_RATE", "20/hour"),
        "signup": env("THROTTLE_SIGNUP_RATE", "10/hour"),
        "signup_address": env("THROTTLE_SIGNUP_ADDRESS_RATE", "60/hour"),
    },
    "NUM_PROXIES": NUM_PROXIES,
    "EXCEPTION_HANDLER": "lms.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": env("JWT_SIGNING_KEY", SECRET_KEY),
    # A password change (or reset) invalidates every token issued before it.
    "CHECK_REVOKE_TOKEN": True,
    "TOKEN_REFRESH_SERIALIZER": "learners.serializers.TokenRefreshSerializer",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Learning Portal API",
    "DESCRIPTION": "Versioned JSON API of the learning portal. Authenticate with `Authorization: Bearer <access>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's assets come from the sidecar package: the docs page loads nothing from outside.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from validator.swagger.io: the docs page asks nothing of other sites.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "MediaKindEnum": ["video", "audio", "document"],
        "QuestionKindEnum": "quizzes.models.QuestionKind",
        "LanguageEnum": "courses.models.Language",  # a course's language
        "PortalLanguageEnum": LANGUAGES,  # a user's: one of the portal's
    },
    "PREPROCESSING_HOOKS": ["lms.api.public_api_only"],
    # Ids in paths are integers of at most 18 digits (lms.api.IdConverter).
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}},
}

# Security: safe by default, relaxed only by DEBUG or explicit environment variables.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY", False) else None
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer probes each app server at its own address over plain HTTP (lms/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview shows the site in a frame inside the admin, so frames stay allowed from the
# same origin (and only from it): the deploy check's advice to use DENY does not fit a Wagtail site.
X_FRAME_OPTIONS = "SAMEORIGIN"
# Content-Security-Policy (django-csp, lms/content_security.py): the public site runs no script or style but
# its own static files. It frames other sites' pages (a lesson's embedded videos) from CSP_FRAME_SOURCES: any
# HTTPS site unless narrowed, as in "https://www.youtube-nocookie.com,https://player.vimeo.com".
# CSP_MEDIA_SOURCES names where images and videos come from when object storage or a CDN serves MEDIA_URL.
_MEDIA_SOURCES = ["'self'", *env_list("CSP_MEDIA_SOURCES")]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": _MEDIA_SOURCES,
        "media-src": _MEDIA_SOURCES,
        "frame-src": ["'self'", *env_list("CSP_FRAME_SOURCES", "https:")],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# The Wagtail admin runs inline scripts and styles: its policy keeps only what holds there too.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": None,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SESSION_COOKIE_HTTPONLY = True

# Seeing what runs (lms/logs.py, lms/metrics.py): log lines plain or JSON (LOG_FORMAT=json), each one of a request
# with its id; Prometheus metrics at /metrics for METRICS_ALLOWED_IPS only (addresses or networks, as
# lms/throttles.py reads the client's); errors to Sentry when SENTRY_DSN is set, and nothing sent otherwise.
LOGGING = logging_config(log_format=env("LOG_FORMAT", "plain"), level=env("LOG_LEVEL", "INFO"))
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
SENTRY_DSN = env("SENTRY_DSN")
init_sentry(
    dsn=SENTRY_DSN,
    environment=env("SENTRY_ENVIRONMENT"),
    release=env("SENTRY_RELEASE"),
    traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE") or 0),
)
