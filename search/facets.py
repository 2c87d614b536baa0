"""Facet counts and the total: for each value of a catalog filter, how many courses a visitor would find by picking it.

Each facet is counted under the current search and every *other* filter: it ignores its own selection,
so that the alternatives to the chosen value stay in view. All four facets and the number of courses
found come from one SQL statement, whose answer has a row per value:

- under a search or a rating filter, one pass over the filtered rows of the catalog's read model
  (`search.models.CatalogEntry`) with `GROUPING SETS`;
- otherwise (the catalog browsed by its facets alone), index lookups in the read model's counts
  (`search.models.CatalogFacet`: for each facet, the rows that hold exactly the other facets' selection, rolled
  up), plus the restricted entries one by one, since whether a visitor sees those depends on the visitor
  (`courses.visibility`).

The labels of the categories and teachers found take one query each. The answer is kept in the cache until the
catalog changes (`search.cache`); with the cache off, the counts still read a few rows, not the catalog.
"""

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, TextField, Value
from django.db.models.functions import Cast, NullIf

from courses.models import Category, Language, Level

from .cache import cached
from .catalog import normalize_query
from .models import CatalogFacet, rows_of

FACETS = ("category", "level", "language", "teacher")

# facet → the course's column it counts
_FIELDS = {"category": "category_id", "level": "level", "language": "language", "teacher": "teacher_id"}
_COLUMNS = {f"f_{name}": F(column) for name, column in _FIELDS.items()}
_CHOICE_LABELS = {"level": dict(Level.choices), "language": dict(Language.choices)}
_TOTAL = "total"


@dataclass
class Summary:
    total: int  # courses found under the search and all the filters
    facets: dict  # {facet: [{"value", "label", "count"}]}, most courses first
    key: tuple  # the scope, the search and the filters, for caching what else depends on them


def catalog_summary(filterset, *, scope: str, counts) -> Summary:
    """The total and the facets of a valid `search.filters.CourseFilter` over its queryset.

    `scope` names that queryset for the cache (the same name must always mean the same courses); `counts` are the
    `CatalogFacet` rows of the same catalog (`CatalogFacet.objects.under(catalog)`, or all of them when the
    queryset spans every catalog). A facet value appears when some course has it; the selected value always does,
    if need be with a count of 0.
    """
    data = filterset.form.cleaned_data
    key = (scope, *sorted((name, _cache_part(name, value)) for name, value in data.items() if name != "ordering"))
    total, counts, labels = cached("summary", key, lambda: _count(filterset, counts))

    facets = {}
    for name in FACETS:
        selected = _value_of(name, data.get(name))
        entries = [
            {"value": value, "label": _label(name, value, labels[name].get(value)), "count": count}
            for value, count in counts[name].items()
        ]
        if selected is not None and selected not in counts[name]:
            entries.append({"value": selected, "label": _selected_label(name, data.get(name)), "count": 0})
        facets[name] = sorted(entries, key=lambda entry: (-entry["count"], str(entry["label"]).casefold()))
    return Summary(total=total, facets=facets, key=key)


def _count(filterset, facet_counts) -> tuple[int, dict, dict]:
    """(total, {facet: Counter(value → courses)}, {facet: {value: label}}): one query over the courses (or
    over their counts and the restricted ones), then one for the names of the categories found and one for the
    teachers'."""
    data = filterset.form.cleaned_data
    courses = filterset.queryset.select_related(None).prefetch_related(None).order_by()
    narrowed = False  # by a filter that is not a facet (the search, the rating)
    for name, value in data.items():
        if name not in FACETS and name != "ordering":
            narrowed |= filterset.searching if name == "search" else value not in (None, "")
            courses = filterset.filters[name].filter(courses, value)
    selected = {name: _value_of(name, data.get(name), category_by="pk") for name in FACETS}
    selected = {name: value for name, value in selected.items() if value is not None}
    if narrowed:
        total, raw = _grouping_sets(courses, selected, indexed=filterset.searching)
    else:
        total, raw = _looked_up(facet_counts.using(courses.db), courses.filter(restricted=True), selected)

    categories = {
        pk: (slug, name)
        for pk, slug, name in Category.objects.filter(pk__in=raw["category"]).values_list("pk", "slug", "name")
    }
    teachers = dict(get_user_model().objects.filter(pk__in=raw["teacher"]).values_list("pk", "name"))
    counts = {name: Counter() for name in FACETS}
    labels: dict[str, dict] = {name: {} for name in FACETS}
    for name, values in raw.items():
        for value, n in values.items():
            if name == "category":
                if value not in categories:
                    continue  # deleted a moment ago
                slug, label = categories[value]
                value, labels[name][slug] = slug, label
            elif name == "teacher":
                labels[name][value] = teachers.get(value)
            counts[name][value] = n
    return total, counts, labels


