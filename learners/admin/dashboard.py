"""The admins' dashboard panels: activity over the last weeks, reviews to moderate, the most popular
courses. Each costs a few aggregate queries, whatever the number of rows."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from courses.models import CoursePage

from ..models import Enrollment, Review, User
from .reports import course_report_url
from .reviews import review_viewset


def weekly_activity(*, weeks: int = 8, now: datetime | None = None) -> list[dict]:
    """Sign-ups, enrollments and completions per week (Monday to Sunday), oldest first: three queries."""
    today = timezone.localdate(now or timezone.now())
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    start = timezone.make_aware(datetime.combine(first, time.min))

    def per_week(queryset, field) -> dict:
        rows = (
            queryset.filter(**{f"{field}__gte": start})
            .order_by()
            .annotate(week=TruncWeek(field))
            .values("week")
            .annotate(n=Count("pk"))
        )
        return {timezone.localtime(row["week"]).date(): row["n"] for row in rows}

    counts = {
        "signups": per_week(User.objects.all(), "date_joined"),
        "enrollments": per_week(Enrollment.objects.all(), "enrolled_at"),
        "completions": per_week(Enrollment.objects.all(), "completed_at"),
    }
    return [
        {"week": week, **{kind: by_week.get(week, 0) for kind, by_week in counts.items()}}
        for week in (first + timedelta(weeks=n) for n in range(weeks))
    ]


class ActivityPanel(Component):
    """Sign-ups, enrollments and completions over the last eight weeks."""

    name = "learning_activity"
    template_name = "learners/admin/panels/activity.html"
    order = 90

    def get_context_data(self, parent_context):
        weeks = weekly_activity()
        peak = max([1, *(week[kind] for week in weeks for kind in ("signups", "enrollments", "completions"))])
        totals = {kind: sum(week[kind] for week in weeks) for kind in ("signups", "enrollments", "completions")}
        return {"weeks": weeks, "peak": peak, "totals": totals}


class ReviewsPanel(Component):
    """The newest visible reviews, for moderation."""

    name = "reviews_to_moderate"
    template_name = "learners/admin/panels/reviews.html"
    order = 95
    limit = 5

    def get_context_data(self, parent_context):
        visible = Review.objects.filter(is_hidden=False)
        week_ago = timezone.now() - timedelta(days=7)
        return {
            "reviews": list(visible.select_related("learner", "course").order_by("-created_at", "-pk")[: self.limit]),
            "this_week": visible.filter(created_at__gte=week_ago).count(),
            "index_url": reverse(review_viewset.get_url_name("index")),
            "inspect_url_name": review_viewset.get_url_name("inspect"),
        }


class PopularCoursesPanel(Component):
    """The courses with the most active enrollments, with links to their reports."""

    name = "popular_courses"
    template_name = "learners/admin/panels/popular_courses.html"
    order = 96
    limit = 5

    def get_context_data(self, parent_context):
        courses = list(
            CoursePage.objects.annotate(
                active=Count("enrollments", filter=Q(enrollments__left_at__isnull=True)),
                completed=Count("enrollments", filter=Q(enrollments__completed_at__isnull=False)),
            )
            .filter(active__gt=0)
            .order_by("-active", "title")[: self.limit]
        )
        for course in courses:
            course.report_url = course_report_url(course)
        return {"courses": courses}


def dashboard_panels() -> list[Component]:
    return [ActivityPanel(), ReviewsPanel(), PopularCoursesPanel()]
