"""The learner's journey: enroll, leave, open a lesson (locks), complete a lesson, finish a course.

The rules live here and nowhere else; the site, the API and the admin call these functions. A course or
lesson the learner may not see (`courses.visibility`: the admin's Privacy settings) is not found here, as
everywhere: `session` is the site's session (which holds the passwords given), None for the API.
"""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage, LessonPage
from courses.visibility import can_view, teaches_or_admin, visible_q
from lms.errors import NotFound
from quizzes import services as quizzes
from quizzes.models import Attempt, Quiz

from ..models import Enrollment, LessonCompletion, User, VideoProgress
from . import certificates
from .refusals import AlreadyEnrolled, LessonLocked, NoAttemptsLeft, NotEnrolled, QuizRequired, VideoRequired


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


class Standing:
    """A user's standing in a course, read once for whoever asks: the course's live lessons in order, which of them
    the user may see (`courses.visibility`) and has completed, each lesson's quiz with the user's attempts at it, the
    user's active enrollment, and whether they teach the course.

    It is read on first use, in one query: the lessons with all they carry, whether the user is enrolled included
    (a visitor's course page reads nothing). The rules below (`check_can_open`, locks, progress) take it, and the
    site shares one per request (`learners.page_parts.standing_for`). `session`: the site's session, as elsewhere;
    `enrollment`: the user's active enrollment when the caller has read it already (locked, say).
    """

    def __init__(self, user, course: CoursePage, session=None, *, enrollment=_UNREAD):
        self.user = user
        self.course = course
        self.session = session
        self.teaches = teaches_or_admin(course, user)
        if enrollment is not _UNREAD:
            self.enrollment = enrollment

    @cached_property
    def enrollment(self) -> Enrollment | None:
        return active_enrollment(self.user, self.course)

    @cached_property
    def enrolled(self) -> bool:
        """Whether the user has an active enrollment in the course (the lessons' read tells, when there are lessons)."""
        if "enrollment" in vars(self) or not self.user.is_authenticated:
            return self.enrollment is not None
        if self.lessons:
            return self.lessons[0].enrollment_pk is not None
        return self.enrollment is not None

    @cached_property
    def lessons(self) -> list[LessonPage]:
        """The course's live lessons in syllabus order, each with `visible`, `done` and its `quiz` (or none), the
        quiz carrying the user's `attempts_used`, `attempts_passed`, `last_attempt_id` and `last_attempt_score`."""
        user = self.user
        visible = visible_q(user, self.session)
        lessons = self.course.lessons().select_related("quiz").annotate(
            visible=ExpressionWrapper(visible, output_field=BooleanField()) if visible else Value(True),
        )
        if user.is_authenticated:
            done = LessonCompletion.objects.filter(learner=user, lesson=OuterRef("pk"))
            enrollment = Enrollment.objects.active().filter(learner=user, course=self.course).values("pk")[:1]
            lessons = lessons.annotate(
                done=Exists(done), enrollment_pk=Subquery(enrollment), **quizzes.learner_attempts(user, "quiz__pk")
            )
        lessons = list(lessons)
        for lesson in lessons:
            if (quiz := self._quiz(lesson)) is not None:
                _attempts_on(quiz, lesson if user.is_authenticated else None)
            if not user.is_authenticated:
                lesson.done = False
        return lessons

    @staticmethod
    def _quiz(lesson) -> Quiz | None:
        try:
            return lesson.quiz
        except ObjectDoesNotExist:
            return None

    @cached_property
    def _by_pk(self) -> dict:
        return {lesson.pk: lesson for lesson in self.lessons}

    @cached_property
    def completed(self) -> set[int]:
        """The course's live lessons the user has completed (as `completed_lesson_ids`)."""
        return {lesson.pk for lesson in self.lessons if lesson.done}

    @cached_property
    def locked(self) -> set[int]:
        """The lessons the order keeps closed, among all the course's live lessons (`locked_lesson_ids`)."""
        return locked_lesson_ids(self.lessons, self.completed)

    @cached_property
    def progress(self) -> Progress:
        """The progress over the lessons the user may see: what every door shows (course page, API, outline, sync)."""
        shown = {lesson.pk for lesson in self.lessons if lesson.visible}
        return Progress(done=len(self.completed & shown), total=len(shown))

    def may_see(self, lesson: LessonPage) -> bool:
        """`can_view` for a lesson of the course, answered from the lessons' read."""
        known = self._by_pk.get(lesson.pk)
        return known.visible if known is not None else can_view(lesson, self.user, self.session)

    def lesson_before(self, lesson: LessonPage) -> LessonPage:
        return self.lessons[self.lessons.index(self._by_pk[lesson.pk]) - 1]

    def quiz_of(self, lesson: LessonPage) -> Quiz | None:
        """The lesson's quiz, with the user's attempts at it (see `lessons`)."""
        known = self._by_pk.get(lesson.pk)
        if known is not None:
            return self._quiz(known)
        quiz = Quiz.objects.filter(lesson=lesson)  # a lesson not live (a preview): not among `lessons`
        if self.user.is_authenticated:
            return quiz.annotate(**quizzes.learner_attempts(self.user, "pk")).first()
        quiz = quiz.first()
        if quiz is not None:
            _attempts_on(quiz, None)
        return quiz

    def attempts_used(self, quiz: Quiz) -> int:
        """`quizzes.attempts_used`, from the lessons' read when it holds the quiz."""
        known = self._by_pk.get(quiz.lesson_id)
        known_quiz = self._quiz(known) if known is not None else None
        if known_quiz is None or known_quiz.pk != quiz.pk:
            return quizzes.attempts_used(quiz, self.user)
        return known_quiz.attempts_used


