"""Read replicas (lms/db_router.py): the catalog's reads go to a replica; writes and a learner's own reads go to the
primary.

End to end on Django's test mirror: `replica1` is made here as `DATABASE_REPLICA_URLS` would make it, at the test
database's address, so it is another connection to the same rows, as a replica is another server with them. Its
tests are transactional: a replica sees only what the primary has committed.
"""

import runpy
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.test.utils import CaptureQueriesContext, override_settings

from courses.models import Category, CoursePage
from learners.models import Enrollment
from lms.db_router import ReplicaRouter, replica_databases
from search.models import CatalogEntry

SETTINGS = Path(__file__).resolve().parents[1] / "settings.py"
ROUTER = "lms.db_router.ReplicaRouter"
PRIMARY = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "lms",
    "HOST": "primary.internal",
    "PORT": 5432,
    "CONN_MAX_AGE": 60,
    "CONN_HEALTH_CHECKS": True,
    "OPTIONS": {"options": "-c jit=off"},
}


# --- settings --------------------------------------------------------------------------------------------


def test_each_replica_url_is_a_database_with_the_primarys_settings():
    databases = replica_databases(
        ["postgres://reader:secret@replica-a.internal:5433/lms?sslmode=require", "postgres://replica-b.internal/lms"],
        PRIMARY,
    )
    assert list(databases) == ["replica1", "replica2"]
    first, second = databases.values()
    assert (first["HOST"], first["PORT"], first["USER"], first["PASSWORD"]) == (
        "replica-a.internal",
        5433,
        "reader",
        "secret",
    )
    assert first["OPTIONS"] == {"options": "-c jit=off", "sslmode": "require"}
    assert second["HOST"] == "replica-b.internal" and second["OPTIONS"] == {"options": "-c jit=off"}
    for replica in (first, second):
        assert (replica["CONN_MAX_AGE"], replica["CONN_HEALTH_CHECKS"]) == (60, True)
        assert replica["TEST"]["MIRROR"] == "default"  # tests never create or migrate a replica's database


def test_a_replica_must_be_postgresql():
    with pytest.raises(ImproperlyConfigured):
        replica_databases(["mysql://replica.internal/lms"], PRIMARY)


def test_settings_add_replicas_and_the_router_only_when_asked(monkeypatch):
    monkeypatch.delenv("DATABASE_REPLICA_URLS", raising=False)
    plain = runpy.run_path(str(SETTINGS))
    assert list(plain["DATABASES"]) == ["default"]
    assert plain["DATABASE_ROUTERS"] == [] and plain["DATABASE_REPLICAS"] == []
    assert plain["CATALOG_CACHE_SECONDS"] == 86400

    monkeypatch.setenv("DATABASE_REPLICA_URLS", "postgres://replica-a.internal/lms, postgres://replica-b.internal/lms")
    replicated = runpy.run_path(str(SETTINGS))
    assert replicated["DATABASE_REPLICAS"] == ["replica1", "replica2"]
    assert replicated["DATABASE_ROUTERS"] == [ROUTER]
    assert replicated["DATABASES"]["replica2"]["HOST"] == "replica-b.internal"
    # A cached catalog answer computed on a lagging replica is replaced within half a minute.
    assert replicated["CATALOG_CACHE_SECONDS"] == 30


# --- the router's decisions ------------------------------------------------------------------------------


@override_settings(DATABASE_REPLICAS=["replica1", "replica2"])
def test_only_the_catalogs_read_model_is_read_from_replicas():
    router = ReplicaRouter()
    assert {router.db_for_read(CatalogEntry) for _ in range(50)} == {"replica1", "replica2"}
    # What a learner or teacher has just written, and everything else, is read where it is written.
    for model in (Enrollment, CoursePage, Category, get_user_model()):
        assert router.db_for_read(model) == "default"
    assert router.db_for_write(CatalogEntry) == "default" and router.db_for_write(Enrollment) == "default"


@override_settings(DATABASE_REPLICAS=["replica1"])
def test_in_a_transaction_the_catalog_is_read_from_the_primary(db):
    # `db` wraps the test in a transaction: code that writes the catalog and reads it back sees its own rows.
    assert connections["default"].in_atomic_block
    assert ReplicaRouter().db_for_read(CatalogEntry) == "default"


@override_settings(DATABASE_REPLICAS=[])
def test_without_replicas_everything_is_the_primarys():
    assert ReplicaRouter().db_for_read(CatalogEntry) == "default"


