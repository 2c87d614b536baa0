"""The steps the browser journeys (test_browser_journey.py) take on a page: the site's progress bar and quiz
form, and the Wagtail admin's login and editor (fields, StreamField blocks, the quiz's nested panels,
publishing); and the real video they upload.
"""

import re
from pathlib import Path

from django.core.files import File
from playwright.sync_api import expect
from wagtailmedia.models import get_media_model

from learners.tests.factories import PASSWORD

VIDEO_FILE = Path(__file__).resolve().parents[2] / "courses" / "tests" / "files" / "tiny.webm"


def progress_of(page) -> int:
    """The learner's progress on the course page, as the progress bar announces it."""
    bar = page.locator(".learner-panel .progress[role=progressbar]")
    return int(bar.get_attribute("aria-valuenow"))


def upload_video(title: str, *, by):
    """A wagtailmedia video of the real one-second WebM (VP9) clip, which Chromium plays without codecs."""
    with VIDEO_FILE.open("rb") as source:
        media = get_media_model()(title=title, type="video", file=File(source, name="tiny.webm"), uploaded_by_user=by)
        media.full_clean()
        media.save()
    return media


def answer_quiz(page, answers: dict[str, str], camera, name: str):
    """Tick one choice per question (question text → choice label), take a shot, and submit."""
    for question, choice in answers.items():
        page.get_by_role("group", name=re.compile(re.escape(question))).get_by_label(choice).check()
    camera(page, name)
    page.get_by_role("button", name=re.compile("Submit answers|Try again")).click()


# --- the Wagtail admin ---------------------------------------------------------------------------


def admin_login(page, user, *, expect_admin: bool = True):
    """Log in on Wagtail's own login page; by default, wait for the dashboard."""
    page.goto("/admin/login/")
    page.get_by_role("textbox", name=re.compile("Email")).fill(user.email)
    page.get_by_role("textbox", name=re.compile("Password")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    if expect_admin:
        page.wait_for_url(re.compile(r"/admin/$"))
    else:
        page.wait_for_load_state()


def textbox(page, label: str):
    """A text field of a Wagtail form by its label ("Title", or "Title*" when required).

    Wagtail labels the field's panel (a region and its anchor links) with the same words, hence the role.
    """
    return page.get_by_role("textbox", name=re.compile(rf"^{re.escape(label)}\*?$"))


def block(page, label: str):
    """A block of a StreamField in the editor, by its type's label (the region is named after it)."""
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(label)}\*?")).last


def fill_question(page, number: int, text: str, choices: list[tuple[str, bool]], kind: str | None = None):
    """Fill question `number` of the quiz editor (nested inline panels), adding choice forms as needed."""
    question = page.get_by_role("region", name=f"Question {number}", exact=True)
    expect(question).to_be_visible()
    if kind:
        question.get_by_role("combobox", name=re.compile(r"^Kind")).select_option(label=kind)
    textbox(question, "Question").fill(text)
    for index, (choice_text, correct) in enumerate(choices, start=1):
        choice = question.get_by_role("region", name=f"Choice {index}", exact=True)
        if not choice.count():
            question.get_by_role("button", name="Add Choice").click()
        expect(choice).to_be_visible()
        textbox(choice, "Text").fill(choice_text)
        choice.get_by_role("checkbox", name="Correct").set_checked(correct)


def publish(page):
    """The editor's footer: open "More actions" next to "Save draft", then "Publish"."""
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
