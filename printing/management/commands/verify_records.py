"""manage.py verify_records: recompute every fingerprint and check every stored PDF."""

from django.core.management.base import BaseCommand, CommandError

from printing.integrity import verify_records


class Command(BaseCommand):
    help = (
        "Recompute the fingerprint of every signed minutes from its sealed content, check "
        "that the stored PDF exists and carries that fingerprint, and that a signed lead "
        "report is unchanged. Exits non-zero on any mismatch."
    )

    def add_arguments(self, parser):
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

    def handle(self, *args, render_missing=False, site_url="", **options):
        checks = verify_records(render_missing=render_missing, site_url=site_url)
        failed = [check for check in checks if not check.ok]
        for check in failed:
            self.stderr.write(
                f"meeting {check.meeting_id} ({check.fingerprint[:16]}): "
                + "; ".join(check.problems)
            )
        self.stdout.write(
            f"{len(checks)} signed records checked: {len(checks) - len(failed)} intact, "
            f"{len(failed)} with problems."
        )
        if failed:
            raise CommandError(f"{len(failed)} signed records failed verification.")
