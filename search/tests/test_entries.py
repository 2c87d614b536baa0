"""The catalog's read model: every change that must reach a course's entry does, at every door, and the check
and the rebuild agree with the pages."""

from importlib import import_module
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from conftest import at_once, client_for
from courses import services
from courses.models import Category, CourseIndexPage, CoursePage, LessonPage
from learners.models import Enrollment
from learners.services import accounts, learning, reviews
from lms.rows import update_rows
from search import entries
from search.models import CatalogEntry, CatalogFacet

pytestmark = pytest.mark.django_db


def entry(course) -> CatalogEntry | None:
    return CatalogEntry.objects.filter(pk=course.pk).first()


def finds(word: str) -> list[int]:
    from search.catalog import matching

    return list(matching(CatalogEntry.objects.all(), word).values_list("pk", flat=True))


def entries_read_or_written(queries) -> list[str]:
    """The statements among captured ones that read or write the entries' table."""
    table = CatalogEntry._meta.db_table
    return [query["sql"] for query in queries if f"INTO {table}" in query["sql"] or f"FROM {table}" in query["sql"]]


@pytest.fixture
def agrees():
    """After the test: the entries are what a rebuild from the pages would write."""
    yield
    assert entries.differences() == []


def test_a_published_course_has_an_entry_a_draft_and_a_deleted_one_none(make_course, teacher, agrees):
    course = make_course(title="Ceramics", lessons=1)
    row = entry(course)
    assert (row.title, row.teacher_id, row.level, row.language, row.path) == (
        "Ceramics",
        teacher.pk,
        "beginner",
        "en",
        course.path,
    )
    assert row.popularity == 0 and row.rating_count == 0 and row.restricted is False
    course.unpublish()
    assert entry(course) is None
    course.refresh_from_db()
    course.get_latest_revision().publish()
    assert entry(course) is not None
    services.delete_page(page=CoursePage.objects.get(pk=course.pk), by=teacher)
    assert not CatalogEntry.objects.filter(pk=course.pk).exists()


def test_edits_of_a_course_and_its_lessons_reach_its_entry(make_course, teacher, programming, agrees):
    course = make_course(title="Pottery", lessons=0)
    services.update_course(
        course=course, by=teacher, title="Glazes", summary="Colour on clay", level="advanced", category=programming
    )
    row = entry(course)
    assert (row.title, row.level, row.category_id) == ("Glazes", "advanced", programming.pk)
    assert finds("glazes") == [course.pk] and finds("pottery") == []
    lesson = services.add_lesson(course=course, by=teacher, title="Kilns", body=[])
    assert finds("kilns") == [course.pk]
    lesson.unpublish()
    assert finds("kilns") == []


def test_a_draft_or_a_lock_leaves_the_entry_unwritten_and_its_publication_reaches_it(make_course, teacher, agrees):
    """Wagtail saves only its books on a page for a draft or a lock (`entries.BOOKKEEPING`): the card still shows what
    is published, and the entry is not rewritten for nothing; publishing the draft rewrites it."""
    course = make_course(title="Weaving", lessons=1)
    lesson = course.get_children().specific().get()
    with CaptureQueriesContext(connection) as queries:
        draft = CoursePage.objects.get(pk=course.pk)
        draft.title = "Tapestry"
        revision = draft.save_revision(user=teacher)
        lesson.title = "Looms"
        lesson.save_revision(user=teacher)
        lesson.locked, lesson.locked_by = True, teacher
        lesson.save(update_fields=["locked", "locked_by"])
    assert not entries_read_or_written(queries)
    assert entry(course).title == "Weaving" and finds("weaving") == [course.pk] and finds("tapestry") == []
    revision.publish(user=teacher)
    assert entry(course).title == "Tapestry" and finds("tapestry") == [course.pk]
    # A page made in the tree directly (a shell, an import): live, it reaches the entry at once; a draft does not.
    course = CoursePage.objects.get(pk=course.pk)
    course.add_child(instance=LessonPage(title="Spindles", slug="spindles", owner=teacher))
    course.add_child(instance=LessonPage(title="Bobbins", slug="bobbins", owner=teacher, live=False))
    assert finds("spindles") == [course.pk] and finds("bobbins") == []


def test_renamed_and_deleted_categories_and_teachers_reach_the_entries(
    make_course, teacher, other_teacher, admin_user, programming, agrees
):
    course = make_course(title="Sorting", category=programming, lessons=0)
    programming.name = "Algorithmics"
    programming.save()
    assert finds("algorithmics") == [course.pk]
    Category.objects.filter(pk=programming.pk).delete()
    assert entry(course).category_id is None and finds("algorithmics") == []

    theirs = make_course(owner=other_teacher, title="Graphs", lessons=0)
    accounts.update_user(user=other_teacher, by=admin_user, name="Edsger Dijkstra")
    assert finds("dijkstra") == [theirs.pk]
    accounts.delete_user(user=other_teacher, by=admin_user)
    assert entry(theirs).teacher_id is None and finds("dijkstra") == []


