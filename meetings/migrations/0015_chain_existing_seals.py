"""Chain the minutes signed before the chain, cell by cell, in signing order.

Each keeps the fingerprint printed on its pages as `legacy_fingerprint` and gets the
chained one (meetings.chain.link_fingerprint, written out here so this migration
keeps meaning what it meant when it ran)."""

import hashlib

from django.db import migrations

CHAIN_FORMAT = "cellmeet-chain-1"
GENESIS = "0" * 64


def link_fingerprint(content_json, *, cell, sequence, previous):
    header = f"{CHAIN_FORMAT}\ncell {cell}\nsequence {sequence}\nprevious {previous}\n"
    return hashlib.sha256((header + content_json).encode("utf-8")).hexdigest()


def chain_existing_seals(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    sealed = (
        Meeting._base_manager.exclude(fingerprint="")
        .filter(chain_sequence__isnull=True)
        .order_by("organization_id", "signed_at", "pk")
        .values_list("pk", "organization_id", "signed_content", "fingerprint")
    )
    cell, sequence, previous = None, 0, GENESIS
    for pk, organization_id, content_json, fingerprint in sealed.iterator(chunk_size=500):
        if organization_id != cell:
            cell, sequence, previous = organization_id, 0, GENESIS
        sequence += 1
        chained = link_fingerprint(
            content_json, cell=organization_id, sequence=sequence, previous=previous
        )
        Meeting._base_manager.filter(pk=pk).update(
            chain_sequence=sequence,
            previous_fingerprint=previous,
            legacy_fingerprint=fingerprint,
            fingerprint=chained,
        )
        previous = chained


def unchain(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    for pk, legacy in (
        Meeting._base_manager.exclude(legacy_fingerprint="").values_list("pk", "legacy_fingerprint")
    ):
        Meeting._base_manager.filter(pk=pk).update(fingerprint=legacy)
    Meeting._base_manager.update(chain_sequence=None, previous_fingerprint="", legacy_fingerprint="")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0014_minutes_chain")]

    operations = [migrations.RunPython(chain_existing_seals, unchain)]
