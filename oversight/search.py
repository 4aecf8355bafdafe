"""Search across the minutes a user may read, without caring about Vietnamese accents.

Each meeting keeps `search_text`, its minutes folded the way `cellmeet.text.searchable`
folds (lower case, no diacritics, đ → d). The query is folded the same way and every
word of it must occur in that text: "nong thon moi" finds "nông thôn mới" and
"Dang uy" finds "Đảng ủy".

On PostgreSQL this is full-text search: the text search configuration `cellmeet_vi`
of migration meetings 0009 (the `simple` parser and dictionary behind `unaccent`, so
no stemming or stop words, which Vietnamese syllables would not survive), and the
stored column `search_vector` that PostgreSQL computes from `search_text` with it,
GIN-indexed. Every word of the query must begin
a word of the minutes ("thon" finds "thôn" and "thông"), results are ranked by
`ts_rank_cd` (the words close together and often first), newest first among equals.
Elsewhere (the SQLite of development) every word must occur in the text (LIKE
'%word%'), newest first.

Either way at most MAXIMUM_RESULTS minutes are taken (the newest that match), so the
count and the ranking stay bounded however common the words: the page says "more
than 1,000" beyond that.
"""

import re
import unicodedata
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, Prefetch, Value
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from cellmeet.text import fold, searchable
from meetings.models import Guest, Meeting, Speech
from meetings.search_text import minutes_texts

PAGE_SIZE = 25
MINIMUM_WORD_LENGTH = 2
MAXIMUM_WORDS = 8
MAXIMUM_QUERY_LENGTH = 200
SNIPPET_BEFORE = 70
SNIPPET_AFTER = 160
# The most minutes one search counts and ranks; one more is fetched to know there are more.
MAXIMUM_RESULTS = 1000
SEARCH_CONFIGURATION = "cellmeet_vi"  # migration meetings 0009
SEARCH_VECTOR = "search_vector"  # its generated column


class _Vector(Func):
    """The stored search vector of migration meetings 0009, beside `search_text` (a
    column of PostgreSQL's only, which the model does not declare): given
    F("search_text"), the same column reference with the vector's name."""

    template = "%(expressions)s"

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        column = connection.ops.quote_name("search_text")
        assert sql.endswith(column), sql
        return sql[: -len(column)] + connection.ops.quote_name(SEARCH_VECTOR), params


class _Query(Func):
    template = f"to_tsquery('{SEARCH_CONFIGURATION}'::regconfig, %(expressions)s)"


