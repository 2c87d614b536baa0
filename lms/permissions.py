"""API permissions by role."""

from rest_framework.permissions import BasePermission

from learners.models import Role


class IsAdmin(BasePermission):
    message = "Only administrators may do this."
    code = "admin_only"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.role == Role.ADMIN)


class IsTeacher(BasePermission):
    """Teachers and administrators."""

    message = "Only teachers and administrators may do this."
    code = "teacher_only"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.role in (Role.TEACHER, Role.ADMIN))
