"""The site's door to honest video progress: the lesson player's heartbeats (`POST /learn/lessons/<id>/video-progress/`,
session and CSRF), and what the lesson page shows of them (resume, the share still to watch)."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from courses import services
from learners.models import LessonCompletion, VideoProgress
from learners.services import learning, watching

pytestmark = pytest.mark.django_db


@pytest.fixture
def clip(video):
    video.duration = 120
    video.save()
    return video


@pytest.fixture
def watch_course(make_course, teacher, clip):
    """Two lessons: the first shows the clip and requires watching 90% of it, the second is plain text."""
    course = make_course(title="Film school", lessons=0)
    services.add_lesson(
        course=course,
        by=teacher,
        title="Watch",
        body=[{"type": "video", "value": clip.pk}, {"type": "text", "value": "<p>Notes</p>"}],
        require_watching=True,
    )
    services.add_lesson(course=course, by=teacher, title="Read", body=[{"type": "text", "value": "<p>End</p>"}])
    return course


@pytest.fixture
def watch_lesson(watch_course):
    return watch_course.lessons().first()


@pytest.fixture
def enrolled(student, watch_course):
    learning.enroll(learner=student, course=watch_course)
    return student


@pytest.fixture
def site(client, enrolled):
    client.force_login(enrolled)
    return client


def url_of(lesson) -> str:
    return f"/learn/lessons/{lesson.pk}/video-progress/"


def beat(client, lesson, body):
    raw = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url_of(lesson), raw, content_type="application/json")


def progress_of(learner, lesson) -> VideoProgress:
    return VideoProgress.objects.get(learner=learner, lesson=lesson)


# --- the heartbeat ------------------------------------------------------------------------------------


def test_heartbeats_merge_the_ranges_played(site, enrolled, watch_lesson, clip):
    response = beat(site, watch_lesson, {"media": clip.pk, "ranges": [[0, 10]], "position": 10})
    assert response.status_code == 200
    assert response.json() == {
        "media": clip.pk,
        "watched_seconds": 10.0,
        "furthest": 10.0,
        "position": 10.0,
        "duration": 120.0,
        "completed": False,
        "lesson_completed": False,
        "progress_percent": None,
    }
    answer = beat(site, watch_lesson, {"media": clip.pk, "ranges": [[5, 20], [30, 35]], "position": 35}).json()
    assert answer["watched_seconds"] == 25.0 and answer["furthest"] == 35.0 and answer["position"] == 35.0
    assert progress_of(enrolled, watch_lesson).ranges == [[0.0, 20.0], [30.0, 35.0]]


def test_a_heartbeat_sent_again_changes_nothing(site, enrolled, watch_lesson, clip):
    body = {"media": clip.pk, "ranges": [[0, 12.5]], "position": 12.5}
    first = beat(site, watch_lesson, body).json()
    again = beat(site, watch_lesson, body).json()
    assert first == again and again["watched_seconds"] == 12.5
    assert progress_of(enrolled, watch_lesson).ranges == [[0.0, 12.5]]


def test_a_seek_moves_the_position_and_counts_no_seconds(site, enrolled, watch_lesson, clip):
    """The player played 0–5, jumped to 100 and played on: what it jumped over is not watched."""
    answer = beat(site, watch_lesson, {"media": clip.pk, "ranges": [[0, 5]], "position": 100}).json()
    assert answer["watched_seconds"] == 5.0 and answer["position"] == 100.0
    answer = beat(site, watch_lesson, {"media": clip.pk, "ranges": [[100, 104]], "position": 104}).json()
    assert answer["watched_seconds"] == 9.0 and answer["furthest"] == 104.0
    assert progress_of(enrolled, watch_lesson).ranges == [[0.0, 5.0], [100.0, 104.0]]


def test_the_heartbeat_that_watched_enough_completes_the_lesson(site, enrolled, watch_lesson, clip):
    beat(site, watch_lesson, {"media": clip.pk, "ranges": [[0, 10]], "position": 10})
    # The learner has been watching for a while (the clock bounds what a heartbeat may credit).
    VideoProgress.objects.filter(learner=enrolled).update(started_at=timezone.now() - timedelta(minutes=5))
    answer = beat(site, watch_lesson, {"media": clip.pk, "ranges": [[10, 110]], "position": 110}).json()
    assert answer["completed"] is True and answer["lesson_completed"] is True and answer["progress_percent"] == 50
    assert LessonCompletion.objects.filter(learner=enrolled, lesson=watch_lesson).exists()
    html = site.get(watch_lesson.url).content.decode()
    assert "You completed this lesson." in html and "data-watch-rule" not in html


def test_heartbeats_need_the_csrf_token_the_page_gives(enrolled, watch_lesson, clip):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(enrolled)
    body = {"media": clip.pk, "ranges": [[0, 3]], "position": 3}
    assert beat(browser, watch_lesson, body).status_code == 403
    assert not VideoProgress.objects.exists()

    html = browser.get(watch_lesson.url).content.decode()
    token = re.search(r'data-watch-csrf="([^"]+)"', html).group(1)
    response = browser.post(
        url_of(watch_lesson), json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200 and response.json()["watched_seconds"] == 3.0


def test_visitors_are_sent_to_log_in(client, watch_lesson, clip):
    response = beat(client, watch_lesson, {"media": clip.pk, "ranges": [[0, 3]], "position": 3})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not VideoProgress.objects.exists()


def test_only_post(site, watch_lesson):
    assert site.get(url_of(watch_lesson)).status_code == 405


def test_a_learner_not_enrolled_is_refused(client, other_student, watch_lesson, clip):
    client.force_login(other_student)
    response = beat(client, watch_lesson, {"media": clip.pk, "ranges": [[0, 3]], "position": 3})
    assert response.status_code == 403 and response.json()["code"] == "not_enrolled"
    assert not VideoProgress.objects.exists()


def test_a_locked_lesson_is_refused(site, watch_course, clip):
    locked = list(watch_course.lessons())[1]
    response = beat(site, locked, {"media": clip.pk, "ranges": [[0, 3]], "position": 3})
    assert response.status_code == 403 and response.json()["code"] == "lesson_locked"
    assert not VideoProgress.objects.exists()


def test_a_lesson_unpublished_or_made_private_is_not_found(site, watch_course, watch_lesson, clip):
    body = {"media": clip.pk, "ranges": [[0, 3]], "position": 3}
    PageViewRestriction.objects.create(page=watch_course, restriction_type="password", password="secret")
    assert beat(site, watch_lesson, body).status_code == 404
    watch_lesson.unpublish()
    assert beat(site, watch_lesson, body).status_code == 404
    assert beat(site, watch_lesson, body).status_code == 404
    assert not VideoProgress.objects.exists()


BAD_BODIES = {
    "not JSON": "{media",
    "empty": "",
    "not UTF-8": b"\xff\xfe\x00",
    "a list": "[1, 2]",
    "deeply nested": "[" * 100_000,
    "no ranges": {"position": 3},
    "ranges not a list": {"ranges": "0-3", "position": 3},
    "a range of one number": {"ranges": [[3]], "position": 3},
    "a range backwards": {"ranges": [[10, 5]], "position": 10},
    "a negative second": {"ranges": [[-5, 5]], "position": 5},
    "seconds as text": {"ranges": [["0", "3"]], "position": 3},
    "not a number": '{"media": MEDIA, "ranges": [[0, NaN]], "position": 3}',
    "an infinite position": '{"media": MEDIA, "ranges": [], "position": Infinity}',
    "no position": {"ranges": [[0, 3]]},
    "a position as text": {"ranges": [[0, 3]], "position": "3"},
}


def test_a_number_past_any_float_is_cut_at_the_end_of_the_video(site, watch_lesson, clip, enrolled):
    huge = "1" + "0" * 400
    response = beat(site, watch_lesson, f'{{"media": {clip.pk}, "ranges": [], "position": {huge}}}')
    assert response.status_code == 200 and response.json()["position"] == 120.0
    assert progress_of(enrolled, watch_lesson).position == 120.0


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_a_body_it_cannot_use_answers_400(site, watch_lesson, clip, body):
    if isinstance(body, dict):
        body = {"media": clip.pk, **body}
    elif isinstance(body, str):
        body = body.replace("MEDIA", str(clip.pk))
    response = beat(site, watch_lesson, body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["errors"]
    assert not VideoProgress.objects.exists()


def test_a_video_the_lesson_does_not_show_answers_400(site, watch_lesson, clip, teacher, as_user):
    from learners.tests.file_helpers import VIDEO, Media, api_upload

    other = Media.objects.get(pk=api_upload(as_user(teacher), "other.mp4", VIDEO, "Other")["id"])
    for media in (other.pk, None, str(clip.pk), True, 10**30):
        response = beat(site, watch_lesson, {"media": media, "ranges": [[0, 3]], "position": 3})
        assert response.status_code == 400 and "media" in response.json()["errors"], media
    assert not VideoProgress.objects.exists()


def test_another_learners_progress_is_untouched(site, enrolled, other_student, watch_course, watch_lesson, clip):
    learning.enroll(learner=other_student, course=watch_course)
    watching.record_heartbeat(learner=other_student, lesson=watch_lesson, media=clip.pk, ranges=[[50, 60]], position=60)
    before = progress_of(other_student, watch_lesson)
    beat(site, watch_lesson, {"media": clip.pk, "ranges": [[0, 20]], "position": 20})
    after = progress_of(other_student, watch_lesson)
    assert (after.ranges, after.watched_seconds, after.position) == ([[50.0, 60.0]], 10.0, 60.0)
    assert after.latest_at == before.latest_at
    assert progress_of(enrolled, watch_lesson).ranges == [[0.0, 20.0]]


# --- the lesson page ----------------------------------------------------------------------------------


def test_the_lesson_page_follows_the_player_and_offers_to_resume(site, watch_lesson, clip):
    beat(site, watch_lesson, {"media": clip.pk, "ranges": [[0, 12]], "position": 42.5})
    html = site.get(watch_lesson.url).content.decode()
    assert f'data-watch-url="{url_of(watch_lesson)}"' in html
    assert f'data-watch-media="{clip.pk}"' in html and 'data-watch-position="42.5"' in html
    assert "data-watch-resume hidden>Resume at 0:42</button>" in html
    assert "js/video-progress.js" in html
    # What is left to complete it: the share to watch and the share watched (12 of 120 seconds), no button.
    assert "Watch 90% of the video to complete this lesson." in html
    assert "You have watched <strong data-watch-share>10</strong>% of it." in html
    assert 'aria-valuenow="10"' in html and "progress__bar pct-10" in html
    assert f"/learn/lessons/{watch_lesson.pk}/complete/" not in html and "Mark as done" not in html


def test_the_position_stays_a_number_in_every_language(site, watch_lesson, clip):
    beat(site, watch_lesson, {"media": clip.pk, "ranges": [[0, 12]], "position": 75.5})
    site.cookies["django_language"] = "ru"
    html = site.get(watch_lesson.url).content.decode()
    assert 'lang="ru"' in html and 'data-watch-position="75.5"' in html and "75,5" not in html


@pytest.mark.parametrize("position", [0, 3, 117])
def test_no_resume_near_either_end(site, watch_lesson, clip, position):
    beat(site, watch_lesson, {"media": clip.pk, "ranges": [], "position": position})
    html = site.get(watch_lesson.url).content.decode()
    assert "data-watch-url" in html and "Resume at" not in html


def test_the_lesson_page_of_a_learner_who_has_not_started(site, watch_lesson):
    html = site.get(watch_lesson.url).content.decode()
    assert 'data-watch-position="0.0"' in html and "Resume at" not in html
    assert "You have watched <strong data-watch-share>0</strong>% of it." in html


def test_a_lesson_without_the_rule_is_marked_done_as_before(site, teacher, watch_lesson, clip):
    services.update_lesson(lesson=watch_lesson, by=teacher, require_watching=False)
    html = site.get(watch_lesson.url).content.decode()
    assert "data-watch-url" in html  # the player still reports, for the resume
    assert "Mark as done and go to the next lesson" in html and "data-watch-rule" not in html


def test_the_teacher_watches_without_reporting(client, teacher, watch_lesson):
    client.force_login(teacher)
    html = client.get(watch_lesson.url).content.decode()
    assert "<video" in html and "data-watch-url" not in html and "data-watch-rule" not in html
