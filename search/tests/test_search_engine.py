"""The search engine when `SEARCH_URL` is set (lms/search_settings.py): Wagtail's OpenSearch backend, with the
bilingual analysis, for the admin's search and `update_index`; the public catalog keeps searching PostgreSQL.

No OpenSearch server runs here. What is exercised: the settings the environment gives, the backend Wagtail builds
from them, the index settings and mappings it would create for courses and lessons, the documents and queries it
would send (through the real client, down to a node that records each request and answers at once), and the
catalog answering without the engine. What is not: the engine's own analysis (its stemmers and stop words), its
ranking, and index rebuilds against a live cluster.
"""

import json
import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from modelsearch.backends.opensearch3 import OpenSearch3SearchBackend
from opensearchpy.connection import Connection
from wagtail.search.backends import get_search_backend

from courses.models import CoursePage, LessonPage
from lms.search_settings import search_backends
from search.entries import search_config

SETTINGS = Path(__file__).resolve().parents[2] / "lms" / "settings.py"
SERVERS = "https://reader:secret@search-a.internal:9200, https://reader:secret@search-b.internal:9200"


@pytest.fixture
def no_engine(monkeypatch):
    for name in ("SEARCH_URL", "SEARCH_BACKEND", "SEARCH_INDEX_PREFIX", "SEARCH_TIMEOUT", "SEARCH_TEXT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


# --- settings --------------------------------------------------------------------------------------------


def test_without_search_url_postgresql_full_text_as_before(no_engine):
    assert search_backends() == {
        "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "russian"},
    }


def test_search_url_gives_opensearch_with_the_bilingual_analysis(no_engine):
    no_engine.setenv("SEARCH_URL", SERVERS)
    no_engine.setenv("SEARCH_INDEX_PREFIX", "portal_")
    backend = search_backends()["default"]
    assert backend["BACKEND"] == "wagtail.search.backends.opensearch3"
    assert backend["URLS"] == [
        "https://reader:secret@search-a.internal:9200",
        "https://reader:secret@search-b.internal:9200",
    ]
    assert (backend["INDEX_PREFIX"], backend["TIMEOUT"]) == ("portal_", 5)
    analysis = backend["INDEX_SETTINGS"]["settings"]["analysis"]
    # As PostgreSQL's `russian` configuration: stop words out, then Cyrillic words stemmed as Russian and Latin
    # ones as English (Snowball both: `porter2` is PostgreSQL's `english_stem`).
    assert analysis["analyzer"]["default"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", "russian_stop", "english_stop", "russian_stemmer", "english_stemmer"],
    }
    assert analysis["filter"]["russian_stemmer"] == {"type": "stemmer", "language": "russian"}
    assert analysis["filter"]["english_stemmer"] == {"type": "stemmer", "language": "porter2"}
    assert analysis["filter"]["russian_stop"]["stopwords"] == "_russian_"
    assert analysis["filter"]["english_stop"]["stopwords"] == "_english_"
    # The catalog's read model keeps PostgreSQL's configuration (search.entries.search_config reads it here).
    assert backend["SEARCH_CONFIG"] == "russian"


def test_another_engine_by_name_and_no_unknown_one(no_engine):
    no_engine.setenv("SEARCH_URL", "http://search.internal:9200")
    no_engine.setenv("SEARCH_BACKEND", "elasticsearch8")
    assert search_backends()["default"]["BACKEND"] == "wagtail.search.backends.elasticsearch8"
    no_engine.setenv("SEARCH_BACKEND", "solr")
    with pytest.raises(ImproperlyConfigured):
        search_backends()


def test_settings_take_the_engine_from_the_environment(no_engine):
    assert runpy.run_path(str(SETTINGS))["WAGTAILSEARCH_BACKENDS"]["default"]["BACKEND"].endswith(".database")
    no_engine.setenv("SEARCH_URL", SERVERS)
    backends = runpy.run_path(str(SETTINGS))["WAGTAILSEARCH_BACKENDS"]
    assert backends["default"]["BACKEND"] == "wagtail.search.backends.opensearch3"


# --- the backend Wagtail builds --------------------------------------------------------------------------


class RecordingNode(Connection):
    """An OpenSearch node that keeps every request the client sends and answers it at once: searches with the
    courses in `hits`, anything else with an acknowledgement."""

    sent: list = []
    hits: list = []

    def perform_request(self, method, url, params=None, body=None, timeout=None, ignore=(), headers=None):
        RecordingNode.sent.append((method, url, json.loads(body) if body else None))
        if url.endswith("/_search"):
            hits = [{"_id": f"courses.CoursePage:{pk}", "_score": 1.0, "fields": {"pk": [str(pk)]}} for pk in self.hits]
            answer = {"hits": {"total": {"value": len(hits)}, "hits": hits}}
        else:
            answer = {"acknowledged": True, "result": "created"}
        return 200, {}, json.dumps(answer)


@pytest.fixture
def engine(no_engine, settings):
    """Wagtail's OpenSearch backend as SEARCH_URL configures it, its requests going to a `RecordingNode`."""
    no_engine.setenv("SEARCH_URL", "http://search.internal:9200")
    backends = search_backends()
    backends["default"]["OPTIONS"] = {"connection_class": RecordingNode}
    settings.WAGTAILSEARCH_BACKENDS = backends
    no_engine.setattr(RecordingNode, "sent", [])
    no_engine.setattr(RecordingNode, "hits", [])
    return RecordingNode


def test_the_backend_is_wagtails_opensearch_with_the_servers_and_the_analysis(no_engine, settings):
    no_engine.setenv("SEARCH_URL", SERVERS)
    settings.WAGTAILSEARCH_BACKENDS = search_backends()
    backend = get_search_backend()
    assert isinstance(backend, OpenSearch3SearchBackend)
    assert [(host["host"], host["port"], host["use_ssl"], host["verify_certs"]) for host in backend.hosts] == [
        ("search-a.internal", 9200, True, True),
        ("search-b.internal", 9200, True, True),
    ]
    assert backend.hosts[0]["http_auth"] == ("reader", "secret")
    analyzers = backend.settings["settings"]["analysis"]["analyzer"]
    assert {"default", "edgengram_analyzer", "ngram_analyzer"} <= set(analyzers)  # ours beside Wagtail's
    # Courses and lessons are pages: one index holds them, as it holds every page.
    assert backend.get_index_for_model(CoursePage).name == backend.get_index_for_model(LessonPage).name
    assert backend.get_index_for_model(CoursePage).name == "lms_wagtailcore_page"
    assert search_config() == "russian"


def _text_fields(properties: dict, prefix: str = ""):
    for name, field in properties.items():
        if field.get("type") == "nested":
            yield from _text_fields(field["properties"], f"{prefix}{name}.")
        elif field.get("type") == "text":
            yield f"{prefix}{name}", field


def test_every_full_text_field_of_courses_and_lessons_is_analysed_bilingually(engine):
    backend = get_search_backend()
    course = dict(_text_fields(backend.mapping_class(CoursePage).get_mapping()["properties"]))
    lesson = dict(_text_fields(backend.mapping_class(LessonPage).get_mapping()["properties"]))
    assert {"title", "courses_coursepage__summary", "courses_coursepage__description"} <= set(course)
    category_names = "courses_coursepage__category.all_names"  # its names in each language it has one in
    assert {category_names, "owner.name", "_all_text"} <= set(course)
    assert {"title", "courses_lessonpage__body", "_all_text"} <= set(lesson)
    for name, field in (*course.items(), *lesson.items()):
        # No analyzer named: the index's `default`, ours. Only autocomplete's n-grams have their own.
        assert field.get("analyzer") in (None, "edgengram_analyzer"), name
        assert field.get("analyzer") == "edgengram_analyzer" or "edgengrams" not in name, name


def test_the_index_is_created_with_the_analysis_and_a_published_course_is_sent_to_it(engine, make_course):
    index = get_search_backend().get_index_for_model(CoursePage)
    index.put()
    index.add_model(CoursePage)
    method, url, body = engine.sent[0]
    assert (method, url) == ("PUT", "/lms_wagtailcore_page")
    assert body["settings"]["analysis"]["analyzer"]["default"]["filter"][-2:] == ["russian_stemmer", "english_stemmer"]
    assert engine.sent[1][:2] == ("PUT", "/lms_wagtailcore_page/_mapping")

    engine.sent.clear()
    course = make_course(title="Основы программирования", lessons=1)
    documents = {url: body for method, url, body in engine.sent if method in ("PUT", "POST") and "/_doc/" in url}
    sent = documents[f"/lms_wagtailcore_page/_doc/{course.pk}"]
    assert sent["title"] == "Основы программирования"
    lesson = course.lessons()[0]
    assert "Body of lesson 1" in " ".join(
        documents[f"/lms_wagtailcore_page/_doc/{lesson.pk}"]["courses_lessonpage__body"]
    )


def test_wagtails_search_asks_the_engine(engine, make_course):
    course = make_course(title="Основы программирования", lessons=1)
    engine.hits = [course.pk]
    engine.sent.clear()
    assert list(CoursePage.objects.live().search("программирования")[:10]) == [course]
    ((method, url, body),) = engine.sent
    assert url == "/lms_wagtailcore_page/_search"
    assert "программирования" in json.dumps(body, ensure_ascii=False)  # stemmed by the engine, as it indexed


def test_the_catalog_searches_postgresql_not_the_engine(engine, make_course, api, client):
    course = make_course(title="Основы программирования", lessons=1)
    engine.sent.clear()
    listed = api.get("/api/v1/courses/", {"search": "программирование"}).json()
    assert [card["id"] for card in listed["results"]] == [course.pk]
    page = client.get("/search/", {"q": "основа"})
    assert "Основы программирования" in page.content.decode()
    assert engine.sent == []
