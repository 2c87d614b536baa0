"""Settings of the benchmark: the portal's own settings, plus what only the benchmark mounts.

* `wagtail.api.v2`, for the *peer*: Wagtail's own pages API, served next to ours (see bench/urls.py).
* `bench.urls` as the URL configuration: the portal's URLs plus the floor and the peer.
* `STATIC_ROOT` under bench/results/, and a higher limit for Wagtail's API pages (100, like ours).
* `BENCH_SCHEMA`: the PostgreSQL schema (one per catalog size, inside the `lms_bench` database) that
  every connection reads and writes, through the connection's `search_path`.

Everything else (debug off, middleware, templates, throttling, JWT) is exactly `lms.settings`, read from
the same environment variables, so the benchmark measures the production configuration.
"""

import os

from lms.settings import *  # noqa: F403
from lms.settings import BASE_DIR, DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2"]
ROOT_URLCONF = "bench.urls"
# The peer is asked for pages of 10 to 100 results, as our API is (Wagtail's default limit is 20).
WAGTAILAPI_LIMIT_MAX = 100
# `collectstatic` output of the benchmark (the site's templates need the manifest with debug off), kept
# apart from a real deployment's.
STATIC_ROOT = BASE_DIR / "bench" / "results" / "static"

BENCH_SCHEMA = os.environ.get("BENCH_SCHEMA", "")
if BENCH_SCHEMA:
    if not BENCH_SCHEMA.replace("_", "").isalnum():
        raise ValueError(f"BENCH_SCHEMA must be a plain identifier, not {BENCH_SCHEMA!r}")
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c search_path={BENCH_SCHEMA}".strip()  # keeps jit=off
