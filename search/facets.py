"""Facet counts: for each value of a catalog filter, how many courses a visitor would find by picking it.

Each facet is counted under the current search and every *other* filter: it ignores its own selection,
so that the alternatives to the chosen value stay in view. All four facets come from one grouped query
(courses per category × level × language × teacher), summed up here, whatever the catalog's size.
"""

from collections import Counter

from django.contrib.auth import get_user_model
from django.db.models import Count

from courses.models import Language, Level

FACETS = ("category", "level", "language", "teacher")

# facet → (column of its value, column of its label or None when the label comes from choices)
_COLUMNS = {
    "category": ("category__slug", "category__name"),
    "level": ("level", None),
    "language": ("language", None),
    "teacher": ("owner_id", "owner__name"),
}
_CHOICE_LABELS = {"level": dict(Level.choices), "language": dict(Language.choices)}


def facet_counts(filterset) -> dict[str, list[dict]]:
    """`{facet: [{"value", "label", "count"}]}` for a valid `courses.filters.CourseFilter`, most courses first.

    A value appears when some course has it; the selected value always does, if need be with a count of 0.
    """
    data = filterset.form.cleaned_data
    selected = {name: _value_of(name, data.get(name)) for name in FACETS}
    courses = filterset.queryset
    for name, value in data.items():
        if name not in FACETS and name != "ordering":
            courses = filterset.filters[name].filter(courses, value)
    columns = [column for pair in _COLUMNS.values() for column in pair if column]
    rows = courses.select_related(None).prefetch_related(None).order_by().values(*columns).annotate(n=Count("pk"))

    counts = {name: Counter() for name in FACETS}
    labels: dict[str, dict] = {name: {} for name in FACETS}
    for row in rows:
        values = {name: row[_COLUMNS[name][0]] for name in FACETS}
        for name in FACETS:
            value = values[name]
            others_match = all(
                selected[other] is None or values[other] == selected[other] for other in FACETS if other != name
            )
            if value is None or not others_match:
                continue
            counts[name][value] += row["n"]
            label_column = _COLUMNS[name][1]
            labels[name][value] = row[label_column] if label_column else None

    facets = {}
    for name in FACETS:
        entries = [
            {"value": value, "label": _label(name, value, labels[name].get(value)), "count": count}
            for value, count in counts[name].items()
        ]
        if selected[name] is not None and selected[name] not in counts[name]:
            entries.append({"value": selected[name], "label": _selected_label(name, data.get(name)), "count": 0})
        facets[name] = sorted(entries, key=lambda entry: (-entry["count"], str(entry["label"]).casefold()))
    return facets


def _value_of(name, cleaned):
    """A cleaned filter value as the facet's rows carry it (a category's slug, a teacher's id)."""
    if cleaned in (None, ""):
        return None
    if name == "category":
        return cleaned.slug
    if name == "teacher":
        return int(cleaned)
    return cleaned


def _label(name, value, label):
    if name in _CHOICE_LABELS:
        return str(_CHOICE_LABELS[name].get(value, value))
    return label or str(value)


def _selected_label(name, cleaned) -> str:
    if name == "category":
        return cleaned.name
    if name == "teacher":
        teacher = get_user_model().objects.filter(pk=cleaned).values_list("name", flat=True).first()
        return teacher or str(cleaned)
    return _label(name, cleaned, None)
