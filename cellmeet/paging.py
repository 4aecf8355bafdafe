"""Lists that can grow: a page at a time, for a fixed number of queries.

`page_of` cuts the page first: the paginator counts and slices the bare queryset's
ids, then `rows` loads that page's rows only (joins, annotations, counts), in the
queryset's order. Count, ids, rows: three queries whatever the size of the list.

Lists a province makes long (the review queue, the admin's minutes) use
`BoundedPaginator`: the count stops at COUNT_LIMIT + 1 rows, a province's 61,000
minutes are never counted whole, and the page says "1,000+".
"""

from django.core.paginator import Paginator
from django.utils.formats import number_format
from django.utils.functional import cached_property

PAGE_SIZE = 50
COUNT_LIMIT = 1000


class BoundedPaginator(Paginator):
    """A paginator whose count stops at `limit` + 1 rows (one indexed LIMITed scan,
    not the whole list). Past the limit, `is_bounded` is true and the pages are those
    of the first `limit` + 1 rows: a longer list is narrowed by a filter, not paged."""

    def __init__(
        self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, limit=None
    ):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.limit = COUNT_LIMIT if limit is None else limit

    @cached_property
    def count(self):
        # SELECT COUNT(*) FROM (… LIMIT limit + 1): the database stops early.
        return self.object_list[: self.limit + 1].count()

    @property
    def is_bounded(self):
        return self.count > self.limit

    @property
    def count_label(self):
        """The count as shown: "1,000+" past the limit (thousands grouped in the
        active language's way)."""
        if self.is_bounded:
            return f"{number_format(self.limit, force_grouping=True)}+"
        return number_format(self.count, force_grouping=True)

    @property
    def pages_label(self):
        return f"{self.num_pages}+" if self.is_bounded else str(self.num_pages)


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
