"""The demo video's script: its slides, shown in English in the video, and their captions in English and Russian.

One source for both: `courses.demo.video` draws the slides into `files/intro.webm` with ffmpeg (once, by a
maintainer), and `seed_demo` writes the caption tracks (WebVTT) from the same slides at seed time.
"""

from dataclasses import dataclass

SLIDE_SECONDS = 12.5


@dataclass(frozen=True)
class Slide:
    title: str
    text: str  # the lines under the title, as drawn (line breaks included)
    caption: dict[str, str]  # language → what the captions say while the slide shows


SLIDES = [
    Slide(
        "Welcome to the Learning Portal",
        "A one-minute tour of how a course works",
        {
            "en": "[soft music]\nWelcome to the Learning Portal: a one-minute tour of how a course works.",
            "ru": "[тихая музыка]\nДобро пожаловать на учебный портал! За минуту покажем, как устроен курс.",
        },
    ),
    Slide(
        "1 · Find a course",
        "Search the catalog, filter by level and language,\nand sort by rating or popularity.",
        {
            "en": "First, find a course: search the catalog, filter by level and language,\n"
            "and sort by rating or popularity.",
            "ru": "Сначала найдите курс: ищите в каталоге, фильтруйте по уровню и языку,\n"
            "сортируйте по рейтингу или популярности.",
        },
    ),
    Slide(
        "2 · Learn lesson by lesson",
        "Videos, notes, code and handouts.\nYour progress is saved as you go.",
        {
            "en": "Then learn lesson by lesson: videos, notes, code and handouts.\nYour progress is saved as you go.",
            "ru": "Затем учитесь урок за уроком: видео, конспекты, код и материалы.\nПрогресс сохраняется сам.",
        },
    ),
    Slide(
        "3 · Check yourself",
        "Short quizzes after some lessons,\nwith an explanation for every answer.",
        {
            "en": "Check yourself with short quizzes after some lessons,\nwith an explanation for every answer.",
            "ru": "Проверьте себя в коротких тестах после некоторых уроков:\nу каждого ответа есть пояснение.",
        },
    ),
    Slide(
        "4 · Earn a certificate",
        "Finish the course and download your certificate:\nanyone can verify it by its link.",
        {
            "en": "Finish the course and download your certificate:\nanyone can verify it by its link.",
            "ru": "Пройдите курс и скачайте сертификат:\nлюбой может проверить его по ссылке.",
        },
    ),
    Slide(
        "Ready?",
        "Scroll down and start the first lesson.\nEnjoy the course!",
        {
            "en": "Ready? Scroll down and start the first lesson. Enjoy the course!\n[music fades out]",
            "ru": "Готовы? Прокрутите страницу вниз и начните первый урок. Удачи!\n[музыка затихает]",
        },
    ),
]

DURATION = SLIDE_SECONDS * len(SLIDES)  # 75 s
# What the caption tracks are called in the player's menu: each language by its own name.
CAPTION_LABELS = {"en": "English", "ru": "Русский"}


def cues(language: str) -> list[tuple[float, float, str]]:
    """The captions in a language as (start, end, text), one cue a slide, a breath inside its time on screen."""
    return [
        (number * SLIDE_SECONDS + 0.5, (number + 1) * SLIDE_SECONDS - 0.5, slide.caption[language])
        for number, slide in enumerate(SLIDES)
    ]
