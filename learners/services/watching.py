"""Honest video progress: what a learner has watched of a lesson's video, from the player's heartbeats.

A heartbeat carries the ranges the player actually played since the last one (`[[start, end], …]` in seconds) and
where it stands now. The server merges the ranges per learner, lesson and video, so a replayed heartbeat, or the
same seconds watched twice, change nothing; a jump of the playhead (seeking) is a position, never watched seconds.
The clock bounds what is credited: from a video's first heartbeat on, no more than `MAX_RATE` seconds of video per
second of time (double speed counts, fast-forwarding does not), with `SLACK` for the first heartbeat's share. Time is
the server's for the live player, the device's for events sent later (`services.sync`).

A lesson that requires watching (`LessonPage.require_watching`) is completed once the distinct seconds watched of
its first video reach its `watch_percent` of the video's duration (and its quiz, if any, is passed): the heartbeat
that gets there completes it, through the same `learning.record_completion` as every other door.
"""

from dataclasses import asdict, dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtailmedia.models import get_media_model

from courses.models import LessonPage

from ..models import User, VideoProgress
from . import learning
from .refusals import NotEnrolled

MAX_RATE = 2.0
SLACK = 30.0
MAX_RANGES = 500  # ranges in one heartbeat; a player sends a few
UNKNOWN_LENGTH = 24 * 3600.0  # the bound of a video whose duration the library does not know


def merge(ranges) -> list[list[float]]:
    """The union of `ranges`, sorted, overlapping and touching ones joined."""
    merged: list[list[float]] = []
    for start, end in sorted((float(start), float(end)) for start, end in ranges if end > start):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def length(ranges) -> float:
    return sum(end - start for start, end in ranges)


def uncovered(watched, new) -> list[list[float]]:
    """The parts of `new` (merged) outside `watched` (merged), in order."""
    gaps, index = [], 0
    for start, end in new:
        while index < len(watched) and watched[index][1] <= start:
            index += 1
        cursor, scan = start, index
        while scan < len(watched) and watched[scan][0] < end:
            if watched[scan][0] > cursor:
                gaps.append([cursor, watched[scan][0]])
            cursor = max(cursor, watched[scan][1])
            scan += 1
        if cursor < end:
            gaps.append([cursor, end])
    return gaps


def credit(watched, new, budget: float) -> list[list[float]]:
    """`watched` with what `new` adds to it, no more than `budget` seconds of it (earliest first)."""
    added = []
    for start, end in uncovered(watched, merge(new)):
        if budget <= 0:
            break
        end = min(end, start + budget)
        added.append([start, end])
        budget -= end - start
    return merge(watched + added)


@dataclass
class VideoState:
    """A learner's progress in a video, as the API shows it."""

    media: int
    watched_seconds: float
    furthest: float
    position: float
    duration: float
    completed: bool  # watched the lesson's share of it, once (`VideoProgress.completed_at`)

    @classmethod
    def of(cls, media_id: int, duration: float, progress: VideoProgress | None) -> "VideoState":
        if progress is None:
            return cls(media_id, 0.0, 0.0, 0.0, duration, False)
        return cls(
            media=media_id,
            watched_seconds=round(progress.watched_seconds, 1),
            furthest=round(progress.furthest, 1),
            position=round(progress.position, 1),
            duration=duration,
            completed=progress.completed_at is not None,
        )


def watched_enough(seconds: float, duration: float, percent: int) -> bool:
    return bool(duration) and seconds >= duration * percent / 100


def clean_ranges(ranges, bound: float) -> list[list[float]]:
    """The ranges a client sent, as numbers within [0, bound]; a ValidationError for anything else."""
    if not isinstance(ranges, list) or len(ranges) > MAX_RANGES:
        raise ValidationError({"ranges": [_("Send a list of at most %(n)s [start, end] pairs.") % {"n": MAX_RANGES}]})
    cleaned = []
    for pair in ranges:
        if not (isinstance(pair, list | tuple) and len(pair) == 2 and all(_is_seconds(value) for value in pair)):
            raise ValidationError({"ranges": [_("Each range is a pair of seconds, [start, end].")]})
        start, end = (float(min(value, bound)) for value in pair)  # min first: 10**400 is no float
        if end < start:
            raise ValidationError({"ranges": [_("A range ends after it starts.")]})
        cleaned.append([start, end])
    return cleaned


def clean_position(position, bound: float) -> float:
    if not _is_seconds(position):
        raise ValidationError({"position": [_("The position is a number of seconds.")]})
    return float(min(position, bound))


