"""Events recorded offline, applied later: `POST sync/` (`learners.services.sync`)."""

import random
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import at_once, client_for
from learners.models import Enrollment, LessonCompletion, SyncEvent, VideoProgress
from learners.services import learning
from learners.tests.factories import UserFactory
from quizzes.models import Attempt, Quiz

from .conftest import answers

URL = "/api/v1/sync/"
T0 = timezone.now() - timedelta(days=1)


def event(kind, lesson, seconds, **fields):
    return {
        "id": str(uuid.uuid4()),
        "type": kind,
        "at": (T0 + timedelta(seconds=seconds)).isoformat(),
        "lesson": lesson.pk,
        **fields,
    }


def journey(lessons, film):
    """A learner's day on two devices: the phone watches the first lesson and finishes the third, the tablet takes
    the second lesson's quiz (wrong, then right) in between."""
    watch, check, read = lessons
    quiz = Quiz.objects.get(lesson=check)
    phone = [
        event("lesson_opened", watch, 0),
        event("video_progress", watch, 1, media=film.pk, ranges=[], position=0),
        event("video_progress", watch, 300, media=film.pk, ranges=[[0, 540]], position=540),
        event("lesson_completed", read, 900),
    ]
    tablet = [
        event("lesson_opened", check, 400),
        event("quiz_attempt", check, 500, answers=answers(quiz, right=False)),
        event("quiz_attempt", check, 600, answers=answers(quiz, right=True)),
    ]
    return phone, tablet


def state_of(learner) -> dict:
    """What the events leave behind, comparable between learners of the same course."""
    return {
        "completed": sorted(LessonCompletion.objects.filter(learner=learner).values_list("lesson_id", flat=True)),
        "attempts": list(
            Attempt.objects.filter(learner=learner)
            .order_by("number")
            .values_list("lesson_id", "number", "score", "passed", "created_at")
        ),
        "videos": list(
            VideoProgress.objects.filter(learner=learner).values_list(
                "lesson_id", "ranges", "position", "watched_seconds"
            )
        ),
        "course_completed": Enrollment.objects.get(learner=learner).completed_at is not None,
    }


