"""Learning events an app recorded while offline, applied when it is back: `POST sync/`.

Each event carries an id the app made up (a UUID) and the time it happened on the device. Every event is kept
(`SyncEvent`) with its outcome, so an event sent again is a duplicate and changes nothing, whichever batch brings it.
Events apply in the order they happened, through the same services as the online doors (`learning`, `watching`):
the same locks, limits, grading and secrecy. When events arrive late, having happened before an event that was
refused for the order of things (a lesson still locked, its quiz or video still due), that refused event is tried
again after them: two devices, or batches sent out of order, end where one ordered delivery would.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import LessonPage
from lms.errors import Conflict
from quizzes.models import Quiz

from ..models import SyncEvent, User
from . import learning, watching
from .refusals import NotEnrolled

MAX_EVENTS = 200
FUTURE_SKEW = timedelta(minutes=5)  # a device's clock may run a little ahead
# Refusals that a late event happening earlier may lift: an event refused for one of them is tried again.
IN_ORDER = {"lesson_locked", "quiz_required", "video_required"}


class NoQuiz(Conflict):
    code = "no_quiz"


@dataclass
class Event:
    """One event as the app sent it: `payload` holds the fields of its type."""

    id: object  # uuid.UUID
    type: str
    at: datetime
    lesson: int | None = None
    payload: dict = field(default_factory=dict)


@dataclass
class Outcome:
    id: object
    status: str  # "applied", "duplicate" or "rejected"
    code: str = ""
    detail: str = ""
    attempt: object = None  # a quiz attempt that the event recorded


@dataclass
class SyncResult:
    outcomes: list[Outcome]
    courses: set[int]  # the courses the events were about


@transaction.atomic
def apply_events(*, learner: User, events: list[Event]) -> SyncResult:
    """Apply a batch of events in device order; report each as applied, duplicate or rejected (with a code)."""
    User.objects.select_for_update().filter(pk=learner.pk).first()  # one batch at a time per learner
    known = set(
        SyncEvent.objects.filter(learner=learner, event_id__in=[e.id for e in events]).values_list(
            "event_id", flat=True
        )
    )
    outcomes, fresh = {}, []
    for event in events:
        if event.id in known or event.id in outcomes:
            continue
        outcomes[event.id] = None
        fresh.append(event)
    rows = SyncEvent.objects.bulk_create(
        SyncEvent(
            learner=learner,
            event_id=event.id,
            type=event.type,
            at=event.at,
            lesson_id=event.lesson,
            payload=event.payload,
            status=SyncEvent.Status.REJECTED,
        )
        for event in fresh
    )
    retried = []
    if rows:
        earliest = min(row.at for row in rows)
        retried = list(
            SyncEvent.objects.filter(
                learner=learner, status=SyncEvent.Status.REJECTED, code__in=IN_ORDER, at__gt=earliest
            )
        )
    courses = set()
    for row in sorted(rows + retried, key=lambda row: (row.at, row.received_at, row.pk)):
        outcome, course = _apply(learner, row)
        row.status, row.code = outcome.status, outcome.code
        if course is not None:
            courses.add(course)
        if row.event_id in outcomes:
            outcomes[row.event_id] = outcome
    SyncEvent.objects.bulk_update(rows + retried, ["status", "code"])
    reported = []
    for event in events:
        outcome = outcomes.pop(event.id, None)
        reported.append(outcome or Outcome(event.id, "duplicate"))
    return SyncResult(reported, courses)


def _apply(learner: User, row: SyncEvent) -> tuple[Outcome, int | None]:
    """Apply one event in a savepoint of its own: a refusal undoes that event alone."""
    if row.type not in HANDLERS:
        return Outcome(
            row.event_id, "rejected", "unknown_type", _("This app sent an event of a kind not known here.")
        ), None
    lesson = LessonPage.objects.live().filter(pk=row.lesson_id).first() if row.lesson_id is not None else None
    if lesson is None:
        return Outcome(row.event_id, "rejected", "unknown_lesson", _("There is no such lesson.")), None
    if row.at > timezone.now() + FUTURE_SKEW:
        return Outcome(row.event_id, "rejected", "in_future", _("This event happens in the future.")), None
    course = lesson.course
    try:
        with transaction.atomic():
            attempt = HANDLERS[row.type](learner, lesson, row)
    except Http404:
        return Outcome(row.event_id, "rejected", "unknown_lesson", _("There is no such lesson.")), None
    except (PermissionDenied, Conflict) as refusal:
        code = getattr(refusal, "code", "forbidden")
        return Outcome(row.event_id, "rejected", code, str(getattr(refusal, "message", refusal))), course.pk
    except ValidationError as error:
        detail = " ".join(error.messages)
        return Outcome(row.event_id, "rejected", "invalid", detail), course.pk
    return Outcome(row.event_id, "applied", attempt=attempt), course.pk


def _opened(learner, lesson, row):
    """The learner opened the lesson: their last activity in the course, if it is the latest."""
    enrollment = learning.lock_enrollment(learner, lesson.course)
    learning.check_can_open(user=learner, lesson=lesson, enrollment=enrollment)
    if enrollment is None:
        raise NotEnrolled(_("Enroll in the course to open its lessons."), lesson=lesson)
    if row.at > enrollment.last_activity_at:
        enrollment.last_activity_at = row.at
        enrollment.save(update_fields=["last_activity_at"])


def _completed(learner, lesson, row):
    learning.complete_lesson(learner=learner, lesson=lesson)


def _watched(learner, lesson, row):
    payload = row.payload
    watching.record_heartbeat(
        learner=learner,
        lesson=lesson,
        media=payload.get("media"),
        ranges=payload.get("ranges", []),
        position=payload.get("position", 0),
        at=row.at,
    )


def _attempted(learner, lesson, row):
    quiz = Quiz.objects.filter(lesson=lesson).first()
    if quiz is None:
        raise NoQuiz(_("This lesson has no quiz."))
    result = learning.submit_quiz(
        learner=learner, lesson=lesson, answers=row.payload.get("answers"), quiz=quiz, at=row.at
    )
    return result.attempt


HANDLERS = {
    "lesson_opened": _opened,
    "lesson_completed": _completed,
    "video_progress": _watched,
    "quiz_attempt": _attempted,
}
