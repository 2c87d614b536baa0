"""Small helpers for the course templates: lesson states, durations, pagination and card tones."""

from collections.abc import Mapping

from django import template
from django.utils.translation import gettext as _

register = template.Library()

LESSON_STATES = {"done", "open", "locked"}
CARD_TONES = 6


@register.filter
def lesson_state(states, lesson):
    """The state ("done", "open" or "locked") that the mapping `states` gives `lesson`, else "".

    `states` maps lesson ids to states; anything missing or unknown gives no state, so that the
    templates can use the result as a CSS class hook without further checks.
    """
    if not isinstance(states, Mapping) or lesson in (None, ""):
        return ""
    key = getattr(lesson, "pk", lesson)
    state = states.get(key)
    if state is None:
        state = states.get(str(key))
    return state if state in LESSON_STATES else ""


@register.filter
def duration(minutes):
    """Minutes as a short, translated duration that does not wrap: "45 min", "2 h", "1 h 30 min"."""
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        return ""
    if minutes <= 0:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        text = _("%(minutes)s min") % {"minutes": rest}
    elif not rest:
        text = _("%(hours)s h") % {"hours": hours}
    else:
        text = _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    return text.replace(" ", "\N{NO-BREAK SPACE}")  # "1 h 30 min" never breaks over two lines


@register.filter
def tone(page):
    """A stable colour variant (0…5) for a course's placeholder cover."""
    try:
        return int(getattr(page, "pk", page) or 0) % CARD_TONES
    except (TypeError, ValueError):
        return 0


@register.simple_tag
def page_links(page_obj, on_each_side=1, on_ends=1):
    """The page numbers to link to around the current page, with None where a run is left out."""
    paginator = page_obj.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(page_obj.number, on_each_side=on_each_side, on_ends=on_ends)
    ]
