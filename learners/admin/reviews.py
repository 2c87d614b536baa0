"""The reviews' moderation queue: hide a review from its course page and rating, show it again, or delete it
(each through `learners.services.reviews`, which audits it and recomputes the course's rating)."""

import django_filters
from django import forms
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, StatusFlagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import BooleanRadioSelect, Button

from ..models import Review
from ..services import reviews as review_services
from .listing import ExportMixin, LearnerFilterSet, RecordViewSet, date_range


class ReviewFilterSet(LearnerFilterSet):
    is_hidden = django_filters.BooleanFilter(label=_("Hidden"), widget=BooleanRadioSelect)
    rating = django_filters.ChoiceFilter(
        label=_("Rating"),
        choices=Review._meta.get_field("rating").choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    created_at = date_range(_("Posted"))

    class Meta:
        model = Review
        fields = []


class ReviewButtonsMixin:
    """The moderation actions as buttons that POST: hide or show, and delete."""

    def moderation_buttons(self, review: Review) -> list[Button]:
        hide = not review.is_hidden
        url = reverse(review_viewset.get_url_name("hide" if hide else "unhide"), args=[review.pk])
        attrs = {
            "data-controller": "w-action",
            "data-action": "w-action#post",
            "data-w-action-url-value": url,
            "data-w-action-next-value": self.request.get_full_path(),
        }
        label, icon = (_("Hide"), "no-view") if hide else (_("Show again"), "view")
        return [Button(label, icon_name=icon, attrs=attrs, priority=5)]


class ReviewIndexView(ExportMixin, ReviewButtonsMixin, generic.IndexView):
    def get_base_queryset(self):
        return Review.objects.select_related("learner", "course")

    def get_list_more_buttons(self, instance):
        return [*self.moderation_buttons(instance), *super().get_list_more_buttons(instance)]


class ReviewInspectView(ReviewButtonsMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(Review.objects.select_related("learner", "course"), pk=self.pk)

    @cached_property
    def header_more_buttons(self):
        return [*self.moderation_buttons(self.object), *super().header_more_buttons]


class ReviewDeleteView(generic.DeleteView):
    def delete_action(self):
        review_services.delete_review(review=self.object, by=self.request.user)


class ModerateView(PermissionCheckedMixin, generic.BaseOperationView):
    """POST: hide a review from its course page and rating, or show it again."""

    model = Review
    permission_required = "moderate"
    hidden = True
    success_url_name = None

    def perform_operation(self):
        self.object = review_services.hide_review(review=self.object, by=self.request.user, hidden=self.hidden)

    def get_success_message(self):
        message = _("Review '%(object)s' hidden.") if self.hidden else _("Review '%(object)s' shown again.")
        return message % {"object": review_services.review_title(self.object)}

    def get_success_url(self):
        return self.next_url or reverse(review_viewset.get_url_name("index"))


def review_excerpt(review: Review) -> str:
    return Truncator(review.text).chars(120) or "—"


class ReviewViewSet(RecordViewSet):
    model = Review
    icon = "comment"
    menu_label = _("Reviews")
    inspect_view_enabled = True
    index_view_class = ReviewIndexView
    inspect_view_class = ReviewInspectView
    delete_view_class = ReviewDeleteView
    inspect_view_fields = ["learner", "course", "rating", "text", "is_hidden", "created_at", "updated_at"]
    filterset_class = ReviewFilterSet
    search_fields = ["text", "learner__name", "learner__email", "course__title"]
    ordering = "-created_at"
    list_display = [
        "course__title",
        Column("learner", label=_("Author"), accessor="learner.name", sort_key="learner__name"),
        Column("rating", label=_("Rating"), sort_key="rating"),
        Column("text", label=_("Text"), accessor=review_excerpt),
        StatusFlagColumn("is_hidden", label=_("Hidden"), true_label=_("Hidden"), sort_key="is_hidden"),
        DateColumn("created_at", label=_("Posted"), sort_key="created_at"),
    ]
    list_export = ["course.title", "learner.name", "learner.email", "rating", "text", "is_hidden", "created_at"]
    export_headings = {
        "course.title": _("Course"),
        "learner.name": _("Author"),
        "learner.email": _("Email"),
        "rating": _("Rating"),
        "text": _("Text"),
        "is_hidden": _("Hidden"),
        "created_at": _("Posted"),
    }
    export_filename = "reviews"

    def get_urlpatterns(self):
        hide = self.construct_view(ModerateView, hidden=True)
        unhide = self.construct_view(ModerateView, hidden=False)
        return [
            *super().get_urlpatterns(),
            path("hide/<str:pk>/", hide, name="hide"),
            path("unhide/<str:pk>/", unhide, name="unhide"),
        ]


review_viewset = ReviewViewSet("reviews")
