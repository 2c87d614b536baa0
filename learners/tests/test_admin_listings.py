"""Running the portal in the Wagtail admin: the "Learning" listings and their exports, moderation,
deleting users, the dashboard panels, portal settings and the audit log. Real requests to the admin."""

import csv
import io
import os
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from wagtail.models import Collection, ModelLogEntry
from wagtailmedia.models import get_media_model

from courses.models import CoursePage
from learners.models import Certificate, Enrollment, Review, User
from learners.services import learning, reviews
from learners.tests.factories import PASSWORD, UserFactory
from lms.models import PortalSettings
from quizzes.models import Attempt
from quizzes.services import replace_quiz

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {
        "text": "Which keyword defines a function?",
        "kind": "single",
        "explanation": "def starts a function definition.",
        "choices": [{"text": "func"}, {"text": "def", "correct": True}],
    },
    {
        "text": "Which are immutable?",
        "kind": "multiple",
        "choices": [{"text": "tuple", "correct": True}, {"text": "list"}, {"text": "str", "correct": True}],
    },
]

DENIED = (302, 403)  # Wagtail answers a refused admin view by sending the user back to the dashboard
LISTINGS = ["/admin/enrollments/", "/admin/quiz-attempts/", "/admin/certificates/", "/admin/reviews/"]


# --- the portal's state, made through the services -------------------------------------------------------


@pytest.fixture
def course(make_course):
    return make_course(title="Python", lessons=2)


@pytest.fixture
def other_course(make_course, other_teacher):
    return make_course(owner=other_teacher, title="Rust", lessons=1)


@pytest.fixture
def quiz(course, teacher):
    return replace_quiz(lesson=course.lessons().first(), by=teacher, title="Check", questions=QUESTIONS, pass_mark=100)


def answers(quiz, right=True):
    """Every correct choice of each question, or else one wrong choice of each."""

    def chosen(question):
        choices = [choice.pk for choice in question.choices.all() if choice.is_correct == right]
        return choices if right else choices[:1]

    return [{"question": question.pk, "choices": chosen(question)} for question in quiz.questions.all()]


def finish(learner, course, quiz):
    """Enroll, fail the quiz once, pass it, and complete the rest: a certificate follows."""
    learning.enroll(learner=learner, course=course)
    first = course.lessons().first()
    learning.submit_quiz(learner=learner, lesson=first, answers=answers(quiz, right=False))
    learning.submit_quiz(learner=learner, lesson=first, answers=answers(quiz))
    for lesson in course.lessons()[1:]:
        learning.complete_lesson(learner=learner, lesson=lesson)


@pytest.fixture
def portal(course, other_course, quiz, student, other_student):
    """Ада completed Python (2 attempts, a certificate, a 5★ review); Борис left Python and takes Rust."""
    student.name, other_student.name = "Ада Лавлейс", "Борис Пастернак"
    student.save(update_fields=["name"])
    other_student.save(update_fields=["name"])
    finish(student, course, quiz)
    reviews.post_review(learner=student, course=course, rating=5, text="Clear and kind.")
    learning.enroll(learner=other_student, course=course)
    reviews.post_review(learner=other_student, course=course, rating=1, text="Buy cheap pills at spam.example")
    learning.leave(learner=other_student, course=course)
    learning.enroll(learner=other_student, course=other_course)
    return {"course": course, "other_course": other_course, "quiz": quiz}


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # the byte order mark that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


# --- who gets in ---------------------------------------------------------------------------------------------


def test_the_learning_menu_groups_the_listings_for_admins_only(client, admin_user, teacher, portal):
    client.force_login(admin_user)
    home = html(client.get("/admin/"))
    assert "Learning" in home
    for url in LISTINGS:
        assert url in home
        assert client.get(url).status_code == 200

    client.force_login(teacher)
    home = html(client.get("/admin/"))
    assert not any(url in home for url in LISTINGS)


@pytest.mark.parametrize("url", LISTINGS)
def test_teachers_and_students_cannot_open_the_listings(client, teacher, student, portal, url):
    for user in (teacher, student):
        client.force_login(user)
        assert client.get(url).status_code in DENIED
        assert client.get(url, {"export": "csv"}).status_code in DENIED


