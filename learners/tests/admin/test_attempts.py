"""The quiz attempts listing: filters, exports, and each attempt inspected whole."""

import pytest

from learners.tests.admin.helpers import csv_rows, html, xlsx_rows
from quizzes.models import Attempt

pytestmark = pytest.mark.django_db


def test_attempts_list_filter_export_and_inspect_whole(admin_client, portal, student):
    page = html(admin_client.get("/admin/quiz-attempts/"))
    assert page.count("Ада Лавлейс") >= 2 and "Check" in page and "Python: lesson 1" in page

    passed = Attempt.objects.get(passed=True)
    failed = Attempt.objects.get(passed=False)
    only_passed = html(admin_client.get("/admin/quiz-attempts/", {"passed": "true"}))
    assert f"/admin/quiz-attempts/inspect/{passed.pk}/" in only_passed
    assert f"/admin/quiz-attempts/inspect/{failed.pk}/" not in only_passed
    assert "Ада Лавлейс" not in html(admin_client.get("/admin/quiz-attempts/", {"course": portal["other_course"].pk}))
    assert "Ада Лавлейс" in html(admin_client.get("/admin/quiz-attempts/", {"course": portal["course"].pk}))

    inspect = html(admin_client.get(f"/admin/quiz-attempts/inspect/{failed.pk}/"))
    assert "Which keyword defines a function?" in inspect and "Which are immutable?" in inspect
    assert "def starts a function definition." in inspect
    assert "Wrong" in inspect and "tuple" in inspect

    header, *data = csv_rows(admin_client.get("/admin/quiz-attempts/", {"export": "csv"}))
    assert header == [
        "Learner",
        "Email",
        "Quiz",
        "Lesson",
        "Attempt",
        "Score (%)",
        "Pass mark (%)",
        "Passed",
        "Submitted",
    ]
    assert sorted((row[0], row[4], row[5], row[7]) for row in data) == [
        ("Ада Лавлейс", "1", "0", "False"),
        ("Ада Лавлейс", "2", "100", "True"),
    ]
    assert [row[2] for row in xlsx_rows(admin_client.get("/admin/quiz-attempts/", {"export": "xlsx"}))[1:]] == [
        "Check",
        "Check",
    ]


def test_an_attempt_whose_lesson_is_gone_still_lists_and_exports(admin_client, portal, admin_user):
    portal["course"].lessons().first().delete()
    assert Attempt.objects.filter(lesson__isnull=True).count() == 2
    assert "Check" in html(admin_client.get("/admin/quiz-attempts/"))
    assert len(csv_rows(admin_client.get("/admin/quiz-attempts/", {"export": "csv"}))) == 3
