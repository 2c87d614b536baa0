"""The catalog is never stale, whichever process answers and whatever changed: its generation lives in the
database, and what changes it is derived from one declared list of what the catalog reads
(`search.cache.CATALOG_READS`), bulk updates and cascades included."""

import ast
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from wagtail.models import Site

from courses import services
from courses.models import CoursePage
from courses.serializers import COVER_SPEC
from learners.models import Enrollment, Review
from learners.services import reviews
from lms.rows import update_rows
from search.cache import (
    CATALOG_READS,
    begin_request,
    catalog_changed,
    end_request,
    generation,
    reads_of,
)

pytestmark = pytest.mark.django_db

COURSES = "/api/v1/courses/"


@contextmanager
def process(name: str):
    """Answer as another worker process would: with a local-memory cache of its own."""
    caches = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name},
    }
    with override_settings(CACHES=caches):
        yield


def cards(api, **params) -> dict:
    response = api.get(COURSES, params)
    assert response.status_code == 200, response.content
    return {card["title"]: card for card in response.json()["results"]}


def test_a_course_published_through_one_process_is_listed_at_once_by_another(api, make_course, teacher):
    make_course(title="Python basics", lessons=1)
    with process("first"):
        assert set(cards(api)) == {"Python basics"}  # computed and kept in the first process's memory
        assert set(cards(api, search="basics")) == {"Python basics"}
    with process("second"):
        make_course(title="Go basics", lessons=1)  # published through the second one
        assert set(cards(api)) == {"Python basics", "Go basics"}
    with process("first"):
        assert set(cards(api)) == {"Python basics", "Go basics"}
        assert set(cards(api, search="basics")) == {"Python basics", "Go basics"}


def test_a_rating_changed_through_one_process_is_seen_at_once_by_another(api, make_course, student, admin_user):
    course = make_course(title="Python", lessons=1)
    Enrollment.objects.create(learner=student, course=course, course_title=course.title)
    review = reviews.post_review(learner=student, course=course, rating=4)
    with process("first"):
        assert cards(api)["Python"]["rating_avg"] == 4.0
        assert set(cards(api, min_rating=4)) == {"Python"}
    with process("second"):
        reviews.hide_review(review=review, by=admin_user)
    with process("first"):
        assert cards(api)["Python"]["rating_avg"] is None
        assert set(cards(api, min_rating=4)) == set()
    with process("second"):
        reviews.hide_review(review=review, by=admin_user, hidden=False)
    with process("first"):
        assert cards(api)["Python"]["rating_avg"] == 4.0
    reviews.delete_review(review=Review.objects.get(pk=review.pk), by=student)
    with process("first"):
        assert cards(api)["Python"]["rating_count"] == 0


def test_the_generation_is_read_once_per_request_and_again_after_a_change_in_it(django_assert_num_queries):
    begin_request()
    try:
        with django_assert_num_queries(1):
            before = generation(), generation()
        catalog_changed()
        with django_assert_num_queries(1):
            after = generation(), generation()
        assert before[0] == before[1] and after[0] == after[1] != before[0]
    finally:
        end_request()
    with django_assert_num_queries(2):  # outside a request (a shell, a task), never kept
        generation(), generation()


# --- bulk updates ------------------------------------------------------------------------------------------


def test_bulk_updates_through_update_rows_refresh_the_catalog(api, make_course):
    course = make_course(title="Python", lessons=0)
    assert cards(api)["Python"]["summary"] == "About Python"
    assert set(cards(api, search="python")) == {"Python"}

    catalog_before = generation()
    update_rows(CoursePage.objects.filter(pk=course.pk), rating_avg=4.5, rating_count=2)
    assert generation() != catalog_before
    assert cards(api)["Python"]["rating_avg"] == 4.5
    assert cards(api, min_rating=4)["Python"]["rating_avg"] == 4.5  # the catalog's entry follows too

    catalog_before = generation()
    update_rows(CoursePage.objects.filter(pk=course.pk), summary="Snakes and ladders")
    assert generation() != catalog_before
    assert cards(api)["Python"]["summary"] == "Snakes and ladders"

    catalog_before = generation()
    update_rows(Enrollment.objects.all(), left_at=None)  # not read by the catalog (and no rows): no new generation
    assert generation() == catalog_before


PROJECT = Path(settings.BASE_DIR)
APPS = ("courses", "learners", "quizzes", "search", "lms", "bench")


def _bulk_updates(tree: ast.AST) -> list[int]:
    """Lines calling `.update(...)` on something that looks like a queryset: `X.objects...update(`,
    `....filter(...).update(`, and the like (a dict's `update` has no such receiver)."""
    querysets = {"objects", "filter", "exclude", "all", "select_for_update", "only", "defer", "order_by", "none"}
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update":
            receiver = node.func.value
            while isinstance(receiver, ast.Call):
                receiver = receiver.func
            if isinstance(receiver, ast.Attribute) and receiver.attr in querysets:
                lines.append(node.lineno)
    return lines


def test_the_portal_updates_rows_in_bulk_only_through_update_rows():
    """`QuerySet.update` sends no signal; the catalog hears of bulk updates through `lms.rows.update_rows`."""
    found = []
    for app in APPS:
        for path in (PROJECT / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts or path == PROJECT / "lms" / "rows.py":
                continue
            found += [f"{path.relative_to(PROJECT)}:{line}" for line in _bulk_updates(ast.parse(path.read_text()))]
    assert found == []


def test_the_rule_finds_a_bulk_update():
    code = "Course.objects.filter(pk=1).update(title='x')\nrows.update({'a': 1})\nqs.all().update(x=1)"
    assert _bulk_updates(ast.parse(code)) == [1, 3]


# --- the declared list ----------------------------------------------------------------------------------------


def test_every_relation_a_card_reads_is_declared():
    declared = {reads.model.lower() for reads in CATALOG_READS}
    related = CoursePage.objects.all().with_card_data(COVER_SPEC).query.select_related
    for name in related:
        model = CoursePage._meta.get_field(name).related_model
        assert model._meta.label_lower in declared, name
    assert reads_of(CoursePage)  # a course, and the page it is
    assert {r.model for r in reads_of(CoursePage)} >= {"wagtailcore.Page", "courses.CoursePage"}


def test_cascades_refresh_the_cards(api, make_course, make_image, programming):
    course = make_course(title="Python", lessons=0, category=programming)
    services.update_course(course=CoursePage.objects.get(pk=course.pk), by=course.owner, cover_image=make_image("c"))
    card = cards(api)["Python"]
    assert card["cover"] and card["category"]["name"] == "Programming"

    CoursePage.objects.get(pk=course.pk).cover_image.delete()  # the course's cover_image is set to NULL
    programming.delete()  # and so is its category
    card = cards(api)["Python"]
    assert card["cover"] is None and card["category"] is None


def test_a_changed_site_address_refreshes_the_cards(make_course):
    make_course(title="Python", lessons=0)
    before = generation()
    site = Site.objects.get(is_default_site=True)
    site.port = 8443
    site.save()
    assert generation() != before


def test_a_saved_user_whose_name_did_not_change_leaves_the_catalog_alone(student, teacher):
    before = generation()
    student.last_login = None
    student.save()
    teacher.save(update_fields=["role"])
    assert generation() == before
    teacher.name = "Grace Hopper"
    teacher.save()
    assert generation() != before
