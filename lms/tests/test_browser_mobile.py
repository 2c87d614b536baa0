"""The site on a phone (issue 17, "Mobile first"): 390 × 844 px, in English and in Russian.

A visitor opens the catalog: the header is one compact row (the logo and a menu button holding the links, the
account and the language), the first course card shows in the first screen, and the filters wait behind a
"Filters" button. On a course page the primary action (log in to enroll, enroll, continue) is in the first screen
without scrolling: the learner's panel's own button, shown as a bar at the bottom of the screen. The language is
switched as a visitor does, with the selector in the menu. On a wide screen the same pages keep their header and
their filters in sight, with no menu button.
"""

import re

import pytest

from courses import services as course_services
from learners.models import Enrollment, Role
from learners.tests.factories import PASSWORD, UserFactory

from .browser import CHROMIUM, SITE_VIEWPORT, TIMEOUT_MS, Camera

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests", allow_module_level=True)

from playwright.sync_api import expect  # only once Chromium is known to be there

browser_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)
expect.set_options(timeout=TIMEOUT_MS)
PHONE = {"width": 390, "height": 844}
HEADER_MAX = 64  # px

# What the steps read on the page, in each language (Russian: the shared catalog's translations).
WORDS = {
    "en": {"log_in_to_enroll": "Log in to enroll", "enroll": "Enroll", "continue": "Continue: ", "level": "Level"},
    "ru": {
        "log_in_to_enroll": "Войти, чтобы записаться",
        "enroll": "Записаться",
        "continue": "Продолжить: ",
        "level": "Уровень",
    },
}


@pytest.fixture
def shelf(stargazing):
    """Stargazing Basics (three lessons, a video in the first) and two more courses; a learner not enrolled."""
    teacher = stargazing[0].owner
    for title in ("Moon Phases", "Comets and Meteors"):
        course = course_services.create_course(teacher=teacher, title=title, summary="Look up.", level="beginner")
        course_services.add_lesson(
            course=course, by=teacher, title="Start", body=[{"type": "text", "value": "<p>Hi</p>"}]
        )
    return stargazing[0], UserFactory(role=Role.STUDENT)


def in_first_screen(locator) -> dict:
    """The element's box, asserted to lie wholly inside the first viewport (the page not scrolled)."""
    page = locator.page
    assert page.evaluate("() => window.scrollY") == 0
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    assert 0 <= box["y"] <= PHONE["height"] - box["height"], box
    assert 0 <= box["x"] <= PHONE["width"] - box["width"], box
    return box


def header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def shoot(camera, page, name: str) -> None:
    """The camera's full-page shot, taken with the viewport as tall as the page: a bar fixed to the bottom of the
    screen then shows at the page's end, as after scrolling there, not across its middle."""
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": PHONE["width"], "height": max(height, PHONE["height"])})
    camera(page, name)
    page.set_viewport_size(PHONE)


@browser_test
@pytest.mark.parametrize("language, shots", [("en", (70, 74)), ("ru", (75, 79))])
def test_a_phone_gets_a_compact_header_the_first_card_and_the_primary_action_in_the_first_screen(
    open_page, shelf, language, shots
):
    course, learner = shelf
    words = WORDS[language]
    camera = Camera(*shots)
    page = open_page()
    page.set_viewport_size(PHONE)

    # The catalog, in the language chosen with the menu's selector (the set_language form, as a visitor does).
    page.goto("/courses/")
    menu = page.locator("summary.site-menu__toggle")
    catalog_link = page.locator(".site-nav").get_by_role("link", name=re.compile("Catalog|Каталог"))
    expect(catalog_link).to_be_hidden()
    if language != "en":
        menu.click()
        with page.expect_navigation():
            page.locator(".site-menu select[name=language]").select_option(language)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert header_height(page) <= HEADER_MAX
    expect(menu).to_be_visible()
    first_card = page.locator(".course-card").first
    in_first_screen(first_card.locator(".card__cover"))
    in_first_screen(first_card.locator(".card__title"))
    shoot(camera, page, f"mobile-catalog-{language}")

    # The menu opens with its button and holds the links, the account's way in and the language; Escape closes it.
    menu.click()
    expect(catalog_link).to_be_visible()
    expect(page.locator(".site-menu select[name=language]")).to_be_visible()
    shoot(camera, page, f"mobile-menu-{language}")
    page.keyboard.press("Escape")
    expect(catalog_link).to_be_hidden()

    # The filters wait behind their button, which opens them; a filter applied keeps them open, counted.
    level = page.get_by_label(words["level"], exact=True)
    expect(level).to_be_hidden()
    filters = page.locator("summary.catalog-form__toggle")
    in_first_screen(filters)
    filters.click()
    expect(level).to_be_visible()
    shoot(camera, page, f"mobile-filters-{language}")
    level.select_option("beginner")
    page.locator(".catalog-form__actions button[type=submit]").click()
    page.wait_for_url(re.compile(r"level=beginner"))
    expect(page.locator(".catalog-form__count")).to_have_text("1")
    expect(page.get_by_label(words["level"], exact=True)).to_be_visible()

    # A visitor's course page: "Log in to enroll" is in the first screen.
    page.goto(course.url)
    assert header_height(page) <= HEADER_MAX
    in_first_screen(page.get_by_role("link", name=words["log_in_to_enroll"]))
    shoot(camera, page, f"mobile-course-{language}")

    # An anchor (where posting a review lands) shows below the sticky header, not under it.
    page.goto(f"{course.url}#reviews")
    assert page.evaluate("() => window.scrollY") > 0
    assert page.locator("#reviews").bounding_box()["y"] >= header_height(page)
    page.goto(course.url)

    # Signed in: "Enroll" is in the first screen, and once enrolled "Continue: <the first lesson>".
    page.get_by_role("link", name=words["log_in_to_enroll"]).click()
    page.locator("input[name=username], input[type=email]").first.fill(learner.email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{course.url}")
    enroll = page.get_by_role("button", name=words["enroll"], exact=True)
    in_first_screen(enroll)
    enroll.click()
    carry_on = page.get_by_role("link", name=re.compile("^" + re.escape(words["continue"])))
    expect(carry_on).to_be_visible()
    assert Enrollment.objects.filter(learner=learner, course=course, left_at__isnull=True).exists()
    in_first_screen(carry_on)
    assert header_height(page) <= HEADER_MAX
    shoot(camera, page, f"mobile-course-enrolled-{language}")

    # A wide screen: the header's links and the filters in sight, no menu or filters button.
    page.set_viewport_size(SITE_VIEWPORT)
    page.goto("/courses/")
    expect(page.locator(".site-nav").get_by_role("link", name=re.compile("Catalog|Каталог"))).to_be_visible()
    expect(page.locator("summary.site-menu__toggle")).to_be_hidden()
    expect(page.locator("summary.catalog-form__toggle")).to_be_hidden()
    expect(page.get_by_label(words["level"], exact=True)).to_be_visible()
    assert header_height(page) <= HEADER_MAX + 1  # the desktop header: one row, as before
