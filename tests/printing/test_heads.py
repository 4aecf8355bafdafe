"""The superior countersigns, once a month, the heads of all its cells' chains: a cell's
tail rewritten or removed afterwards keeps its chain whole, but no longer matches what
the superior countersigned, and verify_records says so with the cell and sequence."""

import pytest
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse
from pymerkle import InmemoryTree

from meetings import chain
from meetings.models import Meeting
from printing import heads
from printing.integrity import check_chain, verify_records
from printing.models import TreeHead
from tests.printing.test_chain import chained, raw_update  # noqa: F401


def countersign(world, login):
    url = reverse("oversight:tree_heads", args=[world.commune.pk])
    return login(world.reviewer).post(url, follow=True)


def test_the_reviewer_countersigns_every_cells_head_with_one_button(chained, world, login):  # noqa: F811
    response = countersign(world, login)
    assert response.status_code == 200
    (head,) = TreeHead.objects.all()
    assert head.organization == world.commune and head.countersigned_by == world.reviewer
    by_cell = {item["cell"]: item for item in head.heads}
    assert by_cell[world.cell.pk] == {
        "cell": world.cell.pk,
        "sequence": 3,
        "fingerprint": chained[3].fingerprint,
    }
    assert by_cell[world.sibling_cell.pk]["sequence"] == 0  # no seal yet
    oracle = InmemoryTree(algorithm="sha256")
    for item in head.heads:
        oracle.append_entry(f"{item['cell']}:{item['sequence']}:{item['fingerprint']}".encode())
    assert head.root == oracle.get_root().hex()
    assert verify_records().ok

    assert countersign(world, login).status_code == 200  # the page says it is done
    with pytest.raises(heads.HeadError):
        heads.countersign_month(world.commune, user=world.reviewer)
    assert TreeHead.objects.count() == 1


def test_a_removed_tail_keeps_the_chain_whole_but_not_the_countersigned_head(
    chained,  # noqa: F811
    world,
    login,
    capsys,
):
    countersign(world, login)
    models.QuerySet(Meeting).filter(pk=chained[3].pk).delete()
    assert check_chain(list(chain.chained(world.cell.pk))) == []  # the chain alone is whole
    verification = verify_records()
    assert [str(finding) for finding in verification.findings] == [
        f"cell {world.cell.pk}, sequence 3: differs from the head countersigned by "
        f"{world.reviewer.get_username()} for {TreeHead.objects.get().month:02d}/"
        f"{TreeHead.objects.get().year}: records were rewritten or removed after it"
    ]
    with pytest.raises(CommandError):
        call_command("verify_records", "--cell", str(world.cell.pk))
    assert f"cell {world.cell.pk}: first broken at sequence 3" in capsys.readouterr().err


def test_a_rewritten_tail_with_fresh_fingerprints_is_found_at_the_head(chained, world, login):  # noqa: F811
    countersign(world, login)
    victim = Meeting.objects.get(pk=chained[3].pk)
    victim.signed_content = victim.signed_content.replace("Chi bộ", "Chi bo", 1)
    raw_update(
        victim, signed_content=victim.signed_content, fingerprint=chain.fingerprint_of(victim)
    )
    verification = verify_records()
    assert verification.first_broken() == {world.cell.pk: 3}
    assert any("differs from the head countersigned" in str(f) for f in verification.findings)


def test_an_altered_tree_head_is_found(chained, world, login):  # noqa: F811
    countersign(world, login)
    head = TreeHead.objects.get()
    head.heads[0]["sequence"] += 1
    head.save()
    problems = [str(finding) for finding in verify_records().findings]
    assert any("was altered" in problem for problem in problems)
    assert heads.check_heads() != []
