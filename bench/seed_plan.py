"""What the bench seeding makes: its plan, its constants, and the records its steps share.

`Plan` says how much to make; `Course` and `Quiz` are what the pages step made and the learning step
enrols learners in and grades attempts at (see bench/seed.py).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

SEED = 20260501
NOW = datetime(2026, 1, 1, tzinfo=UTC)
BENCH_COURSE_SLUG = "bench-course-thirty-lessons"
BENCH_PASSWORD = "bench-password-not-secret"
COVER_SPECS = ("fill-640x360", "fill-1200x675")  # the catalog card's and the course page's renditions
CERTIFICATE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Plan:
    """How much to make. Only `courses` changes between the benchmark's sizes."""

    courses: int
    lessons_per_course: int = 10
    teachers: int = 200
    learners: int = 20_000
    enrollments_per_learner: tuple = (1, 9)  # uniform: about 100,000 enrollments in all
    reviews: int = 50_000
    quiz_share: float = 0.3
    quiz_lesson: int = 5  # the lesson (1-based) that carries a course's quiz
    quiz_questions: int = 5
    draft_share: float = 0.03  # courses never published: the catalog must leave them out
    bench_learners: int = 64
    bench_lessons: int = 30
    bench_lessons_done: int = 14
    bench_questions: int = 20
    bench_pass_mark: int = 70


@dataclass(slots=True)
class Course:
    id: int
    position: int
    path: str
    slug: str
    title: str
    live: bool
    owner_id: int
    created_at: datetime
    lesson_ids: list = field(default_factory=list)
    quiz: "Quiz | None" = None
    quiz_position: int | None = None  # 1-based position of the lesson with the quiz


@dataclass(slots=True)
class Quiz:
    id: int
    lesson_id: int
    title: str
    pass_mark: int
    # [(question id, text, explanation, [(choice id, text, correct)])]
    questions: list = field(default_factory=list)
