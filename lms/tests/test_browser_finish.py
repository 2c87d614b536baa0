"""The learner's finish, walked in Chromium at 1280 px and 390 px, in English and in Russian (issue 17).

One learner per run signs up in the site's language and takes the stargazing course (conftest.py) to its
certificate. On every page of the way: the page passes axe (WCAG 2.2 AA, no serious or critical violation),
and in Russian it shows none of the interface's known English words. Along the way: the primary action is
inside the first viewport, the moment of completion says so and links the certificate, and the certificate's
PDF is in the learner's language. Screenshots: artifacts/screenshots/100–139.
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from courses.models import Category, CourseIndexPage, HomePage
from learners.models import Certificate, User

from .accessibility import axe_check
from .browser import CHROMIUM, TIMEOUT_MS, Camera

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests", allow_module_level=True)

from playwright.sync_api import expect  # only once Chromium is known to be there

browser_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)
expect.set_options(timeout=TIMEOUT_MS)

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SHOTS = {("en", "desktop"): 100, ("en", "phone"): 110, ("ru", "desktop"): 120, ("ru", "phone"): 130}

# What the learner reads and presses, in each language.
WORDS = {
    "en": {
        "enroll": "Enroll",
        "course_complete": "Course complete!",
        "view_certificate": "View certificate",
        "download": "Download PDF",
        "certificate_labels": ("Certificate of completion", "Certificate code"),
    },
    "ru": {
        "enroll": "Записаться",
        "course_complete": "Курс пройден!",
        "view_certificate": "Открыть сертификат",
        "download": "Скачать PDF",
        "certificate_labels": ("Сертификат о прохождении курса", "Код сертификата"),
    },
}
# The interface's English words that a Russian page must not show: the navigation, the headings and intros an
# editor gives in both languages, the category, badges, buttons, the moment of completion and the certificate.
# The course itself is written in English (its title, lessons and quiz are the teacher's words), so the list
# holds none of its words.
KNOWN_ENGLISH = re.compile(
    r"\b(?:Catalog|Courses|Home|Browse the catalog|New courses|See all courses|Learn something new|Every course|"
    r"Log in|Log out|Sign up|Enroll|Enrolled|Filters|Menu|Search|Lessons?|Reviews?|Your progress|Mark as done|"
    r"Course complete|Congratulations|View certificate|Download|Share|Certificates?|My learning|Continue|"
    r"Next lesson|Submit answers|Passed|Beginner|English|Astronomy|minutes?|Duration|Teacher|Skip to content)\b"
)
ENGLISH_LABELS_ON_CERTIFICATE = ("Certificate of completion", "This certifies that", "Certificate code")


def no_known_english(page, where: str):
    found = sorted(set(KNOWN_ENGLISH.findall(page.inner_text("body"))))
    assert not found, f"{where}: English on a Russian page: {found}"


def in_first_viewport(locator, viewport: dict):
    """The element lies wholly inside the first screen: the page not scrolled, the box within the viewport."""
    assert locator.page.evaluate("() => window.scrollY") == 0
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box


def bilingual_portal():
    """What an editor gives in both languages: the home and catalog headings and intros, a category."""
    for page, (english, russian) in (
        (HomePage.objects.get(), ("Learn something new", "Учитесь новому")),
        (CourseIndexPage.objects.get(), ("Courses", "Курсы")),
    ):
        page.heading_en, page.heading_ru = english, russian
        page.intro_ru = "<p>Курсы от преподавателей, в своём темпе, с тестами и сертификатами.</p>"
        page.save()
    return Category.objects.create(name_en="Astronomy", name_ru="Астрономия", slug="astronomy")


@browser_test
@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("width", VIEWPORTS)
def test_a_learner_finishes_a_course_in_their_language_at_each_width(
    open_page, live_server, stargazing, language, width
):
    course, (first, second, third) = stargazing
    course.category = bilingual_portal()
    course.save_revision().publish()
    words, viewport = WORDS[language], VIEWPORTS[width]
    camera = Camera(SHOTS[language, width], SHOTS[language, width] + 9)
    page = open_page()
    page.set_viewport_size(viewport)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])

    def check(where: str, shot: str | None = None):
        expect(page.locator("html")).to_have_attribute("lang", language)
        if language == "ru":
            no_known_english(page, where)
        axe_check(page, where)
        if shot:
            camera(page, f"{shot}-{language}-{width}")

    page.goto("/")
    check("home", "home")
    page.goto("/courses/")
    in_first_viewport(page.locator(".course-card").first.locator(".card__title"), viewport)
    check("catalog", "catalog")

    # Sign up in the site's language: the account keeps it.
    page.goto(reverse("signup"))
    page.locator("input[name=name]").fill("Ирина Соколова")
    page.locator("input[name=email]").fill("irina@example.com")
    page.locator("input[name=password]").fill("a-long-passphrase-2026")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")  # signed up: back home
    learner = User.objects.get(email="irina@example.com")
    assert learner.language == language

    # The course page: "Enroll" in the first screen, whatever the width.
    page.goto(course.url)
    enroll = page.get_by_role("button", name=words["enroll"], exact=True)
    in_first_viewport(enroll, viewport)
    check("course page", "course")
    enroll.click()
    page.wait_for_url(f"**{course.url}")

    # Lesson 1, the quiz of lesson 2, lesson 3.
    page.goto(first.url)
    check("lesson with a video")
    page.locator(f"form[action$='/learn/lessons/{first.pk}/complete/'] button[type=submit]").click()
    page.wait_for_url(f"**{second.url}")
    page.get_by_label("The Sun").check()
    page.get_by_label("29.5 days").check()
    check("lesson with its quiz")
    page.locator(f"form[action$='/learn/lessons/{second.pk}/quiz/'] button[type=submit]").click()
    page.wait_for_url("**/learn/attempts/*/")
    check("quiz result")
    page.goto(third.url)
    page.locator(f"form[action$='/learn/lessons/{third.pk}/complete/'] button[type=submit]").click()
    page.wait_for_url(f"**{course.url}")

    # The moment of completion says so and offers the certificate.
    expect(page.get_by_text(words["course_complete"])).to_be_visible()
    view = page.get_by_role("link", name=words["view_certificate"]).first
    expect(view).to_be_visible()
    check("course completed", "completed")

    # The certificate, in the learner's language: the PDF's labels, the language kept on it.
    certificate = Certificate.objects.get(learner=learner, course=course)
    assert certificate.language == language
    with page.expect_download() as download_info:
        page.locator(".completion").get_by_role("link", name=words["download"]).click()
    pdf = Path(download_info.value.path()).read_bytes()
    text = " ".join(" ".join(pdf_page.extract_text().split()) for pdf_page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Ирина Соколова" in text and certificate.code in text
    assert all(label in text for label in words["certificate_labels"]), text
    if language == "ru":
        assert not any(label in text for label in ENGLISH_LABELS_ON_CERTIFICATE), text
    view.click()
    page.wait_for_url(f"**/certificates/{certificate.code}/")
    check("certificate", "certificate")

    page.goto("/learn/")
    check("my learning", "my-learning")
    assert page.csp_violations == []
