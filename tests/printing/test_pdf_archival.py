"""The stored signed minutes are PDF/A-3u with the sealed record attached, and stay so
once PAdES-signed. The gate: pikepdf reads the PDF/A claim in the XMP (part 3,
conformance U), the output intent, embedded fonts, no JavaScript, no encryption and
the attachment with its AFRelationship; `qpdf --check` finds the file sound;
`pdffonts` lists only embedded Liberation fonts (no fallback). Full ISO validation
needs veraPDF (README)."""

import io
import json
import subprocess
import tempfile

import pikepdf
import pytest
from django.core.files.base import ContentFile

from meetings import chain
from printing import pdf
from printing.integrity import check_record
from tests.printing.test_pdf import certificate, validate_signatures  # noqa: F401

SITE = "https://chibo.example"


def stored(meeting):
    meeting = pdf.store_signed_minutes(meeting, site_url=SITE)
    with meeting.minutes_pdf.open("rb") as handle:
        return meeting, handle.read()


def _every_object_key(document):
    for obj in document.objects:
        if isinstance(obj, pikepdf.Dictionary):
            yield from obj.keys()


def assert_pdfa_3u(content):
    with pikepdf.open(io.BytesIO(content)) as document:
        assert not document.is_encrypted
        with document.open_metadata() as xmp:
            assert xmp.get("pdfaid:part") == "3"
            assert xmp.get("pdfaid:conformance") == "U"
        (intent,) = document.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        assert len(intent.DestOutputProfile.read_bytes()) > 0
        assert "/JavaScript" not in document.Root.get("/Names", {})
        assert not {"/JS", "/JavaScript"} & set(_every_object_key(document))
        for page in document.pages:
            for font in page.Resources.get("/Font", {}).values():
                descendants = font.get("/DescendantFonts", [font])
                for described in descendants:
                    descriptor = described.FontDescriptor
                    assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())
        associated = list(document.Root.AF)
        assert all("/AFRelationship" in spec for spec in associated)
        # WeasyPrint lists the one file specification twice in /AF.
        ours = [spec for spec in associated if spec.get("/UF") == pdf.SEALED_RECORD_NAME]
        assert ours and len({spec.objgen for spec in ours}) == 1
        assert ours[0].AFRelationship == "/Data"
        attached = document.attachments[pdf.SEALED_RECORD_NAME].get_file().read_bytes()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        checked = subprocess.run(["qpdf", "--check", file.name], capture_output=True)
        fonts = subprocess.run(["pdffonts", file.name], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    rows = fonts.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        name, columns = row.split()[0], row.split()
        assert "Liberation" in name, row  # no fallback font
        assert columns[-5] == "yes", row  # the "emb" column
    return json.loads(attached)


def test_the_stored_signed_minutes_pass_the_pdfa_gate(signed_meeting):
    meeting, content = stored(signed_meeting)
    attached = assert_pdfa_3u(content)
    assert attached["content"] == meeting.signed_content
    assert (attached["cell"], attached["sequence"]) == (meeting.organization_id, 1)
    # The attachment alone lets an auditor recompute the fingerprint.
    assert (
        attached["fingerprint"]
        == meeting.fingerprint
        == chain.link_fingerprint(
            attached["content"],
            cell=attached["cell"],
            sequence=attached["sequence"],
            previous=attached["previous_fingerprint"],
        )
    )
    assert check_record(meeting).ok


def test_a_pades_signed_pdfa_is_still_pdfa_and_its_signature_valid(
    certificate,  # noqa: F811
    settings,
    signed_meeting,
):
    settings.CELLMEET_SIGNING_CERT = certificate["cert"]
    settings.CELLMEET_SIGNING_KEY = certificate["key"]()
    meeting, content = stored(signed_meeting)
    validate_signatures(content, certificate["cert"])
    assert assert_pdfa_3u(content)["fingerprint"] == meeting.fingerprint


def test_drafts_and_downloads_of_drafts_stay_plain_pdf(make_meeting):
    content = pdf.render_minutes(make_meeting())
    with pikepdf.open(io.BytesIO(content)) as document:
        with document.open_metadata() as xmp:
            assert xmp.get("pdfaid:part") is None
        assert "/AF" not in document.Root


@pytest.mark.parametrize("change", ["content", "sequence"])
def test_verify_records_finds_a_pdf_whose_attached_record_differs(signed_meeting, change):
    meeting, content = stored(signed_meeting)
    with pikepdf.open(io.BytesIO(content)) as document:
        record = json.loads(document.attachments[pdf.SEALED_RECORD_NAME].get_file().read_bytes())
        if change == "content":
            record["content"] = record["content"].replace("Chi bộ", "Chi bo", 1)
        else:
            record["sequence"] = 7
        document.attachments[pdf.SEALED_RECORD_NAME] = pikepdf.AttachedFileSpec(
            document, json.dumps(record).encode(), filename=pdf.SEALED_RECORD_NAME
        )
        document.save(meeting.minutes_pdf.path)
    assert check_record(meeting).problems == [
        "the sealed record attached to the stored PDF does not match its fingerprint"
    ]


def test_a_pdf_stored_before_pdfa_without_an_attachment_still_verifies(signed_meeting):
    plain = pdf.render_minutes(signed_meeting, site_url=SITE)  # no attachment
    signed_meeting.minutes_pdf.save("older.pdf", ContentFile(plain), save=False)
    assert check_record(signed_meeting).ok
