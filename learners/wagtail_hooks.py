from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from courses.models import CoursePage, LessonPage
from courses.visibility import can_view

from . import files
from .admin_bulk_actions import USER_BULK_ACTIONS
from .admin_reports import can_see_report, course_report_url, course_report_viewset, dashboard_panels
from .admin_views import learning_viewset_group
from .services import learning


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action("learners.role_change", _("Change role"), _("Role changed"))
    actions.register_action("learners.deactivate", _("Deactivate"), _("User deactivated"))
    actions.register_action("learners.activate", _("Activate"), _("User activated"))
    actions.register_action("learners.certificate_revoke", _("Revoke"), _("Certificate revoked"))
    actions.register_action("learners.review_hide", _("Hide review"), _("Review hidden"))
    actions.register_action("learners.review_unhide", _("Show review"), _("Review shown again"))
    actions.register_action("learners.review_delete", _("Delete review"), _("Review deleted"))


# Ours replace Wagtail's user bulk actions of the same type: registered later (a higher order), they win.
for action_class in USER_BULK_ACTIONS:
    hooks.register("register_bulk_action", action_class, order=100)


@hooks.register("register_admin_viewset")
def register_learning_viewsets():
    """Enrollments, quiz attempts, certificates and reviews under "Learning"; the course report."""
    return [learning_viewset_group, course_report_viewset]


@hooks.register("construct_homepage_panels")
def add_learning_panels(request, panels):
    if request.user.is_superuser:
        panels.extend(dashboard_panels())


def report_button(page, user, priority):
    """ "Report" next to a course its viewer may edit: its learners' progress, quiz results, completion."""
    if page.specific_class is not CoursePage:
        return None
    course = page.specific_deferred
    if not can_see_report(user, course):
        return None
    return Button(_("Report"), url=course_report_url(course), icon_name="table", priority=priority)


@hooks.register("register_page_header_buttons")
def report_header_button(page, user, view_name, next_url=None):
    if button := report_button(page, user, priority=14):
        yield button


@hooks.register("register_page_listing_more_buttons")
def report_listing_button(page, user, next_url=None):
    if button := report_button(page, user, priority=6):
        yield button


@hooks.register("before_serve_page")
def keep_lessons_in_order(page, request, serve_args, serve_kwargs):
    """A lesson page opens for its course's teacher, admins, and enrolled learners who reached it.

    A lesson the visitor may not see (its course made private) is left to Wagtail's own check, which
    answers with its login or password form.
    """
    if not isinstance(page, LessonPage):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_view(page, request.user, request.session):
        return None
    try:
        learning.check_can_open(user=request.user, lesson=page, session=request.session)
    except learning.NotEnrolled:
        context = {"page": page, "course": page.course}
        return TemplateResponse(request, "learners/lesson_not_enrolled.html", context, status=403)
    except learning.LessonLocked as locked:
        context = {"page": page, "course": page.course, "opened_by": locked.opened_by}
        return TemplateResponse(request, "learners/lesson_locked.html", context, status=403)
    return None


@hooks.register("before_serve_document")
def serve_documents_by_permission(document, request):
    """A document goes only to those who may have it (learners.files: the rule videos follow too)."""
    return files.refusal(request, document)
