"""A video's captions in a real browser (issue 17): Chromium fetches the lesson's WebVTT track, through the checked
document address and the site's Content-Security-Policy, and shows its cues.

The track is a document the teacher uploaded; the learner's session is what lets the browser have it (a `<track>`
without `crossorigin` sends the site's cookies). The cues are read through the player's own API (`textTracks`), as
its captions menu would turn them on.
"""

import time

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtailmedia.models import get_media_model

from courses import services as course_services
from learners.models import Role
from learners.services import learning
from learners.tests.factories import PASSWORD, UserFactory

from .browser import CHROMIUM, TIMEOUT_MS
from .video_clip import looped_webm

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests", allow_module_level=True)

from playwright.sync_api import expect  # only once Chromium is known to be there

browser_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)
expect.set_options(timeout=TIMEOUT_MS)
TRACK = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nТишина ночного неба.\n\n00:00:02.000 --> 00:00:04.000\nLook up.\n"


@pytest.fixture
def captioned_lesson(catalog):
    """A Russian course whose lesson plays a 4-second video with a captions track; a learner enrolled."""
    teacher = UserFactory(role=Role.TEACHER)
    media = get_media_model()(
        title="Night sky", type="video", duration=4, file=ContentFile(looped_webm(4), name="night-sky.webm")
    )
    media.uploaded_by_user = teacher
    media.save()
    track = get_document_model().objects.create(
        title="Night sky captions", file=ContentFile(TRACK.encode(), name="night-sky.vtt"), uploaded_by_user=teacher
    )
    course = course_services.create_course(
        teacher=teacher, title="Ночное небо", summary="Смотрите вверх.", level="beginner", language="ru"
    )
    lesson = course_services.add_lesson(
        course=course,
        by=teacher,
        title="Смотрим",
        body=[{"type": "video", "value": {"video": media.pk, "captions": track.pk}}],
    )
    learner = UserFactory(role=Role.STUDENT)
    learning.enroll(learner=learner, course=course)
    return lesson, learner


@browser_test
def test_the_player_loads_the_lessons_captions(open_page, captioned_lesson):
    lesson, learner = captioned_lesson
    page = open_page()
    page.goto(f"/accounts/login/?next={lesson.url}")
    page.get_by_label("Email").fill(learner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{lesson.url}")

    track = page.locator("video track")
    expect(track).to_have_attribute("srclang", "ru")  # the course's language: the editor gave none
    expect(track).to_have_attribute("label", "Русский")
    player = page.locator("video")
    player.evaluate("(video) => { video.textTracks[0].mode = 'hidden'; }")  # as the captions menu turns it on
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not player.evaluate("(video) => (video.textTracks[0].cues || []).length === 2"):
        assert time.monotonic() < deadline, "the browser never loaded the captions track"
        time.sleep(0.1)
    assert player.evaluate("(video) => video.textTracks[0].cues[0].text") == "Тишина ночного неба."
    assert track.evaluate("(element) => element.readyState") == 2  # HTMLTrackElement.LOADED
    assert page.csp_violations == []
