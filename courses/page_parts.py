"""What other apps add to the catalog page, a course page or a lesson page, through Wagtail hooks.

The course and lesson pages show content and know nothing of who adds what to them. An app with a part to add
registers a function under `COURSE_PAGE_HOOK` or `LESSON_PAGE_HOOK`: ``fn(request, page, context) -> dict``, which
gets the page's context as the page has built it (`lessons`, and for a lesson `course`) and returns variables to
add to it. The course templates read only these generic names:

- `lesson_states`: lesson id → "done", "open" or "locked", for the syllabus and the lesson's neighbours (empty:
  no states shown);
- the slots, lists of template names that the page includes in turn, each with the page's whole context:
  `course_main_parts` (after the syllabus) and `course_sidebar_parts` (after the course's details) on a course
  page, `lesson_parts` (after the lesson's body) and `lesson_outline_parts` (above the lessons' list) on a lesson
  page. What the parts need besides, the same function adds under names of its own.

Both pages list the course's lessons that the visitor may see (`lessons_for`). An app that reads them for the request
anyway (with more about each, say the learner's progress) may hand them over: it registers under
`COURSE_LESSONS_HOOK` ``fn(request, course) -> list | None``, the live lessons the visitor may see in syllabus order
(`courses.visibility`), or None to leave them to the page.

A page of course cards (the catalog, the search page, the home page's new courses) shows the visitor's part in each course: an app that knows it
registers under `COURSE_CARDS_HOOK` ``fn(request, courses) -> {course id: CardState}``, read once for the whole page
(`card_states`).
"""

from dataclasses import dataclass

from wagtail import hooks

from .visibility import for_request, visible

CATALOG_PAGE_HOOK = "catalog_page_context"  # the catalog's courses and filters (search/wagtail_hooks.py)
COURSE_PAGE_HOOK = "course_page_context"
LESSON_PAGE_HOOK = "lesson_page_context"
COURSE_LESSONS_HOOK = "course_lessons"
COURSE_CARDS_HOOK = "course_cards"  # the visitor's part in the courses of a page of cards (learners/wagtail_hooks.py)

SLOTS = {
    CATALOG_PAGE_HOOK: (),
    COURSE_PAGE_HOOK: ("course_main_parts", "course_sidebar_parts"),
    LESSON_PAGE_HOOK: ("lesson_parts", "lesson_outline_parts"),
}


def add_parts(hook_name: str, request, page, context: dict) -> dict:
    """The page's context with what each function registered under `hook_name` adds (slots add up, in the hooks'
    order; any other name is set)."""
    slots = SLOTS[hook_name]
    if slots:
        context.setdefault("lesson_states", {})
    for slot in slots:
        context.setdefault(slot, [])
    for contribute in hooks.get_hooks(hook_name):
        for name, value in (contribute(request, page, context) or {}).items():
            context[name] = [*context[name], *value] if name in slots else value
    return context


def lessons_for(request, course) -> list:
    """The course's live lessons that the visitor may see, in syllabus order: as an app hands them over
    (`COURSE_LESSONS_HOOK`, the first answer), or read here."""
    for supply in hooks.get_hooks(COURSE_LESSONS_HOOK):
        lessons = supply(request, course)
        if lessons is not None:
            return lessons
    return list(visible(course.lessons(), **for_request(request)))


def course_of(lesson):
    """`lesson.course`, without a query when Wagtail's routing has loaded the course already as the lesson's
    parent (`Page.route` keeps it on the page it routes to, as the specific page)."""
    parent = getattr(lesson, "_cached_parent_obj", None)
    if "_course" not in vars(lesson) and parent is not None and type(parent) in lesson.allowed_parent_page_models():
        lesson._course = parent
    return lesson.course


@dataclass(frozen=True)
class CardState:
    """What a course's card says of the visitor's part in it: enrolled, with their progress, or completed."""

    progress_percent: int
    completed: bool


def card_states(request, courses) -> None:
    """Give each course of a page of cards `card_state`: the visitor's part in it (`CardState`), as the apps
    registered under `COURSE_CARDS_HOOK` answer for the whole page, or None."""
    courses = list(courses)
    states = {}
    for read in hooks.get_hooks(COURSE_CARDS_HOOK):
        states.update(read(request, courses) or {})
    for course in courses:
        course.card_state = states.get(course.pk)
