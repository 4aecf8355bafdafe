"""The main pages' HTML, parsed with Python's html.parser (the Nu checker is not
installed here): no element repeats an attribute, and no <style> sits in the body
(page styles belong in static CSS; the security policy forbids inline ones anyway)."""

from html.parser import HTMLParser

import pytest

from tests.main_pages import build_pages_world, pages_for

pytestmark = pytest.mark.django_db


class Problems(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        names = [name for name, _value in attrs]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            line, _column = self.getpos()
            self.found.append(f"line {line}: <{tag}> repeats {', '.join(repeated)}")
        if tag == "body":
            self.in_body = True
        elif tag == "style" and self.in_body:
            self.found.append(f"line {self.getpos()[0]}: <style> in the body")

    handle_startendtag = handle_starttag


def problems_in(html):
    parser = Problems()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_checker_finds_what_it_looks_for():
    html = (
        '<html><head><style>p{}</style></head><body><a class="x" class="y">a</a>'
        "<main><style>b{}</style></main></body></html>"
    )
    assert problems_in(html) == ["line 1: <a> repeats class", "line 1: <style> in the body"]


@pytest.mark.parametrize("role", ["secretary", "reviewer"])
def test_the_main_pages_repeat_no_attribute_and_hold_no_style(world, roster, login, role):
    made = build_pages_world(world, roster)
    client = login(world.user(role))
    found = []
    for entry in pages_for(role, world, made):
        response = client.get(entry.url, follow=True)
        assert response.status_code == 200, entry.name
        found += [f"{entry.name}: {problem}" for problem in problems_in(response.content.decode())]
    assert found == []
