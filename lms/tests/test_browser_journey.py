"""The whole journey in a real browser (issue "Proof", part 3).

Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) against Django's live server:

1. a visitor signs up, finds a course, learns it lesson by lesson (video, locked lesson, quiz failed then
   passed, progress), and gets, downloads and verifies the certificate;
2. a teacher writes a course in the Wagtail admin: course, lesson with a heading and a video, a quiz,
   and sees it in the public catalog;
3. an admin makes a student a teacher in the Wagtail user editor, who can then enter the admin.

Each step leaves a full-page screenshot in artifacts/screenshots/ (see `lms/tests/browser.py`). The steps
on a page are in `lms/tests/browser_steps.py`; the browser itself and the live server's pages are fixtures
of `lms/tests/conftest.py`.
"""

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from courses.models import CoursePage, LessonPage
from learners.models import Certificate, Enrollment, Role, User
from learners.tests.factories import UserFactory
from quizzes.models import Quiz

from .browser import CHROMIUM, TIMEOUT_MS, Camera

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium to run the browser journeys", allow_module_level=True
    )

from playwright.sync_api import expect  # only once Chromium is known to be there

from lms.tests.browser_steps import (
    VIDEO_FILE,
    admin_login,
    answer_quiz,
    block,
    fill_question,
    progress_of,
    publish,
    textbox,
)

browser_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)
expect.set_options(timeout=TIMEOUT_MS)


# --- 1. a learner's whole journey ----------------------------------------------------------------


