"""People of the portal: users with an email login, a name and a role."""

import os
import secrets
import unicodedata

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, F, Func, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import LessonPage, in_course_of
from courses.visibility import visible_q
from lms.languages import default_language


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    ADMIN = "admin", _("Administrator")


def normalize_email(email: str) -> str:
    """The one form of an email address that is stored, looked up and counted: trimmed, NFKC, case-folded.

    Not `lower()`: Python's and PostgreSQL's case-insensitive matches take `ſ` (long s) or `K` (Kelvin
    sign) for `s` and `k`, so a limit keyed by `lower()` let such spellings past while the lookup still
    found the account. In this form every spelling of an address is one string, and lookups match it
    exactly. (`ı`, dotless i, stays a letter of its own, as Unicode's case folding says: another address.)
    """
    folded = unicodedata.normalize("NFKC", (email or "").strip()).casefold()
    return unicodedata.normalize("NFKC", folded)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email=normalize_email(username))

    def create_user(self, email, password=None, *, name="", role=Role.STUDENT, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalize_email(email), name=name, role=role, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, name="", **extra):
        """An admin; `createsuperuser --noinput` takes the name from DJANGO_SUPERUSER_NAME, if set."""
        extra.pop("is_superuser", None)
        extra.pop("is_staff", None)
        name = name or os.environ.get("DJANGO_SUPERUSER_NAME") or email.split("@")[0]
        return self.create_user(email, password, name=name, role=Role.ADMIN, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone with an account: a student, a teacher or an administrator."""

    email = models.EmailField(_("email"), max_length=254, unique=True)
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STUDENT)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive users cannot log in and their tokens stop working.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Chosen at sign-up and with the site's language switch: the language of their certificates.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=default_language)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def is_staff(self):
        """Django's own admin is not mounted; the flag only tells that someone manages the portal."""
        return self.role == Role.ADMIN

    @property
    def is_teacher(self):
        return self.role in (Role.TEACHER, Role.ADMIN)

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def save(self, *args, **kwargs):
        # The role is the one source of truth for access: the superuser flag is derived from it here, and the
        # role's group on `post_save` (learners.signal_handlers), so that every path that saves a user (the Wagtail user editor, the API,
        # createsuperuser, a shell) keeps them in step with no further step.
        self.email = normalize_email(self.email)
        self.is_superuser = self.role == Role.ADMIN
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_superuser"}
        with transaction.atomic():
            super().save(*args, **kwargs)  # the groups follow in the same transaction (signal_handlers.role_saved)


class EnrollmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left_at__isnull=True)

    def in_state(self, state: str):
        """`active`, `left`, `completed` or `not_completed`; every enrollment for anything else."""
        lookups = {
            "active": {"left_at__isnull": True},
            "left": {"left_at__isnull": False},
            "completed": {"completed_at__isnull": False},
            "not_completed": {"completed_at__isnull": True},
        }
        return self.filter(**lookups[state]) if state in lookups else self

    def for_learner(self, user):
        return self.filter(learner=user)

    def with_progress(self, user=None, session=None):
        """Annotate `lesson_total`, `lesson_done` and `progress_percent` over the lessons published now; with `user`,
        over those of them that the user may see (`courses.visibility`), as the learner's own pages and API count
        (`learning.Standing.progress`).

        Two correlated subqueries, so a list costs the same few queries whatever its length.
        """
        lessons = LessonPage.objects.live().in_course_of("course")
        done = LessonCompletion.objects.filter(
            in_course_of("course", lesson="lesson"), learner=OuterRef("learner"), lesson__live=True
        )
        if user is not None:
            lessons = lessons.filter(visible_q(user, session))
            done = done.filter(visible_q(user, session, prefix="lesson__"))
        total = lessons.order_by().annotate(n=Func(F("id"), function="COUNT")).values("n")
        done = done.order_by().annotate(n=Func(F("id"), function="COUNT")).values("n")
        return self.annotate(
            lesson_total=Coalesce(Subquery(total[:1]), 0),
            lesson_done=Coalesce(Subquery(done[:1]), 0),
        ).annotate(
            progress_percent=Case(
                When(lesson_total=0, then=Value(0)),
                default=F("lesson_done") * 100 / F("lesson_total"),
                output_field=models.IntegerField(),
            )
        )


