"""Spreadsheet exports of the Wagtail admin (lms/spreadsheets.py): what learners and teachers typed never
becomes a live formula, in CSV or XLSX, and a CSV opens in Excel with its Cyrillic intact."""

import csv
import io

import openpyxl
import pytest
from django.urls import URLResolver, get_resolver, resolve
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from learners.models import Certificate, Role
from learners.services import learning, reviews
from learners.tests.factories import UserFactory
from lms import spreadsheets
from quizzes.services import replace_quiz

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://x","y")'
CYRILLIC = "Ёлка Иванова"
TEACHER = "-teacher " + HOSTILE
BOM = "\ufeff".encode()
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUIZ_TITLE = "+1+cmd|' /C calc'!A0"  # a heading of the course report
COURSE_TITLE = "@SUM(1,2)"  # a page title in Wagtail's own reports
QUESTIONS = [
    {"text": "2 + 2?", "kind": "single", "choices": [{"text": "4", "correct": True}, {"text": "5"}]},
]


@pytest.fixture
def course(make_course):
    teacher = UserFactory(role=Role.TEACHER, name=TEACHER)
    course = make_course(owner=teacher, title=COURSE_TITLE, lessons=2)
    quiz = replace_quiz(
        lesson=course.lessons().first(), by=teacher, title=QUIZ_TITLE, questions=QUESTIONS, pass_mark=100
    )
    for name, text in [(HOSTILE, "@everyone -1 star"), (CYRILLIC, "Понятно и по делу")]:
        learner = UserFactory(role=Role.STUDENT, name=name, email=f"{len(name)}@example.com")
        learning.enroll(learner=learner, course=course)
        correct = [choice.pk for choice in quiz.questions.get().choices.filter(is_correct=True)]
        learning.submit_quiz(
            learner=learner, lesson=quiz.lesson, answers=[{"question": quiz.questions.get().pk, "choices": correct}]
        )
        for lesson in course.lessons()[1:]:
            learning.complete_lesson(learner=learner, lesson=lesson)
        reviews.post_review(learner=learner, course=course, rating=4, text=text)
    assert Certificate.objects.filter(course=course).count() == 2
    return course


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def csv_cells(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_cells(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows())
    assert all(cell.data_type != "f" for row in rows for cell in row), "a formula in the XLSX"
    return [[cell.value for cell in row] for row in rows]


EXPORTS = {
    "enrollments": lambda course: "/admin/enrollments/",
    "quiz attempts": lambda course: "/admin/quiz-attempts/",
    "certificates": lambda course: "/admin/certificates/",
    "reviews": lambda course: "/admin/reviews/",
    "course report": lambda course: f"/admin/course-report/{course.pk}/",
}


@pytest.mark.parametrize("export", EXPORTS)
def test_learner_names_export_as_text_with_cyrillic_intact(admin_client, course, export):
    url = EXPORTS[export](course)

    rows = csv_cells(admin_client.get(url, {"export": "csv"}))
    cells = [cell for row in rows for cell in row]
    assert "'" + HOSTILE in cells and CYRILLIC in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]

    rows = xlsx_cells(admin_client.get(url, {"export": "xlsx"}))
    cells = [cell for row in rows for cell in row]
    assert HOSTILE in cells and CYRILLIC in cells  # typed as text, shown as written


def test_headings_are_text_too(admin_client, course):
    url = f"/admin/course-report/{course.pk}/"
    header = csv_cells(admin_client.get(url, {"export": "csv"}))[0]
    assert f"'{QUIZ_TITLE}: best score (%)" in header and f"'{QUIZ_TITLE}: passed" in header
    header = xlsx_cells(admin_client.get(url, {"export": "xlsx"}))[0]
    assert f"{QUIZ_TITLE}: best score (%)" in header


def test_reviews_text_starting_like_a_formula_is_text(admin_client, course):
    cells = [cell for row in csv_cells(admin_client.get("/admin/reviews/", {"export": "csv"})) for cell in row]
    assert "'@everyone -1 star" in cells and "Понятно и по делу" in cells


WAGTAIL_REPORTS = {
    "/admin/reports/site-history/": [COURSE_TITLE, TEACHER],  # who did what to which page
    "/admin/reports/aging-pages/": [COURSE_TITLE],
}


@pytest.mark.parametrize("url", WAGTAIL_REPORTS)
def test_wagtails_own_reports_go_through_the_same_rule(admin_client, course, url):
    cells = [cell for row in csv_cells(admin_client.get(url, {"export": "csv"})) for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert all("'" + typed in cells for typed in WAGTAIL_REPORTS[url])
    cells = [cell for row in xlsx_cells(admin_client.get(url, {"export": "xlsx"})) for cell in row]
    assert all(typed in cells for typed in WAGTAIL_REPORTS[url])


def export_urls(patterns=None, prefix="/"):
    """Every URL whose view can export a spreadsheet, from the URL resolver (so that a new one is covered)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from export_urls(pattern.url_patterns, prefix + str(pattern.pattern))
        elif issubclass(getattr(pattern.callback, "view_class", object), SpreadsheetExportMixin):
            yield prefix + str(pattern.pattern)


def exports(url: str) -> bool:
    """Whether the URL is answered by an export view, and not shadowed by an earlier route (the portal turns
    Wagtail's workflow reports off that way)."""
    return issubclass(getattr(resolve(url).func, "view_class", object), SpreadsheetExportMixin)


def test_every_export_of_the_admin_writes_a_bom_and_no_formula(admin_client, course):
    urls = sorted({url.replace("<int:course_id>", str(course.pk)) for url in export_urls()})
    assert "/admin/enrollments/" in urls and "/admin/reports/site-history/" in urls and len(urls) > 20
    assert not exports("/admin/reports/workflow/")
    for url in urls:
        assert "<" not in url, f"{url}: give the test a value for this part of the path"
        if not exports(url):
            continue
        csv_cells(admin_client.get(url, {"export": "csv"}))
        xlsx_cells(admin_client.get(url, {"export": "xlsx"}))


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("＝1+1", "'＝1+1"),  # the full-width sign Excel also reads as "="
        ("a=b", "a=b"),
        ("Ёлка", "Ёлка"),
        (-5, -5),  # a number stays a number
        (None, None),
    ],
)
def test_what_a_csv_cell_becomes(typed, written):
    assert spreadsheets.inert(typed) == written
