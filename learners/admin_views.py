"""The Wagtail admin's views of people and learner records: users, enrollments, quiz attempts,
certificates and the reviews' moderation queue (the last four under one "Learning" menu)."""

from collections import OrderedDict

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, StatusFlagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import BooleanRadioSelect, Button
from wagtail.coreutils import multigetattr
from wagtail.models import Comment, CommentReply
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_users

from courses.models import CoursePage
from lms.admin_scope import ScopedViewSetMixin
from quizzes.models import Attempt, Quiz

from . import services
from .models import Certificate, Enrollment, LessonCompletion, Review, Role, User
from .services import certificates as certificate_services
from .services import reviews as review_services

ACCOUNT_FIELDS = ["email", "name", "role"]


# --- users --------------------------------------------------------------------------------------------


class UserCreateForm(UserCreationForm):
    first_name = last_name = is_superuser = groups = None

    class Meta:
        model = User
        fields = ACCOUNT_FIELDS


class UserChangeForm(UserEditForm):
    first_name = last_name = is_superuser = groups = None

    def __init__(self, *args, editing_self=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing_self:  # nobody demotes or deactivates themselves out of the admin by accident
            self.fields.pop("role")
            self.fields.pop("is_active")

    class Meta:
        model = User
        fields = [*ACCOUNT_FIELDS, "is_active"]


class UserFilterSet(wagtail_users.UserFilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Groups and the superuser flag follow the role; filtering by role says it all.
        self.filters.pop("group", None)
        self.filters.pop("is_superuser", None)

    class Meta:
        model = User
        fields = []


class IndexView(wagtail_users.IndexView):
    search_fields = ["name", "email"]

    @cached_property
    def columns(self):
        columns = [c for c in super().columns if c.name not in {"is_superuser"}]
        for column in columns:
            if column.name == "name":
                column.sort_key = "name"
        columns.insert(3, Column("role", accessor="get_role_display", label=_("Role"), sort_key="role", width="12%"))
        return columns

    def order_queryset(self, queryset):
        if self.ordering in ("name", "-name"):
            return queryset.order_by(self.ordering)
        return super().order_queryset(queryset)


class AccessChangeMixin:
    """Log role changes and deactivations, and end a deactivated user's sessions and tokens."""

    def save_instance(self):
        old = User.objects.filter(pk=self.form.instance.pk).values("role", "is_active").first()
        instance = super().save_instance()
        services.record_access_changes(
            user=instance,
            by=self.request.user,
            old_role=old["role"] if old else instance.role,
            was_active=old["is_active"] if old else instance.is_active,
        )
        return instance


class EditView(AccessChangeMixin, wagtail_users.EditView):
    pass


LEARNER_RECORDS = ("enrollments", "completions", "attempts", "certificates", "reviews")


def user_records(user: User) -> dict[str, int]:
    """How many of each kind of record a user has, for saying what deleting them means (a query each)."""
    return {
        "enrollments": Enrollment.objects.filter(learner=user).count(),
        "completions": LessonCompletion.objects.filter(learner=user).count(),
        "attempts": Attempt.objects.filter(learner=user).count(),
        "certificates": Certificate.objects.filter(learner=user).count(),
        "reviews": Review.objects.filter(learner=user).count(),
        "comments": Comment.objects.filter(user=user).count() + CommentReply.objects.filter(user=user).count(),
        "courses": CoursePage.objects.filter(owner=user).count(),
    }


class DeleteView(wagtail_users.DeleteView):
    """Deleting a user first says what goes with them, and recommends deactivating them instead."""

    @cached_property
    def records(self) -> dict[str, int]:
        return user_records(self.object)

    def get_usage_url(self):
        # Wagtail's reference index does not follow users (it would say "referenced 0 times");
        # the records listed on the page say what depends on them.
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = self.records
        context.update(
            records=records,
            has_learner_records=any(records[kind] for kind in LEARNER_RECORDS),
            edit_url=reverse("wagtailusers_users:edit", args=[self.object.pk]),
        )
        return context

    def delete_action(self):
        services.delete_user(user=self.object, by=self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect("wagtailusers_users:index")


class UserViewSet(ScopedViewSetMixin, wagtail_users.UserViewSet):
    filterset_class = UserFilterSet
    index_view_class = IndexView
    edit_view_class = EditView
    delete_view_class = DeleteView

    def get_form_class(self, for_update=False):
        return UserChangeForm if for_update else UserCreateForm


# --- who may see and do what --------------------------------------------------------------------------


class AdminsOnly(ModelPermissionPolicy):
    """Only active administrators see these records, and do with them only the given actions.

    The portal makes them (enrolling, submitting a quiz, completing a course): nobody adds them by hand.
    """

    actions = frozenset({"view"})

    def __init__(self, model, actions=None):
        super().__init__(model)
        if actions is not None:
            self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser and action in self.actions

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class AdminsRevokeOnly(AdminsOnly):
    """Certificates are issued by the portal, never added or deleted by hand; admins may revoke them."""

    actions = frozenset({"change", "view"})


class AdminsModerate(AdminsOnly):
    """Reviews are the learners' words: admins hide, show or delete them, and never edit them."""

    actions = frozenset({"view", "moderate", "delete"})


register_permission_policy(Enrollment, AdminsOnly(Enrollment))
register_permission_policy(Attempt, AdminsOnly(Attempt))
register_permission_policy(Certificate, AdminsRevokeOnly(Certificate))
register_permission_policy(Review, AdminsModerate(Review))


# --- filters shared by the listings ---------------------------------------------------------------------


def course_choices(request):
    return CoursePage.objects.order_by("title")


def date_range(label):
    return django_filters.DateFromToRangeFilter(label=label, widget=DateRangePickerWidget)


class LearnerFilterSet(WagtailFilterSet):
    """Filters by course and by learner (part of a name or an email address)."""

    course = django_filters.ModelChoiceFilter(label=_("Course"), queryset=course_choices)
    learner = django_filters.CharFilter(label=_("Learner"), method="filter_learner", help_text=_("Name or email"))

    def filter_learner(self, queryset, name, value):
        return queryset.filter(Q(learner__name__icontains=value) | Q(learner__email__icontains=value))


class ExportMixin:
    """Spreadsheet cells by attribute path, or by a function of the row where a path does not say it."""

    export_values = {}

    def to_row_dict(self, item):
        return OrderedDict(
            (field, self.export_values[field](item) if field in self.export_values else multigetattr(item, field))
            for field in self.list_export
        )


class RecordViewSet(ScopedViewSetMixin, ModelViewSet):
    """A listing of records the portal makes. Their permission policy refuses adding and editing them,
    so Wagtail's add and edit views turn everyone away; they are given an empty form all the same."""

    add_to_reference_index = False
    copy_view_enabled = False
    form_fields = []


# --- enrollments ----------------------------------------------------------------------------------------


class EnrollmentFilterSet(LearnerFilterSet):
    STATES = [("active", _("Active")), ("left", _("Left")), ("completed", _("Completed"))]

    state = django_filters.ChoiceFilter(
        label=_("State"), choices=STATES, method="filter_state", widget=forms.RadioSelect, empty_label=_("All")
    )
    enrolled_at = date_range(_("Enrolled"))
    completed_at = date_range(_("Completed"))

    def filter_state(self, queryset, name, value):
        return queryset.in_state(value)

    class Meta:
        model = Enrollment
        fields = []


def enrollment_state(enrollment) -> str:
    return str(_("Active") if enrollment.left_at is None else _("Left"))


def enrollment_progress_columns() -> list:
    """The columns an enrollment shows in every listing: when it began, how far it got, and whether it is active."""
    return [
        DateColumn("enrolled_at", label=_("Enrolled"), sort_key="enrolled_at"),
        Column("progress", label=_("Progress (%)"), accessor="progress_percent", sort_key="progress_percent"),
        DateColumn("last_activity_at", label=_("Last activity"), sort_key="last_activity_at"),
        DateColumn("completed_at", label=_("Completed"), sort_key="completed_at"),
        StatusFlagColumn(
            "state",
            label=_("State"),
            accessor=lambda e: e.left_at is None,
            true_label=_("Active"),
            false_label=_("Left"),
        ),
    ]


class EnrollmentIndexView(ExportMixin, generic.IndexView):
    export_values = {"state": enrollment_state}

    def get_base_queryset(self):
        # Progress in two correlated subqueries, the learner joined: the same queries for any number of rows.
        return Enrollment.objects.with_progress().select_related("learner")


class EnrollmentViewSet(RecordViewSet):
    model = Enrollment
    icon = "group"
    menu_label = _("Enrollments")
    index_view_class = EnrollmentIndexView
    filterset_class = EnrollmentFilterSet
    search_fields = ["learner__name", "learner__email", "course_title"]
    ordering = "-enrolled_at"
    list_display = [
        "learner__name",
        Column("email", label=_("Email"), accessor="learner.email"),
        Column("course_title", label=_("Course"), sort_key="course_title"),
        *enrollment_progress_columns(),
    ]
    list_export = [
        "learner.name",
        "learner.email",
        "course_title",
        "enrolled_at",
        "progress_percent",
        "lesson_done",
        "lesson_total",
        "last_activity_at",
        "completed_at",
        "state",
    ]
    export_headings = {
        "learner.name": _("Learner"),
        "learner.email": _("Email"),
        "course_title": _("Course"),
        "enrolled_at": _("Enrolled"),
        "progress_percent": _("Progress (%)"),
        "lesson_done": _("Lessons done"),
        "lesson_total": _("Lessons"),
        "last_activity_at": _("Last activity"),
        "completed_at": _("Completed"),
        "state": _("State"),
    }
    export_filename = "enrollments"


# --- quiz attempts ----------------------------------------------------------------------------------------


class AttemptFilterSet(LearnerFilterSet):
    course = django_filters.ModelChoiceFilter(label=_("Course"), queryset=course_choices, method="filter_course")
    quiz = django_filters.ModelChoiceFilter(label=_("Quiz"), queryset=Quiz.objects.order_by("title"))
    passed = django_filters.BooleanFilter(label=_("Passed"), widget=BooleanRadioSelect)
    created_at = date_range(_("Submitted"))

    def filter_course(self, queryset, name, course):
        # An attempt knows its lesson; the course is the lesson's parent page.
        return queryset.filter(lesson__path__startswith=course.path, lesson__depth=course.depth + 1)

    class Meta:
        model = Attempt
        fields = []


def lesson_title(attempt) -> str:
    return attempt.lesson.title if attempt.lesson else ""


class AttemptIndexView(ExportMixin, generic.IndexView):
    export_values = {"lesson": lesson_title}

    def get_base_queryset(self):
        return Attempt.objects.select_related("learner", "lesson")


class AttemptInspectView(generic.InspectView):
    """The whole attempt: who, when, the score, and each question as it was, with what was chosen."""

    template_name = "learners/admin/attempt_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        questions = []
        for item in self.object.results or []:
            chosen = set(item.get("chosen", []))
            choices = [
                {"text": choice["text"], "correct": choice["correct"], "chosen": choice["id"] in chosen}
                for choice in item.get("choices", [])
            ]
            questions.append({**item, "choices": choices})
        context["questions"] = questions
        return context


class AttemptViewSet(RecordViewSet):
    model = Attempt
    icon = "tasks"
    menu_label = _("Quiz attempts")
    inspect_view_enabled = True
    index_view_class = AttemptIndexView
    inspect_view_class = AttemptInspectView
    inspect_view_fields = ["learner", "quiz_title", "lesson", "number", "score", "pass_mark", "passed", "created_at"]
    filterset_class = AttemptFilterSet
    search_fields = ["learner__name", "learner__email", "quiz_title"]
    ordering = "-created_at"
    list_display = [
        "learner__name",
        Column("quiz_title", label=_("Quiz"), sort_key="quiz_title"),
        Column("lesson", label=_("Lesson"), accessor=lesson_title),
        Column("number", label=_("Attempt"), sort_key="number"),
        Column("score", label=_("Score (%)"), sort_key="score"),
        BooleanColumn("passed", label=_("Passed"), sort_key="passed"),
        DateColumn("created_at", label=_("Submitted"), sort_key="created_at"),
    ]
    list_export = [
        "learner.name",
        "learner.email",
        "quiz_title",
        "lesson",
        "number",
        "score",
        "pass_mark",
        "passed",
        "created_at",
    ]
    export_headings = {
        "learner.name": _("Learner"),
        "learner.email": _("Email"),
        "quiz_title": _("Quiz"),
        "lesson": _("Lesson"),
        "number": _("Attempt"),
        "score": _("Score (%)"),
        "pass_mark": _("Pass mark (%)"),
        "passed": _("Passed"),
        "created_at": _("Submitted"),
    }
    export_filename = "quiz-attempts"


# --- certificates -------------------------------------------------------------------------------------


class RevokeForm(WagtailAdminModelForm):
    revoked_reason = forms.CharField(label=_("Reason for revoking"), max_length=500, widget=forms.Textarea)

    class Meta:
        model = Certificate
        fields = ["revoked_reason"]


class RevokeView(generic.EditView):
    page_title = _("Revoke")
    success_message = _("Certificate '%(object)s' revoked.")

    def save_instance(self):
        return certificate_services.revoke_certificate(
            certificate=self.object, by=self.request.user, reason=self.form.cleaned_data["revoked_reason"]
        )


class CertificateFilterSet(WagtailFilterSet):
    STATES = [("valid", _("Valid")), ("revoked", _("Revoked"))]

    state = django_filters.ChoiceFilter(
        label=_("State"), choices=STATES, method="filter_state", widget=forms.RadioSelect, empty_label=_("All")
    )
    course = django_filters.ModelChoiceFilter(label=_("Course"), queryset=course_choices)
    learner = django_filters.CharFilter(label=_("Learner"), method="filter_learner", help_text=_("Name or email"))
    issued_at = date_range(_("Issued"))
    revoked_at = date_range(_("Revoked"))

    def filter_state(self, queryset, name, value):
        return queryset.filter(revoked_at__isnull=(value == "valid")) if value else queryset

    def filter_learner(self, queryset, name, value):
        # The name printed on the certificate, or the account's email.
        return queryset.filter(Q(learner_name__icontains=value) | Q(learner__email__icontains=value))

    class Meta:
        model = Certificate
        fields = []


def certificate_state(certificate) -> str:
    return str(_("Valid") if certificate.is_valid else _("Revoked"))


class CertificateIndexView(ExportMixin, generic.IndexView):
    export_values = {"state": certificate_state}

    def get_base_queryset(self):
        return Certificate.objects.select_related("learner")


class CertificateViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    add_to_reference_index = False
    index_view_class = CertificateIndexView
    edit_view_class = RevokeView
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["revoked_reason"]
    list_display = ["code", "learner_name", "course_title", "issued_at", "revoked_at"]
    filterset_class = CertificateFilterSet
    search_fields = ["code", "learner_name", "course_title"]
    list_export = [
        "code",
        "learner_name",
        "learner.email",
        "course_title",
        "teacher_name",
        "issued_at",
        "state",
        "revoked_at",
        "revoked_reason",
    ]
    export_headings = {
        "code": _("Code"),
        "learner_name": _("Learner"),
        "learner.email": _("Email"),
        "course_title": _("Course"),
        "teacher_name": _("Teacher"),
        "issued_at": _("Issued"),
        "state": _("State"),
        "revoked_at": _("Revoked"),
        "revoked_reason": _("Reason for revoking"),
    }
    export_filename = "certificates"

    def get_form_class(self, for_update=False):
        return RevokeForm


# --- reviews: the moderation queue --------------------------------------------------------------------------


class ReviewFilterSet(LearnerFilterSet):
    is_hidden = django_filters.BooleanFilter(label=_("Hidden"), widget=BooleanRadioSelect)
    rating = django_filters.ChoiceFilter(
        label=_("Rating"),
        choices=Review._meta.get_field("rating").choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    created_at = date_range(_("Posted"))

    class Meta:
        model = Review
        fields = []


class ReviewButtonsMixin:
    """The moderation actions as buttons that POST: hide or show, and delete."""

    def moderation_buttons(self, review: Review) -> list[Button]:
        hide = not review.is_hidden
        url = reverse(review_viewset.get_url_name("hide" if hide else "unhide"), args=[review.pk])
        attrs = {
            "data-controller": "w-action",
            "data-action": "w-action#post",
            "data-w-action-url-value": url,
            "data-w-action-next-value": self.request.get_full_path(),
        }
        label, icon = (_("Hide"), "no-view") if hide else (_("Show again"), "view")
        return [Button(label, icon_name=icon, attrs=attrs, priority=5)]


class ReviewIndexView(ExportMixin, ReviewButtonsMixin, generic.IndexView):
    def get_base_queryset(self):
        return Review.objects.select_related("learner", "course")

    def get_list_more_buttons(self, instance):
        return [*self.moderation_buttons(instance), *super().get_list_more_buttons(instance)]


class ReviewInspectView(ReviewButtonsMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(Review.objects.select_related("learner", "course"), pk=self.pk)

    @cached_property
    def header_more_buttons(self):
        return [*self.moderation_buttons(self.object), *super().header_more_buttons]


class ReviewDeleteView(generic.DeleteView):
    def delete_action(self):
        review_services.delete_review(review=self.object, by=self.request.user)


class ModerateView(PermissionCheckedMixin, generic.BaseOperationView):
    """POST: hide a review from its course page and rating, or show it again."""

    model = Review
    permission_required = "moderate"
    hidden = True
    success_url_name = None

    def perform_operation(self):
        self.object = review_services.hide_review(review=self.object, by=self.request.user, hidden=self.hidden)

    def get_success_message(self):
        message = _("Review '%(object)s' hidden.") if self.hidden else _("Review '%(object)s' shown again.")
        return message % {"object": review_services.review_title(self.object)}

    def get_success_url(self):
        return self.next_url or reverse(review_viewset.get_url_name("index"))


def review_excerpt(review: Review) -> str:
    return Truncator(review.text).chars(120) or "—"


class ReviewViewSet(RecordViewSet):
    model = Review
    icon = "comment"
    menu_label = _("Reviews")
    inspect_view_enabled = True
    index_view_class = ReviewIndexView
    inspect_view_class = ReviewInspectView
    delete_view_class = ReviewDeleteView
    inspect_view_fields = ["learner", "course", "rating", "text", "is_hidden", "created_at", "updated_at"]
    filterset_class = ReviewFilterSet
    search_fields = ["text", "learner__name", "learner__email", "course__title"]
    ordering = "-created_at"
    list_display = [
        "course__title",
        Column("learner", label=_("Author"), accessor="learner.name", sort_key="learner__name"),
        Column("rating", label=_("Rating"), sort_key="rating"),
        Column("text", label=_("Text"), accessor=review_excerpt),
        StatusFlagColumn("is_hidden", label=_("Hidden"), true_label=_("Hidden"), sort_key="is_hidden"),
        DateColumn("created_at", label=_("Posted"), sort_key="created_at"),
    ]
    list_export = ["course.title", "learner.name", "learner.email", "rating", "text", "is_hidden", "created_at"]
    export_headings = {
        "course.title": _("Course"),
        "learner.name": _("Author"),
        "learner.email": _("Email"),
        "rating": _("Rating"),
        "text": _("Text"),
        "is_hidden": _("Hidden"),
        "created_at": _("Posted"),
    }
    export_filename = "reviews"

    def get_urlpatterns(self):
        hide = self.construct_view(ModerateView, hidden=True)
        unhide = self.construct_view(ModerateView, hidden=False)
        return [
            *super().get_urlpatterns(),
            path("hide/<str:pk>/", hide, name="hide"),
            path("unhide/<str:pk>/", unhide, name="unhide"),
        ]


# --- the "Learning" menu --------------------------------------------------------------------------------


enrollment_viewset = EnrollmentViewSet("enrollments")
attempt_viewset = AttemptViewSet("quiz-attempts")
certificate_viewset = CertificateViewSet("certificates")
review_viewset = ReviewViewSet("reviews")


class LearningViewSetGroup(ViewSetGroup):
    """Administrators' listings of what learners do: enrollments, attempts, certificates, reviews."""

    menu_label = _("Learning")
    menu_icon = "group"
    menu_order = 260
    items = (enrollment_viewset, attempt_viewset, certificate_viewset, review_viewset)


learning_viewset_group = LearningViewSetGroup()
