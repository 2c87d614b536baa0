"""The catalog as the site shows it: a search, filters with facet counts, a sort and a page of courses.

Everything comes from the GET parameters (`q`, `category`, `level`, `language`, `teacher`, `min_rating`,
`ordering`, `page`), so a search can be shared and the back button works. The filters are the API's
(`search.filters.CourseFilter`); a value that is not valid (a hand-edited URL, a category deleted
since) is dropped rather than shown as an error page.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from courses.page_parts import card_states
from courses.visibility import for_request, restriction_scope

from .facets import FACETS, catalog_summary
from .filters import CourseFilter, Ordering
from .models import Cards, CatalogEntry, CatalogFacet

CARD_COVER = "fill-640x360"  # the cover rendition of templates/courses/includes/course_card.html
RATINGS = ("4.5", "4", "3.5", "3")
FILTER_LABELS = {
    "category": (_("Category"), _("All categories")),
    "level": (_("Level"), _("All levels")),
    "language": (_("Language"), _("All languages")),
    "teacher": (_("Teacher"), _("All teachers")),
}


@dataclass
class Choice:
    value: str
    label: str
    count: int | None = None
    selected: bool = False


@dataclass
class Filter:
    name: str
    label: str
    any_label: str
    choices: list[Choice] = field(default_factory=list)


@dataclass
class Browse:
    """What the catalog's form and results need: the query, the filters with their choices, the sort."""

    query: str
    filters: list[Filter]
    ratings: list[Choice]
    orderings: list[Choice]
    active: bool  # a search or a filter narrows the catalog
    filtered: bool  # a filter (not only a search) narrows it
    filter_count: int  # how many filters narrow it (the small screen's "Filters" button shows it)
    clear_url: str  # the same search without the filters (or the whole catalog)


def catalog_context(request, catalog, *, per_page: int) -> dict:
    """`courses` (a page of the catalog's courses, keeping that name) and `browse` for the catalog templates.

    The courses are those of the catalog page `catalog` (none without one) that the visitor may see
    (`courses.visibility`): the catalog's entries (`search.models.CatalogEntry`) are searched, filtered, counted
    and ordered, and a page of them brings its courses, each with the visitor's part in it for its card
    (`courses.page_parts.card_states`: one read for the page). The cache keeps the counts of visitors who see
    different courses apart.
    """
    viewer = for_request(request)
    entries = CatalogEntry.objects.visible_to(**viewer)
    entries = entries.under(catalog) if catalog else entries.none()
    filterset = _valid_filters(request, entries)
    scope = f"index:{catalog.pk if catalog else None}:{restriction_scope(**viewer)}"
    summary = catalog_summary(filterset, scope=scope, counts=CatalogFacet.objects.under(catalog))
    paginator = Paginator(Cards(filterset.qs, CARD_COVER, total=summary.total), per_page)
    courses = paginator.get_page(request.GET.get("page"))
    card_states(request, courses.object_list)
    return {"courses": courses, "browse": _browse(filterset, summary.facets)}


def _valid_filters(request, courses) -> CourseFilter:
    data = request.GET.copy()
    data["search"] = data.get("q", "")  # the site's search box is `q`, as everywhere on the web
    filterset = CourseFilter(data, queryset=courses, request=request)
    if filterset.is_valid():
        return filterset
    for name in filterset.errors:
        data.pop(name, None)
    filterset = CourseFilter(data, queryset=courses, request=request)
    return filterset if filterset.is_valid() else CourseFilter({}, queryset=courses, request=request)


def _browse(filterset: CourseFilter, facets: dict) -> Browse:
    data = filterset.form.cleaned_data
    query = data.get("search") or ""
    filters = []
    for name in FACETS:
        label, any_label = FILTER_LABELS[name]
        selected = _as_text(data.get(name))
        choices = [
            Choice(str(entry["value"]), entry["label"], entry["count"], str(entry["value"]) == selected)
            for entry in facets[name]
        ]
        if choices:
            filters.append(Filter(name, label, any_label, choices))

    min_rating = data.get("min_rating")
    ratings = [Choice(value, _("%(rating)s★ & up") % {"rating": value}) for value in RATINGS]
    if min_rating is not None:
        for choice in ratings:
            choice.selected = _decimal(choice.value) == min_rating
        if not any(choice.selected for choice in ratings):
            text = f"{min_rating.normalize():f}"
            ratings.append(Choice(text, _("%(rating)s★ & up") % {"rating": text}, selected=True))

    current = filterset.current_ordering
    orderings = [
        Choice(value, label, selected=value == current)
        for value, label in Ordering.choices
        if filterset.searching or value != Ordering.RELEVANCE
    ]
    filter_count = sum(data.get(name) not in (None, "") for name in (*FACETS, "min_rating"))
    filtered = filter_count > 0
    return Browse(
        query=query,
        filters=filters,
        ratings=ratings,
        orderings=orderings,
        active=filtered or bool(query.strip()),
        filtered=filtered,
        filter_count=filter_count,
        clear_url="?" + urlencode({"q": query}) if query.strip() and filtered else "?",
    )


def _as_text(value) -> str:
    if value is None:
        return ""
    return getattr(value, "slug", None) or str(value)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
