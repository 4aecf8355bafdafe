"""Pages of a whole province: the cells under an organisation, grouped by the
organisation directly under it (a commune), so that a page shows 100 summary rows
linking down, not 2,000 cells (issue 23; the board does the same: board.by_direct_child).
"""

from members.models import Organization, ids_on_path


def direct_child_ids(organization, cells):
    """{id of the organisation directly under `organization`: [cells under it]}, or
    None when every cell stands directly under it (or is it): a commune's page is
    small and lists its cells. No query."""
    depth = len(ids_on_path(organization.path))
    by_child = {}
    deeper = False
    for cell in cells:
        ids = ids_on_path(cell.path)
        if len(ids) <= depth:  # the organisation is the cell itself
            return None
        deeper = deeper or len(ids) > depth + 1
        by_child.setdefault(ids[depth], []).append(cell)
    return by_child if deeper else None


def direct_children(organization, cells):
    """[(organisation directly under, [its cells])] in the order of the tree, or None
    (see direct_child_ids). One query, whatever the number of cells."""
    by_child = direct_child_ids(organization, cells)
    if by_child is None:
        return None
    children = Organization.objects.filter(pk__in=by_child).order_by("path")
    return [(child, by_child[child.pk]) for child in children]
