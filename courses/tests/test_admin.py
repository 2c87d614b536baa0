"""Teachers in the Wagtail admin: their own courses are theirs, another teacher's are read-only.

Real requests to Wagtail's admin views, as teacher A against teacher B's course.
"""

import pytest
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CourseIndexPage, CoursePage, HomePage, LessonPage

pytestmark = pytest.mark.django_db


def course_form(**overrides):
    data = {
        "title": "Основы Git",
        "slug": "osnovy-git",
        "summary": "Version control from scratch",
        "description": rich_text("<p>Commits, branches, merges.</p>"),
        "level": "beginner",
        "language": "ru",
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def lesson_form(**overrides):
    data = {
        "title": "Первый коммит",
        "slug": "pervyi-kommit",
        "duration_minutes": 15,
        "body": streamfield([("heading", "Init"), ("text", rich_text("<p>git init</p>"))]),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.fixture
def course_b(make_course, other_teacher):
    """Teacher B's published course with three lessons."""
    return make_course(owner=other_teacher, title="Teacher B's course")


# --- page tree rules --------------------------------------------------------------------------------


def test_page_tree_allows_only_the_planned_shape(catalog):
    home = HomePage.objects.get()
    assert CourseIndexPage.allowed_parent_page_models() == [HomePage]
    assert CoursePage.allowed_parent_page_models() == [CourseIndexPage]
    assert LessonPage.allowed_parent_page_models() == [CoursePage]
    assert home.specific_class.allowed_subpage_models() == [CourseIndexPage]
    assert LessonPage.allowed_subpage_models() == []
    assert not CoursePage.can_create_at(home)
    assert not LessonPage.can_create_at(catalog)
    assert not CourseIndexPage.can_create_at(catalog)  # one catalog only (max_count)


# --- creating ---------------------------------------------------------------------------------------


def test_teacher_creates_and_publishes_a_course_in_the_editor(client, teacher, catalog):
    client.force_login(teacher)
    response = client.post(f"/admin/pages/add/courses/coursepage/{catalog.pk}/", course_form())
    assert response.status_code == 302, response.content.decode()[-3000:]
    course = CoursePage.objects.get(slug="osnovy-git")
    assert not course.live and course.owner == teacher  # no lessons yet: published once confirmed (test_course_editor)
    client.post(f"/admin/pages/{course.pk}/publish-without-lessons/", {"publish_without_lessons": "on"})
    course.refresh_from_db()
    assert course.live

    response = client.post(f"/admin/pages/add/courses/lessonpage/{course.pk}/", lesson_form())
    assert response.status_code == 302
    lesson = LessonPage.objects.get(slug="pervyi-kommit")
    assert lesson.live and lesson.get_parent().pk == course.pk
    assert [block.block_type for block in lesson.body] == ["heading", "text"]


def test_teacher_cannot_put_pages_where_they_do_not_belong(client, teacher, catalog):
    client.force_login(teacher)
    home = HomePage.objects.get()
    response = client.post(f"/admin/pages/add/courses/coursepage/{home.pk}/", course_form())
    assert response.status_code in (302, 403, 404)
    response = client.post(f"/admin/pages/add/courses/lessonpage/{catalog.pk}/", lesson_form())
    assert response.status_code in (302, 403, 404)
    assert not CoursePage.objects.exists() and not LessonPage.objects.exists()


def test_student_cannot_enter_the_admin(client, student, catalog):
    client.force_login(student)
    assert client.get("/admin/").status_code == 302
    response = client.post(f"/admin/pages/add/courses/coursepage/{catalog.pk}/", course_form())
    assert response.status_code == 302
    assert not CoursePage.objects.exists()


# --- another teacher's course -----------------------------------------------------------------------


def test_another_teachers_course_cannot_be_edited(client, teacher, course_b):
    client.force_login(teacher)
    response = client.get(f"/admin/pages/{course_b.pk}/edit/")
    assert response.status_code in (302, 403)
    response = client.post(f"/admin/pages/{course_b.pk}/edit/", course_form(title="Stolen", slug=course_b.slug))
    assert response.status_code in (302, 403)
    course_b.refresh_from_db()
    assert course_b.title == "Teacher B's course"
    assert course_b.get_latest_revision().content["title"] == "Teacher B's course"


def test_another_teachers_course_cannot_be_unpublished_deleted_or_moved(client, teacher, course_b, catalog):
    client.force_login(teacher)
    lesson = course_b.lessons().first()
    assert client.post(f"/admin/pages/{course_b.pk}/unpublish/").status_code in (302, 403)
    assert client.post(f"/admin/pages/{course_b.pk}/delete/").status_code in (302, 403)
    assert client.post(f"/admin/pages/{lesson.pk}/delete/").status_code in (302, 403)
    assert client.post(f"/admin/pages/{lesson.pk}/set_position/?position=2").status_code in (302, 403)
    course_b.refresh_from_db()
    assert course_b.live
    assert LessonPage.objects.filter(pk=lesson.pk, live=True).exists()
    assert course_b.lessons().first().pk == lesson.pk


def test_another_teachers_course_takes_no_new_lessons(client, teacher, course_b):
    client.force_login(teacher)
    response = client.post(f"/admin/pages/add/courses/lessonpage/{course_b.pk}/", lesson_form())
    assert response.status_code in (302, 403)
    assert course_b.get_children().count() == 3


def test_bulk_actions_refuse_another_teachers_pages(client, teacher, course_b):
    client.force_login(teacher)
    lesson_ids = list(course_b.get_children().values_list("pk", flat=True))
    query = "&".join(f"id={pk}" for pk in [course_b.pk, *lesson_ids])
    for action in ("unpublish", "delete"):
        client.post(f"/admin/bulk/wagtailcore/page/{action}/?{query}&next=/admin/", {"include_descendants": "on"})
    course_b.refresh_from_db()
    assert course_b.live
    assert Page.objects.filter(pk__in=lesson_ids, live=True).count() == 3


def test_the_explorer_shows_another_teachers_course_without_edit_links(client, teacher, course_b, catalog):
    client.force_login(teacher)
    response = client.get(f"/admin/pages/{catalog.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Teacher B&#x27;s course" in html or "Teacher B's course" in html
    assert f"/admin/pages/{course_b.pk}/edit/" not in html


def test_teacher_cannot_edit_the_catalog_itself(client, teacher, catalog):
    client.force_login(teacher)
    assert client.get(f"/admin/pages/{catalog.pk}/edit/").status_code in (302, 403)
    assert client.post(f"/admin/pages/{catalog.pk}/unpublish/").status_code in (302, 403)
    catalog.refresh_from_db()
    assert catalog.live


# --- own course -------------------------------------------------------------------------------------


def test_teacher_manages_their_own_course(client, other_teacher, course_b):
    client.force_login(other_teacher)
    first, second, third = course_b.lessons()
    assert client.get(f"/admin/pages/{course_b.pk}/edit/").status_code == 200
    # reorder: lesson 1 to the end
    assert client.post(f"/admin/pages/{first.pk}/set_position/?position=2").status_code == 200
    assert [lesson.pk for lesson in course_b.lessons()] == [second.pk, third.pk, first.pk]
    # unpublish a lesson, then delete it
    assert client.post(f"/admin/pages/{third.pk}/unpublish/").status_code == 302
    assert not LessonPage.objects.get(pk=third.pk).live
    assert client.post(f"/admin/pages/{third.pk}/delete/").status_code == 302
    assert not LessonPage.objects.filter(pk=third.pk).exists()
    # and the whole course
    assert client.post(f"/admin/pages/{course_b.pk}/delete/").status_code == 302
    assert not CoursePage.objects.filter(pk=course_b.pk).exists()


def test_admin_can_edit_any_course_and_reassign_its_teacher(client, admin_user, teacher, course_b):
    client.force_login(admin_user)
    response = client.get(f"/admin/pages/{course_b.pk}/edit/")
    assert response.status_code == 200
    assert 'name="owner"' in response.content.decode()
    data = course_form(title=course_b.title, slug=course_b.slug, owner=teacher.pk)
    response = client.post(f"/admin/pages/{course_b.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    course_b.refresh_from_db()
    assert course_b.owner == teacher


def test_teachers_do_not_see_the_owner_field(client, other_teacher, course_b):
    client.force_login(other_teacher)
    assert 'name="owner"' not in client.get(f"/admin/pages/{course_b.pk}/edit/").content.decode()
