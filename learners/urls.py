from django.urls import path

from . import views

urlpatterns = [
    path("", views.my_learning, name="my-learning"),
    path("courses/<id:course_id>/enroll/", views.enroll, name="course-enroll"),
    path("courses/<id:course_id>/leave/", views.leave, name="course-leave"),
    path("lessons/<id:lesson_id>/complete/", views.complete, name="lesson-complete"),
    path("lessons/<id:lesson_id>/video-progress/", views.video_progress, name="lesson-video-progress"),
    path("lessons/<id:lesson_id>/quiz/", views.take_quiz, name="lesson-quiz"),
    path("attempts/<id:attempt_id>/", views.quiz_attempt, name="quiz-attempt"),
    path("courses/<id:course_id>/review/", views.review_post, name="course-review"),
    path("reviews/<id:review_id>/delete/", views.review_delete, name="review-delete"),
]