def test_teachers_and_students_cannot_moderate_or_revoke(client, teacher, student, portal):
    review = Review.objects.get(rating=1)
    certificate = Certificate.objects.get()
    for user in (teacher, student):
        client.force_login(user)
        assert client.post(f"/admin/reviews/hide/{review.pk}/").status_code in DENIED
        assert client.post(f"/admin/reviews/delete/{review.pk}/").status_code in DENIED
        assert client.post(f"/admin/certificates/edit/{certificate.pk}/", {"revoked_reason": "x"}).status_code in DENIED
    review.refresh_from_db()
    certificate.refresh_from_db()
    assert not review.is_hidden and certificate.is_valid


@pytest.mark.parametrize(
    ("model", "prefix"), [(Enrollment, "enrollments"), (Attempt, "quiz-attempts"), (Review, "reviews")]
)
def test_records_are_never_added_or_edited_by_hand(admin_client, portal, model, prefix):
    record = model.objects.first()
    assert admin_client.get(f"/admin/{prefix}/new/").status_code in DENIED
    assert admin_client.post(f"/admin/{prefix}/new/", {}).status_code in DENIED
    assert admin_client.get(f"/admin/{prefix}/edit/{record.pk}/").status_code in DENIED
    assert admin_client.post(f"/admin/{prefix}/edit/{record.pk}/", {}).status_code in DENIED
    if model is not Review:  # a review may be deleted (see below); a learner's enrollment or attempt may not
        assert admin_client.post(f"/admin/{prefix}/delete/{record.pk}/").status_code in DENIED
    assert model.objects.filter(pk=record.pk).exists()


# --- enrollments ---------------------------------------------------------------------------------------------


def test_enrollments_show_progress_and_state_and_filter(admin_client, portal):
    page = html(admin_client.get("/admin/enrollments/"))
    assert "Ада Лавлейс" in page and "Борис Пастернак" in page and "Rust" in page
    assert "Left" in page and "Active" in page

    left = html(admin_client.get("/admin/enrollments/", {"state": "left"}))
    assert "Борис Пастернак" in left and "Ада Лавлейс" not in left
    completed = html(admin_client.get("/admin/enrollments/", {"state": "completed"}))
    assert "Ада Лавлейс" in completed and "Борис Пастернак" not in completed
    rust = html(admin_client.get("/admin/enrollments/", {"course": portal["other_course"].pk}))
    assert "Борис Пастернак" in rust and "Ада Лавлейс" not in rust
    by_learner = html(admin_client.get("/admin/enrollments/", {"learner": "Лавлейс"}))
    assert "Ада Лавлейс" in by_learner and "Борис Пастернак" not in by_learner
    searched = html(admin_client.get("/admin/enrollments/", {"q": "Rust"}))
    assert "Борис Пастернак" in searched and "Ада Лавлейс" not in searched
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = html(admin_client.get("/admin/enrollments/", {"enrolled_at_from": tomorrow}))
    assert "Ада Лавлейс" not in future and "Борис Пастернак" not in future


def test_enrollments_export_to_csv_and_xlsx(admin_client, portal):
    rows = csv_rows(admin_client.get("/admin/enrollments/", {"export": "csv", "course": portal["course"].pk}))
    header, *data = rows
    assert header[:5] == ["Learner", "Email", "Course", "Enrolled", "Progress (%)"]
    assert header[-1] == "State"
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in data}
    assert set(by_name) == {"Ада Лавлейс", "Борис Пастернак"}
    assert by_name["Ада Лавлейс"]["Progress (%)"] == "100"
    assert by_name["Ада Лавлейс"]["Lessons done"] == "2" and by_name["Ада Лавлейс"]["Completed"]
    assert by_name["Борис Пастернак"]["Progress (%)"] == "0"
    assert by_name["Борис Пастернак"]["State"] == "Left"

    sheet = xlsx_rows(admin_client.get("/admin/enrollments/", {"export": "xlsx"}))
    assert sheet[0][0] == "Learner"
    assert sorted((row[0], row[2]) for row in sheet[1:]) == [
        ("Ада Лавлейс", "Python"),
        ("Борис Пастернак", "Python"),
        ("Борис Пастернак", "Rust"),
    ]


