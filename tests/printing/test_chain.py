"""Each cell's signed minutes form a chain: `verify_records` recomputes every
fingerprint from the sealed content and its place, checks every link, and names the
cell and the first broken sequence when a record is rewritten (even with a fresh
fingerprint, through `loaddata`), removed, inserted, moved, or its PDF replaced."""

import json

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, models, transaction

from meetings import chain
from meetings.models import Meeting
from printing import pdf
from printing.integrity import verify_records

SITE = "https://chibo.example"


@pytest.fixture
def chained(book_year, world):
    """The cell's three signed minutes (signed June, March, September: that order is
    the chain's), each with its stored PDF, by sequence."""
    records = list(chain.chained(world.cell.pk))
    for meeting in records:
        pdf.store_signed_minutes(meeting, site_url=SITE)
    return {meeting.chain_sequence: Meeting.objects.get(pk=meeting.pk) for meeting in records}


def raw_update(meeting, **fields):
    """Change a row behind the application's back, as anyone with database access can."""
    assignments = ", ".join(f"{name} = %s" for name in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE meetings_meeting SET {assignments} WHERE id = %s",  # noqa: S608
            [*fields.values(), meeting.pk],
        )


def findings_text(verification):
    return [str(finding) for finding in verification.findings]


def test_signing_links_each_seal_to_the_previous_one_in_signing_order(chained, world):
    assert sorted(chained) == [1, 2, 3]
    assert chained[1].previous_fingerprint == chain.GENESIS
    assert chained[2].previous_fingerprint == chained[1].fingerprint
    assert chained[3].previous_fingerprint == chained[2].fingerprint
    # Signed in the order June, March, September (tests/printing/conftest.py).
    assert [chained[n].month for n in (1, 2, 3)] == [6, 3, 9]
    for meeting in chained.values():
        assert meeting.fingerprint == chain.fingerprint_of(meeting)


def test_the_fingerprint_covers_the_cell_the_sequence_and_the_previous_fingerprint(chained):
    meeting = chained[2]
    base = {
        "cell": meeting.organization_id,
        "sequence": 2,
        "previous": meeting.previous_fingerprint,
    }
    assert chain.link_fingerprint(meeting.signed_content, **base) == meeting.fingerprint
    for name, other in [("cell", meeting.organization_id + 1), ("sequence", 3), ("previous", "0")]:
        assert chain.link_fingerprint(meeting.signed_content, **{**base, name: other}) != (
            meeting.fingerprint
        )


def test_a_cell_cannot_hold_two_seals_at_one_place(chained):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_update(chained[3], chain_sequence=2)


def test_a_clean_archive_passes(chained, capsys):
    verification = verify_records()
    assert verification.ok, findings_text(verification)
    call_command("verify_records")
    assert "3 signed records checked: 3 intact, 0 with problems." in capsys.readouterr().out


def test_a_loaddata_rewrite_with_a_fresh_fingerprint_breaks_the_next_link(chained, world, tmp_path):
    victim = chained[2]
    content = json.loads(victim.signed_content)
    content["sections"]["conclusion"] = "Kết luận đã bị sửa."
    forged = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    victim.signed_content = forged
    victim.fingerprint = chain.fingerprint_of(victim)  # matches itself: the old check passed
    fixture = tmp_path / "rewrite.json"
    fixture.write_text(serializers.serialize("json", [victim]))
    call_command("loaddata", str(fixture), verbosity=0)
    assert Meeting.objects.get(pk=victim.pk).signed_content == forged

    verification = verify_records()
    assert not verification.ok
    assert verification.first_broken() == {world.cell.pk: 2}
    found = findings_text(verification)
    assert (
        f"cell {world.cell.pk}, sequence 3 (meeting {chained[3].pk}): does not link to "
        "sequence 2: a record was rewritten, inserted or moved"
    ) in found
    assert (
        f"cell {world.cell.pk}, sequence 2 (meeting {victim.pk}): the stored PDF carries "
        "another fingerprint"
    ) in found


def test_a_rewrite_whose_pdf_is_replaced_too_is_still_found_by_the_next_link(chained, world):
    victim = chained[2]
    victim.signed_content = victim.signed_content.replace("Chi bộ", "Chi bo", 1)
    fresh = chain.fingerprint_of(victim)
    raw_update(victim, signed_content=victim.signed_content, fingerprint=fresh, minutes_pdf="")
    pdf.store_signed_minutes(Meeting.objects.get(pk=victim.pk), site_url=SITE)
    verification = verify_records()
    assert verification.first_broken() == {world.cell.pk: 3}
    assert [finding.sequence for finding in verification.findings] == [3]


def test_a_removed_record_leaves_a_gap(chained, world, capsys):
    # The application refuses to delete signed minutes; a plain query does not.
    models.QuerySet(Meeting).filter(pk=chained[2].pk).delete()
    verification = verify_records()
    assert findings_text(verification) == [
        f"cell {world.cell.pk}, sequence 2: sequence 2 is missing: a signed record was removed"
    ]
    with pytest.raises(CommandError):
        call_command("verify_records")
    assert f"cell {world.cell.pk}: first broken at sequence 2" in capsys.readouterr().err


