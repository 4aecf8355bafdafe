"""manage.py verify_records: recompute every fingerprint, check every cell's chain, every
countersigned head and every stored PDF."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.models import Organization
from printing.archive import check_against_manifest
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
            "--manifest",
            help="Also check every file and record listed in this backup manifest "
            "(manifest.json of an archive; restore uses it on the staging copies).",
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

    def handle(
        self,
        *args,
        cell=None,
        province=None,
        manifest=None,
        render_missing=False,
        site_url="",
        **options,
    ):
        try:
            organizations = organizations_to_verify(cell=cell, province=province)
        except Organization.DoesNotExist as error:
            raise CommandError(f"There is no organisation {province}.") from error
        verification = verify_records(
            organizations=organizations, render_missing=render_missing, site_url=site_url
        )
        problems = self.manifest_problems(manifest) if manifest else []
        for problem in problems:
            self.stderr.write(problem)
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
        if problems:
            raise CommandError(f"{len(problems)} files or records differ from the backup.")
        if not verification.ok:
            raise CommandError(
                f"Verification failed: {len(verification.findings)} problems "
                f"in {len(verification.first_broken())} cells."
            )

    def manifest_problems(self, path):
        try:
            with open(path, encoding="utf-8") as handle:
                manifest = json.load(handle)
        except (OSError, ValueError) as error:
            raise CommandError(f"{path} is not a readable manifest: {error}") from error
        return check_against_manifest(manifest, Path(settings.MEDIA_ROOT))
