"""The admins' dashboard panels: activity by week, recent reviews, the most popular courses."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learners.models import Enrollment, User
from learners.services import learning
from learners.tests.admin.helpers import (
    html,
)
from learners.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_dashboard_panels_count_this_weeks_activity_for_admins(client, admin_user, teacher, portal):
    client.force_login(admin_user)
    page = html(client.get("/admin/"))
    assert "Learning activity, last 8 weeks" in page
    users_this_week = User.objects.filter(date_joined__gte=timezone.now() - timedelta(days=7)).count()
    assert f"<td data-total-signups>{users_this_week}</td>" in page
    assert "<td data-total-enrollments>3</td>" in page
    assert "<td data-total-completions>1</td>" in page

    assert "Recent reviews" in page and "Buy cheap pills" in page
    assert page.index("Buy cheap pills") < page.index("Clear and kind.")
    assert "/admin/reviews/?is_hidden=false" in page

    assert "Most popular courses" in page
    rust, python = portal["other_course"], portal["course"]
    assert f'<tr data-course="{rust.pk}">' in page and f'<tr data-course="{python.pk}">' in page
    assert f"/admin/course-report/{python.pk}/" in page

    client.force_login(teacher)
    page = html(client.get("/admin/"))
    assert "Learning activity" not in page and "Most popular courses" not in page


def test_dashboard_weeks_and_popularity(client, admin_user, portal, make_course):
    """Older activity lands in its own week; the course with more active learners comes first."""
    old = timezone.now() - timedelta(weeks=3)
    Enrollment.objects.filter(course=portal["other_course"]).update(enrolled_at=old)
    crowded = make_course(title="Crowded", lessons=1)
    for _ in range(3):
        learning.enroll(learner=UserFactory(), course=crowded)

    from learners.admin.dashboard import weekly_activity

    weeks = weekly_activity()
    assert len(weeks) == 8 and weeks[-1]["week"] <= timezone.localdate()
    assert sum(week["enrollments"] for week in weeks) == 6
    assert weeks[-1]["enrollments"] == 5 and weeks[-4]["enrollments"] + weeks[-5]["enrollments"] == 1

    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as queries:
        page = html(client.get("/admin/"))
    assert page.index(f'data-course="{crowded.pk}"') < page.index(f'data-course="{portal["course"].pk}"')
    assert len(queries) < 40