def _grouping_sets(courses, selected, *, indexed: bool) -> tuple[int, dict]:
    """Every facet and the total in one pass over the courses (`GROUPING SETS`), each facet's count under
    the other facets' selections (`FILTER`), on the database the courses' queryset reads (a replica, when there
    are: lms/db_router.py); `indexed` for a search, whose matches are read through the GIN indexes
    (`search.models.rows_of`)."""
    try:
        sql, params = courses.values(**_COLUMNS).query.sql_with_params()
    except EmptyResultSet:  # filtered down to nothing before SQL (a search without hits)
        return 0, {name: {} for name in FACETS}

    def matches(names):
        conditions = [f"f_{name} = %s" for name in names if name in selected]
        return " AND ".join(conditions) or "TRUE", [selected[name] for name in names if name in selected]

    columns, filter_params = [], []
    for name in (*FACETS, _TOTAL):
        condition, values = matches([other for other in FACETS if other != name])
        columns.append(f"COUNT(*) FILTER (WHERE {condition})")
        filter_params += values
    facet_columns = ", ".join(f"f_{name}" for name in FACETS)
    sets = ", ".join(f"(f_{name})" for name in FACETS)
    # Only our own names and the ORM's SQL are formatted in; every value is a parameter.
    select = f"SELECT {facet_columns}, GROUPING({facet_columns}), {', '.join(columns)} FROM ({sql}) AS courses"  # noqa: S608
    query = f"{select} GROUP BY GROUPING SETS ({sets}, ())"
    # GROUPING(...) has a bit set for each column left out of the row's set, the first column highest.
    width = len(FACETS)
    set_of = {(1 << width) - 1 - (1 << (width - 1 - index)): name for index, name in enumerate(FACETS)}
    set_of[(1 << width) - 1] = _TOTAL
    total, raw = 0, {name: {} for name in FACETS}
    for row in rows_of(courses.db, query, [*filter_params, *params], through_indexes=indexed):
        values, grouping, counts = row[:width], row[width], row[width + 1 :]
        name = set_of[grouping]
        if name == _TOTAL:
            total = counts[-1]
            continue
        index = FACETS.index(name)
        if values[index] is not None and counts[index]:
            raw[name][values[index]] = counts[index]
    return total, raw


def _looked_up(facet_counts, restricted, selected) -> tuple[int, dict]:
    """The total and every facet from the facet counts' rows that hold exactly the selection (a facet's own value
    set, the others selected or open: `CatalogFacet.OPEN`), plus the restricted entries that the queryset lets
    through, counted one by one: one statement, a few index lookups whatever the catalog's size."""
    parts, params = [], []

    def add(queryset, **columns):
        try:
            sql, part_params = queryset.values(**columns).query.sql_with_params()
        except EmptyResultSet:  # no catalog
            return
        parts.append(f"({sql})")
        params.extend(part_params)

    for name in (*FACETS, _TOTAL):
        column = _FIELDS.get(name)
        others = {_FIELDS[other]: value for other, value in selected.items() if other != name}
        counts = facet_counts.filter(
            restricted=False,
            **{key: others.get(key, CatalogFacet.OPEN[key]) for key in CatalogFacet.OPEN if key != column},
        )
        entries = restricted.filter(**others)
        if column is None:  # the total
            add(counts, facet=Value(name), value=Value(None, TextField()), n=F("courses"))
            add(entries, facet=Value(name), value=Value(None, TextField()), n=Value(1))
            continue
        counted = NullIf(F(column), Value(0)) if column.endswith("_id") else F(column)
        add(
            counts.exclude(**{column: CatalogFacet.OPEN[column]}),
            facet=Value(name),
            value=Cast(counted, TextField()),
            n=F("courses"),
        )
        add(entries, facet=Value(name), value=Cast(F(column), TextField()), n=Value(1))

    total, raw = 0, {name: {} for name in FACETS}
    if not parts:
        return total, raw
    query = f"SELECT facet, value, SUM(n) FROM ({' UNION ALL '.join(parts)}) AS counted GROUP BY facet, value"  # noqa: S608 (the ORM's SQL; every value a parameter)
    with connections[facet_counts.db].cursor() as cursor:
        cursor.execute(query, params)
        for name, value, count in cursor.fetchall():
            if name == _TOTAL:
                total = int(count)
            elif value is not None and count:
                raw[name][int(value) if name in ("category", "teacher") else value] = int(count)
    return total, raw


def _cache_part(name, cleaned):
    if name == "search":
        return normalize_query(cleaned)
    return _value_of(name, cleaned) if name in FACETS else (None if cleaned is None else str(cleaned))


def _value_of(name, cleaned, category_by="slug"):
    """A cleaned filter value as the facet's entries carry it (a category's slug, a teacher's id); with
    `category_by="pk"`, as the course's column holds it."""
    if cleaned in (None, ""):
        return None
    if name == "category":
        return getattr(cleaned, category_by)
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
