"""API permissions by role (admins are superusers; `is_teacher` holds for teachers and admins)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class IsAdmin(BasePermission):
    message = "Only administrators may do this."
    code = "admin_only"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_superuser)


class IsTeacher(BasePermission):
    """Teachers and administrators."""

    message = "Only teachers and administrators may do this."
    code = "teacher_only"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_teacher)


class IsTeacherOrReadOnly(IsTeacher):
    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or super().has_permission(request, view)
