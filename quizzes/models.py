"""Quizzes after lessons: a quiz, its ordered questions and choices, and the attempts learners make."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.models.audit_log import BaseLogEntry, ModelLogEntryManager


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")


def default_pass_mark():
    from lms.models import PortalSettings

    return PortalSettings.load().default_pass_mark


class QuizQuerySet(models.QuerySet):
    def editable_by(self, user):
        """Quizzes whose lesson the user may edit: those of their own courses (admins: all)."""
        from courses.models import LessonPage

        if user.is_superuser:
            return self
        return self.filter(lesson__in=LessonPage.objects.taught_by(user).values("pk"))


class Quiz(ClusterableModel):
    """The multiple-choice quiz that closes a lesson: passing it completes the lesson."""

    lesson = models.OneToOneField(
        "courses.LessonPage", verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="quiz"
    )
    title = models.CharField(_("title"), max_length=255)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=default_pass_mark,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The share of questions to answer right to pass."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Leave empty for unlimited attempts."),
    )
    shuffle = models.BooleanField(_("shuffle questions and choices"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = QuizQuerySet.as_manager()

    panels = [
        FieldPanel("lesson"),
        FieldPanel("title"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("max_attempts")]), FieldPanel("shuffle")],
            heading=_("Rules"),
        ),
        InlinePanel("questions", heading=_("Questions"), label=_("Question"), min_num=1),
    ]

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self):
        return self.title


class Question(ClusterableModel, Orderable):
    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text = models.TextField(_("question"), max_length=2000)
    explanation = models.TextField(
        _("explanation"), max_length=4000, blank=True, help_text=_("Shown to learners after an attempt.")
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("explanation"),
        InlinePanel("choices", heading=_("Choices"), label=_("Choice"), min_num=2),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text[:80]


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)

    panels = [FieldRowPanel([FieldPanel("text"), FieldPanel("is_correct")])]

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text


class Attempt(models.Model):
    """One submission of a quiz, kept whole: later edits of the quiz never change it."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), null=True, on_delete=models.SET_NULL, related_name="attempts"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", verbose_name=_("lesson"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    quiz_title = models.CharField(_("quiz title"), max_length=255)
    number = models.PositiveIntegerField(_("attempt number"))
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"))
    # Per question: its text, the choices shown, which were chosen, which were correct, right or not.
    results = models.JSONField(_("results"))
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-created_at"]
        constraints = [
            # Two racing submissions cannot both become attempt N: the attempt limit holds.
            models.UniqueConstraint(fields=["learner", "quiz", "number"], name="one_attempt_per_number"),
        ]

    def __str__(self):
        return f"{self.learner} · {self.quiz_title} #{self.number}: {self.score}%"


class QuizLogEntryManager(ModelLogEntryManager):
    def viewable_by_user(self, user):
        """The entries of the quizzes the quizzes' permission policy gives the user (admins: all, deleted
        quizzes' too). Wagtail's shared log would show every quiz's entries to anyone with a quiz permission."""
        from wagtail.permissions import policy_registry

        from lms.admin_scope import ANY_ACTION

        if user.is_active and user.is_superuser:
            return self.all()
        quizzes = policy_registry.get_by_type(Quiz).instances_user_has_any_permission_for(user, ANY_ACTION)
        return self.filter(object_id__in=quizzes.values_list(Cast("pk", models.CharField()), flat=True))


class QuizLogEntry(BaseLogEntry):
    """The audit log of quizzes (the site history, each quiz's history), kept apart from Wagtail's shared
    log so that it shows each teacher only their own courses' quizzes."""

    object_id = models.CharField(max_length=255, db_index=True)

    objects = QuizLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("quiz log entry")
        verbose_name_plural = _("quiz log entries")
