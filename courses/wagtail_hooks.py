from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.admin.rich_text.converters.editor_html import WhitelistRule
from wagtail.whitelist import allow_without_attributes

from . import admin_files  # noqa: F401 - registers the hooks that scope the admin's other file views
from .admin_views import PublishWithoutLessonsView, course_page_viewset
from .models import CoursePage
from .publishing import NoLessons, check_publishable
from .visibility import is_admin, teaches


@hooks.register("register_rich_text_features")
def keep_code_and_quotes_from_the_api(features):
    """Wagtail's HTML cleaner knows no rule for these two editor features; without one, rich text sent
    through the API would lose its inline code and quotes."""
    for element in ("code", "blockquote"):
        features.register_converter_rule("editorhtml", element, [WhitelistRule(element, allow_without_attributes)])


@hooks.register("on_serve_page", order=-1)
def let_teachers_and_admins_through(callback):
    """A private page opens on the site for the admins and its course's teacher, as everywhere else
    (`courses.visibility`); everyone else meets Wagtail's own check (login or password form)."""

    def serve(page, request, serve_args, serve_kwargs):
        user = request.user
        private = user.is_authenticated and page.get_view_restrictions().exists()
        if private and (is_admin(user) or teaches(page, user)):
            response = page.serve(request, *serve_args, **serve_kwargs)
            add_never_cache_headers(response)
            return response
        return callback(page, request, serve_args, serve_kwargs)

    return serve


@hooks.register("before_move_page")
def move_only_where_allowed(request, page, destination):
    """Wagtail checks a move when it is made; its confirmation page, which names both pages, is refused
    as early to those who may not make it (another teacher's lesson into another course)."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


@hooks.register("register_admin_viewset")
def register_course_page_viewset():
    return course_page_viewset


@hooks.register("register_admin_urls")
def register_publish_without_lessons_url():
    return [
        path(
            "pages/<int:page_id>/publish-without-lessons/",
            PublishWithoutLessonsView.as_view(),
            name="course_publish_without_lessons",
        )
    ]


@hooks.register("before_publish_page")
def ask_before_publishing_an_empty_course(request, page):
    """Wagtail's publish (create or edit) of a course with no published lessons stops here, its draft saved, and
    leads to the confirmation page (`courses.publishing`)."""
    if not isinstance(page, CoursePage):
        return None
    try:
        check_publishable(page)
    except NoLessons:
        return redirect("course_publish_without_lessons", page.pk)
    return None
