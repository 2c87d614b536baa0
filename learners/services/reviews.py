"""Reviews: a learner's rating (1–5) of a course they take, and the course's rating that follows it.

`CoursePage.rating_avg` and `rating_count` are kept here, and only here: every change to a review
recomputes them from the visible reviews in the same transaction, with the course's row locked, so
that racing changes (two learners at once, an edit beside a delete) never leave them wrong.

A review leaves by one path, whatever the door (the site, the API, the admin, a deleted account's cascade,
a shell): `review_deleting` and `review_deleted`, which `learners.signal_handlers` calls around every
deletion of a review, lock its course, write the audit entry (the actor from Wagtail's log context, which
`delete_review` sets) and recompute the course's rating without it. Hiding and showing a review again are
audited too.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum
from django.utils.translation import gettext as _
from wagtail.log_actions import LogContext, log

from courses.models import CoursePage
from courses.visibility import can_view, visible_q
from lms.errors import NotFound
from lms.rows import update_rows

from ..models import Enrollment, Review, User
from .refusals import NotAuthor, NotEnrolled, NotModerator, OwnCourse, ReviewExists

MAX_TEXT = 4000
RATINGS = range(1, 6)


# --- checks -----------------------------------------------------------------------------------------


def clean_rating(rating) -> int:
    """A whole number of stars from 1 to 5; True, "5" and 5.0 are not numbers of stars."""
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
        raise ValidationError({"rating": [_("Choose a rating from 1 to 5 stars.")]})
    return rating


def clean_text(text) -> str:
    text = "" if text is None else text
    if not isinstance(text, str):
        raise ValidationError({"text": [_("The review must be text.")]})
    text = text.strip()
    if "\x00" in text:
        raise ValidationError({"text": [_("The review may not contain NUL characters.")]})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": [_("Keep the review to %(max)d characters (it has %(length)d).") % {"max": MAX_TEXT, "length": len(text)}]}
        )
    return text


def cleaned(values: dict) -> dict:
    """The given fields cleaned, or a ValidationError with every field's errors at once."""
    checks = {"rating": clean_rating, "text": clean_text}
    result, errors = {}, {}
    for name, value in values.items():
        try:
            result[name] = checks[name](value)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return result


def is_moderator(user) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def can_review(user, course: CoursePage, session=None, *, standing=None) -> bool:
    """Whether the user may write a (first) review of the course: an active learner, not its teacher.

    `session`: the site's session, which holds the passwords given for private courses (None in the API);
    `standing`: the user's `learning.Standing` in the course when the caller has one (it knows the enrollment).
    """
    return _takes(user, course, standing) and can_view(course, user, session)


def _takes(user, course: CoursePage, standing=None) -> bool:
    return (
        user.is_authenticated
        and course.live
        and course.owner_id != user.pk
        and (
            standing.enrolled
            if standing is not None
            else Enrollment.objects.active().filter(learner=user, course=course).exists()
        )
    )


def check_can_review(*, learner: User, course: CoursePage, session=None) -> None:
    """Refuse a review of a course the learner may not see (not found), teaches, or does not take."""
    if not can_view(course, learner, session):
        raise NotFound
    if course.owner_id is not None and course.owner_id == learner.pk:
        raise OwnCourse(_("Teachers do not rate their own courses."))
    if not _takes(learner, course):
        raise NotEnrolled(_("Only learners enrolled in the course may review it."))


def check_can_change(*, review: Review, by: User) -> None:
    if review.learner_id != by.pk and not is_moderator(by):
        raise NotAuthor(_("Only the review's author and administrators may change it."))


# --- the course's rating ----------------------------------------------------------------------------


def lock_course(course_id: int) -> None:
    """Lock the course's row until the transaction ends; every writer of its rating takes this lock first.

    `of=("self",)` locks only the course's own table: the Wagtail page row it inherits from stays free
    for the editor (PostgreSQL would otherwise lock both rows of the join).
    """
    try:
        CoursePage.objects.select_for_update(of=("self",)).values_list("pk", flat=True).get(pk=course_id)
    except CoursePage.DoesNotExist:
        raise NotFound from None


def refresh_rating(course_id: int) -> tuple[Decimal | None, int]:
    """Recompute a course's (average, count) from its visible reviews; the caller holds the course's lock."""
    totals = Review.objects.filter(course_id=course_id, is_hidden=False).aggregate(total=Sum("rating"), count=Count("id"))
    count = totals["count"] or 0
    # Exact arithmetic, rounded half up (not a float average).
    average = (Decimal(totals["total"]) / count).quantize(Decimal("0.01"), ROUND_HALF_UP) if count else None
    # A plain UPDATE of the two columns: no revision, and no other field of the page written back. The catalog
    # filters and sorts by ratings: `update_rows` tells its cache (`search.cache.CATALOG_READS`).
    update_rows(CoursePage.objects.filter(pk=course_id), rating_avg=average, rating_count=count)
    return average, count


def _follow(review: Review, rating: tuple[Decimal | None, int]) -> None:
    """Keep the caller's copy of the course (if it has one loaded) in step with the database."""
    if Review.course.is_cached(review):
        review.course.rating_avg, review.course.rating_count = rating


# --- reads ----------------------------------------------------------------------------------------


def visible_reviews(course_id: int):
    """The course's shown reviews, newest first, with their authors (one query for any number)."""
    return (
        Review.objects.filter(course_id=course_id, is_hidden=False)
        .select_related("learner")
        .order_by("-created_at", "-pk")
    )


