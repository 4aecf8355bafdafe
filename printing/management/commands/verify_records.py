"""manage.py verify_records: recompute every fingerprint, check every cell's chain, every
countersigned head and every stored PDF."""

from django.core.management.base import BaseCommand, CommandError

from members.models import Organization
from printing.integrity import organizations_to_verify, verify_records


class Command(BaseCommand):
    help = (
        "Recompute the fingerprint of every signed minutes from its sealed content and its "
        "place in the cell's chain, check every link of every chain and every countersigned "
        "head, that the stored PDF exists and carries that fingerprint, and that a signed "
        "lead report is unchanged. Names each cell's first broken sequence. Exits non-zero "
        "on any mismatch."
    )

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--cell", type=int, help="Check only this cell (its id).")
        scope.add_argument(
            "--province",
            type=int,
            help="Check only the cells under this organisation (its id), e.g. a province.",
        )
        parser.add_argument(
            "--render-missing",
            action="store_true",
            help="Print and store, from the sealed content, any signed PDF not stored yet.",
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="Address for the QR code of PDFs printed now, when SITE_URL is not set.",
        )

    def handle(self, *args, cell=None, province=None, render_missing=False, site_url="", **opts):
        try:
            organizations = organizations_to_verify(cell=cell, province=province)
        except Organization.DoesNotExist as error:
            raise CommandError(f"There is no organisation {province}.") from error
        verification = verify_records(
            organizations=organizations, render_missing=render_missing, site_url=site_url
        )
        for finding in verification.findings:
            self.stderr.write(str(finding))
        for organization_id, sequence in verification.first_broken().items():
            self.stderr.write(f"cell {organization_id}: first broken at sequence {sequence}")
        checks = verification.checks
        failed = [check for check in checks if not check.ok]
        self.stdout.write(
            f"{len(checks)} signed records checked: {len(checks) - len(failed)} intact, "
            f"{len(failed)} with problems."
        )
        if not verification.ok:
            raise CommandError(
                f"Verification failed: {len(verification.findings)} problems "
                f"in {len(verification.first_broken())} cells."
            )