def _is_seconds(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < float("inf")


@dataclass
class Heartbeat:
    state: VideoState
    progress: learning.Progress | None  # the course's, when this heartbeat completed the lesson

    def answer(self) -> dict:
        """What every door (the API, the site's player) answers a heartbeat with."""
        return {
            **asdict(self.state),
            "lesson_completed": self.progress is not None,
            "progress_percent": self.progress.percent if self.progress is not None else None,
        }


@transaction.atomic
def record_heartbeat(
    *, learner: User, lesson: LessonPage, media, ranges, position, at: datetime | None = None, session=None
) -> Heartbeat:
    """Merge a heartbeat of the lesson's video `media` (an id) into the learner's progress; complete the lesson
    when it requires watching and this heartbeat watched enough. `at`: when it happened (now, for the live player)."""
    at = at or timezone.now()
    enrollment = learning.lock_enrollment(learner, lesson.course)  # one heartbeat at a time per learner and course
    learning.check_can_open(user=learner, lesson=lesson, session=session, enrollment=enrollment)
    if enrollment is None:
        raise NotEnrolled(_("Enroll in the course to watch its lessons."), lesson=lesson)
    video = _video_of(lesson, media)
    bound = video.duration or UNKNOWN_LENGTH
    ranges, position = clean_ranges(ranges, bound), clean_position(position, bound)
    progress, _created = VideoProgress.objects.get_or_create(learner=learner, lesson=lesson, media=video)
    progress.started_at = min(progress.started_at or at, at)
    progress.latest_at = max(progress.latest_at or at, at)
    budget = MAX_RATE * (progress.latest_at - progress.started_at).total_seconds() + SLACK - progress.watched_seconds
    progress.ranges = credit(progress.ranges, ranges, budget)
    progress.watched_seconds = length(progress.ranges)
    if progress.position_at is None or at >= progress.position_at:
        progress.position, progress.position_at = position, at
    crossed = progress.completed_at is None and watched_enough(
        progress.watched_seconds, video.duration, lesson.watch_percent
    )
    if crossed:
        progress.completed_at = at
    progress.save()
    state = VideoState.of(video.pk, video.duration, progress)
    # The heartbeat that watched enough of a lesson's main video completes it (a quiz passed later does, otherwise).
    if (
        crossed
        and lesson.require_watching
        and lesson.video_ids[:1] == [video.pk]
        and learning.quiz_passed(learner, lesson)
    ):
        return Heartbeat(state, learning.record_completion(learner=learner, lesson=lesson, enrollment=enrollment))
    return Heartbeat(state, None)


def _video_of(lesson: LessonPage, media):
    """The video `media` (an id) if the lesson's body shows it; a ValidationError otherwise."""
    if isinstance(media, int) and not isinstance(media, bool) and media in lesson.video_ids:
        video = get_media_model().objects.filter(pk=media).only("duration").first()
        if video is not None:
            return video
    raise ValidationError({"media": [_("This lesson has no such video.")]})


def _states(learner, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], VideoState]:
    """The learner's progress in each (lesson id, media id), in two queries whatever their number; a video the
    library no longer has is left out."""
    media_ids = {media for _lesson, media in pairs}
    durations = dict(get_media_model().objects.filter(pk__in=media_ids).values_list("pk", "duration"))
    rows = {}
    if learner.is_authenticated and pairs:
        mine = VideoProgress.objects.filter(learner=learner, lesson__in={lesson for lesson, _media in pairs})
        rows = {(row.lesson_id, row.media_id): row for row in mine}
    return {
        (lesson, media): VideoState.of(media, durations[media] or 0.0, rows.get((lesson, media)))
        for lesson, media in pairs
        if media in durations
    }


def states_of(learner, lessons: list[LessonPage]) -> dict[int, VideoState]:
    """For each lesson with a video, the learner's progress in its first video (two queries, whatever the number
    of lessons): what the outline shows."""
    states = _states(learner, [(lesson.pk, lesson.video_ids[0]) for lesson in lessons if lesson.video_ids])
    return {lesson: state for (lesson, _media), state in states.items()}


def lesson_videos(learner, lesson: LessonPage) -> list[VideoState]:
    """The learner's progress in each video of the lesson, in the body's order (two queries): where to resume."""
    return list(_states(learner, [(lesson.pk, media) for media in dict.fromkeys(lesson.video_ids)]).values())
