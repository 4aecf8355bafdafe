"""Lists that can grow: a page at a time, for a fixed number of queries.

`page_of` cuts the page first: the paginator counts and slices the bare queryset's
ids, then `rows` loads that page's rows only (joins, annotations, counts), in the
queryset's order. Count, ids, rows: three queries whatever the size of the list.
"""

from django.core.paginator import Paginator

PAGE_SIZE = 50


def page_of(queryset, number, *, per_page=PAGE_SIZE, rows=None):
    """The page `number` (anything a user typed: out of range gives the last page) of
    `queryset`; `rows(queryset)` adds what is costly to the page's queryset."""
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    page_rows = queryset.filter(pk__in=ids) if ids else queryset.none()
    page.object_list = list(rows(page_rows) if rows else page_rows)
    return page


def other_parameters(request):
    """The address's query string without its page, for the links to other pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