def test_an_inserted_record_is_found(chained, world):
    raw_update(chained[3], chain_sequence=4)
    forged = Meeting.objects.get(pk=chained[3].pk)
    forged.pk = forged.id = None
    forged.chain_sequence, forged.previous_fingerprint = 3, chained[2].fingerprint
    forged.signed_content = chained[2].signed_content.replace("Chi bộ", "Chi bo", 1)
    forged.fingerprint = chain.fingerprint_of(forged)
    forged.minutes_pdf = ""
    forged.is_current = False  # one regular meeting a month: the forgery hides beside it
    models.QuerySet(Meeting).bulk_create([forged])
    verification = verify_records()
    assert verification.first_broken() == {world.cell.pk: 3}
    found = findings_text(verification)
    assert any("sequence 3" in line and "the stored PDF is missing" in line for line in found)
    assert any(
        f"sequence 4 (meeting {chained[3].pk}): the sealed content does not match" in line
        for line in found
    )
    assert any(f"sequence 4 (meeting {chained[3].pk}): does not link" in line for line in found)


def test_reordered_records_are_found(chained, world):
    raw_update(chained[1], chain_sequence=99)
    raw_update(chained[2], chain_sequence=1)
    raw_update(chained[1], chain_sequence=2)
    verification = verify_records()
    assert verification.first_broken() == {world.cell.pk: 1}
    mismatched = {
        finding.sequence
        for finding in verification.findings
        if finding.problem == "the sealed content does not match its fingerprint"
    }
    assert mismatched == {1, 2}


def test_a_replaced_pdf_is_found(chained, world):
    with chained[1].minutes_pdf.open("rb") as handle:
        other = handle.read()
    with open(chained[3].minutes_pdf.path, "wb") as handle:
        handle.write(other)
    verification = verify_records()
    assert findings_text(verification) == [
        f"cell {world.cell.pk}, sequence 3 (meeting {chained[3].pk}): the stored PDF carries "
        "another fingerprint"
    ]


def test_verify_records_checks_only_the_cell_or_subtree_asked_for(chained, world, capsys):
    raw_update(chained[2], signed_content=chained[2].signed_content + " ")
    with pytest.raises(CommandError):
        call_command("verify_records", "--cell", str(world.cell.pk))
    with pytest.raises(CommandError):
        call_command("verify_records", "--province", str(world.superior.pk))
    call_command("verify_records", "--cell", str(world.sibling_cell.pk))
    call_command("verify_records", "--province", str(world.other_commune.pk))
    assert "0 signed records checked" in capsys.readouterr().out


def test_the_migration_chains_minutes_signed_before_the_chain_in_signing_order(chained, world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("meetings.migrations.0015_chain_existing_seals")
    legacy = {}
    for meeting in chained.values():  # as they stood before the chain
        legacy[meeting.pk] = chain.hashlib.sha256(meeting.signed_content.encode()).hexdigest()
        raw_update(
            meeting, fingerprint=legacy[meeting.pk], chain_sequence=None, previous_fingerprint=""
        )
    # June's PDF printed then, with the fingerprint of its content alone.
    raw_update(chained[1], minutes_pdf="")
    pdf.store_signed_minutes(Meeting.objects.get(pk=chained[1].pk), site_url=SITE)
    migration.chain_existing_seals(apps, None)
    rechained = {m.chain_sequence: m for m in chain.chained(world.cell.pk)}
    by_signing = sorted(chained.values(), key=lambda meeting: meeting.signed_at)
    assert [rechained[n].pk for n in (1, 2, 3)] == [meeting.pk for meeting in by_signing]
    for meeting in rechained.values():
        assert meeting.legacy_fingerprint == legacy[meeting.pk]
    assert rechained[1].fingerprint != legacy[chained[1].pk]
    # June's PDF still carries the fingerprint of the content alone: that verifies.
    verification = verify_records()
    assert verification.ok, findings_text(verification)
    raw_update(rechained[1], legacy_fingerprint="f" * 64)
    assert [finding.problem for finding in verify_records().findings] == [
        "the stored PDF carries another fingerprint"
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a real race needs row locks and separate sessions"
)
@pytest.mark.django_db(transaction=True)
def test_two_seals_at_the_same_moment_do_not_fork_the_chain(world, roster, make_meeting):
    from functools import partial

    from meetings import services
    from tests.helpers import at, complete
    from tests.meetings.test_concurrency import in_threads

    chair = roster["official"][0]
    chair.user = world.secretary
    chair.save()
    meetings = []
    for month in (3, 4):
        meeting = complete(make_meeting(when=at(2026, month, 5)), roster)
        services.finalize_minutes(meeting, user=world.secretary)
        services.sign_minutes(meeting, user=world.secretary, role="chair")
        meetings.append(meeting)
    last_signatures = [
        partial(
            services.sign_minutes, meeting, user=world.secretary, role="note_taker", on_paper=True
        )
        for meeting in meetings
    ]
    outcomes = in_threads(*last_signatures)
    assert all(isinstance(outcome, Meeting) for outcome in outcomes), outcomes
    sealed = list(chain.chained(world.cell.pk))
    assert [meeting.chain_sequence for meeting in sealed] == [1, 2]
    assert sealed[0].previous_fingerprint == chain.GENESIS
    assert sealed[1].previous_fingerprint == sealed[0].fingerprint
