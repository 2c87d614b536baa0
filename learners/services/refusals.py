"""The learners' refusals: one class per reason, each with the `code` every door answers with.

They build on the base's `Denied` (403) and `Conflict` (409) in `lms.errors`, which the API's exception
handler translates; the site's views show their message.
"""

from lms.errors import Conflict, Denied


class LearnerDenied(Denied):
    """A refusal by the learners' rules, with the lesson it concerns (and the one that would open it)."""

    def __init__(self, message, *, lesson=None, opened_by=None):
        super().__init__(message)
        self.lesson = lesson
        self.opened_by = opened_by


class NotEnrolled(LearnerDenied):
    code = "not_enrolled"


class LessonLocked(LearnerDenied):
    code = "lesson_locked"


class NoAttemptsLeft(LearnerDenied):
    code = "no_attempts_left"


class OwnCourse(LearnerDenied):
    code = "own_course"


class NotAuthor(LearnerDenied):
    code = "not_author"


class NotAdmin(Denied):
    """Only administrators may do this (revoke a certificate)."""

    code = "not_admin"


class NotModerator(LearnerDenied):
    code = "not_admin"


class AlreadyEnrolled(Conflict):
    code = "already_enrolled"


class QuizRequired(Conflict):
    code = "quiz_required"


class VideoRequired(Conflict):
    code = "video_required"


class ReviewExists(Conflict):
    code = "review_exists"