def _attempts_on(quiz: Quiz, annotated) -> None:
    """Give the quiz the user's attempts (`quizzes.learner_attempts`) that `annotated` carries; None: a visitor's."""
    nothing = {"attempts_used": 0, "attempts_passed": False, "last_attempt_id": None, "last_attempt_score": None}
    for name, none in nothing.items():
        setattr(quiz, name, getattr(annotated, name) if annotated is not None else none)


def check_can_open(
    *, user, lesson: LessonPage, enrollment=_UNREAD, session=None, standing: Standing | None = None
) -> None:
    """Raise NotFound (a lesson they may not see), NotEnrolled or LessonLocked unless the user may open the lesson now.

    `enrollment`: the user's active enrollment in the course (or None) when the caller has read it already;
    `standing`: the user's `Standing` in the lesson's course when the caller has one (it holds the enrollment).
    """
    course = lesson.course if standing is None else standing.course
    if teaches_or_admin(course, user):
        return
    if not lesson.live or not course.live:
        raise NotFound
    if standing is None:
        standing = Standing(user, course, session, enrollment=enrollment)
    if not standing.may_see(lesson):
        raise NotFound
    if not standing.enrolled:
        raise NotEnrolled(_("Enroll in the course to open its lessons."), lesson=lesson)
    if lesson.pk in standing.locked:
        previous = standing.lesson_before(lesson)
        raise LessonLocked(
            _("Complete “%(title)s” first to open this lesson.") % {"title": previous.title},
            lesson=lesson,
            opened_by=previous,
        )


@transaction.atomic
def enroll(*, learner: User, course: CoursePage, session=None) -> Enrollment:
    """Enroll in a published course the learner may see, or come back to one left earlier (with the progress kept)."""
    if not course.live or not can_view(course, learner, session):
        raise NotFound
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
        raise NotFound
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
    return _completed(enrollment, progress_of(learner, course))


def _completed(enrollment, progress: Progress) -> Progress:
    """After a lesson's completion: the enrollment's last activity, and its completion (with the certificate)
    when that was the last lesson. The caller holds the enrollment's lock."""
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
    if not quiz_passed(learner, lesson):
        raise QuizRequired(_("Pass the lesson's quiz to complete it."))
    if not video_watched(learner, lesson):
        raise VideoRequired(
            _("Watch %(percent)s%% of the lesson's video to complete it.") % {"percent": lesson.watch_percent}
        )
    return record_completion(learner=learner, lesson=lesson)


def quiz_passed(learner, lesson: LessonPage) -> bool:
    """Whether the learner has passed the lesson's quiz; True for a lesson without one."""
    quiz = Quiz.objects.filter(lesson=lesson).first()
    return quiz is None or quizzes.has_passed(quiz, learner)


def video_watched(learner, lesson: LessonPage) -> bool:
    """Whether the learner has watched enough of the lesson's main video (`services.watching`); True for a lesson
    that does not require watching."""
    if not lesson.require_watching:
        return True
    main = lesson.video_ids[:1]
    return VideoProgress.objects.filter(
        learner=learner, lesson=lesson, media_id__in=main, completed_at__isnull=False
    ).exists()


@dataclass
class QuizResult:
    attempt: Attempt
    progress: Progress | None


@transaction.atomic
def submit_quiz(
    *, learner: User, lesson: LessonPage, answers, quiz: Quiz | None = None, session=None, at=None
) -> QuizResult:
    """Grade an attempt at the lesson's quiz (`quiz`, if the caller has it), keep it whole, and complete the
    lesson on a pass. `at`: when it was taken, if not now (an attempt an app recorded offline).

    The learner's enrollment row is locked while counting attempts, so that racing submissions cannot
    exceed the quiz's limit (and a unique attempt number backs that up in the database).
    """
    enrollment = lock_enrollment(learner, lesson.course)
    # Read under the lock: the lessons, completions and attempts stay as they are until the transaction ends.
    standing = Standing(learner, lesson.course, session, enrollment=enrollment)
    check_can_open(user=learner, lesson=lesson, session=session, standing=standing)
    if enrollment is None:
        raise NotEnrolled(_("Enroll in the course to take its quizzes."), lesson=lesson)
    if quiz is None:
        quiz = standing.quiz_of(lesson)
    if quiz is None or quiz.lesson_id != lesson.pk:
        raise NotFound
    used = standing.attempts_used(quiz)
    if quiz.max_attempts is not None and used >= quiz.max_attempts:
        raise NoAttemptsLeft(_("You have used all your attempts at this quiz."), lesson=lesson)
    graded, results = quizzes.grade_answers(quiz, answers)
    attempt = Attempt.objects.create(
        learner=learner,
        quiz=quiz,
        lesson=lesson,
        quiz_title=quiz.title,
        number=used + 1,
        score=graded.score,
        passed=graded.passed,
        pass_mark=quiz.pass_mark,
        results=results,
        created_at=at or timezone.now(),
    )
    progress = None
    if graded.passed and video_watched(learner, lesson):  # as `record_completion` does, from `standing`'s read
        if lesson.pk not in standing.completed:  # once: a completion made meanwhile is kept as it is
            completion = LessonCompletion(learner=learner, lesson=lesson, course=lesson.course)
            LessonCompletion.objects.bulk_create([completion], ignore_conflicts=True)
        done = standing.completed | {lesson.pk}
        progress = _completed(enrollment, Progress(done=len(done), total=len(standing.lessons)))
    return QuizResult(attempt=attempt, progress=progress)
