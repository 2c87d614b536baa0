"""The learner's journey on the site: enroll, locked lessons, mark as done, "My learning"."""

import pytest

from learners.models import Certificate, Enrollment, LessonCompletion
from learners.services import learning

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(make_course):
    return make_course(title="Основы Python", lessons=3)


def syllabus_of(html):
    start = html.index('<ol class="syllabus')
    return html[start : html.index("</ol>", start)]


def test_visitors_are_invited_to_log_in_and_from_lessons_shown_the_course_to_start(client, course):
    html = client.get(course.url).content.decode()
    assert "Log in to enroll" in html
    assert "data-state" not in syllabus_of(html)
    lesson = course.lessons().first()
    response = client.get(lesson.url)
    html = response.content.decode()
    assert response.status_code == 403 and course.title in html and "Log in or sign up for free to start." in html
    back_here = f"?next={lesson.url}"
    assert f'href="/accounts/login/{back_here}"' in html and f'href="/accounts/signup/{back_here}"' in html
    assert "Body of lesson 1" not in html


def test_enroll_from_the_course_page_then_see_progress_and_states(client, course, student):
    client.force_login(student)
    assert f'action="/learn/courses/{course.pk}/enroll/"' in client.get(course.url).content.decode()
    response = client.post(f"/learn/courses/{course.pk}/enroll/")
    assert response.status_code == 302 and response["Location"] == course.url
    assert Enrollment.objects.filter(learner=student, course=course).exists()

    first, second, third = course.lessons()
    html = client.get(course.url).content.decode()
    assert 'aria-valuenow="0"' in html
    syllabus = syllabus_of(html)
    assert syllabus.count('data-state="open"') == 1 and syllabus.count('data-state="locked"') == 2
    assert f'href="{third.url}"' not in syllabus  # a locked lesson has no link

    response = client.post(f"/learn/lessons/{first.pk}/complete/")
    assert response.status_code == 302 and response["Location"] == second.url
    html = client.get(course.url).content.decode()
    assert 'aria-valuenow="33"' in html
    syllabus = syllabus_of(html)
    assert 'data-state="done"' in syllabus and syllabus.count('data-state="locked"') == 1
    assert f"Continue: {second.title}" in html


def test_a_locked_lesson_says_which_lesson_opens_it(client, course, student):
    learning.enroll(learner=student, course=course)
    client.force_login(student)
    first, second, third = course.lessons()
    response = client.get(third.url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "This lesson is locked" in html and second.title in html and second.url in html


def test_a_lesson_of_a_course_one_is_not_enrolled_in_offers_enrolling(client, course, student):
    client.force_login(student)
    response = client.get(course.lessons().first().url)
    assert response.status_code == 403
    assert f'action="/learn/courses/{course.pk}/enroll/"' in response.content.decode()


def test_an_open_lesson_shows_its_body_and_mark_as_done(client, course, student):
    learning.enroll(learner=student, course=course)
    client.force_login(student)
    first = course.lessons().first()
    html = client.get(first.url).content.decode()
    assert "Body of lesson 1" in html
    assert f'action="/learn/lessons/{first.pk}/complete/"' in html
    assert "Mark as done and go to the next lesson" in html


def test_completing_a_locked_lesson_on_the_site_is_refused(client, course, student):
    learning.enroll(learner=student, course=course)
    client.force_login(student)
    third = list(course.lessons())[2]
    response = client.post(f"/learn/lessons/{third.pk}/complete/", follow=True)
    assert not LessonCompletion.objects.filter(learner=student).exists()
    assert "first to open this lesson" in response.content.decode()


def test_the_last_lesson_completes_the_course(client, course, student):
    learning.enroll(learner=student, course=course)
    client.force_login(student)
    for lesson in course.lessons():
        response = client.post(f"/learn/lessons/{lesson.pk}/complete/")
    assert response["Location"] == course.url
    html = client.get(course.url).content.decode()
    assert "Course complete!" in html and 'aria-valuenow="100"' in html
    code = Certificate.objects.get(learner=student, course=course).code
    assert f'href="/certificates/{code}/"' in html and "Leave the course" not in html
    assert Enrollment.objects.get(learner=student).completed_at is not None


def test_leave_and_come_back_keeps_progress(client, course, student):
    learning.enroll(learner=student, course=course)
    learning.complete_lesson(learner=student, lesson=course.lessons().first())
    client.force_login(student)
    assert client.post(f"/learn/courses/{course.pk}/leave/").status_code == 302
    assert "Log in to enroll" not in client.get(course.url).content.decode()
    assert client.get(course.lessons().first().url).status_code == 403
    client.post(f"/learn/courses/{course.pk}/enroll/")
    assert 'aria-valuenow="33"' in client.get(course.url).content.decode()


def test_the_teacher_opens_every_lesson_and_sees_no_enroll_button(client, course, teacher):
    client.force_login(teacher)
    assert "You teach this course" in client.get(course.url).content.decode()
    assert client.get(list(course.lessons())[2].url).status_code == 200


def test_enroll_and_complete_need_post_and_login(client, course, student):
    assert client.post(f"/learn/courses/{course.pk}/enroll/").status_code == 302  # to log in
    assert not Enrollment.objects.exists()
    client.force_login(student)
    assert client.get(f"/learn/courses/{course.pk}/enroll/").status_code == 405
    assert client.post("/learn/courses/999999/enroll/").status_code == 404
    assert client.post("/learn/lessons/999999/complete/").status_code == 404


def test_my_learning_lists_courses_with_progress_and_the_next_lesson(client, make_course, student, django_assert_max_num_queries):
    python = make_course(title="Python", lessons=4)
    sql = make_course(title="SQL", lessons=2)
    learning.enroll(learner=student, course=python)
    learning.enroll(learner=student, course=sql)
    learning.complete_lesson(learner=student, lesson=python.lessons().first())
    for lesson in sql.lessons():
        learning.complete_lesson(learner=student, lesson=lesson)
    client.force_login(student)
    with django_assert_max_num_queries(12):
        html = client.get("/learn/").content.decode()
    in_progress = html[html.index("In progress") : html.index('id="completed-title"')]
    assert "Python" in in_progress and 'aria-valuenow="25"' in in_progress
    assert f"Continue: {list(python.lessons())[1].title}" in in_progress
    completed = html[html.index('id="completed-title"') :]
    assert "SQL" in completed


def test_my_learning_needs_login_and_has_an_empty_state(client, student):
    assert client.get("/learn/").status_code == 302
    client.force_login(student)
    assert "You are not taking any course right now." in client.get("/learn/").content.decode()


def test_my_learning_speaks_russian(client, student):
    client.force_login(student)
    html = client.get("/learn/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Моё обучение" in html
