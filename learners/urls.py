from django.urls import path

from . import views

urlpatterns = [
    path("", views.my_learning, name="my-learning"),
    path("courses/<int:course_id>/enroll/", views.enroll, name="course-enroll"),
    path("courses/<int:course_id>/leave/", views.leave, name="course-leave"),
    path("lessons/<int:lesson_id>/complete/", views.complete, name="lesson-complete"),
    path("lessons/<int:lesson_id>/quiz/", views.take_quiz, name="lesson-quiz"),
    path("attempts/<int:attempt_id>/", views.quiz_attempt, name="quiz-attempt"),
    path("courses/<int:course_id>/review/", views.review_post, name="course-review"),
    path("reviews/<int:review_id>/delete/", views.review_delete, name="review-delete"),
]