def test_enrollments_and_ratings_reach_the_entry_at_every_door(make_course, student, other_student, admin_user, agrees):
    course = make_course(title="Chess", lessons=1)
    learning.enroll(learner=student, course=course)
    learning.enroll(learner=other_student, course=course)
    assert entry(course).popularity == 2
    learning.leave(learner=student, course=course)
    assert entry(course).popularity == 1
    learning.enroll(learner=student, course=course)  # back again
    assert entry(course).popularity == 2

    review = reviews.post_review(learner=student, course=course, rating=4)
    reviews.post_review(learner=other_student, course=course, rating=5)
    assert (entry(course).rating_avg, entry(course).rating_count) == (pytest.approx(4.5), 2)
    reviews.hide_review(review=review, by=admin_user)
    assert (entry(course).rating_avg, entry(course).rating_count) == (pytest.approx(5), 1)

    # A cascade: deleting a learner deletes their enrollment (and their review) with no service in between.
    accounts.delete_user(user=other_student, by=admin_user)
    assert entry(course).popularity == 1 and entry(course).rating_count == 0
    Enrollment.objects.filter(course=course).delete()  # a shell's bulk delete
    assert entry(course).popularity == 0


def test_a_bulk_update_of_a_course_or_a_lesson_reaches_its_entry(make_course, agrees):
    course = make_course(title="Juggling", lessons=1)
    update_rows(CoursePage.objects.filter(pk=course.pk), summary="Three balls and a club")
    assert finds("club") == [course.pk]
    update_rows(LessonPage.objects.child_of(course), title="Cascade patterns")
    assert finds("cascade") == [course.pk]


def test_a_view_restriction_marks_the_entries_below_it(make_course, catalog, agrees):
    course = make_course(title="Secret", lessons=0)
    restriction = PageViewRestriction.objects.create(page=catalog, restriction_type=PageViewRestriction.LOGIN)
    assert entry(course).restricted is True
    restriction.delete()
    assert entry(course).restricted is False
    group = Group.objects.create(name="Insiders")
    restriction = PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    assert entry(course).restricted is True


def test_a_moved_course_follows_its_new_place(make_course, catalog, teacher, agrees):
    course = make_course(title="Nomad", lessons=1)
    other = catalog.get_parent().add_child(instance=CourseIndexPage(title="Archive", slug="archive"))
    CoursePage.objects.get(pk=course.pk).move(other, pos="last-child")
    moved = CoursePage.objects.get(pk=course.pk)
    assert entry(course).path == moved.path and moved.path.startswith(other.path)
    assert list(CatalogEntry.objects.under(other).values_list("pk", flat=True)) == [course.pk]
    assert not CatalogEntry.objects.under(catalog).exists()


def test_the_check_finds_a_tampered_entry_and_the_rebuild_mends_it(make_course):
    course = make_course(title="Knots", lessons=1)
    gone = make_course(title="Sails", lessons=0)
    CatalogEntry.objects.filter(pk=course.pk).update(title="Wrong", popularity=7, search=None)
    CatalogEntry.objects.filter(pk=gone.pk).delete()
    out = StringIO()
    with pytest.raises(CommandError, match="2 catalog entries differ"):
        call_command("catalog_entries", "--check", stdout=out)
    assert f"course {course.pk}: title, popularity, search differ" in out.getvalue()
    assert f"course {gone.pk}: no entry" in out.getvalue()

    call_command("catalog_entries", "--rebuild", stdout=StringIO())
    assert entries.differences() == []
    call_command("catalog_entries", "--check", stdout=(out := StringIO()))
    assert "agree" in out.getvalue()
    assert finds("knots") == [course.pk] and finds("sails") == [gone.pk]


def test_the_search_is_answered_from_the_gin_index(make_course):
    make_course(title="Программирование на Python", language="ru", lessons=1)
    from search.catalog import matching

    sql, params = matching(CatalogEntry.objects.all(), "программирования").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "catalog_search" in plan, plan


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_enrollments_at_once_both_count(make_course, student, other_student):
    course = make_course(title="Rowing", lessons=1)
    clients = [client_for(student), client_for(other_student)]
    responses = at_once(
        [lambda client=client: client.post(f"/api/v1/courses/{course.pk}/enroll/") for client in clients]
    )
    assert [response.status_code for response in responses] == [201, 201]
    assert entry(course).popularity == 2
    assert entries.differences() == []