class _Matches(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class _Rank(Func):
    function = "ts_rank_cd"
    output_field = FloatField()


def full_text():
    return connection.vendor == "postgresql"


def _tsquery(words):
    """Every word as a prefix (the words are runs of letters and digits: no operators)."""
    return " & ".join(f"{word}:*" for word in words)


def query_words(text):
    """The folded words of a query worth searching for, in order, without repeats."""
    words = re.findall(r"\w+", searchable((text or "")[:MAXIMUM_QUERY_LENGTH]))
    kept = []
    for word in words:
        if len(word) >= MINIMUM_WORD_LENGTH and word not in kept:
            kept.append(word)
    return kept[:MAXIMUM_WORDS]


def found_ids(user, words):
    """The ids of the current minutes in the user's subtree whose text holds every
    word, in the order of the results: on PostgreSQL the best ranked first (newest
    first among equals), elsewhere the newest first. At most MAXIMUM_RESULTS + 1:
    the newest that match, ranked among themselves. One query."""
    meetings = Meeting.objects.visible_to(user).current()
    if full_text():
        query = _Query(Value(_tsquery(words)))
        meetings = meetings.filter(_Matches(_Vector(F("search_text")), query))
    else:
        for word in words:
            meetings = meetings.filter(search_text__contains=word)
    newest = meetings.order_by("-scheduled_at", "-pk").values("pk")[: MAXIMUM_RESULTS + 1]
    if not full_text():
        return [values["pk"] for values in newest]
    # Ranked after the cut, from the stored vectors of at most MAXIMUM_RESULTS + 1 rows.
    ranked = (
        Meeting.objects.filter(pk__in=newest)
        .annotate(rank=_Rank(_Vector(F("search_text")), query))
        .values_list("pk", "rank", "scheduled_at")
    )
    ranked = sorted(ranked, key=lambda row: (row[1], row[2], row[0]), reverse=True)
    return [pk for pk, _rank, _scheduled_at in ranked]


def search_page(user, words, number):
    """The results' page `number`, each meeting with what its snippet needs; four
    queries (the ids, the page's minutes, their guests and speeches) at any size."""
    page = Paginator(found_ids(user, words), PAGE_SIZE).get_page(number)
    meetings = (
        Meeting.objects.filter(pk__in=page.object_list)
        .select_related("organization")
        .defer("signed_content")
        .prefetch_related(
            Prefetch("guests", queryset=Guest.objects.only("meeting", "name", "title", "unit")),
            Prefetch("speeches", queryset=Speech.objects.only("meeting", "summary")),
        )
        .in_bulk()
    )
    page.object_list = [meetings[pk] for pk in page.object_list if pk in meetings]
    return page


# ---------------------------------------------------------------- snippets


def fold_with_positions(text):
    """The folded text, and for each of its characters the index it came from in `text`."""
    folded = []
    positions = []
    for index, char in enumerate(text):
        for folded_char in fold(char):
            folded.append(folded_char)
            positions.append(index)
    return "".join(folded), positions


def _matches(folded, words):
    """Merged (start, end) spans of every occurrence of the words in the folded text."""
    spans = []
    for word in words:
        start = folded.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = folded.find(word, start + 1)
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlighted_snippet(text, words):
    """A piece of `text` around its first match, the words marked; None without a match."""
    text = unicodedata.normalize("NFC", " ".join((text or "").split()))
    folded, positions = fold_with_positions(text)
    spans = _matches(folded, words)
    if not spans:
        return None
    first = positions[spans[0][0]]
    begin = max(0, first - SNIPPET_BEFORE)
    if begin:
        space = text.find(" ", begin, first)
        begin = space + 1 if space != -1 else begin
    end = min(len(text), first + SNIPPET_AFTER)
    if end < len(text):
        space = text.rfind(" ", first, end)
        end = space if space > first else end
    marked = []  # (text before a match, the match)
    cursor = begin
    for start, stop in spans:
        original_start, original_stop = positions[start], positions[stop - 1] + 1
        if original_stop <= begin or original_start >= end:
            continue
        original_start, original_stop = max(original_start, begin), min(original_stop, end)
        marked.append((text[cursor:original_start], text[original_start:original_stop]))
        cursor = original_stop
    return format_html(
        "{}{}{}{}",
        "…" if begin else "",
        format_html_join("", "{}<mark>{}</mark>", marked),
        text[cursor:end],
        "…" if end < len(text) else "",
    )


def snippet_for(meeting, words):
    """Around the first match in the text holding the most words; else from the folded text
    (a match in a part other apps add, such as the resolution's tasks)."""
    best, best_count = None, 0
    for text in minutes_texts(meeting):
        folded = searchable(text)
        count = sum(1 for word in words if word in folded)
        if count > best_count:
            best, best_count = text, count
            if count == len(words):
                break
    return highlighted_snippet(best or meeting.search_text, words)


# ---------------------------------------------------------------- view


class SearchForm(forms.Form):
    # No max_length: a long paste is cut by query_words rather than refused.
    q = forms.CharField(label=_("Search the minutes"), required=False)


@dataclass
class Result:
    meeting: Meeting
    snippet: str


@login_required
def search(request):
    form = SearchForm(request.GET or None)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    words = query_words(text)
    page = None
    results = []
    if words:
        page = search_page(request.user, words, request.GET.get("page"))
        results = [Result(meeting, snippet_for(meeting, words)) for meeting in page]
    context = {
        "form": form,
        "text": text,
        "words": words,
        "too_short": bool(text) and not words,
        "page": page,
        "results": results,
        "more_than": MAXIMUM_RESULTS if page and page.paginator.count > MAXIMUM_RESULTS else None,
        "query": urlencode({"q": text}) if text else "",
    }
    return render(request, "oversight/search.html", context)