# --- quiz attempts ---------------------------------------------------------------------------------------------


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


# --- certificates ----------------------------------------------------------------------------------------------


def test_certificates_filter_by_state_and_course_export_and_revoke(admin_client, portal, admin_user):
    certificate = Certificate.objects.get()
    assert certificate.code in html(admin_client.get("/admin/certificates/", {"state": "valid"}))
    assert certificate.code not in html(admin_client.get("/admin/certificates/", {"state": "revoked"}))
    assert certificate.code not in html(admin_client.get("/admin/certificates/", {"course": portal["other_course"].pk}))

    response = admin_client.post(f"/admin/certificates/edit/{certificate.pk}/", {"revoked_reason": "Plagiarised"})
    assert response.status_code == 302
    assert certificate.code in html(admin_client.get("/admin/certificates/", {"state": "revoked"}))
    assert certificate.code not in html(admin_client.get("/admin/certificates/", {"state": "valid"}))

    header, row = csv_rows(admin_client.get("/admin/certificates/", {"export": "csv"}))
    record = dict(zip(header, row, strict=True))
    assert record["Code"] == certificate.code and record["Learner"] == "Ада Лавлейс"
    assert record["State"] == "Revoked" and record["Reason for revoking"] == "Plagiarised"
    sheet = xlsx_rows(admin_client.get("/admin/certificates/", {"export": "xlsx", "state": "revoked"}))
    assert sheet[1][0] == certificate.code

    entry = ModelLogEntry.objects.get(action="learners.certificate_revoke")
    assert entry.user_id == admin_user.pk and entry.data == {"reason": "Plagiarised"}
    assert "Certificate revoked" in html(admin_client.get("/admin/reports/site-history/"))


# --- reviews ---------------------------------------------------------------------------------------------------


def rating_of(course):
    course = CoursePage.objects.get(pk=course.pk)
    return course.rating_avg, course.rating_count


def test_reviews_queue_is_newest_first_and_filters(admin_client, portal):
    page = html(admin_client.get("/admin/reviews/"))
    assert page.index("Buy cheap pills") < page.index("Clear and kind.")
    assert "Clear and kind." not in html(admin_client.get("/admin/reviews/", {"rating": "1"}))
    assert "Buy cheap pills" in html(admin_client.get("/admin/reviews/", {"is_hidden": "false"}))
    assert "Buy cheap pills" not in html(admin_client.get("/admin/reviews/", {"is_hidden": "true"}))
    assert "Buy cheap pills" not in html(admin_client.get("/admin/reviews/", {"course": portal["other_course"].pk}))
    header, *data = csv_rows(admin_client.get("/admin/reviews/", {"export": "csv"}))
    assert header[:4] == ["Course", "Author", "Email", "Rating"]
    assert [row[3] for row in data] == ["1", "5"]


def test_hiding_a_review_keeps_the_rating_right_and_is_audited(admin_client, admin_user, portal):
    course, spam = portal["course"], Review.objects.get(rating=1)
    assert rating_of(course)[1] == 2

    response = admin_client.post(f"/admin/reviews/hide/{spam.pk}/", {"next": "/admin/reviews/?rating=1"})
    assert response.status_code == 302 and response["Location"] == "/admin/reviews/?rating=1"
    spam.refresh_from_db()
    assert spam.is_hidden
    assert rating_of(course) == (5, 1)
    assert "Buy cheap pills" in html(admin_client.get("/admin/reviews/", {"is_hidden": "true"}))
    entry = ModelLogEntry.objects.get(action="learners.review_hide", object_id=str(spam.pk))
    assert entry.user_id == admin_user.pk and entry.data["rating"] == 1 and entry.data["course"] == "Python"

    admin_client.post(f"/admin/reviews/hide/{spam.pk}/")  # hiding twice changes nothing, logs nothing
    assert ModelLogEntry.objects.filter(action="learners.review_hide").count() == 1

    admin_client.post(f"/admin/reviews/unhide/{spam.pk}/")
    spam.refresh_from_db()
    assert not spam.is_hidden and rating_of(course) == (3, 2)
    assert ModelLogEntry.objects.filter(action="learners.review_unhide", object_id=str(spam.pk)).exists()

    history = html(admin_client.get("/admin/reports/site-history/"))
    assert "Review hidden" in history and "Review shown again" in history


