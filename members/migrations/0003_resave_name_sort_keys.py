"""Save every member's sort key again: the end-of-words mark used to sort above the
gap between words, so "Lê Thị Hoa" came before "Lê Hoa" (cellmeet.text)."""

from django.db import migrations

from cellmeet.text import name_sort_key

BATCH_SIZE = 1000


def resave_name_sort_keys(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    batch = []
    members = Member.objects.only("pk", "full_name", "sort_key").order_by("pk")
    for member in members.iterator(chunk_size=BATCH_SIZE):
        sort_key = name_sort_key(member.full_name)
        if member.sort_key != sort_key:
            member.sort_key = sort_key
            batch.append(member)
        if len(batch) >= BATCH_SIZE:
            Member.objects.bulk_update(batch, ["sort_key"])
            batch = []
    if batch:
        Member.objects.bulk_update(batch, ["sort_key"])


class Migration(migrations.Migration):
    dependencies = [("members", "0002_delegate_assignments_from_meetings")]

    operations = [
        # Going back leaves the new keys: the old order was the mistake.
        migrations.RunPython(resave_name_sort_keys, migrations.RunPython.noop, elidable=True),
    ]
