from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from courses.models import LessonPage
from courses.panels import LESSON_EDITOR_PANELS

from .models import Quiz, QuizLogEntry
from .panels import QuizPanel
from .views import quiz_viewset


@hooks.register("register_log_actions")
def keep_the_quizzes_log_apart(actions):
    """Quizzes' log entries go to their own log, which shows each teacher their own quizzes' entries only."""
    actions.register_model(Quiz, QuizLogEntry)


@hooks.register("register_admin_viewset")
def register_quiz_viewset():
    return quiz_viewset


@hooks.register(LESSON_EDITOR_PANELS)
def quiz_panel():
    """The lesson's quiz in its editor: its state, and "Add a quiz" or "Edit quiz" and "Preview as a learner"."""
    return QuizPanel(heading=_("Quiz"), icon="tasks")


def quiz_button(page, user, priority):
    """ "Quiz" next to a lesson the user may edit: edit its quiz, or add one."""
    if not isinstance(page.specific_deferred, LessonPage) or not page.permissions_for_user(user).can_edit():
        return None
    quiz = Quiz.objects.filter(lesson_id=page.pk).only("pk").first()
    if quiz is not None:
        return Button(
            _("Edit quiz"),
            url=reverse(quiz_viewset.get_url_name("edit"), args=[quiz.pk]),
            icon_name="tasks",
            priority=priority,
        )
    url = reverse(quiz_viewset.get_url_name("add")) + f"?lesson={page.pk}"
    return Button(_("Add a quiz"), url=url, icon_name="tasks", priority=priority)


@hooks.register("register_page_header_buttons")
def quiz_header_button(page, user, view_name, next_url=None):
    if button := quiz_button(page, user, priority=12):
        yield button


@hooks.register("register_page_listing_more_buttons")
def quiz_listing_button(page, user, next_url=None):
    if button := quiz_button(page, user, priority=5):
        yield button
