"""One scope for every view of a Wagtail admin viewset: the objects its model's permission policy gives the user.

Wagtail's generic views each fetch their object their own way: edit and delete through `get_queryset`,
inspect and copy straight from the model, history and usage through `get_base_object_queryset`. A scope
set in some of them leaves the others open (a teacher once read another teacher's answer key through the
quiz copy view), and a view that a later Wagtail adds would start open. So the scope is applied where all
of them pass: `ScopedViewSetMixin.construct_view`, through which a viewset makes each of its views.

Every view so made, before it loads anything, turns away an object named in its URL that the policy does
not give the user for the view's action: as the view itself would (PermissionDenied) when the user may
not do that action at all, and as for an object that does not exist (404) when they may, but not on this
one. Its listing of the viewset's model holds only the objects the policy gives the user.

The rule itself lives in the model's registered permission policy (`instances_user_has_any_permission_for`,
see `wagtail.permissions.register_permission_policy`), so that menus, buttons and copy checks ask the same.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from wagtail.permissions import policy_registry

# What a view with no permission of its own is for: seeing the object at all.
ANY_ACTION = ("add", "change", "delete", "view")


class ScopedViewMixin:
    """Put in front of each of a viewset's views (see `ScopedViewSetMixin`), with `scope_model` set."""

    scope_model = None

    def scope_actions(self) -> list[str]:
        """The actions the view is for: the one it requires, any of those it accepts, or else any at all."""
        if getattr(self, "permission_required", None):
            return [self.permission_required]
        return list(getattr(self, "any_permission_required", None) or ANY_ACTION)

    def scope(self, user):
        policy = policy_registry.get_by_type(self.scope_model)
        return policy.instances_user_has_any_permission_for(user, self.scope_actions())

    def setup(self, request, *args, **kwargs):
        pk = kwargs.get(getattr(self, "pk_url_kwarg", "pk"))
        if pk is not None:
            self.check_in_scope(request.user, unquote(str(pk)))
        super().setup(request, *args, **kwargs)

    def check_in_scope(self, user, pk) -> None:
        policy = policy_registry.get_by_type(self.scope_model)
        if not policy.user_has_any_permission(user, self.scope_actions()):
            raise PermissionDenied
        try:
            found = self.scope(user).filter(pk=pk).exists()
        except (ValueError, ValidationError):  # not a key of this model at all
            found = False
        if not found:
            raise Http404

    def get_base_queryset(self):
        """The listing of the viewset's model (other listings, such as an object's history, are the object's)."""
        queryset = super().get_base_queryset()
        if issubclass(queryset.model, self.scope_model):
            queryset = queryset.filter(pk__in=self.scope(self.request.user).values("pk"))
        return queryset


class ScopedViewSetMixin:
    """A ModelViewSet (or SnippetViewSet) whose every view, present or future, keeps to the policy's scope."""

    def construct_view(self, view_class, **kwargs):
        scoped = type(view_class.__name__, (ScopedViewMixin, view_class), {"scope_model": self.model})
        scoped.__module__ = view_class.__module__
        return super().construct_view(scoped, **kwargs)
