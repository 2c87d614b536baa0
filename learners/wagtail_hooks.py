from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from courses.models import LessonPage

from .services import learning


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action("learners.role_change", _("Change role"), _("Role changed"))
    actions.register_action("learners.deactivate", _("Deactivate"), _("User deactivated"))
    actions.register_action("learners.activate", _("Activate"), _("User activated"))


@hooks.register("before_serve_page")
def keep_lessons_in_order(page, request, serve_args, serve_kwargs):
    """A lesson page opens for its course's teacher, admins, and enrolled learners who reached it."""
    if not isinstance(page, LessonPage):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        learning.check_can_open(user=request.user, lesson=page)
    except learning.NotEnrolled:
        context = {"page": page, "course": page.course}
        return TemplateResponse(request, "learners/lesson_not_enrolled.html", context, status=403)
    except learning.LessonLocked as locked:
        context = {"page": page, "course": page.course, "opened_by": locked.opened_by}
        return TemplateResponse(request, "learners/lesson_locked.html", context, status=403)
    return None