@pytest.mark.django_db  # a page reads its content type
@override_settings(DATABASE_REPLICAS=["replica1"])
def test_migrations_run_on_the_primary_and_rows_relate_across_its_replicas():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "search") is True
    assert router.allow_migrate("replica1", "search") is False
    entry, course = CatalogEntry(), CoursePage()
    entry._state.db, course._state.db = "replica1", "default"
    assert router.allow_relation(entry, course) is True


# --- end to end, on the test mirror ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def replica(django_db_setup):
    """`replica1`, made by `replica_databases` from the test database's URL (a mirror of `default`); removed after
    this module, its connection closed so that the test database can be dropped. When DATABASE_REPLICA_URLS made
    one, that mirror serves as it is."""
    if "replica1" in django_settings.DATABASES:
        yield "replica1"
        return
    primary = connections["default"].settings_dict
    (alias, entry), *_ = replica_databases([_url_of(primary)], primary).items()
    django_settings.DATABASES[alias] = entry  # the very dict `connections` reads its aliases from
    yield alias
    connections[alias].close()
    del connections[alias]
    del django_settings.DATABASES[alias]


def _url_of(database: dict) -> str:
    credentials = quote(database["USER"] or "", safe="") + (
        ":" + quote(database["PASSWORD"], safe="") if database["PASSWORD"] else ""
    )
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{credentials}@{quote(database['HOST'] or '', safe='')}{port}/{quote(database['NAME'])}"


@pytest.fixture
def routed(replica, settings):
    settings.DATABASE_REPLICAS = [replica]
    settings.DATABASE_ROUTERS = [ROUTER]
    return replica


def _captured(alias):
    return CaptureQueriesContext(connections[alias])


def _reads_catalog(query) -> bool:
    return '"search_catalogentry"' in query["sql"]


def _facet_count(query) -> bool:
    """The facets' statement: looked up in the facet counts (a browsed catalog) or counted (a search)."""
    return '"search_catalogfacet"' in query["sql"] or "GROUPING SETS" in query["sql"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica1"])
def test_the_catalog_is_read_from_the_replica_and_the_learner_from_the_primary(routed, make_course, student, as_user):
    with connections["default"].cursor() as primary, connections[routed].cursor() as mirror:
        primary.execute("SELECT current_database(), pg_backend_pid()")
        mirror.execute("SELECT current_database(), pg_backend_pid()")
        (primary_database, primary_pid), (mirror_database, mirror_pid) = primary.fetchone(), mirror.fetchone()
    assert primary_database == mirror_database and primary_pid != mirror_pid  # another session, the same rows

    course = make_course(title="Основы Python", lessons=2)
    client = as_user(student)

    # The catalog list: its page of cards (courses, teachers, categories, covers joined in) from the replica.
    with _captured("default") as on_primary, _captured(routed) as on_replica:
        listed = client.get("/api/v1/courses/")
    assert listed.status_code == 200 and [card["id"] for card in listed.json()["results"]] == [course.pk]
    assert on_replica.captured_queries and all(_reads_catalog(query) for query in on_replica.captured_queries)
    assert any(_facet_count(query) for query in on_replica.captured_queries)  # the facets and the total too
    assert not any(_reads_catalog(query) for query in on_primary.captured_queries)

    # The site's search page reads the same way.
    with _captured("default") as on_primary, _captured(routed) as on_replica:
        found = client.get("/search/", {"q": "основа python"})
    assert found.status_code == 200 and "Основы Python" in found.content.decode()
    assert on_replica.captured_queries and all(_reads_catalog(query) for query in on_replica.captured_queries)
    assert not any(_reads_catalog(query) for query in on_primary.captured_queries)

    # Enrolling, and the learner's own list right after: all on the primary, seen at once.
    with _captured("default") as on_primary, _captured(routed) as on_replica:
        assert client.post(f"/api/v1/courses/{course.pk}/enroll/").status_code == 201
        mine = client.get("/api/v1/me/enrollments/").json()
        first = course.lessons()[0]
        assert client.post(f"/api/v1/lessons/{first.pk}/complete/").json()["progress_percent"] == 50
        detail = client.get(f"/api/v1/courses/{course.pk}/").json()
    assert [enrollment["course"]["id"] for enrollment in mine["results"]] == [course.pk]
    assert detail["enrolled"] is True and detail["progress_percent"] == 50
    assert on_primary.captured_queries and on_replica.captured_queries == []
