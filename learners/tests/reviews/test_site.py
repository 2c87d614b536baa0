"""Reviews on the site: the course page's review form, rating and reviews (see also test_writing.py,
test_rating.py)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learners.models import Review
from learners.services import learning, reviews
from learners.tests.reviews.helpers import rating_of, write

pytestmark = pytest.mark.django_db


# --- the site ---------------------------------------------------------------------------------------


def reviews_section(html):
    start = html.index('id="reviews"')
    return html[start : html.index("</section>", start)]


def test_the_review_form_is_for_enrolled_learners_only(client, course, student, other_student, teacher, enrolled):
    action = f'action="/learn/courses/{course.pk}/review/"'
    assert action not in client.get(course.url).content.decode()
    client.force_login(other_student)
    assert action not in client.get(course.url).content.decode()
    client.force_login(teacher)
    assert action not in client.get(course.url).content.decode()
    enrolled(student)
    client.force_login(student)
    section = reviews_section(client.get(course.url).content.decode())
    assert action not in section and "once you have completed a lesson" in section  # at 0 %: start first
    learning.complete_lesson(learner=student, lesson=course.lessons().first())
    section = reviews_section(client.get(course.url).content.decode())
    assert action in section and 'name="rating"' in section and 'maxlength="4000"' in section
    assert section.count('type="radio"') == 5 and "No reviews yet." in section
    assert "once you have completed a lesson" not in section


def test_posting_on_the_site_creates_then_edits_the_review(client, course, student, enrolled):
    enrolled(student)
    client.force_login(student)
    response = client.post(f"/learn/courses/{course.pk}/review/", {"rating": "4", "text": "Line one\nLine two"})
    assert response.status_code == 302 and response["Location"] == f"{course.url}#reviews"
    review = Review.objects.get(learner=student)
    assert review.rating == 4 and rating_of(course) == (Decimal("4.00"), 1)
    html = client.get(course.url).content.decode()
    section = reviews_section(html)
    assert html.count("Thank you for your review!") == 1 and "Thank you for your review!" in section  # where #reviews lands
    assert "Line one<br>Line two" in section and student.name in section
    assert "Your review" in section and f'action="/learn/reviews/{review.pk}/delete/"' in section
    assert 'value="4" checked' in section

    client.post(f"/learn/courses/{course.pk}/review/", {"rating": "2", "text": "Changed my mind"})
    assert Review.objects.values_list("rating", "text").get() == (2, "Changed my mind")
    assert rating_of(course) == (Decimal("2.00"), 1)


def test_site_errors_are_shown_as_messages(client, course, student, other_student, enrolled):
    client.force_login(other_student)
    response = client.post(f"/learn/courses/{course.pk}/review/", {"rating": "5"}, follow=True)
    assert "Only learners enrolled in the course may review it." in response.content.decode()
    enrolled(student)
    client.force_login(student)
    for data in ({"rating": "9"}, {"rating": "x"}, {}, {"rating": "5", "text": "a" * 4001}, {"rating": "9" * 5000}):
        response = client.post(f"/learn/courses/{course.pk}/review/", data, follow=True)
        assert response.status_code == 200 and "message--error" in reviews_section(response.content.decode()), data
    assert not Review.objects.exists()


def test_deleting_on_the_site(client, course, student, other_student, enrolled):
    enrolled(student, other_student)
    review = reviews.post_review(learner=student, course=course, rating=3, text="So-so")
    client.force_login(other_student)
    response = client.post(f"/learn/reviews/{review.pk}/delete/", follow=True)
    assert "Only the review&#x27;s author and administrators may change it." in response.content.decode()
    assert Review.objects.exists()
    client.force_login(student)
    assert client.get(f"/learn/reviews/{review.pk}/delete/").status_code == 405
    response = client.post(f"/learn/reviews/{review.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == f"{course.url}#reviews"
    assert not Review.objects.exists() and rating_of(course) == (None, 0)
    assert client.post(f"/learn/reviews/{review.pk}/delete/").status_code == 404


def test_review_views_need_post_and_login(client, course, student):
    assert client.post(f"/learn/courses/{course.pk}/review/", {"rating": "5"}).status_code == 302  # to log in
    client.force_login(student)
    assert client.get(f"/learn/courses/{course.pk}/review/").status_code == 405
    assert client.post("/learn/courses/999999/review/", {"rating": "5"}).status_code == 404


def test_the_course_page_shows_the_rating_the_distribution_and_the_reviews(client, course, admin_user):
    five, four, other_four, hidden = write(course, 5, 4, 4, 1)
    reviews.hide_review(review=hidden, by=admin_user)
    html = client.get(course.url).content.decode()
    assert "★ 4.3" in html and "(3)" in html  # the header, from the course's fields
    section = reviews_section(html)
    for stars, count in ((5, 1), (4, 2), (3, 0), (2, 0), (1, 0)):
        assert f'data-stars="{stars}" data-count="{count}"' in section
    assert "rating-bars__fill pct-67" in section  # 2 of 3 give four stars
    assert "Rated 4.3 out of 5 by 3 learners" in section
    assert section.count('class="review"') == 3 and "1 stars" not in section
    assert section.index(f'id="review-{other_four.pk}"') < section.index(f'id="review-{five.pk}"')  # newest first
    assert "★★★★☆" in section


def test_review_text_is_escaped_on_the_site(client, course, student, enrolled):
    enrolled(student)
    reviews.post_review(learner=student, course=course, rating=4, text="<script>alert(1)</script>\n<b>x</b>")
    section = reviews_section(client.get(course.url).content.decode())
    assert "<script>alert(1)</script>" not in section and "<b>x</b>" not in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;b&gt;x&lt;/b&gt;" in section


def test_the_course_page_shows_the_ten_newest_reviews_in_a_few_queries(client, course, django_assert_max_num_queries):
    write(course, 5)
    with CaptureQueriesContext(connection) as few:
        client.get(course.url)
    written = write(course, *([4] * 14))
    with django_assert_max_num_queries(len(few.captured_queries)):
        section = reviews_section(client.get(course.url).content.decode())
    assert section.count('class="review"') == 10 and "And 5 earlier reviews." in section
    assert f'id="review-{written[-1].pk}"' in section


def test_the_author_of_a_hidden_review_is_told(client, course, student, enrolled, admin_user):
    enrolled(student)
    review = reviews.post_review(learner=student, course=course, rating=1, text="Rude words")
    reviews.hide_review(review=review, by=admin_user)
    client.force_login(student)
    section = reviews_section(client.get(course.url).content.decode())
    assert "An administrator has hidden your review" in section
    assert 'class="review"' not in section
