from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from courses.admin_views import COURSE_HEADER_BUTTONS
from courses.models import CoursePage, LessonPage
from courses.page_parts import COURSE_CARDS_HOOK, COURSE_LESSONS_HOOK, COURSE_PAGE_HOOK, LESSON_PAGE_HOOK
from courses.serving import BEFORE_SERVE_MEDIA
from search.entries import POPULARITY_HOOK

from . import files, page_parts, selectors
from .admin.bulk_actions import USER_BULK_ACTIONS
from .admin.dashboard import dashboard_panels
from .admin.menu import learning_viewset_group
from .admin.reports import can_see_report, course_header_buttons, course_report_url, course_report_viewset


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


hooks.register(COURSE_HEADER_BUTTONS, course_header_buttons)  # and in the course editor's header, in plain sight


@hooks.register("before_serve_page")
def keep_lessons_in_order(page, request, serve_args, serve_kwargs):
    """A lesson page opens for its course's teacher, admins, and enrolled learners who reached it (page_parts)."""
    if isinstance(page, LessonPage):
        return page_parts.lesson_gate(page, request)
    return None


# The learner's part of the course and lesson pages: the lessons' states, progress, enrolling, reviews, quizzes;
# and the lessons they list, from the learner's standing that the part reads anyway.
hooks.register(COURSE_PAGE_HOOK, page_parts.course_page_parts)
hooks.register(LESSON_PAGE_HOOK, page_parts.lesson_page_parts)
hooks.register(COURSE_LESSONS_HOOK, page_parts.visible_lessons)


@hooks.register(COURSE_CARDS_HOOK)
def learning_on_cards(request, courses):
    """ "Enrolled · 40%" or "Completed" on the catalog's cards of the courses the visitor takes (one query a page)."""
    return selectors.card_states(request.user, [course.pk for course in courses], getattr(request, "session", None))


@hooks.register("before_serve_document")
def serve_documents_by_permission(document, request):
    """A document goes only to those who may have it (learners.files: the rule videos follow too)."""
    return files.refusal(request, document)


@hooks.register(BEFORE_SERVE_MEDIA)
def serve_media_by_permission(media, request):
    """A video, an audio file or a poster goes only to those who may have it (learners.files)."""
    return files.refusal(request, media)


@hooks.register(POPULARITY_HOOK)
def enrolled_now():
    """The catalog's "most popular": learners enrolled in the course now (who have not left it)."""
    return Count("enrollments", filter=Q(enrollments__left_at__isnull=True))
