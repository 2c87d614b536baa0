"""The catalog's cached answers (facet counts, totals, pages of cards): reused while nothing changes, never stale after a change."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.models import CoursePage
from learners.models import Enrollment, Role
from learners.services import reviews
from learners.tests.factories import UserFactory
from search.cache import CATALOG, SEQUENCES, cached, catalog_changed, generation

pytestmark = pytest.mark.django_db

COURSES = "/api/v1/courses/"


def catalog(api, **params):
    response = api.get(COURSES, params)
    assert response.status_code == 200, response.content
    return response.json()


def counts(body, facet):
    return {entry["value"]: entry["count"] for entry in body["facets"][facet]}


def test_a_repeated_catalog_page_reuses_the_counts_and_the_search(api, make_course, teacher):
    make_course(title="Python basics", lessons=1)
    make_course(title="Python web", lessons=1)
    for params in ({}, {"search": "python"}, {"search": "python", "level": "beginner", "page_size": 1}):
        first = catalog(api, **params)
        with CaptureQueriesContext(connection) as again:
            assert catalog(api, **params) == first
        # No COUNT, no search, no facets, no page of courses: all of it is cached. The one query reads the
        # catalog's generation, once for the whole request, where every process sees it.
        assert generation_reads(again) == 1 and len(again.captured_queries) == 1
        assert first["count"] == 2

    # Sorted by popularity, the page follows enrollments, which are not catalog changes: it is read each time.
    catalog(api, ordering="-popularity")
    with CaptureQueriesContext(connection) as again:
        catalog(api, ordering="-popularity")
    assert generation_reads(again) == 1 and len(again.captured_queries) == 2


def generation_reads(queries) -> int:
    return sum(SEQUENCES[CATALOG] in query["sql"] for query in queries.captured_queries)


def test_cached_cards_follow_edits_and_depend_on_the_host(api, make_course, teacher, make_image, settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    course = make_course(title="Python basics", lessons=1)
    assert catalog(api)["results"][0]["title"] == "Python basics"
    services.update_course(course=course, by=teacher, title="Python, the basics")
    assert catalog(api)["results"][0]["title"] == "Python, the basics"
    services.update_course(course=CoursePage.objects.get(pk=course.pk), by=teacher, cover_image=make_image("c"))
    assert catalog(api)["results"][0]["cover"].startswith("http://testserver/")
    other_host = api.get(COURSES, HTTP_HOST="127.0.0.1").json()
    assert other_host["results"][0]["cover"].startswith("http://127.0.0.1/")


def test_the_total_and_facets_follow_every_change_to_the_catalog(api, make_course, teacher, other_teacher, programming):
    python = make_course(title="Python basics", lessons=1, category=programming)
    assert catalog(api)["count"] == 1

    other = make_course(owner=other_teacher, title="Go basics", lessons=1, level="advanced")  # published
    body = catalog(api)
    assert body["count"] == 2 and counts(body, "level") == {"beginner": 1, "advanced": 1}

    other.unpublish()
    assert catalog(api)["count"] == 1

    programming.name = "Software"
    programming.save()
    assert catalog(api)["facets"]["category"][0]["label"] == "Software"

    teacher.name = "Barbara Liskov"
    teacher.save()
    assert catalog(api)["facets"]["teacher"][0]["label"] == "Barbara Liskov"

    student = UserFactory(role=Role.STUDENT)
    Enrollment.objects.create(learner=student, course=python, course_title=python.title)
    assert catalog(api, min_rating=4)["count"] == 0
    reviews.post_review(learner=student, course=python, rating=5)
    assert catalog(api, min_rating=4)["count"] == 1

    services.delete_page(page=CoursePage.objects.get(pk=python.pk), by=teacher)
    assert catalog(api)["count"] == 0


def test_search_results_follow_new_lessons_and_moves(api, make_course, teacher, catalog):
    course = make_course(title="Data", lessons=0)
    assert catalog_ids(api, "dataframes") == []
    services.add_lesson(
        course=course, by=teacher, title="Pandas", body=[{"type": "text", "value": "<p>DataFrames</p>"}]
    )
    assert catalog_ids(api, "dataframes") == [course.pk]

    # Moved out of the catalog (under the home page): no longer one of its courses on the site.
    home = catalog.get_parent()
    page = CoursePage.objects.get(pk=course.pk)
    generation_before = generation()
    page.move(home, pos="last-child")
    assert generation() != generation_before


def catalog_ids(api, query):
    return [course["id"] for course in catalog(api, search=query)["results"]]


def test_answers_computed_inside_a_transaction_do_not_outlive_its_commit(django_capture_on_commit_callbacks):
    """Another process may cache what it reads while a change is being committed: the commit drops it."""
    with django_capture_on_commit_callbacks(execute=True):
        catalog_changed()
        during = generation()
        assert cached("test", ("k",), lambda: "computed during the transaction") == "computed during the transaction"
    assert generation() != during
    assert cached("test", ("k",), lambda: "computed after") == "computed after"


def test_update_index_starts_a_new_generation(make_course):
    make_course(title="Anything", lessons=0)
    before = generation()
    call_command("update_index", stdout=None)
    assert generation() != before


def test_a_lost_generation_is_made_again(make_course):
    cache.delete(CATALOG)
    first = generation()
    assert first and generation() == first


def test_one_request_computes_a_missing_entry_while_the_others_wait():
    computed = []
    arrived = threading.Barrier(4)

    def compute():
        computed.append(threading.get_ident())
        time.sleep(0.3)  # long enough for the other three to find it missing
        return "the answer"

    def ask(_):
        arrived.wait()
        return cached("test", ("herd",), compute)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(ask, range(4)))
    assert answers == ["the answer"] * 4
    assert len(computed) == 1


def test_images_and_deleted_categories_start_a_new_generation(make_image, programming):
    image = make_image("cover")
    before = generation()
    image.title = "Another title"
    image.save()
    assert generation() != before
    before = generation()
    programming.delete()
    assert generation() != before


@pytest.mark.parametrize("page", ["2", "0", "abc", "99999999999999999999"])
def test_pages_out_of_range_are_a_404_whatever_is_cached(api, make_course, page):
    make_course(title="Only one", lessons=0)
    assert catalog(api)["count"] == 1
    assert catalog(api, page=1)["count"] == 1  # page 1 now cached, under its own key
    for _ in range(2):  # the second time too: an error is never cached
        response = api.get(COURSES, {"page": page})
        assert response.status_code == 404
