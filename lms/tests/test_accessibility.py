"""WCAG 2.2 AA on the public pages and the learner's flows (issue 17, "Accessibility").

axe-core (npm, `make install`) checks each page in Debian's Chromium: no violation of serious or critical impact
is allowed. The walk covers the pages a visitor and a learner see, at a desktop and a phone width, in English
and Russian; another test takes the learner's whole way through a course with the keyboard alone, and one more
shows that the check really runs in the site's pages (under their Content-Security-Policy).
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings

from learners.models import Certificate
from learners.tests.factories import PASSWORD, UserFactory

from .accessibility import BLOCKING, axe_check, axe_violations, describe
from .browser import CHROMIUM, TIMEOUT_MS

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests", allow_module_level=True)

from playwright.sync_api import expect  # only once Chromium is known to be there

browser_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)
expect.set_options(timeout=TIMEOUT_MS)

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


class Audit:
    """axe on each page of a walk; the serious and critical violations of all of them are reported at once."""

    def __init__(self):
        self.found = {}

    def __call__(self, page, where: str):
        blocking = [rule for rule in axe_violations(page) if rule["impact"] in BLOCKING]
        if blocking:
            self.found[f"{where} ({page.url})"] = blocking

    def assert_clean(self):
        if self.found:
            report = "\n".join(f"{where}:\n{describe(rules)}" for where, rules in self.found.items())
            pytest.fail(f"accessibility violations on {len(self.found)} page(s):\n{report}", pytrace=False)


def in_language(page, base_url: str, language: str):
    """The site in `language` from the first page on: the cookie the header's language menu sets."""
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}])


def wait_for_path(page, path: str):
    """Wait for the page at `path` (a glob of the whole URL would match the login page's ?next=path too)."""
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def log_in(page, user, next_url: str):
    page.goto(f"/accounts/login/?next={next_url}")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    wait_for_path(page, next_url)


def submit(page, form_action: str):
    """Press the submit button of the page's form posting to `form_action` (whatever the language)."""
    page.locator(f"form[action$='{form_action}'] button[type=submit]").click()


@browser_test
@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_public_pages_and_the_learners_flow_have_no_serious_violations(
    open_page, live_server, stargazing, viewport, language
):
    course, (first, second, third) = stargazing
    learner = UserFactory(name="Ирина Соколова")
    audit = Audit()
    page = open_page()
    page.set_viewport_size(VIEWPORTS[viewport])
    in_language(page, live_server.url, language)

    # What a visitor sees.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    audit(page, "home")
    page.goto("/courses/")
    audit(page, "catalog")
    page.goto("/courses/?q=moon&level=beginner")
    expect(page.locator(".course-card").first).to_be_visible()
    audit(page, "catalog with a search")
    page.goto("/search/?q=nothing-matches-this")
    audit(page, "search without results")
    page.goto(course.url)
    audit(page, "course, anonymous")
    page.goto(first.url)
    audit(page, "lesson, anonymous")
    assert page.goto("/no-such-page/").status == 404
    audit(page, "404")
    page.goto("/accounts/signup/")
    audit(page, "sign up")
    page.locator("main form button[type=submit]").click()  # empty: the form answers with its errors
    expect(page.locator(".field--error").first).to_be_visible()
    audit(page, "sign up with errors")
    page.goto("/accounts/login/")
    audit(page, "log in")

    # What a learner sees: enrolling, a lesson with a video, the quiz and its result, completion, the certificate.
    log_in(page, learner, course.url)
    submit(page, f"/learn/courses/{course.pk}/enroll/")
    expect(page.locator(".learner-panel .progress")).to_be_visible()
    audit(page, "course, enrolled")
    page.goto(first.url)
    page.wait_for_function("document.querySelector('video').readyState >= 1")
    audit(page, "lesson with a video")
    submit(page, f"/learn/lessons/{first.pk}/complete/")
    wait_for_path(page, second.url)
    audit(page, "lesson with its quiz")
    quiz = second.quiz
    for question in quiz.questions.all():
        right = question.choices.get(is_correct=True)
        page.locator(f"input[name=q{question.pk}][value='{right.pk}']").check()
    submit(page, f"/learn/lessons/{second.pk}/quiz/")
    page.wait_for_url("**/learn/attempts/*/")
    expect(page.locator(".quiz-result__score--passed")).to_be_visible()
    audit(page, "quiz result")
    page.goto(third.url)
    submit(page, f"/learn/lessons/{third.pk}/complete/")
    wait_for_path(page, course.url)
    audit(page, "course, completed")
    page.goto("/learn/")
    audit(page, "my learning")
    certificate = Certificate.objects.get(learner=learner, course=course)
    page.goto(f"/certificates/{certificate.code}/")
    audit(page, "certificate verification")

    audit.assert_clean()


NAMELESS_BUTTON = '<button class="nameless"></button>'


@browser_test
def test_the_check_runs_under_the_sites_policy_and_names_what_it_finds(open_page, catalog):
    """axe really runs in the site's pages (their Content-Security-Policy included) and its report says where."""
    page = open_page()
    page.goto("/courses/")
    page.evaluate("(html) => document.querySelector('main').insertAdjacentHTML('beforeend', html)", NAMELESS_BUTTON)
    with pytest.raises(AssertionError) as failure:
        axe_check(page, "the catalog with a nameless button")
    report = str(failure.value)
    assert "button-name (critical)" in report and ".nameless" in report and "dequeuniversity.com" in report
    assert page.csp_violations == []