def send(client, events):
    response = client.post(URL, {"events": events}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def enrolled_twin(mobile_course, as_user):
    twin = UserFactory()
    learning.enroll(learner=twin, course=mobile_course)
    return twin, as_user(twin)


class TestIdempotence:
    def test_one_ordered_delivery(self, app, learner, lessons, film, mobile_course):
        phone, tablet = journey(lessons, film)
        answer = send(app, sorted(phone + tablet, key=lambda e: e["at"]))
        assert [r["status"] for r in answer["results"]] == ["applied"] * 7
        assert answer["enrollments"] == [{"course": mobile_course.pk, "progress_percent": 100, "completed": True}]
        state = state_of(learner)
        assert state["completed"] == sorted(lesson.pk for lesson in lessons) and state["course_completed"]
        assert [(a[1], a[3]) for a in state["attempts"]] == [(1, False), (2, True)]

    def test_the_same_batch_twice_changes_nothing(self, app, learner, lessons, film):
        phone, tablet = journey(lessons, film)
        batch = phone + tablet
        send(app, batch)
        before = state_of(learner)
        again = send(app, batch)
        assert [r["status"] for r in again["results"]] == ["duplicate"] * len(batch)
        assert state_of(learner) == before
        assert SyncEvent.objects.filter(learner=learner).count() == len(batch)

    def test_an_event_twice_in_one_batch_counts_once(self, app, learner, lessons, film):
        phone, _ = journey(lessons, film)
        answer = send(app, [phone[0], phone[0]])
        assert [r["status"] for r in answer["results"]] == ["applied", "duplicate"]

    def test_out_of_order_and_two_devices_end_as_one_ordered_delivery(
        self, app, learner, lessons, film, mobile_course, as_user
    ):
        phone, tablet = journey(lessons, film)
        send(app, sorted(phone + tablet, key=lambda e: e["at"]))
        twin, twin_app = enrolled_twin(mobile_course, as_user)
        shuffled_tablet, shuffled_phone = tablet[:], phone[:]
        random.Random(7).shuffle(shuffled_tablet)
        random.Random(7).shuffle(shuffled_phone)
        first = send(twin_app, shuffled_tablet)  # the tablet's batch arrives first: its lesson is still locked
        assert {r["code"] for r in first["results"]} == {"lesson_locked"}
        second = send(twin_app, shuffled_phone)
        assert {r["status"] for r in second["results"]} == {"applied"}
        assert state_of(twin) == state_of(learner)
        retried = SyncEvent.objects.filter(learner=twin, event_id__in=[e["id"] for e in tablet])
        assert set(retried.values_list("status", flat=True)) == {"applied"}

    def test_an_event_refused_in_order_is_not_retried_by_later_news(self, app, learner, lessons, film):
        """Completing the third lesson before the first was watched is refused; an event that happened later does
        not make it count, as it would not have in one ordered delivery."""
        too_soon = event("lesson_completed", lessons[2], 10)
        assert send(app, [too_soon])["results"][0]["code"] == "lesson_locked"
        phone, _ = journey(lessons, film)
        send(app, phone[:3])  # all after `too_soon`
        assert SyncEvent.objects.get(event_id=too_soon["id"]).status == "rejected"
        assert not LessonCompletion.objects.filter(lesson=lessons[2]).exists()

    def test_ids_belong_to_their_learner(self, app, learner, lessons, film, mobile_course, as_user):
        phone, _ = journey(lessons, film)
        send(app, phone[:1])
        _twin, twin_app = enrolled_twin(mobile_course, as_user)
        assert send(twin_app, phone[:1])["results"][0]["status"] == "applied"


class TestQuizAttempts:
    def test_the_attempt_limit_holds_in_device_order(self, app, learner, lessons, film):
        phone, _ = journey(lessons, film)
        send(app, phone[:3])
        quiz = Quiz.objects.get(lesson=lessons[1])
        tries = [event("quiz_attempt", lessons[1], 1000 + n, answers=answers(quiz, right=False)) for n in range(3)]
        answer = send(app, list(reversed(tries)))
        by_id = {r["id"]: r for r in answer["results"]}
        assert [by_id[t["id"]]["status"] for t in tries] == ["applied", "applied", "rejected"]
        assert by_id[tries[2]["id"]]["code"] == "no_attempts_left"
        numbers = Attempt.objects.filter(learner=learner).order_by("number").values_list("created_at", flat=True)
        assert [t.isoformat() for t in numbers] == [tries[0]["at"], tries[1]["at"]]

    def test_graded_as_online_and_no_answer_revealed(self, app, learner, lessons, film):
        phone, tablet = journey(lessons, film)
        answer = send(app, phone[:3] + tablet)
        attempts = [r["attempt"] for r in answer["results"] if r["attempt"]]
        assert [(a["number"], a["score"], a["passed"]) for a in attempts] == [(1, 0, False), (2, 100, True)]
        assert "correct" not in str(answer) and "results" not in str(attempts)

    def test_a_lesson_without_a_quiz(self, app, learner, lessons):
        answer = send(app, [event("quiz_attempt", lessons[0], 5, answers=[])])
        assert answer["results"][0]["code"] == "no_quiz"


class TestRefusals:
    @pytest.mark.parametrize(
        "change, code",
        [
            ({"type": "lesson_skipped"}, "unknown_type"),
            ({"lesson": 999999}, "unknown_lesson"),
            ({"lesson": None}, "unknown_lesson"),
            ({"at": (timezone.now() + timedelta(hours=1)).isoformat()}, "in_future"),
            ({"type": "video_progress", "media": "x", "ranges": [[0, 1]], "position": 1}, "invalid"),
            ({"type": "video_progress", "ranges": "all"}, "invalid"),
            ({"type": "quiz_attempt", "lesson": "second", "answers": "all right"}, "invalid"),
        ],
    )
    def test_a_refused_event_says_why_and_the_rest_apply(self, app, learner, lessons, film, change, code):
        bad = {**event("lesson_opened", lessons[0], 5), **change}
        if change.get("lesson") == "second":
            bad["lesson"] = lessons[1].pk
            send(app, journey(lessons, film)[0][:3])  # the second lesson opens
        good = event("lesson_opened", lessons[0], 6)
        answer = send(app, [bad, good])
        assert (answer["results"][0]["status"], answer["results"][0]["code"]) == ("rejected", code)
        assert answer["results"][1]["status"] == "applied"

    def test_numbers_past_any_float_are_cut_at_the_end_of_the_video(self, app, learner, lessons, film):
        huge = event("video_progress", lessons[0], 5, media=film.pk, ranges=[[0, 10**400]], position=10**400)
        assert send(app, [huge])["results"][0]["status"] == "applied"
        assert VideoProgress.objects.get().position == 600.0

    def test_not_enrolled(self, as_user, other_student, lessons):
        answer = send(as_user(other_student), [event("lesson_opened", lessons[0], 5)])
        assert answer["results"][0]["code"] == "not_enrolled" and answer["enrollments"][0]["progress_percent"] == 0

    def test_last_activity_follows_the_latest_event(self, app, learner, lessons):
        send(app, [event("lesson_opened", lessons[0], 5)])
        enrollment = Enrollment.objects.get(learner=learner)
        assert enrollment.last_activity_at > T0  # enrolled now, later than the event: kept
        enrollment.last_activity_at = T0
        enrollment.save()
        send(app, [event("lesson_opened", lessons[0], 50)])
        assert Enrollment.objects.get(learner=learner).last_activity_at == T0 + timedelta(seconds=50)

    @pytest.mark.parametrize(
        "body",
        [
            {},
            {"events": "all"},
            {"events": [{"type": "lesson_opened"}]},
            {"events": [{"id": "not-a-uuid", "type": "lesson_opened", "at": T0.isoformat()}]},
            {"events": [{"id": str(uuid.uuid4()), "type": "lesson_opened", "at": "yesterday"}]},
            {"events": [{"id": str(uuid.uuid4()), "type": "x" * 33, "at": T0.isoformat()}]},
            {"events": [{"id": str(uuid.uuid4()), "type": "lesson_opened", "at": T0.isoformat(), "lesson": 2**40}]},
            {"events": [{"id": str(uuid.uuid4()), "type": "lesson_opened", "at": T0.isoformat()}] * 201},
            {"events": ["x"]},
        ],
    )
    def test_an_unreadable_batch_is_400_and_nothing_is_kept(self, app, body):
        response = app.post(URL, body, format="json")
        assert response.status_code == 400, response.content
        assert not SyncEvent.objects.exists()

    def test_anonymous_is_401(self, api):
        assert api.post(URL, {"events": []}, format="json").status_code == 401


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_batch_sent_twice_at_once_applies_once(make_course, teacher, student):
    course = make_course(title="Race", lessons=2)
    learning.enroll(learner=student, course=course)
    first = course.lessons().first()
    batch = [event("lesson_completed", first, 5), event("lesson_opened", first, 6)]
    clients = [client_for(student), client_for(student)]
    answers = at_once(
        [lambda client=client: client.post(URL, {"events": batch}, format="json").json() for client in clients]
    )
    statuses = [[result["status"] for result in answer["results"]] for answer in answers]
    assert sorted(statuses) == [["applied", "applied"], ["duplicate", "duplicate"]]
    assert SyncEvent.objects.count() == 2 and LessonCompletion.objects.count() == 1
