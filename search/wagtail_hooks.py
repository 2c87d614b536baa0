from wagtail import hooks

from courses.page_parts import CATALOG_PAGE_HOOK

from .browse import catalog_context


@hooks.register(CATALOG_PAGE_HOOK)
def search_the_catalog(request, catalog, context) -> dict:
    """The catalog page's courses, searched, filtered and sorted by its URL, with the filters' counts."""
    return catalog_context(request, catalog, per_page=catalog.per_page)