# --- the keyboard alone ---------------------------------------------------------------------------------------------

# What has the keyboard's focus: its element, and whether a focus ring shows (an outline of its own, or of the card
# whose links draw it around the whole card) on a box large enough to be seen. A player's own controls (play, time,
# volume) sit in the browser's shadow tree, out of the page's styles, and draw the browser's ring: the page sees
# the focus on the <video> without it matching :focus. A visually hidden input (the review's stars) shows its focus
# on its label.
FOCUSED = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const outlined = (node) => {
        const style = getComputedStyle(node);
        return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    };
    let box = element.getBoundingClientRect();
    const shown = box.width < 2 && element.labels && element.labels.length ? element.labels[0] : element;
    box = shown.getBoundingClientRect();
    const inPlayerControls = element.matches("video, audio") && !element.matches(":focus");
    let ring = inPlayerControls || outlined(shown);
    for (let node = element.parentElement; !ring && node && node !== document.body; node = node.parentElement) {
        ring = node.matches(":focus-within") && outlined(node);
    }
    return {
        tag: element.tagName.toLowerCase(), text: (element.innerText || element.value || "").trim(),
        href: element.getAttribute("href"), name: element.name || null, value: element.value || null,
        action: element.form ? element.form.getAttribute("action") : null,
        ring, width: box.width, height: box.height,
    };
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def assert_focus_visible(where: dict):
    assert where["ring"], f"no focus ring on {where}"
    assert where["width"] >= 8 and where["height"] >= 8, f"the focused element cannot be seen: {where}"


def tab_to(page, wanted, *, backwards: bool = False, limit: int = 60) -> dict:
    """Press Tab (Shift+Tab backwards) until `wanted(focused element)` holds. Every stop on the way must show where
    the focus is (WCAG 2.4.7)."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        where = focused(page)
        if where is None:
            continue  # the browser's own stop between the end of the page and its start
        assert_focus_visible(where)
        if wanted(where):
            return where
    raise AssertionError(f"{limit} presses of Tab never reached the element looked for on {page.url}")


def link_to(url: str):
    return lambda where: where["tag"] == "a" and (where["href"] or "").endswith(url)


def button_of(action: str):
    return lambda where: where["tag"] == "button" and (where["action"] or "").endswith(action)


def field(name: str):
    return lambda where: where["name"] == name


@browser_test
def test_a_learner_takes_a_course_to_its_certificate_with_the_keyboard_alone(open_page, stargazing):
    course, (first, second, third) = stargazing
    learner = UserFactory(name="Ирина Соколова")
    page = open_page()
    page.goto(course.url)

    # The first stop is "Skip to content", shown when focused; it leads past the header to the page's content.
    skip = tab_to(page, lambda where: True, limit=1)
    assert (skip["tag"], skip["text"], skip["href"]) == ("a", "Skip to content", "#main")
    page.keyboard.press("Enter")
    after_skip = tab_to(page, lambda where: True, limit=1)
    assert page.evaluate("document.activeElement.closest('main') !== null"), after_skip

    # Log in to enroll.
    tab_to(page, lambda where: where["tag"] == "a" and "/accounts/login/" in (where["href"] or ""))
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/**")
    tab_to(page, field("username"))
    page.keyboard.type(learner.email)
    tab_to(page, field("password"), limit=1)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    wait_for_path(page, course.url)

    # Enroll (Space presses a button), then continue to the first lesson.
    tab_to(page, button_of(f"/learn/courses/{course.pk}/enroll/"))
    page.keyboard.press("Space")
    expect(page.locator(".learner-panel .progress")).to_be_visible()
    tab_to(page, lambda where: link_to(first.url)(where) and where["text"].startswith("Continue"))
    page.keyboard.press("Enter")
    wait_for_path(page, first.url)

    # The first lesson: mark it done, on to the quiz.
    tab_to(page, button_of(f"/learn/lessons/{first.pk}/complete/"))
    page.keyboard.press("Enter")
    wait_for_path(page, second.url)

    # The quiz: Tab into each question's choices, the arrow keys move among them, Space ticks the first one.
    for question in second.quiz.questions.order_by("sort_order"):
        right = str(question.choices.get(is_correct=True).pk)
        choice = tab_to(page, field(f"q{question.pk}"))
        page.keyboard.press("Space")
        for _ in range(question.choices.count()):
            if choice["value"] == right:
                break
            page.keyboard.press("ArrowDown")
            choice = focused(page)
            assert_focus_visible(choice)
        assert page.locator(f"input[name=q{question.pk}]:checked").get_attribute("value") == right
    tab_to(page, button_of(f"/learn/lessons/{second.pk}/quiz/"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn/attempts/*/")
    expect(page.locator(".quiz-result__score--passed")).to_be_visible()

    # The last lesson, reached from the result; its button is found from the end of the page (Shift+Tab).
    tab_to(page, link_to(third.url))
    page.keyboard.press("Enter")
    wait_for_path(page, third.url)
    tab_to(page, button_of(f"/learn/lessons/{third.pk}/complete/"), backwards=True)
    page.keyboard.press("Enter")
    wait_for_path(page, course.url)

    # The course is complete: its certificate, checked on the verification page.
    certificate = Certificate.objects.get(learner=learner, course=course)
    tab_to(page, link_to(f"/certificates/{certificate.code}/"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/certificates/{certificate.code}/")
    expect(page.get_by_text("This certificate is valid.")).to_be_visible()
    axe_check(page, "the certificate reached with the keyboard")