def test_deleting_a_review_keeps_the_rating_right_and_is_audited(admin_client, admin_user, portal):
    course, spam = portal["course"], Review.objects.get(rating=1)
    assert "Are you sure" in html(admin_client.get(f"/admin/reviews/delete/{spam.pk}/"))
    response = admin_client.post(f"/admin/reviews/delete/{spam.pk}/")
    assert response.status_code == 302
    assert not Review.objects.filter(pk=spam.pk).exists()
    assert rating_of(course) == (5, 1)
    entry = ModelLogEntry.objects.get(action="learners.review_delete", object_id=str(spam.pk))
    assert entry.user_id == admin_user.pk and entry.deleted and "spam.example" in entry.data["text"]
    assert "Review deleted" in html(admin_client.get("/admin/reports/site-history/"))


def test_review_inspect_offers_the_moderation_actions(admin_client, portal):
    spam = Review.objects.get(rating=1)
    page = html(admin_client.get(f"/admin/reviews/inspect/{spam.pk}/"))
    assert "Buy cheap pills" in page
    assert f"/admin/reviews/hide/{spam.pk}/" in page and f"/admin/reviews/delete/{spam.pk}/" in page
    assert html(admin_client.get("/admin/reviews/")).count(f"/admin/reviews/hide/{spam.pk}/") == 1


# --- a list costs the same queries for any number of rows ------------------------------------------------------


def grow(portal, extra: int):
    """More of every kind of row: enrollments, attempts, certificates, reviews."""
    course, quiz = portal["course"], portal["quiz"]
    for _ in range(extra):
        learner = UserFactory()
        finish(learner, course, quiz)
        reviews.post_review(learner=learner, course=course, rating=4)


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", LISTINGS)
@pytest.mark.parametrize("export", [None, "csv"])
def test_list_query_counts_do_not_grow_with_rows(admin_client, portal, django_assert_max_num_queries, url, export):
    params = {"export": export} if export else {}
    count_queries(admin_client, url, **params)  # warm the content type and site caches
    few = count_queries(admin_client, url, **params)
    grow(portal, 6)
    with django_assert_max_num_queries(few):
        response = admin_client.get(url, params)
        if export:
            b"".join(response.streaming_content)


# --- deleting a user -------------------------------------------------------------------------------------------


def test_deleting_a_learner_says_what_goes_and_recommends_deactivating(admin_client, portal, student):
    page = html(admin_client.get(f"/admin/users/delete/{student.pk}/"))
    assert "1 enrollment, with its progress" in page
    assert "2 completed lessons" in page
    assert "2 quiz attempts" in page
    assert "1 certificate: its code will no longer verify" in page
    assert "1 review: the course's rating is recomputed without it" in page
    assert "Consider deactivating the account instead." in page
    assert f"/admin/users/edit/{student.pk}/" in page


def test_deleting_a_teacher_says_their_courses_stay(admin_client, portal, teacher):
    page = html(admin_client.get(f"/admin/users/delete/{teacher.pk}/"))
    assert "The 1 course they teach stays" in page
    assert "enrollment" not in page.split("The 1 course")[0].split("cannot be undone")[-1]


