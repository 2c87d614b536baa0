"""Everything `seed_demo` puts in the portal, as data: edit the texts here, not in the command."""

from . import (
    data_visualization,
    english_for_travel_ru,
    git_ru,
    handouts,
    html_css_basics,
    intro_video,
    productivity_ru,
    python_for_beginners,
    sql_intro_ru,
    sql_performance,
)
from .base import Account, Category, Course, Handout, Lesson, SitePage, Video
from .reviews import REVIEWERS, REVIEWS

__all__ = [
    "ACCOUNTS",
    "CATALOG_PAGE",
    "CATEGORIES",
    "CERTIFICATE_SIGNER",
    "COURSES",
    "HANDOUTS",
    "HOME_PAGE",
    "REVIEWERS",
    "REVIEWS",
    "VIDEOS",
    "Account",
    "Category",
    "Course",
    "Lesson",
]

# Demo logins; they all share one password (DEMO_PASSWORD, else seed_demo's default).
ACCOUNTS = [
    Account("admin@example.com", "Administrator", "admin"),
    Account("teacher@example.com", "Анна Смирнова", "teacher"),
    Account("teacher2@example.com", "David Miller", "teacher"),
    Account("student@example.com", "Иван Петров", "student"),
    Account("student2@example.com", "Emma Wilson", "student"),
]

CATEGORIES = [
    Category(
        "programming",
        "Programming",
        "Write software: programming languages, tools and good practice.",
        ("#1e3a8a", "#3b82f6"),
        name_ru="Программирование",
        description_ru="Как писать программы: языки программирования, инструменты и хорошие практики.",
    ),
    Category(
        "data",
        "Data & Analytics",
        "Databases, SQL, statistics and making sense of data.",
        ("#064e3b", "#10b981"),
        name_ru="Данные и аналитика",
        description_ru="Базы данных, SQL, статистика и умение понимать данные.",
    ),
    Category(
        "languages",
        "Languages",
        "Foreign languages for travel, study and work.",
        ("#7c2d12", "#f59e0b"),
        name_ru="Иностранные языки",
        description_ru="Иностранные языки для путешествий, учёбы и работы.",
    ),
    Category(
        "design",
        "Design",
        "Visual design, typography and building for the web.",
        ("#581c87", "#ec4899"),
        name_ru="Дизайн",
        description_ru="Визуальный дизайн, типографика и вёрстка для веба.",
    ),
    Category(
        "business",
        "Business & Productivity",
        "Planning, communication and getting the right things done.",
        ("#0f172a", "#0891b2"),
        name_ru="Бизнес и продуктивность",
        description_ru="Планирование, общение и умение делать главное.",
    ),
]

# The home page's and the catalog's heading and intro, in English and Russian.
HOME_PAGE = SitePage(
    heading_en="Learn something new",
    heading_ru="Узнайте что-то новое",
    intro_en="<p>Courses written by teachers, taken at your own pace, with quizzes and certificates.</p>",
    intro_ru="<p>Курсы от преподавателей: учитесь в своём темпе, с тестами и сертификатами.</p>",
)
CATALOG_PAGE = SitePage(
    heading_en="Courses",
    heading_ru="Курсы",
    intro_en="<p>Every course of the portal. Pick one and start with its first lesson.</p>",
    intro_ru="<p>Все курсы портала. Выберите курс и начните с первого урока.</p>",
)

# Made once with ffmpeg and kept in courses/demo/files/ (`python -m courses.demo.video`, from intro_video's
# script); its caption tracks are written from the same script at seed time.
VIDEOS = [
    Video(
        key="intro",
        title="Welcome to the Learning Portal (demo video)",
        filename="intro.webm",
        width=640,
        height=360,
        duration=intro_video.DURATION,
        uploader="teacher@example.com",
        captions=("en", "ru"),
    ),
]

# The signature line of every certificate (Settings → Portal settings), set when the portal has none.
CERTIFICATE_SIGNER = ("Margaret Ellis", "Director of Studies")

HANDOUTS = [
    Handout(
        key="python-cheat-sheet",
        title="Python cheat sheet",
        filename="python-cheat-sheet.pdf",
        html=handouts.PYTHON_CHEAT_SHEET,
        uploader="teacher@example.com",
    ),
    Handout(
        key="sql-cheat-sheet",
        title="Шпаргалка по SQL",
        filename="sql-cheat-sheet.pdf",
        html=handouts.SQL_CHEAT_SHEET,
        uploader="teacher@example.com",
    ),
]

# In the order they are created: the catalog lists the newest first.
COURSES: list[Course] = [
    productivity_ru.COURSE,
    sql_performance.COURSE,
    git_ru.COURSE,
    data_visualization.COURSE,
    english_for_travel_ru.COURSE,
    html_css_basics.COURSE,
    sql_intro_ru.COURSE,
    python_for_beginners.COURSE,
]
