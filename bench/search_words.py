"""The words the bench searches for: taken from the seeded content (bench/content.py), in English and in
Russian, plus inflected Russian forms of the topics' words, as people type them ("программирование",
"программирования", "программированию"), so that the `russian` configuration's stemming is exercised.

`search_words()` returns a few hundred distinct words in a stable order. Some match many courses (words
of the lesson bodies), some a few (topics), a few none (forms of words the catalog does not use).
"""

import re

from . import content

# Words too common to be searched for on their own (and which the text search configurations drop).
STOP = {
    "about", "after", "along", "also", "before", "both", "each", "every", "from", "have", "into", "just",
    "more", "most", "once", "only", "other", "over", "some", "than", "that", "them", "then", "there", "these",
    "they", "this", "what", "when", "where", "which", "while", "will", "with", "within", "without", "your",
    "you", "the", "and", "for", "are", "not", "but", "its", "was", "one", "two", "all", "can", "let",
    "это", "как", "для", "или", "так", "все", "уже",
}  # fmt: skip

# Inflected forms of the Russian topics' words (and of the catalog's own words: course, lesson, basics).
RUSSIAN_FORMS = """
анализ анализа анализу анализом анализе данные данных данным данными
статистика статистики статистике статистику статистикой
машинное машинного машинному обучение обучения обучению обучением
визуализация визуализации визуализацию визуализацией
бухгалтерия бухгалтерии бухгалтерию бухгалтерией бухгалтер
маркетинг маркетинга маркетингу маркетингом
управление управления управлению управлением проект проекта проекты проектами проектов проектам
переговоры переговоров переговорам переговорами
сеть сети сетей сетям сетями компьютерные компьютерных компьютерным
безопасность безопасности безопасностью веб-безопасность веб-безопасности
криптография криптографии криптографию криптографией
дизайн дизайна дизайну дизайном ux-дизайн ux-дизайна
типографика типографики типографику типографикой
фотография фотографии фотографию фотографией
рисование рисования рисованию рисованием
гитара гитары гитаре гитару гитарой игра игры игре игру
теория теории теорию музыка музыки музыке музыку фортепиано
грамматика грамматики грамматику английская английской английский английского
язык языка языку языки языков испанский испанского немецкий немецкого французский французского
публичные публичных выступление выступления выступлений выступлениям
письмо письма письму письмом
тайм-менеджмент тайм-менеджмента тайм-менеджменту
математика математики математического математический
физика физики физике физику химия химии химию биология биологии биологию
кулинария кулинарии кулинарию йога йоги йогу йогой
финансы финансов финансам финансами личные личных
программирование программирования программированию программированием программист
курс курса курсу курсы курсов урок урока уроки уроков занятие занятия
основа основы основ практика практики практике практикум введение введения
начинающие начинающих начинающим продвинутый продвинутого задание задания упражнение упражнения
"""

_WORD = re.compile(r"[^\W\d_][\w-]*")
_TAG = re.compile(r"<[^>]+>")


def _words(*texts: str) -> list[str]:
    found = []
    for text in texts:
        for word in _WORD.findall(_TAG.sub(" ", text.replace("{topic}", " "))):
            word = word.strip("-").lower()
            if len(word) >= 3 and word not in STOP and not word.isdigit():
                found.append(word)
    return found


def search_words() -> list[str]:
    """English and Russian words of the seeded content, then inflected Russian forms; each once."""
    english = _words(
        *(topic for topic, _ru, _category in content.TOPICS),
        *(name for _slug, name in content.CATEGORIES),
        *content.TITLE_FORMS_EN,
        *content.SUMMARY_FORMS_EN,
        *content.DESCRIPTION_FORMS,
        *content.LESSON_TITLES,
        *(f"{heading} {text}" for heading, text, _code in content.BODY_FORMS),
        *content.LAST_NAMES[:20],
    )
    russian = _words(
        *(ru for _topic, ru, _category in content.TOPICS),
        *content.TITLE_FORMS_RU,
        *content.SUMMARY_FORMS_RU,
        RUSSIAN_FORMS,
    )
    seen, words = set(), []
    for word in [*english, *russian]:
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words