def test_deleting_a_user_leaves_no_broken_rows(
    admin_client, admin_user, portal, student, api, django_capture_on_commit_callbacks
):
    course = portal["course"]
    api.post("/api/v1/auth/token/", {"email": student.email, "password": PASSWORD})
    certificate = Certificate.objects.get(learner=student)
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(b"%PDF-1.7 stand-in"))
    pdf = certificate.pdf
    code = certificate.code
    assert rating_of(course) == (3, 2)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/users/delete/{student.pk}/")
    assert response.status_code == 302
    assert not pdf.storage.exists(pdf.name)  # the PDF with their name left the media storage too
    assert not User.objects.filter(pk=student.pk).exists()
    assert not Enrollment.objects.filter(learner_id=student.pk).exists()
    assert not Attempt.objects.filter(learner_id=student.pk).exists()
    assert not Certificate.objects.filter(code=code).exists()
    assert admin_client.get(f"/certificates/{code}/").status_code == 404
    assert rating_of(course) == (1, 1)  # recomputed without the deleted learner's review
    # Their refresh tokens were blacklisted before the account went.
    assert OutstandingToken.objects.filter(user__isnull=True).count() == BlacklistedToken.objects.count() >= 1
    assert ModelLogEntry.objects.filter(action="wagtail.delete", object_id=str(student.pk), user=admin_user).exists()
    assert ModelLogEntry.objects.filter(action="learners.review_delete").count() == 1


def test_deleting_a_teacher_keeps_their_courses_without_an_owner(admin_client, portal, teacher):
    assert admin_client.post(f"/admin/users/delete/{teacher.pk}/").status_code == 302
    course = CoursePage.objects.get(pk=portal["course"].pk)
    assert course.owner_id is None
    assert Enrollment.objects.filter(course=course).count() == 2
    assert Certificate.objects.get().teacher_name  # what the certificate says is kept on it


def test_an_admin_cannot_delete_themselves(admin_client, admin_user):
    assert admin_client.post(f"/admin/users/delete/{admin_user.pk}/").status_code in DENIED
    assert User.objects.filter(pk=admin_user.pk).exists()


# --- dashboard ---------------------------------------------------------------------------------------------------


def test_dashboard_panels_count_this_weeks_activity_for_admins(client, admin_user, teacher, portal):
    client.force_login(admin_user)
    page = html(client.get("/admin/"))
    assert "Learning activity, last 8 weeks" in page
    users_this_week = User.objects.filter(date_joined__gte=timezone.now() - timedelta(days=7)).count()
    assert f"<td data-total-signups>{users_this_week}</td>" in page
    assert "<td data-total-enrollments>3</td>" in page
    assert "<td data-total-completions>1</td>" in page

    assert "Recent reviews" in page and "Buy cheap pills" in page
    assert page.index("Buy cheap pills") < page.index("Clear and kind.")
    assert "/admin/reviews/?is_hidden=false" in page

    assert "Most popular courses" in page
    rust, python = portal["other_course"], portal["course"]
    assert f'<tr data-course="{rust.pk}">' in page and f'<tr data-course="{python.pk}">' in page
    assert f"/admin/course-report/{python.pk}/" in page

    client.force_login(teacher)
    page = html(client.get("/admin/"))
    assert "Learning activity" not in page and "Most popular courses" not in page


def test_dashboard_weeks_and_popularity(client, admin_user, portal, make_course):
    """Older activity lands in its own week; the course with more active learners comes first."""
    old = timezone.now() - timedelta(weeks=3)
    Enrollment.objects.filter(course=portal["other_course"]).update(enrolled_at=old)
    crowded = make_course(title="Crowded", lessons=1)
    for _ in range(3):
        learning.enroll(learner=UserFactory(), course=crowded)

    from learners.admin_reports import weekly_activity

    weeks = weekly_activity()
    assert len(weeks) == 8 and weeks[-1]["week"] <= timezone.localdate()
    assert sum(week["enrollments"] for week in weeks) == 6
    assert weeks[-1]["enrollments"] == 5 and weeks[-4]["enrollments"] + weeks[-5]["enrollments"] == 1

    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as queries:
        page = html(client.get("/admin/"))
    assert page.index(f'data-course="{crowded.pk}"') < page.index(f'data-course="{portal["course"].pk}"')
    assert len(queries) < 40


# --- portal settings ---------------------------------------------------------------------------------------------


