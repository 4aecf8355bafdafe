"""How large a real cell gets, and the bounds derived from it, in one place.

Urban ward cells (chi bộ khu phố, chi bộ tổ dân phố) reach about 2,000 members; no real
cell is larger. Every form with a row per member must take that many rows, and no form
builds more rows than its bound, whatever count a POST claims: a claimed count of two
thousand million once held a worker for a minute, building and rendering rows, until
gunicorn killed it (and, on SQLite, kept other saves waiting for its write lock).

This module imports nothing, so that the settings can use it.
"""

# Members of the largest real cell.
LARGEST_CELL_MEMBERS = 2_000

# Rows an admin page offers for one record: a member's positions, a meeting's guests...
# (the attendance inline is one row per member: LARGEST_CELL_MEMBERS).
ADMIN_INLINE_ROWS = 100

# The one-page minutes form posts, per member, their attendance row's id, status and
# reason; everything else on it (its fields and every other row at its bound: 50 guests,
# 150 speeches, 50 tasks, 30 decisions) stays under MINUTES_OTHER_FIELDS.
# tests/test_formset_bounds.py checks both numbers against the forms.
MINUTES_FIELDS_PER_MEMBER = 3
MINUTES_OTHER_FIELDS = 3_000

# Django refuses a request with more fields than this (default 1,000, which stopped the
# minutes of a cell of about 300). The largest cell's minutes need at most
# 2,000 × 3 + 3,000 = 9,000; half as much again is kept as margin (a cell that grows
# past 2,000 still saves). DATA_UPLOAD_MAX_MEMORY_SIZE bounds the request's size too.
DATA_UPLOAD_MAX_NUMBER_FIELDS = (
    (LARGEST_CELL_MEMBERS * MINUTES_FIELDS_PER_MEMBER + MINUTES_OTHER_FIELDS) * 3 // 2
)
