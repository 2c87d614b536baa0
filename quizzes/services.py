"""Authoring quizzes and reading them for learners. Taking a quiz is a learner's step: see
`learners.services.learning.submit_quiz`."""

import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from courses.models import LessonPage
from courses.services import NotAllowed
from lms.inputs import parse_id

from .grading import Graded, QuestionKey, grade, normalize_answers
from .models import Attempt, Choice, Question, QuestionKind, Quiz


def check_questions(questions: list[dict]) -> None:
    """The rules of a quiz's questions, for the admin editor and the API alike.

    `questions` is a list of `{"kind", "text", "choices": [{"text", "correct"}]}`; raises ValidationError
    naming the first question that breaks a rule.
    """
    if not questions:
        raise ValidationError({"questions": [_("A quiz needs at least one question.")]})
    for number, question in enumerate(questions, start=1):
        choices = question.get("choices") or []
        correct = sum(1 for choice in choices if choice.get("correct"))
        if len(choices) < 2:
            message = _("Question %(n)s needs at least two choices.")
        elif correct == 0:
            message = _("Question %(n)s needs at least one correct choice.")
        elif question.get("kind") == QuestionKind.SINGLE and correct != 1:
            message = _("Question %(n)s is single choice: exactly one choice must be correct.")
        else:
            continue
        raise ValidationError({"questions": [message % {"n": number}]})


@transaction.atomic
def replace_quiz(
    *,
    lesson: LessonPage,
    by,
    title: str,
    questions: list[dict],
    pass_mark: int | None = None,
    max_attempts: int | None = None,
    shuffle: bool = False,
) -> Quiz:
    """Give a lesson this quiz, replacing its questions. Past attempts keep what they were graded on."""
    if not lesson.permissions_for_user(by).can_edit():
        raise NotAllowed(_("Only the course's teacher and administrators may change this quiz."))
    check_questions(questions)
    quiz = Quiz.objects.select_for_update().filter(lesson=lesson).first() or Quiz(lesson=lesson)
    quiz.title = title
    if pass_mark is not None:
        quiz.pass_mark = pass_mark
    quiz.max_attempts = max_attempts
    quiz.shuffle = shuffle
    quiz.full_clean(exclude=["lesson"])
    quiz.save()
    quiz.questions.all().delete()
    for order, spec in enumerate(questions):
        question = Question.objects.create(
            quiz=quiz, sort_order=order, kind=spec["kind"], text=spec["text"], explanation=spec.get("explanation", "")
        )
        Choice.objects.bulk_create(
            Choice(question=question, sort_order=index, text=choice["text"], is_correct=bool(choice.get("correct")))
            for index, choice in enumerate(spec["choices"])
        )
    return quiz


_QUESTION_FIELDS = list(Question._meta.concrete_fields)
_CHOICE_FIELDS = list(Choice._meta.concrete_fields)


def questions_of(quiz: Quiz) -> list[Question]:
    """The quiz's questions with their choices, in the author's order, in one query.

    Each question holds its choices (`question.choices.all()` reads nothing more), as modelcluster keeps a
    cluster's children in memory; the questions are for reading, not for saving back.
    """
    rows = (
        Question.objects.filter(quiz=quiz)
        .order_by("sort_order", "pk", "choices__sort_order", "choices__pk")
        .values_list(*(f.name for f in _QUESTION_FIELDS), *(f"choices__{f.name}" for f in _CHOICE_FIELDS))
    )
    split = len(_QUESTION_FIELDS)
    question_pk, choice_pk = _QUESTION_FIELDS.index(Question._meta.pk), _CHOICE_FIELDS.index(Choice._meta.pk)
    questions, choices = {}, {}
    for row in rows:
        question_values, choice_values = row[:split], row[split:]
        pk = question_values[question_pk]
        if pk not in questions:
            questions[pk] = Question.from_db(rows.db, [f.attname for f in _QUESTION_FIELDS], question_values)
            choices[pk] = []
        if choice_values[choice_pk] is not None:  # a question without choices comes with NULLs (a LEFT JOIN)
            choices[pk].append(Choice.from_db(rows.db, [f.attname for f in _CHOICE_FIELDS], choice_values))
    for pk, question in questions.items():
        question.choices = choices[pk]
    return list(questions.values())


def shown_to(quiz: Quiz, learner, questions: list[Question] | None = None) -> list[Question]:
    """The questions as a learner sees them: in order, or shuffled the same way every time for them."""
    questions = questions_of(quiz) if questions is None else questions
    for question in questions:
        question.shown_choices = sorted(question.choices.all(), key=lambda c: (c.sort_order, c.pk))
    if quiz.shuffle:
        rng = random.Random(f"{quiz.pk}:{learner.pk}")  # stable per learner, different between learners
        rng.shuffle(questions)
        for question in questions:
            rng.shuffle(question.shown_choices)
    return questions


