"""The quiz's panel in the lesson editor (`courses.panels.LESSON_EDITOR_PANELS`): the lesson's quiz at a glance,
with the way to add one, edit it or take it as a learner would."""

from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.panels import Panel

from .models import Attempt, Quiz
from .views import quiz_viewset


class QuizPanel(Panel):
    """None yet ("Add a quiz"), or its questions, pass mark, attempts and whether learners see it ("Edit quiz",
    "Preview as a learner"). On a lesson not saved yet, a word that the quiz comes after saving."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "quizzes/admin/lesson_quiz_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            lesson = self.instance
            if lesson.pk is None:
                return {**context, "unsaved": True}
            back = urlencode({"next": reverse("wagtailadmin_pages:edit", args=[lesson.pk])})
            quiz = Quiz.objects.filter(lesson_id=lesson.pk).first()
            if quiz is None:
                add_url = reverse(quiz_viewset.get_url_name("add"))
                return {**context, "add_url": f"{add_url}?lesson={lesson.pk}&{back}"}
            return {
                **context,
                "quiz": quiz,
                "lesson_live": lesson.live,
                "question_count": quiz.questions.count(),
                "attempt_count": Attempt.objects.filter(quiz=quiz).count(),
                "edit_url": reverse(quiz_viewset.get_url_name("edit"), args=[quiz.pk]) + f"?{back}",
                "preview_url": reverse(quiz_viewset.get_url_name("preview"), args=[quiz.pk]),
                "statistics_url": reverse(quiz_viewset.get_url_name("inspect"), args=[quiz.pk]),
            }
