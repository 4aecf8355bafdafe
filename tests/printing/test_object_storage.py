"""Media on S3-compatible object storage (django-storages), against a local S3 server
that the test starts (moto in server mode on 127.0.0.1): what is stored lands in the
bucket, nothing on the local disk, and the views read it back."""

from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from cellmeet.storage import media_storages
from meetings.models import Meeting
from tests.helpers import complete, sign
from tests.printing.pdftools import pdf_metadata

BUCKET = "cellmeet-test"
KEY, SECRET = "test-key", "test/secret+key"


@pytest.fixture
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """The media storages switched to the bucket, as MEDIA_STORAGE_URL configures them."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    url = (
        f"s3://{KEY}:{SECRET.replace('/', '%2F').replace('+', '%2B')}@{BUCKET}/cellmeet"
        f"?endpoint_url={s3_endpoint}&region_name=us-east-1"
    )
    settings.STORAGES = {
        **settings.STORAGES,
        **media_storages({"MEDIA_STORAGE_URL": url}, settings.MEDIA_ROOT),
    }

    def objects():
        listing = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
        return {
            item["Key"]: client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
            for item in listing
        }

    return objects


def local_files(settings):
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_signed_minutes_and_lead_reports_live_in_the_bucket(
    bucket, world, roster, make_meeting, login, settings, django_capture_on_commit_callbacks
):
    on_disk_before = local_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = sign(complete(make_meeting(), roster), world, roster)
    meeting.refresh_from_db()
    stored = bucket()
    key = f"cellmeet/private/{meeting.minutes_pdf.name}"
    assert key in stored
    assert pdf_metadata(stored[key])["/Keywords"] == meeting.fingerprint

    report = b"%PDF-1.4 bao cao de dan"
    thematic = Meeting.objects.get(pk=make_meeting(kind="thematic").pk)
    thematic.lead_report.save("bao-cao.pdf", ContentFile(report), save=True)
    assert bucket()[f"cellmeet/private/{thematic.lead_report.name}"] == report
    # A second file of the same name never replaces the first (S3 would, by default).
    other = Meeting.objects.get(
        pk=make_meeting(kind="thematic", when=meeting.scheduled_at.replace(month=11)).pk
    )
    other.lead_report.save("bao-cao.pdf", ContentFile(b"%PDF-1.4 another"), save=True)
    assert other.lead_report.name != thematic.lead_report.name
    assert bucket()[f"cellmeet/private/{thematic.lead_report.name}"] == report

    client = login(world.viewer)
    printed = client.get(reverse("printing:minutes_pdf", args=[meeting.pk]))
    assert printed.status_code == 200
    assert body(printed) == stored[key]
    downloaded = client.get(reverse("meetings:lead_report", args=[thematic.pk]))
    assert downloaded.status_code == 200
    assert body(downloaded) == report

    book = client.get(reverse("printing:minutes_book", args=[world.cell.pk, 2026]))
    assert book.status_code == 200  # printed at once by the tests' ImmediateBackend
    assert body(book) in bucket().values()
    assert local_files(settings) == on_disk_before


def test_media_storage_url_and_the_aws_variables_say_the_same():
    from_url = media_storages(
        {"MEDIA_STORAGE_URL": "s3://AK:S%2Fk@media/site?endpoint_url=https://s3.example.vn"}, "/m"
    )
    from_variables = media_storages(
        {
            "AWS_STORAGE_BUCKET_NAME": "media",
            "AWS_S3_ENDPOINT_URL": "https://s3.example.vn",
            "AWS_S3_ACCESS_KEY_ID": "AK",
            "AWS_S3_SECRET_ACCESS_KEY": "S/k",
            "AWS_LOCATION": "site",
        },
        "/m",
    )
    assert from_url == from_variables
    private = from_url["private"]["OPTIONS"]
    assert private["location"] == "site/private"
    assert private["secret_key"] == "S/k"
    assert private["addressing_style"] == "path"
    assert private["file_overwrite"] is False
    assert media_storages({}, "/m")["private"]["OPTIONS"]["location"] == "/m/private"