def test_the_wagtail_admin_door_keeps_the_entries(client, make_course, admin_user, agrees):
    from courses.tests.test_admin import course_form

    course = make_course(title="Archery", lessons=1)
    client.force_login(admin_user)
    # A draft saved and the page locked in the editor: the card keeps what is published, and no entry is rewritten.
    draft = course_form(title="Longbows", slug=course.slug, language="en")
    del draft["action-publish"]
    with CaptureQueriesContext(connection) as queries:
        assert client.post(f"/admin/pages/{course.pk}/edit/", draft).status_code == 302
        assert client.post(f"/admin/pages/{course.pk}/lock/").status_code == 302
    assert CoursePage.objects.get(pk=course.pk).locked
    assert not entries_read_or_written(queries)
    assert entry(course).title == "Archery" and finds("longbows") == []
    assert client.post(f"/admin/pages/{course.pk}/unlock/").status_code == 302
    published = client.post(f"/admin/pages/{course.pk}/edit/", course_form(title="Longbows", slug=course.slug))
    assert published.status_code == 302
    assert entry(course).title == "Longbows" and finds("longbows") == [course.pk]
    response = client.post(f"/admin/pages/{course.pk}/unpublish/", {"include_descendants": "on"})
    assert response.status_code == 302 and entry(course) is None
    CoursePage.objects.get(pk=course.pk).get_latest_revision().publish()
    assert entry(course) is not None
    response = client.post(f"/admin/pages/{course.pk}/delete/")
    assert response.status_code == 302 and not CoursePage.objects.filter(pk=course.pk).exists()
    assert entry(course) is None


@pytest.mark.parametrize("params", [{}, {"search": "course", "level": "beginner"}, {"ordering": "-rating"}])
def test_an_uncached_catalog_page_reads_the_entries_in_a_few_queries(
    api, make_course, make_image, programming, settings, params, django_assert_max_num_queries
):
    """With the cache off every request computes: the facets and the total (1), the labels of the categories and
    teachers found (2), the page of entries with their courses (1), the covers' renditions (1), and for "best
    rated" the catalog's mean rating (1)."""
    settings.CATALOG_CACHE = False
    for number in range(3):
        make_course(title=f"Course {number}", lessons=1, cover_image=make_image(f"c{number}"), category=programming)
    api.get("/api/v1/courses/", params)  # renditions are made on the first read
    with django_assert_max_num_queries(6) as captured:
        body = api.get("/api/v1/courses/", params).json()
    assert body["count"] == 3 and len(body["results"]) == 3
    assert body["facets"]["category"] == [{"value": "programming", "label": "Programming", "count": 3}]
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "search_catalogentry" in tables and "search_catalog_generation" not in tables  # no cache, no generation


def test_the_entries_keep_their_vectors_out_of_the_heap_and_the_course_and_title_vectors_in_it():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [CatalogEntry._meta.db_table])
        assert "toast_tuple_target=128" in cursor.fetchone()[0]
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = %s::regclass AND attname LIKE %s",
            [CatalogEntry._meta.db_table, "%search"],
        )
        # TOAST allowed / kept in the row
        assert dict(cursor.fetchall()) == {"search": "x", "course_search": "m", "title_search": "m"}


def test_the_course_vector_is_the_course_part_of_the_whole_vector(make_course, teacher, programming, agrees):
    """What the migration that added `course_search` filled it with is what the entries' writes put there."""
    course = make_course(
        title="Программирование на Python",
        summary="Основы языка",
        description="<p>Functions, classes and modules</p>",
        category=programming,
        lessons=0,
    )
    services.add_lesson(course=course, by=teacher, title="Классы", body=[{"type": "text", "value": "<p>Python</p>"}])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE search_catalogentry SET course_search = ts_filter(search, '{a,b,c}')")
    assert CatalogEntry.objects.filter(course_search__isnull=False).count() == 1


def test_the_title_vector_the_migration_fills_is_the_one_the_entries_write(make_course, teacher, agrees):
    make_course(title="Программирование на Python", summary="Основы языка", lessons=1)
    make_course(title="Ceramics", lessons=0)
    CatalogEntry.objects.update(title_search=None)
    with connection.schema_editor() as editor:
        import_module("search.migrations.0008_catalog_title_vector").fill(None, editor)
    assert CatalogEntry.objects.filter(title_search__isnull=True).count() == 0


# --- the facet counts (search.models.CatalogFacet, kept by triggers) ---------------------------------------------


