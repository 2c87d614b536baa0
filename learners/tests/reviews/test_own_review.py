"""The course page's newest reviews and the learner's own, read together (`reviews.latest_and_own`), shown apart."""

import pytest
from django.contrib.auth.models import AnonymousUser

from learners.models import Review
from learners.services import reviews
from learners.tests.reviews.helpers import write

pytestmark = pytest.mark.django_db


def reviews_section(html):
    start = html.index('id="reviews"')
    return html[start : html.index("</section>", start)]


def read_apart(course, user, limit):
    """What the page read before, in two queries: the newest shown reviews, and the user's own."""
    latest = list(reviews.visible_reviews(course.pk)[:limit])
    own = Review.objects.filter(learner=user, course=course).first() if user.is_authenticated else None
    return latest, own


def test_an_older_own_review_is_the_learners_and_the_list_keeps_the_ten_newest(client, course, student, enrolled):
    enrolled(student)
    own = reviews.post_review(learner=student, course=course, rating=2, text="My own words")
    others = write(course, *([5] * 11))
    client.force_login(student)
    section = reviews_section(client.get(course.url).content.decode())
    assert "Your review" in section and "My own words</textarea>" in section and 'value="2" checked' in section
    assert f'action="/learn/reviews/{own.pk}/delete/"' in section
    assert f'id="review-{own.pk}"' not in section and f'id="review-{others[0].pk}"' not in section
    assert section.count('class="review"') == 10 and "And 2 earlier reviews." in section
    shown = [section.index(f'id="review-{review.pk}"') for review in reversed(others[1:])]
    assert shown == sorted(shown)  # newest first


def test_a_recent_own_review_is_listed_once_in_its_place(client, course, student, enrolled):
    enrolled(student)
    older = write(course, 4, 3)
    own = reviews.post_review(learner=student, course=course, rating=5, text="Mine")
    newer = write(course, 1)
    client.force_login(student)
    section = reviews_section(client.get(course.url).content.decode())
    assert section.count(f'id="review-{own.pk}"') == 1 and "Update my review" in section
    shown = [section.index(f'id="review-{review.pk}"') for review in (newer[0], own, older[1], older[0])]
    assert shown == sorted(shown)


@pytest.mark.parametrize("limit", [1, 3, 10])
@pytest.mark.parametrize("own_is", ["none", "oldest", "newest", "hidden", "hidden newest"])
def test_read_together_as_read_apart(course, student, enrolled, admin_user, limit, own_is):
    enrolled(student)
    if own_is in ("oldest", "hidden"):
        reviews.post_review(learner=student, course=course, rating=3, text="Mine")
    hidden, *_ = write(course, 1, 4, 5, 2)
    reviews.hide_review(review=hidden, by=admin_user)
    if own_is in ("newest", "hidden newest"):
        reviews.post_review(learner=student, course=course, rating=3, text="Mine")
    if own_is.startswith("hidden"):
        reviews.hide_review(review=Review.objects.get(learner=student), by=admin_user)
    for user in (student, admin_user, AnonymousUser()):
        latest, own = reviews.latest_and_own(course.pk, user, limit)
        expected_latest, expected_own = read_apart(course, user, limit)
        assert [review.pk for review in latest] == [review.pk for review in expected_latest]
        assert getattr(own, "pk", None) == getattr(expected_own, "pk", None)
