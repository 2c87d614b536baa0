"""The course's pages in the Wagtail admin: its editor's header, and publishing a course without lessons.

- `COURSE_HEADER_BUTTONS`, a Wagtail hook: ``fn(page, user) -> iterable of HeaderButton``. What it gives shows in
  the course editor's header, beside the breadcrumbs, where a teacher looks (Wagtail's
  `register_page_header_buttons` fills the "…" menu only). Apps built on courses add theirs (the course report).
- `course_page_viewset`: Wagtail's views for course pages with that header, and a create view whose "Publish"
  asks first (Wagtail 8 routes each page type's admin views through its `PageViewSet`).
- `PublishWithoutLessonsView`: where Wagtail's publish of a course with no published lessons leads (a new course,
  or an edit: `courses.wagtail_hooks.ask_before_publishing_an_empty_course`); it publishes the saved draft once
  the editor ticks "Publish without lessons".
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.viewsets.pages import PageViewSet

from . import publishing
from .models import CoursePage

COURSE_HEADER_BUTTONS = "course_header_buttons"


class CourseCreateView(CreateView):
    """Wagtail's page creation. Its publish adds the new page live before asking `before_publish_page`; a new
    course has no lessons, so "Publish" makes it a draft and asks first (`PublishWithoutLessonsView`)."""

    def publish_action(self):
        self.save_action()
        return redirect("course_publish_without_lessons", self.page.pk)


class CourseEditView(EditView):
    """Wagtail's page editor, with the buttons of `COURSE_HEADER_BUTTONS` in its header."""

    @cached_property
    def header_buttons(self):
        buttons = []
        for make in hooks.get_hooks(COURSE_HEADER_BUTTONS):
            buttons.extend(make(self.page, self.request.user) or ())
        return buttons


class CoursePageViewSet(PageViewSet):
    model = CoursePage
    add_view_class = CourseCreateView
    edit_view_class = CourseEditView


course_page_viewset = CoursePageViewSet("course_pages")


class PublishWithoutLessonsForm(forms.Form):
    publish_without_lessons = forms.BooleanField(
        label=gettext_lazy("Publish without lessons"),
        help_text=gettext_lazy("Learners will find the course in the catalog with nothing to take yet."),
    )


class PublishWithoutLessonsView(WagtailAdminTemplateMixin, FormView):
    """Publish the draft of a course that has no published lessons, once the editor confirms it."""

    template_name = "courses/admin/publish_without_lessons.html"
    form_class = PublishWithoutLessonsForm
    page_title = gettext_lazy("Publish without lessons?")
    header_icon = "warning"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.course = get_object_or_404(CoursePage, pk=kwargs["page_id"])

    def dispatch(self, request, *args, **kwargs):
        lock = self.course.get_lock()
        if not self.course.permissions_for_user(request.user).can_publish() or (lock and lock.for_user(request.user)):
            raise PermissionDenied  # as Wagtail's editor refuses a page locked by someone else
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.course.pk])

    def get_page_subtitle(self):
        return self.course.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.edit_url, "label": self.get_page_subtitle()},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(course=self.course, edit_url=self.edit_url, **kwargs)

    def form_valid(self, form):
        course = publishing.publish_without_lessons(course=self.course, by=self.request.user)
        messages.success(
            self.request,
            _("Course '%(title)s' published without lessons.") % {"title": course.get_admin_display_title()},
        )
        return redirect("wagtailadmin_pages:edit", course.pk)
