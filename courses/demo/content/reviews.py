"""The demo's reviews: learners who took part of a course and rated it, so that ratings and "Best rated" mean
something. Each reviewer is enrolled and has done `lessons_done` lessons first (none with a quiz), as a real
learner would have; the course's rating follows from the reviews service. The demo's own students review nothing:
trying out the review form is theirs to do.
"""

from dataclasses import dataclass

from . import (
    data_visualization,
    english_for_travel_ru,
    git_ru,
    html_css_basics,
    python_for_beginners,
    sql_intro_ru,
    sql_performance,
)
from .base import Account


@dataclass(frozen=True)
class Review:
    course: str  # Course.slug
    learner: str  # Account.email, one of REVIEWERS
    rating: int  # 1–5 stars
    text: str
    lessons_done: int = 1  # done before reviewing, from the first lesson on


# Learners who only wrote reviews: they have no password (no one logs in as them).
REVIEWERS = [
    Account("olga.sokolova@example.com", "Ольга Соколова", "student"),
    Account("dmitry.orlov@example.com", "Дмитрий Орлов", "student"),
    Account("maria.kuznetsova@example.com", "Мария Кузнецова", "student"),
    Account("sarah.johnson@example.com", "Sarah Johnson", "student"),
    Account("lucas.martin@example.com", "Lucas Martin", "student"),
    Account("aisha.khan@example.com", "Aisha Khan", "student"),
]

PYTHON = python_for_beginners.COURSE.slug
WEB = html_css_basics.COURSE.slug
CHARTS = data_visualization.COURSE.slug
SQL_PLANS = sql_performance.COURSE.slug
SQL_RU = sql_intro_ru.COURSE.slug
ENGLISH_RU = english_for_travel_ru.COURSE.slug
GIT_RU = git_ru.COURSE.slug

# Averages: Python 4.75 (4 reviews), travel English 4.67 (3), Git 4.5 (2), SQL 4.33 (3), web design 3.67 (3),
# charts 3.5 (2), query plans 5.0 from a single review (which "Best rated" weighs as one review).
REVIEWS = [
    Review(
        PYTHON,
        "sarah.johnson@example.com",
        5,
        "I had never written a line of code. The first lesson had me running Python in ten minutes, and every "
        "exercise felt just big enough.",
    ),
    Review(PYTHON, "lucas.martin@example.com", 5, "Clear, calm and practical: exactly the pace I needed."),
    Review(
        PYTHON,
        "aisha.khan@example.com",
        4,
        "Great start. I would have liked one more exercise on loops, but the explanations are excellent.",
    ),
    Review(
        PYTHON, "dmitry.orlov@example.com", 5, "Short lessons, real examples, no fluff. Recommended.", lessons_done=1
    ),
    Review(
        WEB,
        "sarah.johnson@example.com",
        4,
        "Built my first page in an evening. The part on the box model finally made margins make sense.",
        lessons_done=3,
    ),
    Review(WEB, "lucas.martin@example.com", 3, "Good basics, though I expected more on layout with grid."),
    Review(
        WEB, "aisha.khan@example.com", 4, "Friendly and well paced; the examples are easy to adapt.", lessons_done=2
    ),
    Review(
        CHARTS,
        "lucas.martin@example.com",
        4,
        "Changed how I make charts at work: fewer colours, clearer titles, and no more pie charts with nine slices.",
        lessons_done=3,
    ),
    Review(CHARTS, "aisha.khan@example.com", 3, "Useful principles, but I wanted more examples with real data."),
    Review(
        SQL_PLANS,
        "sarah.johnson@example.com",
        5,
        "Reading EXPLAIN output no longer scares me. The index lesson alone saved me hours.",
        lessons_done=3,
    ),
    Review(
        SQL_RU,
        "olga.sokolova@example.com",
        5,
        "Очень понятно даже для тех, кто никогда не видел баз данных. Примеры на одной учебной базе — отличная идея.",
    ),
    Review(SQL_RU, "dmitry.orlov@example.com", 4, "Хороший старт. Хотелось бы побольше задач на JOIN."),
    Review(
        SQL_RU,
        "maria.kuznetsova@example.com",
        4,
        "Коротко и по делу, примеры легко повторить у себя.",
    ),
    Review(
        ENGLISH_RU,
        "olga.sokolova@example.com",
        5,
        "Съездила в Лондон и спокойно объяснялась в отеле и кафе. Фразы из курса действительно пригодились!",
        lessons_done=3,
    ),
    Review(ENGLISH_RU, "maria.kuznetsova@example.com", 5, "Всё самое нужное для поездки, ничего лишнего."),
    Review(
        ENGLISH_RU,
        "dmitry.orlov@example.com",
        4,
        "Полезно и легко. Не хватило аудио с произношением, но фразы подобраны отлично.",
        lessons_done=2,
    ),
    Review(
        GIT_RU,
        "dmitry.orlov@example.com",
        5,
        "Наконец-то разобрался с ветками и конфликтами слияния. Объяснения простые, но не поверхностные.",
        lessons_done=2,
    ),
    Review(GIT_RU, "maria.kuznetsova@example.com", 4, "Толково объяснено, особенно урок про пул-реквесты."),
]
