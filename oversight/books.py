"""A committee's year: the minutes books of all the cells under it, as one zip.

A superior who reviews a subtree asks for "all minutes books of <year>"; a background
job (django-tasks, like the cells' book jobs in printing.tasks) puts each cell's book
(printing.books, assembled from the stored signed PDFs, and reused when already
stored) into one zip, counting the cells done as it goes. The page refreshes itself
while the job runs ("đang chuẩn bị: 12/50 chi bộ") and offers the file when it is
ready; no web worker waits for it.

One zip per content: `committee_key` is a digest of what the books of the subtree
print, so asking again for the same records joins the job already started or gets the
zip already made; once minutes are signed, returned, superseded or reviewed, or a cell
is added, the next request makes a new one.
"""

import hashlib
import json
import re
import tempfile
import zipfile
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.db.models import Count, Max, Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django_tasks import task

from cellmeet import jobs
from cellmeet.text import fold
from meetings.models import Meeting, Review
from members.access import access_for, check, get_organization_for
from members.models import Organization
from oversight.models import CommitteeBooks, CommitteeBooksStatus
from printing.books import BOOK_LAYOUT_VERSION, BOOK_STATUSES, read_book
from printing.tasks import stored_minutes_book

# A job not done after this long is taken as lost: the next request starts it again.
LOST_AFTER = timedelta(hours=2)
REFRESH_SECONDS = 3


def subtree_cells(organization):
    return Organization.objects.subtree_of(organization).cells().order_by("path")


def committee_key(organization, year):
    """A digest of what the subtree's books print, in a few aggregate queries whatever
    its size: the cells, and per status the signed minutes (a correction is a new
    meeting), and the reviews."""
    meetings = (
        Meeting.objects.current()
        .subtree_of(organization)
        .filter(year=year, status__in=BOOK_STATUSES)
    )
    by_status = list(
        meetings.order_by("status")
        .values("status")
        .annotate(count=Count("pk"), total=Sum("pk"), last=Max("pk"))
        .values_list("status", "count", "total", "last")
    )
    reviews = Review.objects.filter(meeting__in=meetings).aggregate(
        count=Count("pk"), last=Max("pk")
    )
    cells = subtree_cells(organization).aggregate(count=Count("pk"), total=Sum("pk"))
    text = json.dumps(
        [BOOK_LAYOUT_VERSION, organization.pk, year, by_status, reviews, cells], default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()


def current_committee_books(organization, year):
    return CommitteeBooks.objects.filter(
        organization=organization, year=year, content_key=committee_key(organization, year)
    ).first()


def request_committee_books(organization, year, *, user=None, site_url=""):
    """The zip for what the records say now: made, being made, or its job started."""
    archive, created = CommitteeBooks.objects.get_or_create(
        organization=organization,
        year=year,
        content_key=committee_key(organization, year),
        defaults={"requested_by": user},
    )
    if created or _needs_another_run(archive):
        if not created:
            archive.status = CommitteeBooksStatus.PENDING
            archive.cells_done = 0
            archive.requested_at = timezone.now()
            archive.requested_by = user
            archive.save(update_fields=["status", "cells_done", "requested_at", "requested_by"])
        build_committee_books.enqueue(archive.pk, site_url=site_url)
        archive.refresh_from_db()
    return archive


def _needs_another_run(archive):
    if archive.status == CommitteeBooksStatus.FAILED:
        return True
    if archive.status == CommitteeBooksStatus.READY:
        return not archive.file or not archive.file.storage.exists(archive.file.name)
    return archive.requested_at < timezone.now() - LOST_AFTER


def entry_name(index, cell, year):
    """An ASCII file name every unzip tool shows: "001-chi-bo-thon-dong-2026.pdf"."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(cell.name)).strip("-") or "chi-bo"
    return f"{index:03d}-{slug}-{year}.pdf"


@task(priority=jobs.BULK)
def build_committee_books(archive_pk, site_url=""):
    """Put the book of every cell under the committee into one zip, counting the
    cells done; drop the committee's earlier zips of that year once it is stored."""
    archive = CommitteeBooks.objects.select_related("organization").filter(pk=archive_pk).first()
    if archive is None or archive.is_ready:
        return
    cells = list(subtree_cells(archive.organization))
    CommitteeBooks.objects.filter(pk=archive.pk).update(cells_total=len(cells), cells_done=0)
    try:
        with tempfile.TemporaryFile() as spool:
            # The PDFs are compressed already: stored as they are.
            with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as archive_zip:
                for index, cell in enumerate(cells, start=1):
                    book = stored_minutes_book(cell, archive.year, site_url=site_url)
                    archive_zip.writestr(entry_name(index, cell, archive.year), read_book(book))
                    CommitteeBooks.objects.filter(pk=archive.pk).update(cells_done=index)
            spool.seek(0)
            archive.file.save(
                f"so-bien-ban-{archive.organization.pk}-{archive.year}.zip",
                File(spool),
                save=False,
            )
    except Exception:
        CommitteeBooks.objects.filter(pk=archive.pk).update(
            status=CommitteeBooksStatus.FAILED, finished_at=timezone.now()
        )
        raise
    archive.status = CommitteeBooksStatus.READY
    archive.cells_total = archive.cells_done = len(cells)
    archive.finished_at = timezone.now()
    archive.save(update_fields=["file", "status", "cells_total", "cells_done", "finished_at"])
    earlier = CommitteeBooks.objects.filter(
        organization=archive.organization, year=archive.year
    ).exclude(pk=archive.pk)
    for old in earlier.exclude(status=CommitteeBooksStatus.PENDING):
        if old.file:
            old.file.delete(save=False)
        old.delete()


# ---------------------------------------------------------------- views


def _committee_for(user, pk, year):
    """The committee, if the user reviews its subtree: 404 to outsiders, 403 to others."""
    organization = get_organization_for(user, pk)
    check(access_for(user).can_review(organization))
    if organization.is_cell:
        raise Http404
    return organization


def _site_url(request):
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


@login_required
def committee_books(request, pk, year):
    """GET: the state of the zip for the records as they are; POST: ask for it."""
    organization = _committee_for(request.user, pk, year)
    if request.method == "POST":
        request_committee_books(organization, year, user=request.user, site_url=_site_url(request))
        return redirect("oversight:committee_books", pk=organization.pk, year=year)
    archive = current_committee_books(organization, year)
    pending = archive is not None and archive.status == CommitteeBooksStatus.PENDING
    context = {
        "organization": organization,
        "year": year,
        "archive": archive,
        "cells": subtree_cells(organization).count(),
        "refresh_seconds": REFRESH_SECONDS if pending else None,
    }
    return render(request, "oversight/committee_books.html", context)


@login_required
def committee_books_download(request, pk, year):
    organization = _committee_for(request.user, pk, year)
    archive = current_committee_books(organization, year)
    if archive is None or not archive.is_ready:
        return redirect("oversight:committee_books", pk=organization.pk, year=year)
    response = FileResponse(archive.file.open("rb"), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"so-bien-ban-{organization.pk}-{year}.zip"
    )
    return response
