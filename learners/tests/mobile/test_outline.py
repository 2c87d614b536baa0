"""A course screen in one call: `GET courses/{id}/outline/`."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses import services as course_services
from learners.services import learning
from learners.tests.factories import UserFactory
from quizzes.models import Quiz

from .conftest import answers
from .test_video_progress import beat, watch


def url(course):
    return f"/api/v1/courses/{course.pk}/outline/"


class TestShape:
    def test_a_learner_at_the_start(self, app, mobile_course, lessons, film):
        body = app.get(url(mobile_course)).json()
        assert body["course"]["id"] == mobile_course.pk and body["enrolled"] and not body["completed"]
        assert body["progress_percent"] == 0
        assert body["next_lesson"] == {"id": lessons[0].pk, "title": "Watch", "position": 1}
        watch_row, check_row, read_row = body["lessons"]
        assert (watch_row["state"], watch_row["locked_reason"], watch_row["completes_by"]) == ("open", None, ["video"])
        assert watch_row["video"] == {
            "media": film.pk,
            "position": 0.0,
            "watched_seconds": 0.0,
            "furthest": 0.0,
            "duration": 600.0,
            "completed": False,
            "required": True,
            "required_percent": 90,
        }
        assert watch_row["quiz"] is None
        assert (check_row["state"], check_row["locked_reason"], check_row["locked_by"]) == (
            "locked",
            "previous_lesson",
            lessons[0].pk,
        )
        assert check_row["quiz"] == {
            "id": Quiz.objects.get().pk,
            "passed": False,
            "attempts_used": 0,
            "attempts_left": 2,
            "max_attempts": 2,
            "last_score": None,
        }
        assert check_row["completes_by"] == ["quiz"] and check_row["video"] is None
        assert read_row["completes_by"] == ["mark_done"]

    def test_progress_and_its_rule(self, app, learner, mobile_course, lessons, film):
        watch(learner, lessons[0], film, 540)
        quiz = Quiz.objects.get()
        learning.submit_quiz(learner=learner, lesson=lessons[1], answers=answers(quiz, right=False))
        body = app.get(url(mobile_course)).json()
        assert body["progress_percent"] == 33
        assert [row["state"] for row in body["lessons"]] == ["done", "open", "locked"]
        assert body["lessons"][0]["video"]["completed"] and body["lessons"][0]["video"]["watched_seconds"] == 540.0
        assert body["lessons"][1]["quiz"]["attempts_left"] == 1 and body["lessons"][1]["quiz"]["last_score"] == 0
        rule = body["progress_rule"]
        assert (rule["done"], rule["total"], rule["weight_percent"]) == (1, 3, 33.33)
        assert [item["counted"] for item in rule["items"]] == [True, False, False]
        assert "1 of 3 lessons" in rule["explanation"]
        assert body["next_lesson"]["id"] == lessons[1].pk

    def test_in_russian(self, app, mobile_course):
        body = app.get(url(mobile_course), HTTP_ACCEPT_LANGUAGE="ru").json()
        assert "Пройдено уроков: 0 из 3" in body["progress_rule"]["explanation"]


class TestWhoMayRead:
    def test_others(self, api, as_user, mobile_course, other_student, other_teacher, teacher, admin_user):
        assert api.get(url(mobile_course)).status_code == 401
        for user in (other_student, other_teacher):
            response = as_user(user).get(url(mobile_course))
            assert (response.status_code, response.json()["code"]) == (403, "not_enrolled")
        for user in (teacher, admin_user):
            body = as_user(user).get(url(mobile_course)).json()
            assert [row["state"] for row in body["lessons"]] == ["open"] * 3 and not body["enrolled"]

    def test_unknown_private_and_unpublished_are_404(self, app, learner, mobile_course, teacher, as_user):
        assert app.get("/api/v1/courses/999999/outline/").status_code == 404
        PageViewRestriction.objects.create(
            page=mobile_course, restriction_type=PageViewRestriction.PASSWORD, password="s"
        )
        assert app.get(url(mobile_course)).status_code == 404
        PageViewRestriction.objects.all().delete()
        mobile_course.unpublish()
        assert app.get(url(mobile_course)).status_code == 404
        assert as_user(teacher).get(url(mobile_course)).status_code == 200

    def test_a_learner_who_left(self, app, learner, mobile_course):
        learning.leave(learner=learner, course=mobile_course)
        assert app.get(url(mobile_course)).status_code == 403


class TestETag:
    def test_304_until_the_learner_or_the_course_changes(
        self, app, learner, mobile_course, lessons, film, teacher, as_user
    ):
        first = app.get(url(mobile_course))
        etag = first["ETag"]
        assert first["Cache-Control"] == "private, no-cache" and "Authorization" in first["Vary"]
        again = app.get(url(mobile_course), HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again["ETag"] == etag and not again.content
        assert app.get(url(mobile_course), HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304

        someone = UserFactory()  # another learner's progress is not this learner's state
        learning.enroll(learner=someone, course=mobile_course)
        beat(someone, lessons[0], film, [[0, 20]], seconds=20)
        assert app.get(url(mobile_course), HTTP_IF_NONE_MATCH=etag).status_code == 304

        beat(learner, lessons[0], film, [[0, 20]], seconds=20)  # the learner watched: changed
        watched = app.get(url(mobile_course), HTTP_IF_NONE_MATCH=etag)
        assert watched.status_code == 200 and watched["ETag"] != etag

        etag = watched["ETag"]
        course_services.update_lesson(lesson=lessons[2], by=teacher, title="Read on")  # the course changed
        renamed = app.get(url(mobile_course), HTTP_IF_NONE_MATCH=etag)
        assert renamed.status_code == 200 and renamed.json()["lessons"][2]["title"] == "Read on"


def test_queries_do_not_grow_with_the_lessons(make_course, teacher, student, as_user, video):
    """Ten lessons or sixty, half of them with a video the learner has started: the same queries."""
    video.duration = 60
    video.save()
    client = as_user(student)

    def queries_for(count):
        course = make_course(title=f"Long {count}", lessons=0)
        for number in range(count):
            body = [{"type": "video", "value": video.pk}] if number % 2 else []
            course_services.add_lesson(course=course, by=teacher, title=f"L{number}", body=body)
        learning.enroll(learner=student, course=course)
        first, second = list(course.lessons())[:2]
        learning.complete_lesson(learner=student, lesson=first)
        beat(student, second, video, [[0, 30]], seconds=30)
        client.get(url(course))  # Wagtail's site, read once per process
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url(course)).json()
        assert len(body["lessons"]) == count and body["lessons"][1]["video"]["watched_seconds"] == 30.0
        return [query["sql"] for query in queries.captured_queries]

    few, many = queries_for(10), queries_for(60)
    assert len(few) == len(many) <= 9, "\n".join(q[:150] for q in few + ["----"] + many)


def test_the_site_and_every_api_door_show_the_same_progress(client, app, learner, mobile_course, lessons, film):
    """The course page, the course's API, the outline and the sync answer compute progress with the same code
    (`learning.Standing.progress`), and "My learning" (site and API) counts the same lessons in SQL, so they agree,
    here with a lesson the learner may not see."""
    watch(learner, lessons[0], film, 540)
    PageViewRestriction.objects.create(page=lessons[2], restriction_type=PageViewRestriction.PASSWORD, password="s")
    client.force_login(learner)
    page = client.get(mobile_course.url)
    outline = app.get(url(mobile_course)).json()
    detail = app.get(f"/api/v1/courses/{mobile_course.pk}/").json()
    synced = app.post(
        "/api/v1/sync/",
        {
            "events": [
                {
                    "id": "5c7f0c8e-5a3b-4b8e-9a3e-1f0c2b3d4e5f",
                    "type": "lesson_opened",
                    "at": "2026-01-01T00:00:00Z",
                    "lesson": lessons[0].pk,
                }
            ]
        },
        format="json",
    ).json()
    assert page.context["learner_state"].progress_percent == outline["progress_percent"] == 50
    assert detail["progress_percent"] == synced["enrollments"][0]["progress_percent"] == 50
    assert app.get("/api/v1/me/enrollments/").json()["results"][0]["progress_percent"] == 50
    assert client.get("/learn/").context["in_progress"][0].progress_percent == 50
    assert len(outline["lessons"]) == 2
