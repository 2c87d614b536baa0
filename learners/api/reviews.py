"""Reviews API: a course's reviews and rating distribution; learners write, edit and remove their own."""

from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import CoursePage
from lms.api import Pagination, as_drf_validation_error

from ..models import Review
from ..services import reviews

# --- shapes -----------------------------------------------------------------------------------------


class RatingField(serializers.IntegerField):
    """Whole stars from 1 to 5. In JSON only an integer will do (not true, "5" or 5.5); a form post,
    which has no types, may send the digits."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=5, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and isinstance(self.root.initial_data, QueryDict) and data.isascii() and data.isdigit():
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class ReviewSerializer(serializers.ModelSerializer):
    """A review as everyone sees it."""

    author_name = serializers.CharField(source="learner.name", read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)
    is_mine = serializers.SerializerMethodField(help_text=_("Whether the caller wrote this review."))

    class Meta:
        model = Review
        fields = ["id", "rating", "text", "author_name", "created", "updated", "is_mine"]

    def get_is_mine(self, review) -> bool:
        request = self.context.get("request")
        return bool(request and request.user.is_authenticated and review.learner_id == request.user.pk)


class ReviewWriteSerializer(serializers.Serializer):
    rating = RatingField(help_text=_("Whole stars, 1 to 5."))
    text = serializers.CharField(required=False, allow_blank=True, max_length=reviews.MAX_TEXT, default="")


class ReviewEditSerializer(ReviewWriteSerializer):
    rating = RatingField(required=False, help_text=_("Whole stars, 1 to 5."))
    text = serializers.CharField(required=False, allow_blank=True, max_length=reviews.MAX_TEXT)


class RatingDistributionSerializer(serializers.Serializer):
    """The number of visible reviews giving each number of stars: keys "5" to "1", all present."""

    def get_fields(self):
        return {str(stars): serializers.IntegerField(min_value=0) for stars in range(5, 0, -1)}


class ReviewPageSerializer(serializers.Serializer):
    """One page of a course's reviews, with the course's rating over all its visible reviews."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ReviewSerializer(many=True)
    distribution = RatingDistributionSerializer()
    rating_avg = serializers.FloatField(allow_null=True, help_text=_("Average stars, 2 decimals; null without reviews."))
    rating_count = serializers.IntegerField()


ERRORS = {
    400: OpenApiResponse(description="Field errors: `rating` not an integer 1–5, `text` over 4000 characters."),
    401: OpenApiResponse(description="Not authenticated."),
    404: OpenApiResponse(description="Unknown course or review."),
}


# --- views ------------------------------------------------------------------------------------------


class CourseReviewsView(APIView):
    """A course's visible reviews, newest first; an enrolled learner posts theirs (one per course)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_course(self, pk):
        return get_object_or_404(CoursePage.objects.visible_to(self.request.user), pk=pk)

    @extend_schema(
        tags=["reviews"],
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT, description="A page number within the paginated result set."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Number of results per page (max 100)."),
        ],
        responses={200: ReviewPageSerializer, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        course = self.get_course(pk)
        paginator = Pagination()
        page = paginator.paginate_queryset(reviews.visible_reviews(course.pk), request, view=self)
        response = paginator.get_paginated_response(ReviewSerializer(page, many=True, context={"request": request}).data)
        response.data["distribution"] = {str(stars): n for stars, n in reviews.rating_distribution(course.pk).items()}
        response.data["rating_avg"] = float(course.rating_avg) if course.rating_avg is not None else None
        response.data["rating_count"] = course.rating_count
        return response

    @extend_schema(
        tags=["reviews"],
        request=ReviewWriteSerializer,
        responses={
            201: ReviewSerializer,
            **ERRORS,
            403: OpenApiResponse(description="Not enrolled in the course (`not_enrolled`) or its teacher (`own_course`)."),
            409: OpenApiResponse(description="The caller has reviewed this course already (`review_exists`)."),
        },
    )
    def post(self, request, pk):
        course = self.get_course(pk)
        reviews.check_can_review(learner=request.user, course=course)
        data = ReviewWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with as_drf_validation_error():
            review = reviews.post_review(learner=request.user, course=course, **data.validated_data)
        return Response(ReviewSerializer(review, context={"request": request}).data, status=status.HTTP_201_CREATED)


class ReviewDetailView(APIView):
    """One review; its author or an admin edits or removes it, and the course's rating follows."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_review(self, pk) -> Review:
        return get_object_or_404(reviews.addressable_reviews(self.request.user), pk=pk)

    @extend_schema(responses={200: ReviewSerializer, 404: ERRORS[404]})
    def get(self, request, pk):
        return Response(ReviewSerializer(self.get_review(pk), context={"request": request}).data)

    @extend_schema(
        request=ReviewEditSerializer,
        responses={
            200: ReviewSerializer,
            **ERRORS,
            403: OpenApiResponse(description="Not the author or an administrator (`not_author`)."),
        },
    )
    def patch(self, request, pk):
        review = self.get_review(pk)
        reviews.check_can_change(review=review, by=request.user)
        data = ReviewEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with as_drf_validation_error():
            changed = reviews.edit_review(review=review, by=request.user, **data.validated_data)
        changed.learner = review.learner  # the author does not change; spare the query
        return Response(ReviewSerializer(changed, context={"request": request}).data)

    @extend_schema(
        responses={
            204: None,
            401: ERRORS[401],
            403: OpenApiResponse(description="Not the author or an administrator (`not_author`)."),
            404: ERRORS[404],
        }
    )
    def delete(self, request, pk):
        reviews.delete_review(review=self.get_review(pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
