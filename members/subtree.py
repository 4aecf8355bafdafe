"""The one rule of the organisation tree's subtrees.

An organisation's `path` lists its ancestors' ids, then its own
("/000000001/000000007/"): everything under it, and only that, has a path starting
with it, which one prefix filter on the indexed path finds. Every filter "this
organisation and everything under it" is made here.
"""

from django.db.models import Q

# The lookup from a model to its organisation's path, as most models reach it.
ORGANIZATION_PATH = "organization__path"


def under_path_q(path, path_lookup=ORGANIZATION_PATH):
    """Rows whose organisation's path (reached by `path_lookup`, e.g. "path",
    "cell__path", "meeting__organization__path") starts with `path`."""
    return Q(**{f"{path_lookup}__startswith": path})


def subtree_q(organization, path_lookup=ORGANIZATION_PATH):
    """Rows of the organisation and of everything under it."""
    return under_path_q(organization.path, path_lookup)


def is_under(organization, root):
    """Whether `organization` is `root` or lies under it (in memory, no query)."""
    return organization.path.startswith(root.path)
