"""Everything `seed_demo` puts in the portal, as data: edit the texts here, not in the command."""

from . import (
    data_visualization,
    english_for_travel_ru,
    git_ru,
    handouts,
    html_css_basics,
    productivity_ru,
    python_for_beginners,
    sql_intro_ru,
    sql_performance,
)
from .base import Account, Category, Course, Handout, Lesson, Video

__all__ = ["ACCOUNTS", "CATEGORIES", "COURSES", "HANDOUTS", "VIDEOS", "Account", "Category", "Course", "Lesson"]

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
    ),
    Category(
        "data",
        "Data & Analytics",
        "Databases, SQL, statistics and making sense of data.",
        ("#064e3b", "#10b981"),
    ),
    Category(
        "languages",
        "Languages",
        "Foreign languages for travel, study and work.",
        ("#7c2d12", "#f59e0b"),
    ),
    Category(
        "design",
        "Design",
        "Visual design, typography and building for the web.",
        ("#581c87", "#ec4899"),
    ),
    Category(
        "business",
        "Business & Productivity",
        "Planning, communication and getting the right things done.",
        ("#0f172a", "#0891b2"),
    ),
]

# Made once with ffmpeg and kept in courses/demo/files/ (see courses.demo.assets.VIDEO_RECIPE).
VIDEOS = [
    Video(
        key="intro",
        title="Welcome to the Learning Portal (demo video)",
        filename="intro.webm",
        width=480,
        height=270,
        duration=6.0,
        uploader="teacher@example.com",
    ),
]

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