def latest_and_own(course_id: int, user, limit: int) -> tuple[list[Review], Review | None]:
    """The course's `limit` newest shown reviews (as `visible_reviews`) and the user's own review of it, shown or
    hidden (None: none), in one query: the own review first, then the newest shown others."""
    if not user.is_authenticated:
        return list(visible_reviews(course_id)[:limit]), None
    rows = list(
        Review.objects.filter(Q(is_hidden=False) | Q(learner=user), course_id=course_id)
        .select_related("learner")
        .annotate(own=ExpressionWrapper(Q(learner=user), output_field=BooleanField()))
        .order_by("-own", "-created_at", "-pk")[: limit + 1]
    )
    own = rows[0] if rows and rows[0].own else None
    shown = sorted((review for review in rows if not review.is_hidden), key=lambda r: (r.created_at, r.pk), reverse=True)
    return shown[:limit], own


def addressable_reviews(user):
    """The reviews a user may open: shown ones of published courses they may see, their own, and every one
    for admins.

    Anything else (another learner's hidden review, a review of a draft or private course) is not found for them.
    """
    found = Review.objects.select_related("learner")
    if is_moderator(user):
        return found
    public = Q(is_hidden=False, course__live=True) & visible_q(user, prefix="course__")
    return found.filter(public | Q(learner=user)) if user.is_authenticated else found.filter(public)


def rating_distribution(course_id: int) -> dict[int, int]:
    """How many visible reviews give each number of stars, from 5 down to 1, in one query."""
    counts = dict(
        Review.objects.filter(course_id=course_id, is_hidden=False)
        .order_by()
        .values_list("rating")
        .annotate(n=Count("id"))
    )
    return {stars: counts.get(stars, 0) for stars in reversed(RATINGS)}


# --- changes ----------------------------------------------------------------------------------------


@transaction.atomic
def post_review(*, learner: User, course: CoursePage, rating: int, text: str = "", session=None) -> Review:
    """A learner's review of a course they are enrolled in (and may see); one per learner and course."""
    check_can_review(learner=learner, course=course, session=session)
    fields = cleaned({"rating": rating, "text": text})
    lock_course(course.pk)
    try:
        # The unique constraint decides between racing requests; the savepoint keeps the transaction usable.
        with transaction.atomic():
            review = Review.objects.create(learner=learner, course=course, **fields)
    except IntegrityError:
        raise ReviewExists(_("You have already reviewed this course; edit your review instead.")) from None
    course.rating_avg, course.rating_count = refresh_rating(course.pk)
    return review


def _locked(review: Review) -> Review:
    """Lock the review's course, then reload the review (it may have changed or gone meanwhile)."""
    lock_course(review.course_id)
    try:
        return Review.objects.select_for_update().get(pk=review.pk)
    except Review.DoesNotExist:
        raise NotFound from None


@transaction.atomic
def edit_review(*, review: Review, by: User, rating: int | None = None, text: str | None = None) -> Review:
    """Change a review's rating and/or text (None leaves it as it is); by its author or an admin."""
    check_can_change(review=review, by=by)
    changes = cleaned({name: value for name, value in (("rating", rating), ("text", text)) if value is not None})
    fresh = _locked(review)
    if changes:
        for name, value in changes.items():
            setattr(fresh, name, value)
        fresh.save(update_fields=[*changes, "updated_at"])
        _follow(review, refresh_rating(fresh.course_id))
    return fresh


@transaction.atomic
def delete_review(*, review: Review, by: User) -> None:
    """Remove a review; by its author or an admin. Audited, and the course's rating follows (`review_deleted`)."""
    check_can_change(review=review, by=by)
    fresh = _locked(review)
    with LogContext(user=by):
        fresh.delete()
    if Review.course.is_cached(review):
        review.course.refresh_from_db(fields=["rating_avg", "rating_count"])


@transaction.atomic
def hide_review(*, review: Review, by: User, hidden: bool = True) -> Review:
    """Hide a review from the course page and its rating, or show it again; by an admin, and audited."""
    if not is_moderator(by):
        raise NotModerator(_("Only administrators may hide or show reviews."))
    fresh = _locked(review)
    if fresh.is_hidden != hidden:
        fresh.is_hidden = hidden
        fresh.save(update_fields=["is_hidden", "updated_at"])
        _follow(review, refresh_rating(fresh.course_id))
        action = "learners.review_hide" if hidden else "learners.review_unhide"
        log(instance=fresh, action=action, user=by, title=review_title(review), data=_log_data(review))
    return fresh


# --- every deletion of a review, whatever the door ----------------------------------------------------------


def review_title(review: Review) -> str:
    return f"{review.course.title} · {review.learner.name or review.learner.email} · {review.rating}★"


def _log_data(review: Review) -> dict:
    return {"course": review.course.title, "author": str(review.learner), "rating": review.rating}


def review_deleting(review: Review) -> None:
    """Before a review is deleted: lock its course (before the review's row, as every writer of the rating
    does) and write the audit entry, with its text, while the review exists; the deletion's transaction
    drops the entry if the deletion fails. The actor is the active log context's user (None from a shell)."""
    lock_course(review.course_id)
    log(
        instance=review,
        action="learners.review_delete",
        title=review_title(review),
        data={**_log_data(review), "text": review.text},
        deleted=True,
    )


def review_deleted(review: Review) -> None:
    """After a review is deleted: its course's rating without it."""
    refresh_rating(review.course_id)
