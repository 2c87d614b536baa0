"""The learner's journey: enroll, leave, open a lesson (locks), complete a lesson, finish a course.

The rules live here and nowhere else; the site, the API and the admin call these functions. A course or
lesson the learner may not see (`courses.visibility`: the admin's Privacy settings) is not found here, as
everywhere: `session` is the site's session (which holds the passwords given), None for the API.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage, LessonPage
from courses.visibility import can_view
from lms.errors import Conflict, Denied
from quizzes import grading
from quizzes import services as quizzes
from quizzes.models import Attempt, Quiz

from ..models import Enrollment, LessonCompletion, User
from . import certificates


class LearningDenied(Denied):
    """A refusal by the learning rules, with the lesson it concerns (and the one that would open it)."""

    def __init__(self, message, *, lesson=None, opened_by=None):
        super().__init__(message)
        self.lesson = lesson
        self.opened_by = opened_by


class NotEnrolled(LearningDenied):
    code = "not_enrolled"


class LessonLocked(LearningDenied):
    code = "lesson_locked"


class AlreadyEnrolled(Conflict):
    code = "already_enrolled"


class QuizRequired(Conflict):
    code = "quiz_required"


@dataclass
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


def teaches(user, course: CoursePage) -> bool:
    """The course's teacher and admins open every lesson without enrolling."""
    return user.is_authenticated and (user.is_superuser or course.owner_id == user.pk)


def active_enrollment(user, course: CoursePage) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return Enrollment.objects.active().filter(learner=user, course=course).first()


def completed_lesson_ids(user, course: CoursePage) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        LessonCompletion.objects.filter(learner=user, lesson__in=course.lessons().values("pk")).values_list(
            "lesson_id", flat=True
        )
    )


def locked_lesson_ids(lessons: list[LessonPage], completed: set[int]) -> set[int]:
    """Lesson N is open when it is the first, is completed, or lesson N-1 is completed."""
    locked = set()
    for index, lesson in enumerate(lessons):
        if index == 0 or lesson.pk in completed or lessons[index - 1].pk in completed:
            continue
        locked.add(lesson.pk)
    return locked


def progress_of(user, course: CoursePage) -> Progress:
    lessons = list(course.lessons().values_list("pk", flat=True))
    return Progress(done=len(completed_lesson_ids(user, course) & set(lessons)), total=len(lessons))


_UNREAD = object()


def check_can_open(*, user, lesson: LessonPage, enrollment=_UNREAD, session=None) -> None:
    """Raise Http404 (a lesson they may not see), NotEnrolled or LessonLocked unless the user may open the lesson now.

    `enrollment`: the user's active enrollment in the course (or None) when the caller has read it already.
    """
    course = lesson.course
    if teaches(user, course):
        return
    if not lesson.live or not course.live or not can_view(lesson, user, session):
        raise Http404
    if enrollment is _UNREAD:
        enrollment = active_enrollment(user, course)
    if enrollment is None:
        raise NotEnrolled(_("Enroll in the course to open its lessons."), lesson=lesson)
    lessons = list(course.lessons().only("pk", "title"))
    locked = locked_lesson_ids(lessons, completed_lesson_ids(user, course))
    if lesson.pk in locked:
        previous = lessons[[item.pk for item in lessons].index(lesson.pk) - 1]
        raise LessonLocked(
            _("Complete “%(title)s” first to open this lesson.") % {"title": previous.title},
            lesson=lesson,
            opened_by=previous,
        )


@transaction.atomic
def enroll(*, learner: User, course: CoursePage, session=None) -> Enrollment:
    """Enroll in a published course the learner may see, or come back to one left earlier (with the progress kept)."""
    if not course.live or not can_view(course, learner, session):
        raise Http404
    try:
        with transaction.atomic():
            return Enrollment.objects.create(learner=learner, course=course, course_title=course.title)
    except IntegrityError:
        pass  # enrolled before (maybe a moment ago, in a racing request): look at that enrollment
    enrollment = Enrollment.objects.select_for_update().get(learner=learner, course=course)
    if enrollment.is_active:
        raise AlreadyEnrolled(_("You are already enrolled in this course."))
    enrollment.left_at = None
    enrollment.last_activity_at = timezone.now()
    enrollment.save(update_fields=["left_at", "last_activity_at"])
    return enrollment


