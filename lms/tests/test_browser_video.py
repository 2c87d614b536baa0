"""Honest video progress in a real browser (issue 18): the lesson page's player reports what was really played.

A learner opens a lesson whose 30-second video must be watched, jumps to 0:10 and plays a few seconds, then pauses:
the pause sends a heartbeat that counts the seconds played, not the ones jumped over. Reloading the page offers to
resume where they stopped, and the offer seeks there. Once they have watched enough, the page says the lesson is
completed. The clip is a WebM made for the test (`video_clip`), which
Debian's Chromium plays without codecs of its own; the player is driven through its own API (`currentTime`,
`play()`, `pause()`) as its controls would.
"""

import re
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from wagtailmedia.models import get_media_model

from courses import services as course_services
from learners.models import LessonCompletion, Role, VideoProgress
from learners.services import learning
from learners.tests.factories import PASSWORD, UserFactory

from .browser import CHROMIUM, TIMEOUT_MS, Camera
from .video_clip import looped_webm

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests", allow_module_level=True)

from playwright.sync_api import expect  # only once Chromium is known to be there

browser_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)
expect.set_options(timeout=TIMEOUT_MS)
LENGTH = 30  # seconds


@pytest.fixture
def film_lesson(catalog):
    """A lesson that requires watching 90% of a 30-second video, before a plain one; a learner enrolled."""
    teacher = UserFactory(role=Role.TEACHER)
    media = get_media_model()(
        title="Night sky", type="video", duration=LENGTH, file=ContentFile(looped_webm(LENGTH), name="night-sky.webm")
    )
    media.uploaded_by_user = teacher
    media.full_clean()
    media.save()
    course = course_services.create_course(teacher=teacher, title="Night sky", summary="Look up.", level="beginner")
    lesson = course_services.add_lesson(
        course=course,
        by=teacher,
        title="Watch the sky",
        body=[{"type": "video", "value": media.pk}],
        require_watching=True,
    )
    following = course_services.add_lesson(
        course=course, by=teacher, title="Read", body=[{"type": "text", "value": "<p>End</p>"}]
    )
    learner = UserFactory(role=Role.STUDENT)
    learning.enroll(learner=learner, course=course)
    return lesson, following, learner


def wait_for(player, condition: str):
    """Wait until `condition` on the player (a JavaScript expression of `video`) holds: polled from here, as the
    page's Content-Security-Policy lets no test code be evaluated in it (Playwright's `wait_for_function` is)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not player.evaluate(f"(video) => Boolean({condition})"):
        assert time.monotonic() < deadline, f"the player never had {condition}"
        time.sleep(0.1)


def log_in(page, learner, next_url: str):
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Email").fill(learner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{next_url}")


@browser_test
def test_the_player_reports_what_was_played_and_resumes_there(open_page, film_lesson):
    lesson, next_lesson, learner = film_lesson
    camera = Camera(80, 84)
    page = open_page()
    log_in(page, learner, lesson.url)
    player = page.locator("video[data-watch-url]")
    expect(player).to_be_visible()
    wait_for(player, "video.readyState >= 1")
    assert player.evaluate("(video) => video.duration") == LENGTH
    expect(page.get_by_text("Watch 90% of the video to complete this lesson.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Resume at"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Mark as done"))).to_have_count(0)

    # Jump to 0:10, play three seconds, pause: the pause sends the heartbeat.
    player.evaluate("(video) => { video.currentTime = 10; }")
    wait_for(player, "!video.seeking")
    player.evaluate("(video) => video.play()")
    wait_for(player, "video.currentTime >= 13")
    with page.expect_response(lambda response: response.url.endswith("/video-progress/")) as heartbeat:
        player.evaluate("(video) => video.pause()")
    assert heartbeat.value.status == 200
    answer = heartbeat.value.json()
    assert 2.5 <= answer["watched_seconds"] <= 5 and answer["position"] >= 13 and answer["lesson_completed"] is False
    stored = VideoProgress.objects.get(learner=learner, lesson=lesson)
    assert stored.watched_seconds == pytest.approx(answer["watched_seconds"], abs=0.05)
    (start, end), *more = stored.ranges
    assert not more and 9.5 <= start <= 10.5 and 12.5 <= end <= 15  # the ten seconds jumped over are not there
    share = round(answer["watched_seconds"] * 100 // LENGTH)
    expect(page.locator("[data-watch-share]")).to_have_text(str(share))
    camera(page, "video played")

    # Back later: the page offers to resume at the position stored, and the offer seeks there.
    page.reload()
    resume = page.get_by_role("button", name=f"Resume at 0:{int(stored.position):02d}")
    expect(resume).to_be_visible()
    camera(page, "video resume offered")
    resume.click()
    wait_for(player, f"video.currentTime >= {stored.position - 0.5}")
    expect(resume).to_be_hidden()

    # Watch the rest, then the beginning, fast: the heartbeat that gets to 90% completes the lesson, and the page
    # says so. (The server credits no more than twice the time since the first heartbeat: that was a while ago.)
    VideoProgress.objects.filter(pk=stored.pk).update(started_at=stored.started_at - timedelta(minutes=5))
    player.evaluate("(video) => { video.playbackRate = 16; }")
    with page.expect_response(lambda response: response.url.endswith("/video-progress/")):
        wait_for(player, "video.ended")
    player.evaluate("(video) => { video.currentTime = 0; video.play(); }")
    wait_for(player, "video.currentTime >= 10.5")
    with page.expect_response(lambda response: response.url.endswith("/video-progress/")) as heartbeat:
        player.evaluate("(video) => video.pause()")
    assert heartbeat.value.json()["lesson_completed"] is True
    expect(page.get_by_text("You completed this lesson.")).to_be_visible()
    expect(page.get_by_role("link", name="Go to the next lesson")).to_have_attribute("href", next_lesson.url)
    expect(page.get_by_text("Watch 90% of the video to complete this lesson.")).to_be_hidden()
    assert LessonCompletion.objects.filter(learner=learner, lesson=lesson).exists()
    camera(page, "video lesson completed")
    assert page.csp_violations == []
