"""The seeding's pages step: the courses, their lessons and quizzes, as Wagtail's tree holds them."""

import json
import time
from datetime import timedelta
from itertools import accumulate

from django.utils.text import slugify

from . import content as words
from .pgcopy import Copier
from .search_index import index_row
from .seed_plan import BENCH_COURSE_SLUG, NOW, Course, Quiz


class PageSteps:
    """The `Seeder`'s steps that write pages (mixed into `bench.seed.Seeder`, whose helpers they use)."""

    def _course_texts(self, topic_en: str, topic_ru: str, russian: bool, rng) -> tuple[str, str, int]:
        if russian:
            title = rng.choice(words.TITLE_FORMS_RU).format(topic=topic_ru)
            summary = rng.choice(words.SUMMARY_FORMS_RU).format(topic=topic_ru)
        else:
            title = rng.choice(words.TITLE_FORMS_EN).format(topic=topic_en)
            summary = rng.choice(words.SUMMARY_FORMS_EN).format(topic=topic_en)
        description_form = rng.randrange(len(words.DESCRIPTION_FORMS))
        return title, summary, description_form

    def _description(self, form: int, topic: str) -> tuple[str, str]:
        """(HTML, indexed text) of a description form, the text as the rich text field gives it."""
        key, cache = (form, topic), self.description_memo
        if key not in cache:
            html = words.DESCRIPTION_FORMS[form].format(topic=topic)
            text = ", ".join(self.description_field.get_searchable_content(html))
            cache[key] = (html, text)
        return cache[key]

    def _body(self, form: int, topic: str) -> tuple[list, str]:
        """(stream blocks without ids, indexed text) of a lesson body form, as the stream field indexes it."""
        key, cache = (form, topic), self.body_memo
        if key not in cache:
            heading, text, code = words.BODY_FORMS[form]
            blocks = [
                {"type": "heading", "value": heading.format(topic=topic)},
                {"type": "text", "value": text.format(topic=topic)},
            ]
            if code:
                blocks.append({"type": "code", "value": {"language": code[0], "code": code[1]}})
            value = self.body_field.to_python(json.dumps([{**block, "id": str(n)} for n, block in enumerate(blocks)]))
            indexed = ", ".join(self.body_field.get_searchable_content(value))
            cache[key] = (blocks, indexed)
        return cache[key]

    def _pages(self) -> None:
        from wagtail.models import Page

        from courses.models import CoursePage, LessonPage

        started = time.monotonic()
        plan, rng, cursor = self.plan, self.rng, self.cursor
        page_columns = [
            "id", "path", "depth", "numchild", "title", "draft_title", "slug", "live", "has_unpublished_changes",
            "url_path", "seo_title", "show_in_menus", "search_description", "expired", "content_type_id",
            "owner_id", "locked", "first_published_at", "last_published_at", "translation_key", "locale_id",
        ]  # fmt: skip
        pages = Copier(cursor, "wagtailcore_page", page_columns)
        course_rows = Copier(
            cursor,
            "courses_coursepage",
            ["page_ptr_id", "summary", "description", "level", "language", "duration_minutes", "created_at",
             "rating_count", "category_id", "cover_image_id"],
        )  # fmt: skip
        lesson_rows = Copier(
            cursor,
            "courses_lessonpage",
            ["page_ptr_id", "body", "duration_minutes", "require_watching", "watch_percent"],
        )
        quizzes = Copier(
            cursor, "quizzes_quiz", ["id", "title", "pass_mark", "max_attempts", "shuffle", "updated_at", "lesson_id"]
        )
        questions = Copier(cursor, "quizzes_question", ["id", "sort_order", "kind", "text", "explanation", "quiz_id"])
        choices = Copier(cursor, "quizzes_choice", ["id", "sort_order", "text", "is_correct", "question_id"])
        next_page = self._next_id(cursor, "wagtailcore_page")
        ids = {
            "quiz": self._next_id(cursor, "quizzes_quiz"),
            "question": self._next_id(cursor, "quizzes_question"),
            "choice": self._next_id(cursor, "quizzes_choice"),
        }
        catalog = self.catalog
        # Some teachers write many courses, most a few: a skewed choice.
        teacher_weights = list(accumulate(1 / (rank + 1) ** 0.7 for rank in range(len(self.teacher_ids))))
        self.courses: list[Course] = []
        topics = words.TOPICS
        total = plan.courses + 1  # the bench course is the last child of the catalog

        for position in range(1, total + 1):
            bench = position == total
            course_id = next_page
            next_page += 1
            topic_en, topic_ru, category_slug = topics[0] if bench else rng.choice(topics)
            russian = not bench and rng.random() < 0.2
            language = "ru" if russian else ("en" if bench or rng.random() < 0.85 else rng.choice(["de", "fr", "es"]))
            title, summary, description_form = self._course_texts(topic_en, topic_ru, russian, rng)
            if bench:
                title = "Python: the bench course of thirty lessons"
            slug = BENCH_COURSE_SLUG if bench else f"{slugify(title, allow_unicode=True)}-{position}"
            path = Page._get_path(catalog.path, catalog.depth + 1, position)
            live = bench or rng.random() >= plan.draft_share
            created = NOW - timedelta(seconds=rng.randint(3600, 3 * 365 * 86400))
            owner_id = self.teacher_ids[0] if bench else rng.choices(self.teacher_ids, cum_weights=teacher_weights)[0]
            lesson_count = plan.bench_lessons if bench else plan.lessons_per_course
            course = Course(course_id, position, path, slug, title, live, owner_id, created)
            self.courses.append(course)
            url_path = f"{catalog.url_path}{slug}/"
            published = created if live else None
            pages.add(
                course_id, path, catalog.depth + 1, lesson_count, title, title, slug, live, False, url_path, "",
                False, "", False, self.ct[CoursePage], owner_id, False, published, published, self._uuid(),
                self.locale_id,
            )  # fmt: skip
            description_html, description_text = self._description(description_form, topic_ru if russian else topic_en)
            cover = None if rng.random() < 0.2 else self.covers[category_slug]
            duration = None if rng.random() < 0.5 else rng.randrange(60, 1200, 15)
            level = rng.choices(["beginner", "intermediate", "advanced"], weights=[5, 3, 2])[0]
            category = self.categories[category_slug]
            course_rows.add(
                course_id, summary, description_html, level, language, duration, created, 0, category.pk, cover
            )
            values = {
                ("title",): title,
                ("summary",): summary,
                ("description",): description_text,
                ("category", "all_names"): category.all_names,
                ("owner", "name"): self.teacher_names[owner_id],
            }
            self.index_stage.add(*index_row(self.ct[CoursePage], course_id, self.course_shape, values))

            quiz_position = 1 if bench else (plan.quiz_lesson if rng.random() < plan.quiz_share else None)
            for number in range(1, lesson_count + 1):
                lesson_id = next_page
                next_page += 1
                course.lesson_ids.append(lesson_id)
                topic = topic_ru if russian else topic_en
                lesson_title = f"{number}. " + words.LESSON_TITLES[(number - 1) % len(words.LESSON_TITLES)].format(
                    topic=topic
                )
                lesson_slug = f"lesson-{number}"
                pages.add(
                    lesson_id, Page._get_path(path, catalog.depth + 2, number), catalog.depth + 2, 0, lesson_title,
                    lesson_title, lesson_slug, live, False, f"{url_path}{lesson_slug}/", "", False, "", False,
                    self.ct[LessonPage], owner_id, False, published, published, self._uuid(), self.locale_id,
                )  # fmt: skip
                blocks, body_text = self._body(rng.randrange(len(words.BODY_FORMS)), topic)
                body = json.dumps([{**block, "id": self._uuid()} for block in blocks], ensure_ascii=False)
                lesson_rows.add(lesson_id, body, rng.randrange(5, 50, 5), False, 90)  # the fields' defaults
                values = {("title",): lesson_title, ("body",): body_text}
                self.index_stage.add(*index_row(self.ct[LessonPage], lesson_id, self.lesson_shape, values))
                if number == quiz_position:
                    course.quiz_position = number
                    course.quiz = self._quiz(ids, quizzes, questions, choices, lesson_id, lesson_title, bench=bench)

        self.counts["courses"] = course_rows.close()
        self.counts["lessons"] = lesson_rows.close()
        self.counts["pages"] = pages.close()
        self.counts["quizzes"] = quizzes.close()
        questions.close()
        choices.close()
        cursor.execute("UPDATE wagtailcore_page SET numchild = numchild + %s WHERE id = %s", [total, catalog.pk])
        self.bench_course = self.courses[-1]
        self._step("pages", started)

    def _quiz(self, ids, quizzes, questions, choices, lesson_id, lesson_title, *, bench: bool) -> Quiz:
        plan, rng = self.plan, self.rng
        count = plan.bench_questions if bench else plan.quiz_questions
        pass_mark = plan.bench_pass_mark if bench else 70
        max_attempts = None if bench or rng.random() < 0.5 else 3
        quiz = Quiz(ids["quiz"], lesson_id, f"Check yourself: {lesson_title}", pass_mark)
        ids["quiz"] += 1
        quizzes.add(quiz.id, quiz.title, pass_mark, max_attempts, False, NOW, lesson_id)
        for order in range(count):
            question_id = ids["question"]
            ids["question"] += 1
            text = f"Question {order + 1}: which statement about {lesson_title.lower()} is right?"
            explanation = "The right statement follows from the lesson's second section."
            questions.add(question_id, order, "single", text, explanation, quiz.id)
            correct = rng.randrange(4)
            options = []
            for index in range(4):
                choice_id = ids["choice"]
                ids["choice"] += 1
                option = f"Statement {'ABCD'[index]}"
                choices.add(choice_id, index, option, index == correct, question_id)
                options.append((choice_id, option, index == correct))
            quiz.questions.append((question_id, text, explanation, options))
        return quiz
