"""Fixtures shared by this package's tests.

* The attack tests' world (test_attacks.py, test_site_attacks.py); test_role_matrix.py and
  test_schemathesis.py have a `world` of their own.
* The browser journeys' headless Chromium, the pages it opens on the live server, and the learner's
  course (test_browser_journey.py).
"""

import os

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from courses import services as course_services
from learners.models import Review, Role
from learners.services import learning
from learners.tests.factories import UserFactory
from lms.tests.browser_steps import upload_video
from quizzes.services import replace_quiz

from .browser import (
    ADMIN_VIEWPORT,
    SITE_VIEWPORT,
    forget_failures,
    keep_failure,
    launch,
    new_page,
    serve_current_settings,
)


@pytest.fixture
def world(make_course, student, teacher):
    course = make_course(owner=teacher, title="Course", lessons=2)
    first, second = course.lessons()
    replace_quiz(
        lesson=second,
        by=teacher,
        title="Q",
        questions=[{"text": "?", "kind": "single", "choices": [{"text": "a", "correct": True}, {"text": "b"}]}],
    )
    learning.enroll(learner=student, course=course)
    learning.complete_lesson(learner=student, lesson=first)
    review = Review.objects.create(learner=student, course=course, rating=4)
    return {"course": course.pk, "lesson1": first.pk, "lesson2": second.pk, "review": review.pk, "student": student.pk}


@pytest.fixture
def browser(transactional_db):
    """A headless Chromium for one test, started after its database is set up and stopped before the
    database is flushed (hence `transactional_db` here: it orders the two).

    Playwright's sync API keeps an asyncio loop running in this thread while it is started. Two things
    follow. Django refuses ORM calls in a thread with a running loop ("You cannot call this from an
    async context"): the test's own database work is plain synchronous code that merely shares the
    thread with that loop, so the guard is lifted while the browser runs, and restored. And Django's
    connections are asgiref locals, kept per async context while a loop runs: the test body gets other
    connection objects than the test case's set-up and tear-down. Those must not run under the loop
    (the flush would lose track of the serialized data and re-create content types, breaking the next
    `serialized_rollback` test), hence a browser per test rather than per module, and the connections
    opened under the loop are closed before it stops.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = launch(playwright)
            try:
                yield chromium
            finally:
                chromium.close()
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def open_page(browser, live_server, request):
    """Opens pages on the live server, each in a fresh browser profile; closes them after the test.

    When the test failed, every page it opened is kept as artifacts/screenshots/failed-<test>-<n>.png
    (pytest counts a failed call before fixtures are torn down).
    """
    base_url = serve_current_settings(live_server)
    forget_failures(request.node.name)
    opened = []
    failed_before = request.session.testsfailed

    def open_page(*, admin: bool = False):
        page = new_page(browser, base_url, viewport=ADMIN_VIEWPORT if admin else SITE_VIEWPORT)
        opened.append(page)
        return page

    yield open_page
    for number, page in enumerate(opened, start=1):
        if request.session.testsfailed > failed_before and not page.is_closed():
            keep_failure(page, request.node.name, number)
        page.context.close()


@pytest.fixture
def stargazing(catalog):
    """A course of three lessons: text and a real video; a quiz (2 questions, pass mark 100); text."""
    teacher = UserFactory(role=Role.TEACHER, name="Anna Lindqvist")
    video = upload_video("First light", by=teacher)
    course = course_services.create_course(
        teacher=teacher, title="Stargazing Basics", summary="Find your way around the night sky.", level="beginner"
    )
    first = course_services.add_lesson(
        course=course,
        by=teacher,
        title="Looking up",
        body=[
            {"type": "text", "value": "<p>Let your eyes adapt to the dark.</p>"},
            {"type": "video", "value": video.pk},
        ],
        duration_minutes=5,
    )
    second = course_services.add_lesson(
        course=course, by=teacher, title="The Moon", body=[{"type": "text", "value": "<p>Our neighbour.</p>"}]
    )
    replace_quiz(
        lesson=second,
        by=teacher,
        title="Moon check",
        pass_mark=100,
        questions=[
            {
                "text": "What lights the Moon?",
                "kind": "single",
                "choices": [{"text": "The Sun", "correct": True}, {"text": "The Earth's core"}],
            },
            {
                "text": "How long is a lunar month, roughly?",
                "kind": "single",
                "choices": [{"text": "A week"}, {"text": "29.5 days", "correct": True}],
            },
        ],
    )
    third = course_services.add_lesson(
        course=course, by=teacher, title="Planets", body=[{"type": "text", "value": "<p>Wanderers of the sky.</p>"}]
    )
    return course, (first, second, third)
