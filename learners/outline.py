"""A course screen in one read: `GET courses/{id}/outline/`.

The lessons a learner sees in order, each with its state (done, open, or locked and why), how it is completed, its
quiz and its video; the lesson to take next; and the progress with the rule behind it. It is read from the learner's
standing (`learning.Standing`: one query for the lessons, completions, quizzes and attempts) and the videos' progress
(`watching.states_of`: two), so its cost does not grow with the number of lessons. Progress is `learning.Progress`
over the lessons shown, the same code as the course's API, its page and the sync's answer.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import CoursePage
from courses.visibility import can_view
from lms.errors import NotFound
from quizzes import services as quizzes

from . import selectors
from .services import learning, watching
from .services.refusals import NotEnrolled


def outline(user, course: CoursePage, session=None) -> dict:
    """The course screen for an enrolled learner, or the course's teacher or an admin (NotEnrolled for others;
    NotFound for a course they may not see, or not published and not theirs)."""
    standing = learning.Standing(user, course, session)
    if not can_view(course, user, session) or not (course.live or standing.teaches):
        raise NotFound
    if not (standing.teaches or standing.enrolled):
        raise NotEnrolled(_("Enroll in the course to see your progress in it."))
    lessons = [lesson for lesson in standing.lessons if lesson.visible]
    state = selectors.state_of(
        lessons, teaches=standing.teaches, enrolled=standing.enrolled, completed=standing.completed, with_quiz=set()
    )
    videos = watching.states_of(user, lessons)
    rows = []
    for index, lesson in enumerate(lessons):
        quiz = standing.quiz_of(lesson)
        video = videos.get(lesson.pk)
        locked = lesson.pk in state.locked
        rows.append(
            {
                "id": lesson.pk,
                "title": lesson.title,
                "position": index + 1,
                "state": "done" if lesson.pk in state.completed else "locked" if locked else "open",
                "locked_reason": "previous_lesson" if locked else None,
                "locked_by": lessons[index - 1].pk if locked else None,
                "completes_by": completes_by(lesson, quiz is not None),
                "duration_minutes": lesson.duration_minutes,
                "quiz": _quiz(quiz, user),
                "video": _video(video, lesson) if video is not None else None,
            }
        )
    progress = standing.progress
    next_lesson = next((row for row in rows if row["state"] == "open"), None)
    return {
        "course": {"id": course.pk, "title": course.title, "url": course.get_url()},
        "enrolled": standing.enrolled,
        "completed": progress.complete,
        "progress_percent": progress.percent,
        "progress_rule": progress_rule(progress, rows),
        "next_lesson": {key: next_lesson[key] for key in ("id", "title", "position")} if next_lesson else None,
        "lessons": rows,
    }


def completes_by(lesson, has_quiz: bool) -> list[str]:
    """What completes the lesson: passing its quiz, watching its video (both, when it has both), or marking it done."""
    ways = (["quiz"] if has_quiz else []) + (["video"] if lesson.require_watching else [])
    return ways or ["mark_done"]


def progress_rule(progress: learning.Progress, rows: list[dict]) -> dict:
    """Why the progress is what it is: every lesson shown counts once, with an equal weight."""
    total = progress.total
    return {
        "counts": "lessons",
        "done": progress.done,
        "total": total,
        "weight_percent": round(100 / total, 2) if total else 0,
        "formula": "done * 100 // total",
        "items": [
            {"lesson": row["id"], "weight_percent": round(100 / total, 2), "counted": row["state"] == "done"}
            for row in rows
        ],
        "explanation": ngettext(
            "%(done)s of %(total)s lesson completed; each counts equally. A lesson with a quiz counts once the quiz "
            "is passed, one that requires its video once enough of it is watched, any other once marked as done.",
            "%(done)s of %(total)s lessons completed; each counts equally. A lesson with a quiz counts once the quiz "
            "is passed, one that requires its video once enough of it is watched, any other once marked as done.",
            total,
        )
        % {"done": progress.done, "total": total},
    }


def _quiz(quiz, user) -> dict | None:
    if quiz is None:
        return None
    return {
        "id": quiz.pk,
        "passed": bool(quiz.attempts_passed),
        "attempts_used": quiz.attempts_used,
        "attempts_left": quizzes.attempts_left(quiz, user, used=quiz.attempts_used),
        "max_attempts": quiz.max_attempts,
        "last_score": quiz.last_attempt_score,
    }


def _video(video: watching.VideoState, lesson) -> dict:
    return {
        "media": video.media,
        "position": video.position,
        "watched_seconds": video.watched_seconds,
        "furthest": video.furthest,
        "duration": video.duration,
        "completed": video.completed,
        "required": lesson.require_watching,
        "required_percent": lesson.watch_percent,
    }