class Enrollment(models.Model):
    """A learner taking a course. Leaving keeps the row (and the progress); enrolling again reopens it."""

    learner = models.ForeignKey(User, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="enrollments")
    # SET_NULL: a learner's record outlives the course; the title is kept for it.
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), null=True, on_delete=models.SET_NULL, related_name="enrollments"
    )
    course_title = models.CharField(_("course title"), max_length=255)
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["-enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["learner", "course"], name="one_enrollment_per_course")]
        indexes = [models.Index(fields=["course", "left_at"])]

    def __str__(self):
        return f"{self.learner} → {self.course_title}"

    @property
    def is_active(self):
        return self.left_at is None


class LessonCompletion(models.Model):
    """A lesson a learner has completed. Kept when the learner leaves the course or the lesson is removed."""

    learner = models.ForeignKey(
        User, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", verbose_name=_("lesson"), null=True, on_delete=models.SET_NULL, related_name="completions"
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed"), default=timezone.now)

    class Meta:
        verbose_name = _("completed lesson")
        verbose_name_plural = _("completed lessons")
        constraints = [models.UniqueConstraint(fields=["learner", "lesson"], name="one_completion_per_lesson")]
        indexes = [models.Index(fields=["learner", "course"])]

    def __str__(self):
        return f"{self.learner} ✓ {self.lesson_id}"


class VideoProgress(models.Model):
    """What a learner has watched of one video of a lesson: the distinct seconds as merged ranges, and where they
    stopped. Kept, like completions, when the lesson or the video is removed. See `services.watching`."""

    learner = models.ForeignKey(User, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="video_progress")
    lesson = models.ForeignKey(
        "courses.LessonPage", verbose_name=_("lesson"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    media = models.ForeignKey(
        "wagtailmedia.Media", verbose_name=_("video"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # [[start, end], …] in seconds, sorted and disjoint: what was played, not where the player jumped to.
    ranges = models.JSONField(_("watched ranges"), default=list)
    watched_seconds = models.FloatField(_("seconds watched"), default=0)
    position = models.FloatField(_("last position"), default=0)
    position_at = models.DateTimeField(_("position reported"), null=True)
    started_at = models.DateTimeField(_("first heartbeat"), null=True)
    latest_at = models.DateTimeField(_("latest heartbeat"), null=True)
    completed_at = models.DateTimeField(_("watched enough"), null=True, blank=True)

    class Meta:
        verbose_name = _("video progress")
        verbose_name_plural = _("video progress")
        constraints = [models.UniqueConstraint(fields=["learner", "lesson", "media"], name="one_progress_per_video")]

    def __str__(self):
        return f"{self.learner} ▶ {self.media_id}: {self.watched_seconds:.0f} s"

    @property
    def furthest(self) -> float:
        return self.ranges[-1][1] if self.ranges else 0.0


class SyncEvent(models.Model):
    """A learning event an app recorded (offline, maybe) and sent to `POST sync/`, kept with its outcome so that
    sending it again changes nothing. See `services.sync`."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Rejected")

    learner = models.ForeignKey(User, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="sync_events")
    event_id = models.UUIDField(_("event id"))
    type = models.CharField(_("type"), max_length=32)
    at = models.DateTimeField(_("happened"))
    lesson_id = models.BigIntegerField(_("lesson id"), null=True)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    code = models.CharField(_("reason"), max_length=32, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("sync event")
        verbose_name_plural = _("sync events")
        constraints = [models.UniqueConstraint(fields=["learner", "event_id"], name="one_sync_event_per_id")]
        indexes = [models.Index(fields=["learner", "status", "at"])]

    def __str__(self):
        return f"{self.learner} {self.type} {self.event_id}: {self.status}"


# Bitstring Status List v1.0: a status list has at least 131,072 entries (16 KB), so that one entry hides
# in a crowd; the portal's revocation list grows by whole blocks of this size.
STATUS_LIST_BLOCK = 131_072


def draw_status_list_indices(size: int, count: int = 16) -> set[int]:
    return {secrets.randbelow(size) for _ in range(count)}


def free_status_list_index() -> int:
    """A random index of the revocation status list that no certificate, living or deleted, holds.

    Random, as Bitstring Status List advises, so that an index tells nothing of when (or after whom) a
    certificate was issued; drawn from a range at least twice the indices ever given, so that a draw
    rarely hits a taken one. Two issues at the same moment may still draw the same index: the unique
    constraint stops the second, and `issue_certificate` draws again.
    """
    given = Certificate.objects.count() + RetiredStatusIndex.objects.count()
    size = STATUS_LIST_BLOCK * (1 + 2 * given // STATUS_LIST_BLOCK)
    for _draw in range(100):
        candidates = draw_status_list_indices(size)
        # One statement, one snapshot: a certificate deleted meanwhile is seen either living or retired.
        taken = Certificate.objects.filter(status_list_index__in=candidates).values_list("status_list_index")
        taken = taken.union(RetiredStatusIndex.objects.filter(index__in=candidates).values_list("index"))
        free = candidates - {index for (index,) in taken}
        if free:
            return min(free)
    raise RuntimeError("No free status list index found.")


class Certificate(models.Model):
    """Proof that a learner completed a course, verifiable by anyone with its code."""

    code = models.CharField(_("code"), max_length=32, unique=True, editable=False)
    learner = models.ForeignKey(User, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="certificates")
    # The certificate outlives the course: what it certifies is kept on it.
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), null=True, on_delete=models.SET_NULL, related_name="certificates"
    )
    enrollment = models.OneToOneField(
        Enrollment, verbose_name=_("enrollment"), null=True, on_delete=models.SET_NULL, related_name="certificate"
    )
    learner_name = models.CharField(_("learner's name"), max_length=150)
    course_title = models.CharField(_("course title"), max_length=255)
    teacher_name = models.CharField(_("teacher's name"), max_length=150, blank=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    # The learner's language when it was issued: its PDF's, for good.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=default_language, editable=False
    )
    pdf = models.FileField(_("PDF"), upload_to="certificates/", blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)
    # Its bit in the published revocation status list (learners/credentials.py), named in its credential.
    status_list_index = models.PositiveIntegerField(_("status list index"), unique=True, editable=False)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            # Exactly one certificate per learner and course, even when the last two lessons race.
            models.UniqueConstraint(fields=["learner", "course"], name="one_certificate_per_course"),
        ]
        indexes = [
            models.Index(
                fields=["status_list_index"], condition=models.Q(revoked_at__isnull=False), name="certificate_revoked"
            )
        ]

    def __str__(self):
        return f"{self.code} · {self.learner_name} · {self.course_title}"

    def save(self, *args, **kwargs):
        # Every way of making a certificate gets its index here, inside the transaction that makes it.
        if self.status_list_index is None:
            self.status_list_index = free_status_list_index()
        super().save(*args, **kwargs)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class RetiredStatusIndex(models.Model):
    """The status list index of a deleted certificate: its bit stays set and the index is never given again.

    A deleted certificate no longer verifies; a verifier holding its signed credential learns that from
    the status list, which would otherwise show the bit cleared, as for a valid one.
    """

    index = models.PositiveIntegerField(_("status list index"), unique=True)
    retired_at = models.DateTimeField(_("retired"), default=timezone.now)

    class Meta:
        verbose_name = _("retired status list index")
        verbose_name_plural = _("retired status list indices")

    def __str__(self):
        return str(self.index)


class Review(models.Model):
    """A learner's rating (1–5) of a course, with an optional text. Hidden reviews do not count."""

    learner = models.ForeignKey(User, verbose_name=_("author"), on_delete=models.CASCADE, related_name="reviews")
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)], choices=[(n, str(n)) for n in range(1, 6)]
    )
    text = models.TextField(_("text"), max_length=4000, blank=True)
    is_hidden = models.BooleanField(_("hidden"), default=False, help_text=_("Hidden reviews are not shown or counted."))
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "course"], name="one_review_per_course"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.learner} · {self.course_id} · {self.rating}★"
