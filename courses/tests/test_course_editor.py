"""The course editor in the Wagtail admin: the course report in its header, and publishing a course without
published lessons only once the editor confirms it."""

import re

import pytest
from wagtail.models import Page

from courses.models import CoursePage
from courses.publishing import NoLessons, check_publishable
from courses.tests.test_admin import course_form

pytestmark = pytest.mark.django_db


def edit_url(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def confirm_url(page) -> str:
    return f"/admin/pages/{page.pk}/publish-without-lessons/"


def live_title(course) -> str:
    return Page.objects.get(pk=course.pk).title


# --- the course report in the header ----------------------------------------------------------------------


def header_of(html: str) -> str:
    return html.split('class="w-slim-header', 1)[1].split("</header>", 1)[0]


@pytest.mark.parametrize("who", ["teacher", "admin_user"])
def test_the_course_editors_header_shows_the_course_report(client, request, make_course, who):
    course = make_course(lessons=1)
    client.force_login(request.getfixturevalue(who))
    header = header_of(client.get(edit_url(course)).content.decode())
    button = re.search(rf'<a[^>]*href="/admin/course-report/{course.pk}/"[^>]*>(.*?)</a>', header, re.S)
    assert button, "no course report button in the header"
    assert "w-header-button" in button.group(0) and "Course report" in button.group(1)


def test_the_report_stays_in_the_actions_menu_and_stays_off_the_lessons_header(client, teacher, make_course):
    course = make_course(lessons=1)
    client.force_login(teacher)
    html = client.get(edit_url(course)).content.decode()
    assert html.count(f'href="/admin/course-report/{course.pk}/"') == 2  # the header and its "…" menu
    lesson_header = header_of(client.get(edit_url(course.lessons().first())).content.decode())
    assert "/admin/course-report/" not in lesson_header


# --- publishing a course without lessons ---------------------------------------------------------------------


def test_the_rule_says_why_with_a_code(make_course):
    empty, full = make_course(title="Empty", lessons=0), make_course(title="Full", lessons=1)
    with pytest.raises(NoLessons) as refused:
        check_publishable(empty)
    assert refused.value.code == "course_has_no_lessons"
    check_publishable(empty, without_lessons=True)
    check_publishable(full)


def test_publishing_a_new_course_asks_first_and_publishes_once_confirmed(client, teacher, catalog):
    client.force_login(teacher)
    response = client.post(f"/admin/pages/add/courses/coursepage/{catalog.pk}/", course_form())
    course = CoursePage.objects.get(slug="osnovy-git")
    assert response.status_code == 302 and response["Location"] == confirm_url(course)
    assert not course.live and course.get_latest_revision() is not None  # kept as a draft

    page = client.get(confirm_url(course))
    assert page.status_code == 200
    html = page.content.decode()
    assert "has no published lessons yet" in html and 'name="publish_without_lessons"' in html

    unticked = client.post(confirm_url(course), {})
    assert unticked.status_code == 200 and "This field is required." in unticked.content.decode()
    course.refresh_from_db()
    assert not course.live

    response = client.post(confirm_url(course), {"publish_without_lessons": "on"})
    assert response.status_code == 302 and response["Location"] == edit_url(course)
    course.refresh_from_db()
    assert course.live and course.title == "Основы Git"


def test_publishing_changes_to_a_live_course_without_live_lessons_asks_and_keeps_them_as_a_draft(
    client, teacher, make_course
):
    course = make_course(title="Lessons unpublished", lessons=1)
    course.lessons().first().unpublish()
    client.force_login(teacher)
    response = client.post(edit_url(course), course_form(title="Renamed", slug=course.slug))
    assert response.status_code == 302 and response["Location"] == confirm_url(course)
    assert live_title(course) == "Lessons unpublished"
    assert CoursePage.objects.get(pk=course.pk).get_latest_revision_as_object().title == "Renamed"
    client.post(confirm_url(course), {"publish_without_lessons": "on"})
    assert live_title(course) == "Renamed"


def test_a_course_with_lessons_publishes_without_a_question(client, teacher, make_course):
    course = make_course(title="Full", lessons=1)
    client.force_login(teacher)
    response = client.post(edit_url(course), course_form(title="Full, renamed", slug=course.slug))
    assert response.status_code == 302 and "publish-without-lessons" not in response["Location"]
    assert live_title(course) == "Full, renamed"


def test_saving_a_draft_of_an_empty_course_asks_nothing(client, teacher, make_course):
    course = make_course(title="Empty", lessons=0)
    client.force_login(teacher)
    data = course_form(title="Empty draft", slug=course.slug)
    del data["action-publish"]
    response = client.post(edit_url(course), data)
    assert response.status_code == 302 and response["Location"] == edit_url(course)


def test_another_teacher_cannot_publish_through_the_confirmation(client, teacher, other_teacher, catalog):
    client.force_login(teacher)
    client.post(f"/admin/pages/add/courses/coursepage/{catalog.pk}/", course_form())
    course = CoursePage.objects.get(slug="osnovy-git")
    client.force_login(other_teacher)
    for response in (client.get(confirm_url(course)), client.post(confirm_url(course), {"publish_without_lessons": "on"})):
        assert response.status_code in (302, 403) and response.get("Location") != edit_url(course)
    course.refresh_from_db()
    assert not course.live


def test_the_confirmation_is_for_courses_only(client, admin_user, make_course):
    lesson = make_course(lessons=1).lessons().first()
    client.force_login(admin_user)
    assert client.get(confirm_url(lesson)).status_code == 404
    assert client.post("/admin/pages/999999/publish-without-lessons/", {"publish_without_lessons": "on"}).status_code == 404


def test_a_course_locked_by_someone_else_is_not_published_through_the_confirmation(
    client, teacher, admin_user, make_course
):
    course = make_course(title="Empty", lessons=0)
    course.unpublish()
    CoursePage.objects.filter(pk=course.pk).first().save_revision(user=teacher)
    page = CoursePage.objects.get(pk=course.pk)
    page.locked, page.locked_by = True, admin_user
    page.save()
    client.force_login(teacher)
    response = client.post(confirm_url(course), {"publish_without_lessons": "on"})
    assert response.status_code in (302, 403) and response.get("Location") != edit_url(course)
    assert not CoursePage.objects.get(pk=course.pk).live
