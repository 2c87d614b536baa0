"""Honest video progress (`learners.services.watching`) and its API door, `POST lessons/{id}/video-progress/`."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from conftest import at_once, client_for
from courses import services as course_services
from courses.models import LessonPage
from learners.models import LessonCompletion, VideoProgress
from learners.services import learning, watching
from quizzes.models import Quiz

from .conftest import answers

START = timezone.now() - timedelta(hours=1)


def beat(learner, lesson, film, ranges, position=None, seconds=0.0):
    """A heartbeat `seconds` after the first one (the clock that bounds what is credited)."""
    position = ranges[-1][1] if position is None and ranges else position or 0
    return watching.record_heartbeat(
        learner=learner,
        lesson=lesson,
        media=film.pk,
        ranges=ranges,
        position=position,
        at=START + timedelta(seconds=seconds),
    )


def watch(learner, lesson, film, until, *, speed=1.0, every=10.0, start=0.0, clock=0.0):
    """Play the video from `start` to `until` at `speed`, a heartbeat every `every` seconds of time."""
    last = None
    position = start
    beat(learner, lesson, film, [], position=start, seconds=clock)
    while position < until:
        end = min(position + every * speed, until)
        clock += (end - position) / speed
        last = beat(learner, lesson, film, [[position, end]], seconds=clock)
        position = end
    return last


class TestMerging:
    def test_ranges_merge_sorted_joining_overlaps_and_touches(self):
        assert watching.merge([[30, 40], [0, 10], [5, 20], [20, 25], [50, 50]]) == [[0, 25], [30, 40]]

    def test_uncovered_is_what_the_new_ranges_add(self):
        assert watching.uncovered([[0, 10], [20, 30]], [[5, 25], [28, 40]]) == [[10, 20], [30, 40]]
        assert watching.uncovered([[0, 10]], [[2, 8]]) == []

    def test_credit_stops_at_the_budget_earliest_seconds_first(self):
        assert watching.credit([[0, 10]], [[0, 100]], budget=15) == [[0, 25]]
        assert watching.credit([], [[50, 60], [0, 10]], budget=12) == [[0, 10], [50, 52]]
        assert watching.credit([[0, 10]], [[0, 10]], budget=0) == [[0, 10]]


class TestHeartbeats:
    def test_ranges_merge_into_distinct_seconds_and_a_position(self, learner, lessons, film):
        watch(learner, lessons[0], film, 60)
        state = beat(learner, lessons[0], film, [[30, 70]], position=70, seconds=70).state
        assert (state.watched_seconds, state.furthest, state.position, state.duration) == (70.0, 70.0, 70.0, 600.0)
        assert not state.completed

    def test_replayed_heartbeats_change_nothing(self, learner, lessons, film):
        watch(learner, lessons[0], film, 100)
        before = VideoProgress.objects.get()
        for _ in range(3):
            beat(learner, lessons[0], film, [[0, 100]], position=100, seconds=60)
        after = VideoProgress.objects.get()
        assert (after.ranges, after.watched_seconds, after.position) == (
            before.ranges,
            before.watched_seconds,
            before.position,
        )

    def test_seeking_to_the_end_is_a_position_not_watching(self, learner, lessons, film):
        watch(learner, lessons[0], film, 20)
        state = beat(learner, lessons[0], film, [], position=595, seconds=30).state
        assert (state.position, state.watched_seconds, state.completed) == (595.0, 20.0, False)
        with pytest.raises(learning.VideoRequired):
            learning.complete_lesson(learner=learner, lesson=lessons[0])
        assert not LessonCompletion.objects.exists()

    def test_a_client_claiming_the_whole_video_at_once_gets_what_the_clock_allows(self, learner, lessons, film):
        first = beat(learner, lessons[0], film, [[0, 600]], seconds=0).state
        assert first.watched_seconds == watching.SLACK
        later = beat(learner, lessons[0], film, [[0, 600]], seconds=60).state
        assert later.watched_seconds == watching.SLACK + 60 * watching.MAX_RATE
        assert not LessonCompletion.objects.exists()

    def test_watching_at_double_speed_completes_the_lesson(self, learner, lessons, film):
        last = watch(learner, lessons[0], film, 540, speed=2.0)
        assert last.state.completed and last.progress is not None
        assert last.progress.done == 1 and last.progress.percent == 33
        assert LessonCompletion.objects.filter(learner=learner, lesson=lessons[0]).exists()

    def test_not_quite_enough_does_not_complete(self, learner, lessons, film):
        last = watch(learner, lessons[0], film, 539)
        assert not last.state.completed and last.progress is None
        assert not LessonCompletion.objects.exists()

    def test_the_teachers_share_is_the_rule(self, learner, lessons, film, teacher):
        course_services.update_lesson(lesson=lessons[0], by=teacher, watch_percent=50)
        lesson = type(lessons[0]).objects.get(pk=lessons[0].pk)
        assert watch(learner, lesson, film, 300).progress is not None

    def test_a_quiz_and_a_video_both_count(self, learner, lessons, film, teacher):
        """A lesson with a quiz that also requires its video: the quiz passed first completes nothing; the
        heartbeat that watches enough completes it."""
        lesson = lessons[0]
        Quiz.objects.filter(lesson=lessons[1]).update(lesson=lesson)
        quiz = Quiz.objects.get(lesson=lesson)
        result = learning.submit_quiz(learner=learner, lesson=lesson, answers=answers(quiz, right=True))
        assert result.attempt.passed and result.progress is None
        assert not LessonCompletion.objects.exists()
        assert watch(learner, lesson, film, 540).progress is not None
        assert LessonCompletion.objects.filter(lesson=lesson).exists()

    def test_a_lesson_without_the_rule_tracks_but_is_marked_done(self, learner, lessons, film, teacher):
        course_services.update_lesson(lesson=lessons[0], by=teacher, require_watching=False)
        lesson = type(lessons[0]).objects.get(pk=lessons[0].pk)
        beat(learner, lesson, film, [[0, 10]], seconds=10)
        assert learning.complete_lesson(learner=learner, lesson=lesson).done == 1


class TestRequireWatching:
    def test_needs_a_video(self, mobile_course, teacher):
        with pytest.raises(ValidationError) as error:
            course_services.add_lesson(course=mobile_course, by=teacher, title="No video", require_watching=True)
        assert "require_watching" in error.value.message_dict

    def test_needs_the_videos_duration(self, mobile_course, teacher, film):
        film.duration = 0
        film.save()
        with pytest.raises(ValidationError):
            course_services.add_lesson(
                course=mobile_course,
                by=teacher,
                title="Unknown length",
                body=[{"type": "video", "value": film.pk}],
                require_watching=True,
            )

    def test_api_answers_400_and_takes_the_fields(self, mobile_course, teacher, film, as_user):
        client = as_user(teacher)
        url = f"/api/v1/courses/{mobile_course.pk}/lessons/"
        refused = client.post(url, {"title": "x", "require_watching": True}, format="json")
        assert refused.status_code == 400 and "require_watching" in refused.json()
        body = [{"type": "video", "value": film.pk}]
        made = client.post(
            url, {"title": "y", "body": body, "require_watching": True, "watch_percent": 75}, format="json"
        )
        assert made.status_code == 201, made.content
        assert (made.json()["require_watching"], made.json()["watch_percent"]) == (True, 75)
        assert client.post(url, {"title": "z", "watch_percent": 0}, format="json").status_code == 400


class TestEditor:
    """The rule in the Wagtail editor: the same checks, and a form without the share keeps it."""

    def form(self, film, **fields):
        body = streamfield([("video", {"video": film.pk})]) if film else streamfield([("text", rich_text("<p>Read</p>"))])
        return nested_form_data({"title": "Film", "slug": "film", "body": body, "action-publish": "publish", **fields})

    def add(self, client, course, data):
        return client.post(f"/admin/pages/add/courses/lessonpage/{course.pk}/", data)

    def test_requiring_a_video_that_is_not_there_is_refused(self, client, teacher, mobile_course):
        client.force_login(teacher)
        response = self.add(client, mobile_course, self.form(None, require_watching="on"))
        assert response.status_code == 200
        assert "Add a video to the body to require watching it." in response.content.decode()

    def test_a_form_without_the_share_keeps_the_default(self, client, teacher, mobile_course, film):
        client.force_login(teacher)
        assert self.add(client, mobile_course, self.form(film, require_watching="on")).status_code == 302
        lesson = LessonPage.objects.get(slug="film")
        assert (lesson.require_watching, lesson.watch_percent) == (True, 90)
        edit = f"/admin/pages/{lesson.pk}/edit/"
        assert client.post(edit, self.form(film, require_watching="on", watch_percent="70")).status_code == 302
        assert client.post(edit, self.form(film, require_watching="on", watch_percent="")).status_code == 302
        assert LessonPage.objects.get(pk=lesson.pk).watch_percent == 70
        refused = client.post(edit, self.form(film, watch_percent="101"))
        assert refused.status_code == 200 and LessonPage.objects.get(pk=lesson.pk).watch_percent == 70


class TestApi:
    def url(self, lesson):
        return f"/api/v1/lessons/{lesson.pk}/video-progress/"

    def test_a_heartbeat(self, app, lessons, film):
        response = app.post(
            self.url(lessons[0]), {"media": film.pk, "ranges": [[0, 12.5]], "position": 12.5}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json() == {
            "media": film.pk,
            "watched_seconds": 12.5,
            "furthest": 12.5,
            "position": 12.5,
            "duration": 600.0,
            "completed": False,
            "lesson_completed": False,
            "progress_percent": None,
        }

    def test_the_lesson_offers_to_resume(self, app, learner, lessons, film):
        watch(learner, lessons[0], film, 40)
        beat(learner, lessons[0], film, [], position=33, seconds=3600)
        videos = app.get(f"/api/v1/lessons/{lessons[0].pk}/").json()["videos"]
        assert videos == [
            {
                "media": film.pk,
                "position": 33.0,
                "watched_seconds": 40.0,
                "furthest": 40.0,
                "duration": 600.0,
                "completed": False,
            }
        ]

    @pytest.mark.parametrize(
        "body",
        [
            {},
            {"media": "x", "ranges": [], "position": 0},
            {"media": 1, "ranges": "0-10", "position": 0},
            {"media": None, "ranges": [[0, 10]], "position": 0},
            {"ranges": [[0]], "position": 0},
            {"ranges": [[0, 1, 2]], "position": 0},
            {"ranges": [[-1, 10]], "position": 0},
            {"ranges": [[10, 5]], "position": 0},
            {"ranges": [["a", "b"]], "position": 0},
            {"ranges": [[0, 1]] * (watching.MAX_RANGES + 1), "position": 0},
            {"ranges": [[0, 10]], "position": -3},
            {"ranges": [[0, 10]], "position": None},
            {"media": 2**40, "ranges": [], "position": 0},
        ],
    )
    def test_bad_input_is_400_and_records_nothing(self, app, lessons, film, body):
        body = {"media": film.pk, **body} if "media" not in body and body else body
        response = app.post(self.url(lessons[0]), body, format="json")
        assert response.status_code == 400, response.content
        assert not VideoProgress.objects.exists()

    def test_a_video_of_another_lesson_is_400(self, app, learner, lessons, film):
        watch(learner, lessons[0], film, 540)  # the second lesson opens
        response = app.post(self.url(lessons[1]), {"media": film.pk, "ranges": [[0, 5]], "position": 5}, format="json")
        assert response.status_code == 400 and "media" in response.json()

    def test_non_finite_numbers_are_400(self, app, lessons, film):
        body = f'{{"media": {film.pk}, "ranges": [[0, Infinity]], "position": NaN}}'
        response = app.post(self.url(lessons[0]), body, content_type="application/json")
        assert response.status_code == 400

    def test_ranges_past_the_end_are_cut_at_the_duration(self, app, learner, lessons, film):
        beat(learner, lessons[0], film, [], seconds=-600)
        response = app.post(
            self.url(lessons[0]), {"media": film.pk, "ranges": [[590, 900]], "position": 900}, format="json"
        )
        assert (response.json()["watched_seconds"], response.json()["position"]) == (10.0, 600.0)

    def test_who_may_send(self, api, as_user, other_student, teacher, lessons, film, learner):
        body = {"media": film.pk, "ranges": [[0, 5]], "position": 5}
        assert api.post(self.url(lessons[0]), body, format="json").status_code == 401
        stranger = as_user(other_student).post(self.url(lessons[0]), body, format="json")
        assert (stranger.status_code, stranger.json()["code"]) == (403, "not_enrolled")
        teaching = as_user(teacher).post(self.url(lessons[0]), body, format="json")
        assert (teaching.status_code, teaching.json()["code"]) == (403, "not_enrolled")
        assert as_user(learner).post("/api/v1/lessons/999999/video-progress/", body, format="json").status_code == 404
        assert not VideoProgress.objects.exists()

    def test_a_locked_lesson_is_403(self, app, lessons, film, teacher, mobile_course):
        """A video in the third lesson, locked until the second is done."""
        course_services.update_lesson(lesson=lessons[2], by=teacher, body=[{"type": "video", "value": film.pk}])
        response = app.post(self.url(lessons[2]), {"media": film.pk, "ranges": [[0, 5]], "position": 5}, format="json")
        assert (response.status_code, response.json()["code"]) == (403, "lesson_locked")

    def test_a_private_course_is_404(self, app, lessons, film, mobile_course):
        from wagtail.models import PageViewRestriction

        PageViewRestriction.objects.create(page=mobile_course, restriction_type=PageViewRestriction.LOGIN)
        PageViewRestriction.objects.filter(page=mobile_course).update(
            restriction_type=PageViewRestriction.PASSWORD, password="s"
        )
        response = app.post(self.url(lessons[0]), {"media": film.pk, "ranges": [[0, 5]], "position": 5}, format="json")
        assert response.status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_heartbeats_at_once_keep_one_merged_record(make_course, teacher, student, video):
    video.duration = 600
    video.save()
    course = make_course(title="Race", lessons=0)
    lesson = course_services.add_lesson(
        course=course, by=teacher, title="W", body=[{"type": "video", "value": video.pk}]
    )
    learning.enroll(learner=student, course=course)
    clients = [client_for(student), client_for(student)]
    url = f"/api/v1/lessons/{lesson.pk}/video-progress/"
    beats = [
        lambda client=client, ranges=ranges: client.post(
            url, {"media": video.pk, "ranges": ranges, "position": 1}, format="json"
        )
        for client, ranges in zip(clients, ([[0, 10]], [[10, 20]]), strict=True)
    ]
    assert [response.status_code for response in at_once(beats)] == [200, 200]
    progress = VideoProgress.objects.get()
    assert progress.ranges == [[0.0, 20.0]] and progress.watched_seconds == 20.0


def test_cascades_keep_the_record_with_the_lesson_and_go_with_the_learner(
    learner, lessons, film, teacher, admin_user, app
):
    """Removing the lesson keeps what was watched (as completions are kept); deleting the learner takes their
    progress and their sync events with them."""
    from courses.services import delete_page
    from learners.models import SyncEvent
    from learners.services.accounts import delete_user

    watch(learner, lessons[0], film, 30)
    app.post(
        "/api/v1/sync/",
        {
            "events": [
                {
                    "id": "0b6c9f3e-3f3a-4c3e-9a6b-2f1e0d9c8b7a",
                    "type": "lesson_opened",
                    "at": "2026-01-01T00:00:00Z",
                    "lesson": lessons[0].pk,
                }
            ]
        },
        format="json",
    )
    delete_page(page=lessons[0], by=teacher)
    kept = VideoProgress.objects.get(learner=learner)
    assert kept.lesson_id is None and kept.watched_seconds == 30.0
    assert SyncEvent.objects.filter(learner=learner).count() == 1
    delete_user(user=learner, by=admin_user)
    assert not VideoProgress.objects.exists() and not SyncEvent.objects.exists()
