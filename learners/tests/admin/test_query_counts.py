"""A listing, or its export, costs the same queries for any number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learners.services import reviews
from learners.tests.admin.helpers import LISTINGS, finish
from learners.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def grow(portal, extra: int):
    """More of every kind of row: enrollments, attempts, certificates, reviews."""
    course, quiz = portal["course"], portal["quiz"]
    for _ in range(extra):
        learner = UserFactory()
        finish(learner, course, quiz)
        reviews.post_review(learner=learner, course=course, rating=4)


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", LISTINGS)
@pytest.mark.parametrize("export", [None, "csv"])
def test_list_query_counts_do_not_grow_with_rows(admin_client, portal, django_assert_max_num_queries, url, export):
    params = {"export": export} if export else {}
    count_queries(admin_client, url, **params)  # warm the content type and site caches
    few = count_queries(admin_client, url, **params)
    grow(portal, 6)
    with django_assert_max_num_queries(few):
        response = admin_client.get(url, params)
        if export:
            b"".join(response.streaming_content)