def facet_rows() -> dict:
    """The facet counts' rows: key → (xmin, courses, ratings), xmin being the transaction that last wrote the row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT catalog_path, restricted, category_id, level, language, teacher_id, xmin::text, courses, ratings "
            f"FROM {CatalogFacet._meta.db_table}"
        )
        return {tuple(row[:6]): tuple(row[6:]) for row in cursor.fetchall()}


def test_the_facet_counts_follow_the_entries_and_the_check_finds_a_tampered_one(
    make_course, catalog, teacher, programming, agrees
):
    course = make_course(title="Weaving", category=programming, lessons=0)
    make_course(title="Dyeing", category=programming, lessons=0)
    key = (catalog.path, False, programming.pk, "beginner", "en", teacher.pk)
    assert facet_rows()[key][1:] == (2, 0)
    services.update_course(course=course, by=teacher, level="advanced")
    assert facet_rows()[key][1] == 1 and facet_rows()[(*key[:3], "advanced", *key[4:])][1] == 1
    # Rolled up: the catalog's total, and its advanced courses in any category, language and by any teacher.
    assert facet_rows()[(catalog.path, False, -1, "*", "*", -1)][1] == 2
    assert facet_rows()[(catalog.path, False, -1, "advanced", "*", -1)][1] == 1

    finest = {"category_id": programming.pk, "language": "en", "teacher_id": teacher.pk}
    update_rows(CatalogFacet.objects.filter(level="advanced", **finest), courses=5)
    assert entries.differences() == [
        f"facet counts of counted: catalog_path {catalog.path}, restricted False, category_id {programming.pk}, "
        f"level advanced, language en, teacher_id {teacher.pk}, courses 5, ratings 0, rating_points 0.00",
        f"facet counts of entries: catalog_path {catalog.path}, restricted False, category_id {programming.pk}, "
        f"level advanced, language en, teacher_id {teacher.pk}, courses 1, ratings 0, rating_points 0.00",
    ]
    with pytest.raises(CommandError, match="2 catalog entries differ"):
        call_command("catalog_entries", "--check", stdout=StringIO())
    call_command("catalog_entries", "--rebuild", stdout=StringIO())
    assert facet_rows()[(*key[:3], "advanced", *key[4:])][1] == 1


def test_an_enrollment_writes_no_facet_count_and_a_rating_only_its_finest_one(make_course, student, rate, agrees):
    course = make_course(title="Knitting", lessons=1)
    before = facet_rows()
    learning.enroll(learner=student, course=course)
    assert entry(course).popularity == 1
    assert facet_rows() == before  # not even rewritten: enrollments never wait on these rows
    rate(course, 4.5, 2)
    after = facet_rows()
    (finest,) = [key for key in before if -1 not in key and "*" not in key]
    assert after[finest][1:] == (1, 2)
    # The 15 rolled-up rows are not rewritten either: reviews of different courses share no row.
    assert len(before) == 16 and {key: after[key] for key in before if key != finest} == {
        key: row for key, row in before.items() if key != finest
    }
    from search.filters import rating_prior

    assert rating_prior() == pytest.approx((4.5 * 2 + 10 * 3.0) / 12)


def test_the_facets_of_the_unsearched_catalog_read_the_counts_not_every_entry(
    api, make_course, programming, settings, django_assert_max_num_queries
):
    settings.CATALOG_CACHE = False
    for number in range(3):
        make_course(title=f"Course {number}", lessons=0, category=programming)
    with django_assert_max_num_queries(6) as browsed:
        assert api.get("/api/v1/courses/", {"level": "beginner"}).json()["count"] == 3
    (statement,) = [query["sql"] for query in browsed.captured_queries if '"search_catalogfacet"' in query["sql"]]
    assert "GROUPING SETS" not in statement  # looked up, not counted
    assert '"search_catalogentry"."restricted"' in statement  # the entries it reads are the restricted ones
    with django_assert_max_num_queries(6) as searched:
        assert api.get("/api/v1/courses/", {"search": "course"}).json()["count"] == 3
    (statement,) = [query["sql"] for query in searched.captured_queries if "GROUPING SETS" in query["sql"]]
    assert '"search_catalogfacet"' not in statement  # a search counts its matches


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_courses_published_at_once_both_count(make_course, catalog, teacher):
    first, second = make_course(title="Sewing", lessons=0), make_course(title="Quilting", lessons=0)
    for course in (first, second):
        course.unpublish()
    key = (catalog.path, False, 0, "beginner", "en", teacher.pk)
    assert facet_rows()[key][1] == 0

    def publish(pk):
        return CoursePage.objects.get(pk=pk).get_latest_revision().publish()

    at_once([lambda: publish(first.pk), lambda: publish(second.pk)])
    assert facet_rows()[key][1] == 2
    assert entries.differences() == []
