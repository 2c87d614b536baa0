"""The user admin: accounts by name, email and role (groups and the superuser flag follow the role), role
changes and deactivations audited, and a deletion page that says what goes with the user."""

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.models import Comment, CommentReply
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_users

from courses.models import CoursePage
from lms.admin_scope import ScopedViewSetMixin
from quizzes.models import Attempt

from .. import services
from ..models import Certificate, Enrollment, LessonCompletion, Review, Role, User

ACCOUNT_FIELDS = ["email", "name", "role"]


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