@browser_test
def test_a_visitor_signs_up_learns_a_course_and_gets_a_verified_certificate(open_page, stargazing):
    course, (first, second, third) = stargazing
    camera = Camera(1, 29)
    page = open_page()

    # Sign up, with a Cyrillic name.
    page.goto("/")
    camera(page, "home")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Name").fill("Ирина Соколова")
    page.get_by_label("Email").fill("irina@example.com")
    page.get_by_label("Password").fill("a-long-passphrase-2026")
    camera(page, "signup")
    page.get_by_role("button", name="Sign up").click()
    account = page.locator("summary.account-menu__name")
    expect(account).to_contain_text("Ирина")  # signed in: the header names her, with her account's menu
    account.click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("link", name="Change password")).to_be_visible()
    account.click()
    learner = User.objects.get(email="irina@example.com")
    assert learner.name == "Ирина Соколова" and learner.role == Role.STUDENT

    # The catalog lists it.
    page.get_by_role("link", name="Catalog", exact=True).click()
    page.wait_for_url("**/courses/")
    expect(page.get_by_role("link", name="Stargazing Basics")).to_be_visible()

    # Find the course from the header's search box.
    search = page.get_by_role("searchbox", name="Search courses", exact=True)
    search.fill("Stargazing")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Stargazing"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stargazing")
    camera(page, "search")
    page.get_by_role("link", name="Stargazing Basics").click()
    page.wait_for_url(f"**{course.url}")

    # Enroll.
    expect(page.get_by_role("heading", name="Stargazing Basics", level=1)).to_be_visible()
    camera(page, "course-before-enrolling")
    page.get_by_role("button", name="Enroll").click()
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    assert progress_of(page) == 0
    assert Enrollment.objects.filter(learner=learner, course=course).exists()
    camera(page, "course-enrolled")

    # Lesson 1 plays its video.
    page.get_by_role("link", name="Looking up").first.click()
    page.wait_for_url(f"**{first.url}")
    video = page.locator("video")
    expect(video).to_be_visible()
    # The browser read the file's metadata, then plays it (muted: headless autoplay rules) and time moves.
    page.wait_for_function("document.querySelector('video').readyState >= 1")
    page.evaluate(
        "async () => { const video = document.querySelector('video'); video.muted = true; await video.play(); }"
    )
    page.wait_for_function("document.querySelector('video').currentTime > 0")
    assert page.evaluate("document.querySelector('video').error") is None
    page.evaluate("document.querySelector('video').pause()")
    camera(page, "lesson-1-video")

    # Lesson 3 is locked until lesson 2 is done.
    response = page.goto(third.url)
    assert response.status == 403
    expect(page.get_by_role("heading", name="This lesson is locked")).to_be_visible()
    camera(page, "lesson-3-locked")

    # Mark lesson 1 as done: on to lesson 2.
    page.goto(first.url)
    page.get_by_role("button", name="Mark as done and go to the next lesson").click()
    page.wait_for_url(f"**{second.url}")
    page.goto(course.url)
    assert progress_of(page) == 33
    camera(page, "course-33")

    # The quiz of lesson 2: failed once, then passed.
    page.goto(second.url)
    expect(page.get_by_role("heading", name="Moon check")).to_be_visible()
    wrong = {"What lights the Moon?": "The Earth's core", "How long is a lunar month": "A week"}
    answer_quiz(page, wrong, camera, "quiz-wrong-answers")
    expect(page.get_by_role("heading", level=1)).to_contain_text("0% — Not passed yet")
    camera(page, "quiz-failed")
    page.goto(course.url)
    assert progress_of(page) == 33
    page.goto(second.url)
    right = {"What lights the Moon?": "The Sun", "How long is a lunar month": "29.5 days"}
    answer_quiz(page, right, camera, "quiz-right-answers")
    expect(page.get_by_role("heading", level=1)).to_contain_text("100% — Passed")
    camera(page, "quiz-passed")
    page.goto(course.url)
    assert progress_of(page) == 66
    camera(page, "course-66")

    # Lesson 3 completes the course.
    page.get_by_role("link", name=re.compile("Continue: Planets")).click()
    page.wait_for_url(f"**{third.url}")
    page.get_by_role("button", name="Mark as done").click()
    page.wait_for_url(f"**{course.url}")
    expect(page.get_by_text("Course complete!")).to_be_visible()
    expect(page.get_by_role("link", name="View certificate")).to_be_visible()  # the moment offers the certificate
    assert progress_of(page) == 100
    camera(page, "course-completed")

    # The certificate: in "My learning", as a PDF, and on its verification page.
    page.get_by_role("link", name="My learning").click()
    page.wait_for_url("**/learn/")
    certificate = Certificate.objects.get(learner=learner, course=course)
    expect(page.get_by_role("heading", name="Certificates")).to_be_visible()
    expect(page.get_by_text(certificate.code)).to_be_visible()
    camera(page, "my-learning")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"certificate-{certificate.code}.pdf"
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "".join(pdf_page.extract_text() for pdf_page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Ирина Соколова" in text and "Stargazing Basics" in text and certificate.code in text
    page.get_by_role("link", name="Verification page").click()
    page.wait_for_url(f"**/certificates/{certificate.code}/")
    expect(page.get_by_text("This certificate is valid.")).to_be_visible()
    expect(page.get_by_role("heading", name="Ирина Соколова")).to_be_visible()
    camera(page, "certificate-verified")

    # The language menu switches at once, with the site's script (the policy runs no inline one).
    page.get_by_label("Language").select_option("ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("link", name="Каталог", exact=True)).to_be_visible()
    page.get_by_label("Язык").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The API's docs, from the footer: Swagger UI, under its own policy.
    page.get_by_role("link", name="API", exact=True).click()
    page.wait_for_url("**/api/docs/")
    expect(page.get_by_role("heading", name=re.compile("Learning Portal API"))).to_be_visible()
    expect(page.get_by_text("/api/v1/courses/", exact=True).first).to_be_visible()

    # Nothing on any of these pages broke the Content-Security-Policy.
    assert page.csp_violations == []


# --- 2. a teacher writes a course in the Wagtail admin ------------------------------------------


@browser_test
def test_a_teacher_writes_a_course_with_a_video_lesson_and_a_quiz_in_the_admin(open_page, catalog):
    teacher = UserFactory(role=Role.TEACHER, name="Pavel Orlov")
    camera = Camera(30, 59)
    page = open_page(admin=True)
    admin_login(page, teacher)
    camera(page, "admin-dashboard")

    # Upload the lesson's video under Media.
    page.get_by_role("link", name="Media", exact=True).click()
    page.wait_for_url("**/admin/media/")
    page.get_by_role("link", name=re.compile("Add a video|Add video")).first.click()
    page.wait_for_url("**/admin/media/video/add/")
    page.get_by_label("Title").fill("Telescope tour")
    page.get_by_label("File").set_input_files(str(VIDEO_FILE))
    camera(page, "admin-video-upload")
    page.get_by_role("button", name=re.compile("Upload|Save")).click()
    page.wait_for_url("**/admin/media/")
    camera(page, "admin-video-uploaded")

    # The course, under the catalog.
    page.goto(f"/admin/pages/{catalog.pk}/")
    page.get_by_role("link", name=re.compile("Add child page")).first.click()
    textbox(page, "Title").fill("Telescopes for Beginners")
    textbox(page, "Summary").fill("Choose, set up and use your first telescope.")
    camera(page, "admin-course-form")
    publish(page)
    # A course with no published lessons is published only once the teacher confirms it.
    page.wait_for_url(re.compile(r"/admin/pages/\d+/publish-without-lessons/$"))
    course = CoursePage.objects.get(title="Telescopes for Beginners")
    assert not course.live
    camera(page, "admin-course-publish-without-lessons")
    page.get_by_label("Publish without lessons").check()
    page.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_url(f"**/admin/pages/{course.pk}/edit/")
    header = page.get_by_role("navigation", name="Actions", exact=True)
    expect(header.get_by_role("link", name="Course report")).to_be_visible()  # in the header, not in "…"
    camera(page, "admin-course-published")
    course.refresh_from_db()
    assert course.live and course.owner == teacher

    # Its first lesson: a heading and the video.
    page.goto(f"/admin/pages/{course.pk}/")
    page.get_by_role("link", name=re.compile("Add child page")).first.click()
    textbox(page, "Title").fill("Meet the telescope")
    page.get_by_role("button", name="Insert a block").click()
    camera(page, "admin-block-picker")
    page.get_by_role("option", name="Heading").click()
    block(page, "Heading").get_by_role("textbox").fill("What a telescope does")
    page.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name="Video").click()
    block(page, "Video").get_by_role("button", name="Choose video").click()
    chooser = page.get_by_role("dialog")
    expect(chooser.get_by_role("link", name="Telescope tour")).to_be_visible()
    camera(page, "admin-video-chooser")
    chooser.get_by_role("link", name="Telescope tour").click()
    expect(chooser).to_be_hidden()
    expect(block(page, "Video")).to_contain_text("Telescope tour")
    camera(page, "admin-lesson-form")
    publish(page)
    page.wait_for_url(re.compile(rf"/admin/pages/{course.pk}/$"))
    camera(page, "admin-lesson-published")
    lesson = LessonPage.objects.get(title="Meet the telescope")
    assert lesson.live and lesson.get_parent().pk == course.pk
    assert [(b.block_type, b.value if b.block_type == "heading" else b.value["video"].title) for b in lesson.body] == [
        ("heading", "What a telescope does"),
        ("video", "Telescope tour"),
    ]

    # A quiz for the lesson, from the "Add a quiz" button of the lesson editor's quiz panel.
    page.goto(f"/admin/pages/{lesson.pk}/edit/")
    quiz_panel = page.locator("[data-lesson-quiz-panel]")
    expect(quiz_panel).to_contain_text("This lesson has no quiz.")
    quiz_panel.scroll_into_view_if_needed()
    camera(page, "admin-lesson-quiz-panel")
    quiz_panel.get_by_role("link", name="Add a quiz").click()
    page.wait_for_url(f"**/admin/quizzes/new/?lesson={lesson.pk}&next=*")
    expect(page.locator("#id_lesson-title")).to_have_text("Meet the telescope")  # the lesson comes chosen
    textbox(page, "Title").fill("Telescope check")
    page.get_by_role("spinbutton", name=re.compile(r"^Pass mark")).fill("100")
    # The form starts with one question of two choices (the minimums); a second question is added.
    fill_question(page, 1, "What does the objective lens do?", [("Gathers light", True), ("Cools the tube", False)])
    page.get_by_role("button", name="Add Question").click()
    fill_question(
        page,
        2,
        "Which mounts follow the sky's rotation?",
        [("Alt-azimuth", False), ("Equatorial", True), ("A kitchen table", False)],
        kind="Multiple choice",
    )
    camera(page, "admin-quiz-form")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(f"**/admin/pages/{lesson.pk}/edit/")  # back to the lesson
    expect(page.get_by_text("Quiz 'Telescope check' created.")).to_be_visible()
    expect(quiz_panel).to_contain_text("2 questions")
    expect(quiz_panel).to_contain_text("Pass mark: 100%")
    camera(page, "admin-quiz-saved")
    quiz = Quiz.objects.get(lesson=lesson)
    assert (quiz.title, quiz.pass_mark) == ("Telescope check", 100)
    assert [
        (q.kind, q.text, [(c.text, c.is_correct) for c in q.choices.order_by("sort_order")])
        for q in quiz.questions.order_by("sort_order")
    ] == [
        ("single", "What does the objective lens do?", [("Gathers light", True), ("Cools the tube", False)]),
        (
            "multiple",
            "Which mounts follow the sky's rotation?",
            [("Alt-azimuth", False), ("Equatorial", True), ("A kitchen table", False)],
        ),
    ]

    # The teacher takes the quiz as a learner would: graded, not recorded.
    quiz_panel.get_by_role("link", name="Preview as a learner").click()
    page.wait_for_url(f"**/admin/quizzes/preview/{quiz.pk}/")
    expect(page.get_by_text("Nothing you submit here is recorded.")).to_be_visible()
    page.get_by_label("Gathers light").check()
    page.get_by_label("Equatorial").check()
    camera(page, "admin-quiz-preview")
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", name="100% — Passed")).to_be_visible()
    camera(page, "admin-quiz-preview-result")
    assert not quiz.attempts.exists()

    # The public catalog shows the course; its lesson plays the video and announces the quiz.
    page.goto("/courses/")
    page.get_by_role("link", name="Telescopes for Beginners").click()
    page.wait_for_url(f"**{course.url}")
    expect(page.get_by_role("heading", name="You teach this course")).to_be_visible()
    expect(page.get_by_text("Taught by Pavel Orlov")).to_be_visible()
    camera(page, "site-course")
    page.get_by_role("link", name="Meet the telescope").first.click()
    page.wait_for_url(f"**{lesson.url}")
    expect(page.get_by_role("heading", name="What a telescope does")).to_be_visible()
    expect(page.locator("video")).to_have_attribute("aria-label", "Telescope tour")
    page.wait_for_function("document.querySelector('video').readyState >= 1")
    expect(page.get_by_text("This lesson ends with a quiz for enrolled learners.")).to_be_visible()
    camera(page, "site-lesson")
    assert page.csp_violations == []  # the admin's policy and the site's alike


# --- 3. an admin makes a student a teacher ----------------------------------------------------------


@browser_test
def test_an_admin_makes_a_student_a_teacher_who_can_then_enter_the_admin(open_page):
    admin = UserFactory(role=Role.ADMIN, name="Olga Admin")
    student = UserFactory(role=Role.STUDENT, name="Sergei Student", email="sergei@example.com")
    camera = Camera(60, 69)

    # Before: the student is turned away from the admin.
    student_page = open_page(admin=True)
    admin_login(student_page, student, expect_admin=False)
    expect(student_page.get_by_text(re.compile("permission to access the admin", re.IGNORECASE))).to_be_visible()
    camera(student_page, "student-refused")

    # The admin changes the role in Wagtail's user editor.
    page = open_page(admin=True)
    admin_login(page, admin)
    page.goto(f"/admin/users/edit/{student.pk}/")
    role = page.get_by_role("combobox", name=re.compile(r"^Role"))
    expect(role).to_have_value("student")
    role.select_option(label="Teacher")
    camera(page, "admin-user-role")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/admin/users/$"))
    camera(page, "admin-user-saved")
    student.refresh_from_db()
    assert student.role == Role.TEACHER
    # ... and the change is in the user's history (Wagtail's audit log).
    assert ModelLogEntry.objects.filter(action="learners.role_change", object_id=str(student.pk)).exists()

    # After: the same person, in the session they already had, now opens the admin.
    response = student_page.goto("/admin/")
    assert response.status == 200 and re.search(r"/admin/$", student_page.url)
    expect(student_page).to_have_title(re.compile("^Dashboard"))
    expect(student_page.get_by_role("navigation", name="Main menu").get_by_role("button", name="Pages")).to_be_visible()
    camera(student_page, "teacher-dashboard")
    assert page.csp_violations == [] and student_page.csp_violations == []
