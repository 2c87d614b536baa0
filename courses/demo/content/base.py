"""The shapes of the demo content, and helpers to write lesson bodies as the API's `[{type, value}]`.

Bodies refer to uploaded files by key (`video("intro", captions="en")`, `document("sql-cheat-sheet")`); the
seeder uploads each file (and caption track) once and swaps the key for its id before it calls
`courses.services.add_lesson`.
"""

from dataclasses import dataclass, field
from textwrap import dedent

from anyascii import anyascii
from django.utils.text import slugify


@dataclass(frozen=True)
class Account:
    email: str
    name: str
    role: str  # learners.models.Role value


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    description: str
    colors: tuple[str, str]  # the cover gradient, from top left to bottom right
    name_ru: str = ""
    description_ru: str = ""


@dataclass(frozen=True)
class SitePage:
    """The home page's or the catalog's texts in each language: their model's translated columns."""

    heading_en: str
    heading_ru: str
    intro_en: str
    intro_ru: str


@dataclass(frozen=True)
class Lesson:
    title: str
    minutes: int
    body: list[dict]


@dataclass(frozen=True)
class Course:
    title: str
    summary: str
    description: str  # rich text HTML
    category: str  # Category.slug
    level: str  # courses.models.Level value
    language: str  # courses.models.Language value
    teacher: str  # Account.email
    duration_minutes: int  # the whole course with its exercises, as cards and the course page show it
    lessons: list[Lesson] = field(default_factory=list)

    @property
    def slug(self) -> str:
        """The slug `courses.services.create_course` gives the course: how a second run finds it."""
        return slugify(anyascii(self.title))[:200]


@dataclass(frozen=True)
class Video:
    key: str
    title: str
    filename: str  # in courses/demo/files/
    width: int
    height: int
    duration: float  # seconds
    uploader: str  # Account.email
    language: str = "en"  # of its words: its caption track in this language is "captions", the others "subtitles"
    captions: tuple[str, ...] = ()  # the languages of its caption tracks (content.intro_video's cues)


@dataclass(frozen=True)
class Handout:
    """A PDF made with weasyprint from `html` at seed time."""

    key: str
    title: str
    filename: str
    html: str
    uploader: str  # Account.email


def heading(value: str) -> dict:
    return {"type": "heading", "value": value}


def text(html: str) -> dict:
    return {"type": "text", "value": dedent(html).strip()}


def code(language: str, source: str) -> dict:
    return {"type": "code", "value": {"language": language, "code": dedent(source).strip("\n")}}


def video(key: str, *, captions: str | None = None) -> dict:
    """A video block; `captions`: the language of the caption track to give it (see content.intro_video)."""
    return {"type": "video", "value": {"video": key, "captions": captions} if captions else key}


def document(key: str) -> dict:
    return {"type": "file", "value": key}
