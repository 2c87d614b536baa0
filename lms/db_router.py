"""Read replicas: which database a query goes to when `DATABASE_REPLICA_URLS` names replicas (lms/settings.py).

What a replica serves
    The reads of the catalog's read model, `search.CatalogEntry` and its counts `search.CatalogFacet`, and nothing
    else: the catalog's searches, filters and pages of cards, on the API and the site (a page's courses, teachers,
    categories and covers are joined into the same query), and the facets' counting statement (raw SQL, which
    search/facets.py runs on the connection its courses' queryset reads). A catalog that shows a new course a moment late is still right.

What the primary keeps
    Every write, and every read of every other model: a learner's enrollments, progress, attempts and
    certificates ("just enrolled, just passed" is seen at once), accounts and sessions, pages, categories, image
    renditions (created on demand, so read where they are written), the catalog's generation (`search.cache`).
    A router only knows the model, so the rule is by model: a read of any other model goes to the primary
    whatever code path asks for it, even for a relation of a row that came from a replica.

    Inside a transaction on the primary, the catalog's reads stay there too: code that changes the catalog in a
    transaction reads what it has just written, and a test wrapped in a transaction (Django's `TestCase`) sees
    its own rows.

Replication lag
    A replica answers with what it has replayed, usually milliseconds behind. The catalog's cached answers are
    keyed by a generation read from the primary, so an answer computed on a replica that had not yet replayed the
    latest change could be kept under the new generation: with replicas, settings bound how long any cached
    catalog answer lives (`CATALOG_REPLICA_CACHE_SECONDS`).

Several replicas share the reads at random, one choice per query.
"""

import random

import dj_database_url
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections

POSTGRESQL = "django.db.backends.postgresql"
# The models whose reads a replica serves (`app_label.modelname`).
REPLICATED = frozenset({"search.catalogentry", "search.catalogfacet"})


def replica_databases(urls: list[str], primary: dict) -> dict:
    """`DATABASES` entries `replica1`, `replica2`, … for the replicas' URLs: the primary's settings (connection
    lifetime, health checks, session options) at each replica's address, its own URL options first. Under test,
    each is a mirror of the primary (Django's `TEST["MIRROR"]`): another connection to the test database."""
    databases = {}
    for number, url in enumerate(urls, start=1):
        replica = dj_database_url.parse(
            url,
            conn_max_age=primary.get("CONN_MAX_AGE", 0),
            conn_health_checks=primary.get("CONN_HEALTH_CHECKS", False),
        )
        if replica["ENGINE"] != POSTGRESQL:
            raise ImproperlyConfigured("DATABASE_REPLICA_URLS must name PostgreSQL databases (postgres://...).")
        databases[f"replica{number}"] = {
            **primary,
            **replica,
            "OPTIONS": {**primary.get("OPTIONS", {}), **replica.get("OPTIONS", {})},
            "TEST": {**primary.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS},
        }
    return databases


class ReplicaRouter:
    """Reads of the replicated models to a replica (`settings.DATABASE_REPLICAS`), all else to the primary."""

    def db_for_read(self, model, **hints):
        replicas = settings.DATABASE_REPLICAS
        if not replicas or model._meta.label_lower not in REPLICATED:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        """Rows of the primary and of its replicas are rows of one database."""
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, *settings.DATABASE_REPLICAS}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """Migrations run on the primary only; replicas receive them by replication."""
        return db == DEFAULT_DB_ALIAS
