"""One range of years for every page (cellmeet.converters): a year outside it is a page
that does not exist, on every URL that names a year, and the forms with a year take
the same range."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

from cellmeet.converters import FIRST_YEAR, LAST_YEAR
from meetings.forms import MeetingFilterForm
from oversight.guidance import GuidanceForm

OUT_OF_RANGE = [FIRST_YEAR - 1, LAST_YEAR + 1, 1989, 99999]


def year_url_names(patterns=None, namespace=""):
    """Every named URL whose route holds a year, read off the URLconf itself."""
    names = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += year_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and "year" in str(pattern.pattern):
            names.append(f"{namespace}{pattern.name}")
    return names


YEAR_URLS = year_url_names()


def routes_with_a_year(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes_with_a_year(pattern.url_patterns)
        elif "year" in str(pattern.pattern):
            yield str(pattern.pattern)


def test_every_url_with_a_year_reads_it_with_the_year_converter():
    routes = list(routes_with_a_year(get_resolver().url_patterns))
    assert len(routes) == len(YEAR_URLS) >= 14
    assert all("<year:year>" in route for route in routes), routes


def url_for(name, world, year):
    kwargs = {"pk": world.member.pk if name.endswith("member_record") else world.cell.pk}
    if "schedule" in name or name.startswith("dues:"):
        kwargs["month"] = 10
    url = reverse(name, kwargs={**kwargs, "year": 2026})
    assert url.count("2026") == 1
    return url.replace("2026", str(year))


@pytest.mark.parametrize("name", YEAR_URLS)
def test_a_year_out_of_range_is_404_on_every_year_url(name, world, login):
    client = login(world.admin)
    for year in OUT_OF_RANGE:
        url = url_for(name, world, year)
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("name", YEAR_URLS)
def test_the_first_and_the_last_year_are_pages(name, world):
    for year in (FIRST_YEAR, LAST_YEAR):
        assert resolve(url_for(name, world, year)).kwargs["year"] == year
    with pytest.raises(Resolver404):
        resolve(url_for(name, world, LAST_YEAR + 1))


def test_the_forms_take_the_same_years():
    for form_class in (MeetingFilterForm, GuidanceForm):
        field = form_class.base_fields["year"]
        assert (field.min_value, field.max_value) == (FIRST_YEAR, LAST_YEAR), form_class