def keys_of(questions: list[Question]) -> list[QuestionKey]:
    return [
        QuestionKey(
            id=question.pk,
            kind=question.kind,
            choice_ids=frozenset(choice.pk for choice in question.choices.all()),
            correct_ids=frozenset(choice.pk for choice in question.choices.all() if choice.is_correct),
        )
        for question in questions
    ]


def snapshot(questions: list[Question], graded: Graded) -> list[dict]:
    """What an attempt keeps of each question: enough to show it later, whatever the quiz becomes."""
    return [
        {
            "question": question.pk,
            "text": question.text,
            "kind": question.kind,
            "explanation": question.explanation,
            "choices": [
                {"id": choice.pk, "text": choice.text, "correct": choice.is_correct}
                for choice in sorted(question.choices.all(), key=lambda c: (c.sort_order, c.pk))
            ],
            "chosen": sorted(graded.chosen.get(question.pk, set())),
            "right": graded.right[question.pk],
        }
        for question in questions
    ]


def grade_answers(quiz: Quiz, answers) -> tuple[Graded, list[dict]]:
    """Grade answers at the quiz, keeping nothing: the grade, and each question as an attempt keeps it (`snapshot`).
    A learner's submission records them (`learners.services.learning.submit_quiz`), a teacher's preview does not.
    Answers that do not fit the quiz are a ValidationError."""
    questions = questions_of(quiz)
    keys = keys_of(questions)
    graded = grade(keys, normalize_answers(keys, answers), quiz.pass_mark)
    return graded, snapshot(questions, graded)


# Fields of the site's quiz form besides the answers, which are `q<question id>` = `<choice id>` (repeated
# for each choice ticked).
_FORM_EXTRAS = {"csrfmiddlewaretoken"}


def answers_from_form(data) -> list[dict]:
    """The answers that the site's quiz form posted (a QueryDict), as `submit_quiz` takes them.

    Every other field name, and every question or choice that is not an id (`q²`, `١`, 5,000 digits,
    an empty value), is a ValidationError: nothing is graded or recorded from a form we did not make.
    """
    answers = []
    for name, values in data.lists():
        if name in _FORM_EXTRAS:
            continue
        question = parse_id(name[1:]) if name.startswith("q") else None
        choices = [parse_id(value) for value in values]
        if question is None or None in choices:
            raise ValidationError({"answers": [_("These answers do not come from this quiz's form.")]})
        answers.append({"question": question, "choices": choices})
    return answers


def attempts_used(quiz: Quiz, learner) -> int:
    return Attempt.objects.filter(quiz=quiz, learner=learner).count()


def learner_attempts(learner, quiz_ref: str) -> dict:
    """A learner's attempts at the quiz an outer query's row points to (`quiz_ref`), as annotations for that query:
    how many (`attempts_used`, as `attempts_used` counts them), whether one passed (`attempts_passed`, as
    `has_passed`), and the last one's id and score (`last_attempt_id`, `last_attempt_score`)."""
    mine = Attempt.objects.filter(quiz=OuterRef(quiz_ref), learner=learner)
    last = mine.order_by("-number")
    return {
        "attempts_used": Coalesce(Subquery(mine.order_by().values("quiz").annotate(n=Count("pk")).values("n")), 0),
        "attempts_passed": Exists(mine.filter(passed=True)),
        "last_attempt_id": Subquery(last.values("pk")[:1]),
        "last_attempt_score": Subquery(last.values("score")[:1]),
    }


def attempts_left(quiz: Quiz, learner, *, used: int | None = None) -> int | None:
    """None when attempts are unlimited. `used`: the learner's attempts, when the caller knows them."""
    if quiz.max_attempts is None:
        return None
    return max(0, quiz.max_attempts - (attempts_used(quiz, learner) if used is None else used))


def has_passed(quiz: Quiz, learner) -> bool:
    return Attempt.objects.filter(quiz=quiz, learner=learner, passed=True).exists()


def reveals_answers(quiz: Quiz, learner, *, latest: Attempt | None = None) -> bool:
    """Correct answers are shown once the learner passed or has no attempts left.

    `latest`: the attempt the learner has just made, which tells both when it passed or was the last one.
    """
    if latest is not None and (latest.passed or attempts_left(quiz, learner, used=latest.number) == 0):
        return True
    return has_passed(quiz, learner) or attempts_left(quiz, learner) == 0