def test_lowering_the_video_limit_refuses_an_upload_that_passed_before(client, teacher):
    from courses.tests.test_uploads import MB, real

    client.force_login(teacher)
    url = reverse("wagtailmedia:add", args=("video",))
    video = real("tiny.mp4") + b"\0" * (MB + 1)  # a little over 1 MB
    root = Collection.get_first_root_node().pk

    response = client.post(url, {"title": "Before", "collection": root, "file": SimpleUploadedFile("a.mp4", video)})
    assert response.status_code == 302
    portal = PortalSettings.load()
    portal.max_video_mb = 1
    portal.save()
    response = client.post(url, {"title": "After", "collection": root, "file": SimpleUploadedFile("b.mp4", video)})
    assert response.status_code == 200
    assert "This file is too large" in response.content.decode()
    assert list(get_media_model().objects.values_list("title", flat=True)) == ["Before"]


def test_lowering_the_document_limit_takes_effect_in_the_api_too(teacher, as_user):
    from courses.tests.test_uploads import MB, pdf

    big = pdf() + b"\n%" + b"0" * MB
    client = as_user(teacher)
    response = client.post(
        "/api/v1/media/", {"file": SimpleUploadedFile("a.pdf", big), "title": "A"}, format="multipart"
    )
    assert response.status_code == 201
    PortalSettings.objects.update(max_document_mb=1)
    response = client.post(
        "/api/v1/media/", {"file": SimpleUploadedFile("b.pdf", big), "title": "B"}, format="multipart"
    )
    assert response.status_code == 413 and response.json()["code"] == "file_too_large"


def test_the_image_limit_holds_wagtail_images_once_the_form_base_is_set(client, teacher, settings):
    from PIL import Image

    from courses.tests.test_uploads import MB

    settings.WAGTAILIMAGES_IMAGE_FORM_BASE = "courses.upload_forms.ImageFormBase"
    buffer = io.BytesIO()
    Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)).save(buffer, "PNG")  # noise: ~1.4 MB
    big = buffer.getvalue()
    assert len(big) > MB
    portal = PortalSettings.load()
    portal.max_image_mb = 1
    portal.save()
    client.force_login(teacher)
    root = Collection.get_first_root_node().pk
    response = client.post(
        "/admin/images/add/", {"title": "Big", "collection": root, "file": SimpleUploadedFile("big.png", big)}
    )
    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    assert "Maximum filesize: 1.0\xa0MB" in html(client.get("/admin/images/add/"))


def test_the_settings_form_takes_limits_below_the_servers_only(admin_client, settings):
    settings.UPLOAD_MAX_VIDEO_MB = 50
    url = reverse("wagtailsettings:edit", args=["lms", "portalsettings", PortalSettings.load().pk])
    form = {
        "portal_name": "Academy",
        "default_pass_mark": "70",
        "registration_open": "on",
        "max_video_mb": "80",
        "max_document_mb": "",
        "max_image_mb": "",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 200
    assert "The server accepts at most 50 MB (its UPLOAD_MAX_VIDEO_MB setting)." in response.content.decode()
    response = admin_client.post(url, {**form, "max_video_mb": "30"})
    assert response.status_code == 302
    assert PortalSettings.load().max_video_mb == 30

    from courses import uploads

    assert uploads.limit_mb(uploads.VIDEO) == 30
    settings.UPLOAD_MAX_VIDEO_MB = 20  # a ceiling lowered later wins over the portal's value
    assert uploads.limit_mb(uploads.VIDEO) == 20


def test_closing_registration_refuses_sign_up(client, api):
    portal = PortalSettings.load()
    portal.registration_open = False
    portal.save()
    response = client.post("/accounts/signup/", {"name": "N", "email": "n@example.com", "password": "Sturdy-pass-91"})
    assert response.status_code in (200, 403)
    assert not User.objects.filter(email="n@example.com").exists()
    response = api.post(
        "/api/v1/auth/register/", {"name": "N", "email": "n@example.com", "password": "Sturdy-pass-91"}, format="json"
    )
    assert response.status_code == 403 and response.json()["code"] == "registration_closed"


def test_the_site_header_shows_the_portal_name_and_logo(client, make_image):
    portal = PortalSettings.load()
    portal.portal_name, portal.logo = "Академия", make_image("Logo")
    portal.save()
    page = html(client.get("/"))
    assert "Академия" in page
    assert 'class="brand__logo"' in page and "/Logo" in page
