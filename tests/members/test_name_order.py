"""The order of names: given name first, then the family and middle names, in the
Vietnamese alphabet (ă and â after a, đ after d, tones after the letters)."""

import importlib
import random

import pytest
from django.apps import apps
from django.db import connection
from faker import Faker

from cellmeet.text import name_sort_key
from members.models import Member
from tests.factories import MemberFactory

# Pairs in the order a Vietnamese list shows them, each chosen to break one rule.
TRICKY_PAIRS = [
    ("Lê Hoa", "Lê Thị Hoa"),  # a shorter family part that is a prefix comes first
    ("Lê Hoa", "Lê Anh Hoa"),  # ... even when the next word sorts before the given name
    ("Nguyễn Văn An", "Nguyễn Văn Anh"),  # a given name that is a prefix comes first
    ("Trần An", "Lê Ân"),  # â after a
    ("Trần Ăn", "Lê Ân"),  # ă before â
    ("Lê Dũng", "Lê Đạt"),  # đ after d, whatever follows
    ("Phạm Dương", "Đỗ Đức"),
    ("Hoàng Ha", "Hoàng Hà"),  # no tone, then grave ...
    ("Hoàng Hà", "Hoàng Hả"),  # ... hook ...
    ("Hoàng Hả", "Hoàng Hã"),  # ... tilde ...
    ("Hoàng Hã", "Hoàng Há"),  # ... acute ...
    ("Hoàng Há", "Hoàng Hạ"),  # ... dot below
    ("Hoàng Hạ", "Hoàng Hai"),  # the letters decide before the tones
    ("Bùi Thị Lan", "Bùi Thị Lân"),
    ("Vũ Ơn", "Vũ Un"),  # ơ (after o) before u
    ("Vũ Văn Tu", "Vũ Văn Tư"),  # ư after u
    ("Mai Văn Y", "Lê Văn Ý"),  # tone on the only letter
    ("Đỗ Bảo", "Đỗ Bảo Ngọc Bảo"),
]


def test_a_shorter_family_name_that_is_a_prefix_comes_first():
    assert name_sort_key("Lê Hoa") < name_sort_key("Lê Thị Hoa")
    assert name_sort_key("Lê Hoa") < name_sort_key("Lê Anh Hoa")


@pytest.mark.parametrize(("first", "second"), TRICKY_PAIRS)
def test_tricky_pairs_come_in_vietnamese_order(first, second):
    assert name_sort_key(first) < name_sort_key(second)


def test_a_name_without_family_part_comes_before_the_same_given_name_with_one():
    assert name_sort_key("Hoa") < name_sort_key("Lê Hoa")


def test_the_database_lists_members_in_that_order(world):
    names = ["Lê Thị Hoa", "Lê Anh Hoa", "Lê Hoa", "Trần Văn Hoà", "Nguyễn Thị Lan"]
    for name in names:
        MemberFactory(organization=world.cell, full_name=name)
    listed = list(
        Member.objects.filter(organization=world.cell)
        .in_vietnamese_order()
        .values_list("full_name", flat=True)
    )
    # "Nguyễn Thị Lan" is the world's own member; "Hoà" has a tone, so after "Hoa".
    assert listed == [
        "Lê Hoa",
        "Lê Anh Hoa",
        "Lê Thị Hoa",
        "Trần Văn Hoà",
        "Nguyễn Thị Lan",
        "Nguyễn Thị Lan",
    ]


def test_the_migration_resaves_every_stored_sort_key(world):
    for name in ["Lê Thị Hoa", "Lê Hoa", "Phạm Đức Ân"]:
        MemberFactory(organization=world.cell, full_name=name)
    Member.objects.update(sort_key="stale")  # as the old rule left them
    migration = importlib.import_module("members.migrations.0003_resave_name_sort_keys")

    migration.resave_name_sort_keys(apps, None)

    for full_name, sort_key in Member.objects.values_list("full_name", "sort_key"):
        assert sort_key == name_sort_key(full_name)


# ------------------------------------------------------------ against PostgreSQL's ICU


def generated_names(count, seed=2026):
    """Vietnamese names in their own order (family, middle, given), from Faker's
    vi_VN word lists. Faker's own name() writes them in Western order, with titles."""
    fake = Faker("vi_VN")
    fake.seed_instance(seed)
    chooser = random.Random(seed)
    given_names = [fake.first_name_male, fake.first_name_female, fake.first_name_unisex]
    names = []
    for _ in range(count):
        middle = [fake.middle_name() for _ in range(chooser.choice([0, 1, 1, 2]))]
        given = chooser.choice(given_names)()
        names.append(" ".join([fake.last_name(), *middle, given]))
    return names


def _icu_collation_present():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'vi-x-icu'")
        return cursor.fetchone() is not None


@pytest.mark.django_db
def test_our_order_is_postgresql_icu_vietnamese_order():
    """Our stored key sorts like PostgreSQL's ICU Vietnamese collation (CLDR "vi")
    applied first to the given name, then to the family and middle names.

    The tie-break compares the family and middle names, not the full name: for
    "Lê Hoa" and "Lê Anh Hoa" the full names differ at "Hoa" against "Anh", which
    would put "Lê Anh Hoa" first, while the domain rule (a shorter name that is a
    prefix comes first) puts "Lê Hoa" first. We follow the domain rule, and ICU
    agrees with it once it is given the family part on its own.
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    if not _icu_collation_present():
        pytest.skip('PostgreSQL has no "vi-x-icu" collation')
    names = generated_names(300) + [name for pair in TRICKY_PAIRS for name in pair]
    rows = [(index, name) for index, name in enumerate(names)]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE name_order (id integer, full_name text)")
        try:
            cursor.executemany("INSERT INTO name_order VALUES (%s, %s)", rows)
            cursor.execute(
                """
                SELECT full_name FROM name_order
                ORDER BY substring(full_name from '[^ ]+$') COLLATE "vi-x-icu",
                         coalesce(substring(full_name from '^(.*) [^ ]+$'), '')
                             COLLATE "vi-x-icu",
                         id
                """
            )
            icu_order = [full_name for (full_name,) in cursor.fetchall()]
        finally:
            cursor.execute("DROP TABLE name_order")
    ours = [name for _index, name in sorted(rows, key=lambda row: (name_sort_key(row[1]), row[0]))]
    assert len(set(names)) > 250  # enough different names to mean something
    assert ours == icu_order
