"""The Wagtail admin's user views, speaking our user model: name, email, role, active."""

import django_filters
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_users

from . import services
from .models import Role, User

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


class UserViewSet(wagtail_users.UserViewSet):
    filterset_class = UserFilterSet
    index_view_class = IndexView
    edit_view_class = EditView

    def get_form_class(self, for_update=False):
        return UserChangeForm if for_update else UserCreateForm
