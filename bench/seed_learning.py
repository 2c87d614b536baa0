"""The seeding's learning step: enrollments, lesson completions, quiz attempts, certificates and reviews."""

import json
import time
from bisect import bisect_left
from datetime import timedelta
from itertools import accumulate

from . import content as words
from .pgcopy import Copier
from .seed_plan import CERTIFICATE_ALPHABET, NOW, Quiz


class LearningSteps:
    """The `Seeder`'s steps that write learners' records (mixed into `bench.seed.Seeder`)."""

    def _attempt_results(self, quiz: Quiz, right: int) -> tuple[int, list]:
        """(score, results) of an attempt answering the first `right` questions right, the rest wrong."""
        results = []
        for number, (question_id, text, explanation, options) in enumerate(quiz.questions):
            correct = next(choice_id for choice_id, _, is_correct in options if is_correct)
            wrong = next(choice_id for choice_id, _, is_correct in options if not is_correct)
            chosen = correct if number < right else wrong
            results.append(
                {
                    "question": question_id,
                    "text": text,
                    "kind": "single",
                    "explanation": explanation,
                    "choices": [{"id": c, "text": t, "correct": k} for c, t, k in options],
                    "chosen": [chosen],
                    "right": number < right,
                }
            )
        return right * 100 // len(quiz.questions), results

    def _learning(self) -> None:
        started = time.monotonic()
        plan, rng, cursor = self.plan, self.rng, self.cursor
        enrollments = Copier(
            cursor,
            "learners_enrollment",
            ["id", "course_title", "enrolled_at", "left_at", "completed_at", "last_activity_at", "course_id",
             "learner_id"],
        )  # fmt: skip
        completions = Copier(
            cursor, "learners_lessoncompletion", ["id", "completed_at", "course_id", "learner_id", "lesson_id"]
        )
        attempts = Copier(
            cursor,
            "quizzes_attempt",
            ["id", "quiz_title", "number", "score", "passed", "pass_mark", "results", "created_at", "learner_id",
             "lesson_id", "quiz_id"],
        )  # fmt: skip
        certificates = Copier(
            cursor,
            "learners_certificate",
            ["id", "code", "learner_name", "course_title", "teacher_name", "issued_at", "pdf", "revoked_reason",
             "course_id", "enrollment_id", "learner_id", "status_list_index", "language"],
        )  # fmt: skip
        reviews = Copier(
            cursor,
            "learners_review",
            ["id", "rating", "text", "is_hidden", "created_at", "updated_at", "course_id", "learner_id"],
        )
        ids = {
            table: self._next_id(cursor, f"learners_{table}")
            for table in ("enrollment", "lessoncompletion", "certificate", "review")
        }
        ids["attempt"] = self._next_id(cursor, "quizzes_attempt")
        # Status list indices in a row after every index given so far (the portal draws them at random).
        cursor.execute(
            "SELECT GREATEST((SELECT MAX(status_list_index) FROM learners_certificate),"
            " (SELECT MAX(\"index\") FROM learners_retiredstatusindex), -1) + 1"
        )
        ids["status_list_index"] = cursor.fetchone()[0]
        codes: set[str] = set()

        live = [course for course in self.courses if course.live]
        order = list(range(len(live)))
        rng.shuffle(order)
        popularity = [0.0] * len(live)
        for rank, index in enumerate(order):
            popularity[index] = 1 / (rank + 10) ** 0.9
        bench_index = live.index(self.bench_course)
        popularity[bench_index] = max(popularity) * 2  # the bench course is popular: many reviews on its page
        cumulative = list(accumulate(popularity))
        review_candidates = []

        def attempt(learner_id, course, right, number, when):
            score, results = self._attempt_results(course.quiz, right)
            attempts.add(
                ids["attempt"], course.quiz.title, number, score, score >= course.quiz.pass_mark,
                course.quiz.pass_mark, json.dumps(results, ensure_ascii=False), when, learner_id,
                course.quiz.lesson_id, course.quiz.id,
            )  # fmt: skip
            ids["attempt"] += 1

        def enroll(learner_id, course, done, when, bench_learner=False):
            enrollment_id = ids["enrollment"]
            ids["enrollment"] += 1
            total = len(course.lesson_ids)
            moment = when
            for position in range(1, done + 1):
                moment = self._when(moment, min(NOW, moment + timedelta(days=7)))
                if position == course.quiz_position:  # failed attempts maybe, then the pass
                    questions = len(course.quiz.questions)
                    failures = 0 if bench_learner else rng.choice([0, 0, 0, 1, 2])
                    for number in range(1, failures + 1):
                        attempt(learner_id, course, questions // 3, number, moment)
                    attempt(learner_id, course, questions, failures + 1, moment)
                completions.add(ids["lessoncompletion"], moment, course.id, learner_id, course.lesson_ids[position - 1])
                ids["lessoncompletion"] += 1
            if done < total and course.quiz_position == done + 1 and rng.random() < 0.5:
                attempt(learner_id, course, len(course.quiz.questions) // 3, 1, moment)  # stuck at the quiz
            completed = moment if done == total else None
            left = self._when(moment) if completed is None and not bench_learner and rng.random() < 0.05 else None
            enrollments.add(enrollment_id, course.title, when, left, completed, moment, course.id, learner_id)
            if completed is not None:
                code = "".join(rng.choice(CERTIFICATE_ALPHABET) for _ in range(20))
                while code in codes:
                    code = "".join(rng.choice(CERTIFICATE_ALPHABET) for _ in range(20))
                codes.add(code)
                certificates.add(
                    ids["certificate"], code, self.learner_names[learner_id], course.title,
                    self.teacher_names[course.owner_id], completed, "", "", course.id, enrollment_id, learner_id,
                    ids["status_list_index"], self.learner_languages[learner_id],
                )  # fmt: skip
                ids["certificate"] += 1
                ids["status_list_index"] += 1
            return enrollment_id

        low, high = plan.enrollments_per_learner
        for learner_id in self.learner_ids:
            picked = {bisect_left(cumulative, rng.random() * cumulative[-1]) for _ in range(rng.randint(low, high))}
            for index in sorted(picked):
                course = live[index]
                when = self._when(max(course.created_at, self.learner_joined[learner_id]))
                total = len(course.lesson_ids)
                roll = rng.random()
                done = 0 if roll < 0.2 else total if roll > 0.75 else rng.randint(1, total - 1)
                enroll(learner_id, course, done, when)
                review_candidates.append((learner_id, course, when))
        bench = self.bench_course
        for learner_id in self.bench_learner_ids:
            when = self._when(max(bench.created_at, self.learner_joined[learner_id]))
            enroll(learner_id, bench, plan.bench_lessons_done, when, bench_learner=True)

        for learner_id, course, when in rng.sample(review_candidates, min(plan.reviews, len(review_candidates))):
            rating = rng.choices([1, 2, 3, 4, 5], weights=[5, 7, 15, 33, 40])[0]
            text = rng.choice(words.REVIEW_TEXTS) if rng.random() < 0.6 else ""
            created = self._when(when)
            reviews.add(ids["review"], rating, text, rng.random() < 0.01, created, created, course.id, learner_id)
            ids["review"] += 1

        self.counts["enrollments"] = enrollments.close()
        self.counts["completions"] = completions.close()
        self.counts["attempts"] = attempts.close()
        self.counts["certificates"] = certificates.close()
        self.counts["reviews"] = reviews.close()
        self.counts["last_seeded_attempt_id"] = ids["attempt"] - 1
        self._step("learners' records", started)