@transaction.atomic
def leave(*, learner: User, course: CoursePage) -> Enrollment:
    """Leave a course; completions stay and come back on enrolling again."""
    enrollment = lock_enrollment(learner, course)
    if enrollment is None:
        raise Http404
    enrollment.left_at = timezone.now()
    enrollment.save(update_fields=["left_at"])
    return enrollment


def lock_enrollment(learner: User, course: CoursePage) -> Enrollment | None:
    """The learner's active enrollment, locked until the transaction ends (None when not enrolled)."""
    return Enrollment.objects.select_for_update().active().filter(learner=learner, course=course).first()


@transaction.atomic
def record_completion(*, learner: User, lesson: LessonPage, enrollment=_UNREAD) -> Progress:
    """Mark a lesson completed (once) and complete the enrollment when it was the last one.

    Called by `complete_lesson` and, for lessons with a quiz, by `submit_quiz` on a pass (which passes
    the enrollment it has locked already).
    """
    course = lesson.course
    # Lock the enrollment: two last lessons completed at once still complete the course exactly once.
    if enrollment is _UNREAD:
        enrollment = lock_enrollment(learner, course)
    LessonCompletion.objects.get_or_create(learner=learner, lesson=lesson, defaults={"course": course})
    progress = progress_of(learner, course)
    if enrollment is not None:
        now = timezone.now()
        enrollment.last_activity_at = now
        fields = ["last_activity_at"]
        if progress.complete and enrollment.completed_at is None:
            enrollment.completed_at = now
            fields.append("completed_at")
        enrollment.save(update_fields=fields)
        if enrollment.completed_at is not None:
            certificates.issue_certificate(enrollment=enrollment)
    return progress


@transaction.atomic
def complete_lesson(*, learner: User, lesson: LessonPage, session=None) -> Progress:
    """Mark a lesson done. A lesson with a quiz is done once its quiz is passed (see `submit_quiz`)."""
    check_can_open(user=learner, lesson=lesson, session=session)
    if active_enrollment(learner, lesson.course) is None:
        raise NotEnrolled(_("Enroll in the course to complete its lessons."), lesson=lesson)
    quiz = Quiz.objects.filter(lesson=lesson).first()
    if quiz is not None and not quizzes.has_passed(quiz, learner):
        raise QuizRequired(_("Pass the lesson's quiz to complete it."))
    return record_completion(learner=learner, lesson=lesson)


class NoAttemptsLeft(LearningDenied):
    code = "no_attempts_left"


@dataclass
class QuizResult:
    attempt: Attempt
    progress: Progress | None


@transaction.atomic
def submit_quiz(
    *, learner: User, lesson: LessonPage, answers, quiz: Quiz | None = None, session=None
) -> QuizResult:
    """Grade an attempt at the lesson's quiz (`quiz`, if the caller has it), keep it whole, and complete the
    lesson on a pass.

    The learner's enrollment row is locked while counting attempts, so that racing submissions cannot
    exceed the quiz's limit (and a unique attempt number backs that up in the database).
    """
    enrollment = lock_enrollment(learner, lesson.course)
    check_can_open(user=learner, lesson=lesson, enrollment=enrollment, session=session)
    if enrollment is None:
        raise NotEnrolled(_("Enroll in the course to take its quizzes."), lesson=lesson)
    if quiz is None:
        quiz = Quiz.objects.filter(lesson=lesson).first()
    if quiz is None or quiz.lesson_id != lesson.pk:
        raise Http404
    used = quizzes.attempts_used(quiz, learner)
    if quiz.max_attempts is not None and used >= quiz.max_attempts:
        raise NoAttemptsLeft(_("You have used all your attempts at this quiz."), lesson=lesson)
    questions = quizzes.questions_of(quiz)
    keys = quizzes.keys_of(questions)
    graded = grading.grade(keys, grading.normalize_answers(keys, answers), quiz.pass_mark)
    attempt = Attempt.objects.create(
        learner=learner,
        quiz=quiz,
        lesson=lesson,
        quiz_title=quiz.title,
        number=used + 1,
        score=graded.score,
        passed=graded.passed,
        pass_mark=quiz.pass_mark,
        results=quizzes.snapshot(questions, graded),
    )
    progress = record_completion(learner=learner, lesson=lesson, enrollment=enrollment) if graded.passed else None
    return QuizResult(attempt=attempt, progress=progress)
