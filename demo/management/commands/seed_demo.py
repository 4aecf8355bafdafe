"""`manage.py seed_demo`: the demo organisation, accounts and year of meetings (dev only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import transaction
from django.utils import timezone

from cellmeet import jobs
from demo import dues, organization, year
from demo.rating import seed_rating


class Command(BaseCommand):
    help = (
        "Create fictional demo data: a province committee, the commune committee "
        "'Đảng bộ xã Yên Hòa' with 13 cells and about 270 members, and the demo accounts "
        f"bithu, canbo and admin (password '{organization.PASSWORD}'). Safe to run again: existing "
        "demo data is kept, nothing is duplicated. Refuses to run when DEBUG is False "
        "unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is False. Never do this on a production database: "
            "the demo accounts have a published password.",
        )

    @no_translations  # operators read English output
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create demo data: DEBUG is False, so this may be a production "
                "database, and the demo accounts have a published password. Nothing was "
                "changed. Use --force if this really is a test or demo server."
            )
        started = timezone.now()
        with transaction.atomic():
            report = organization.seed_demo()
            meetings_report = year.seed_meetings()
            rating_round = seed_rating()
            dues_report = dues.seed_dues()
        # The demo's printouts and messages must not hold up the first person's own.
        jobs.make_bulk(enqueued_since=started)
        self._print_report(report, meetings_report, rating_round, dues_report)

    def _print_report(self, report, meetings_report, rating_round, dues_report):
        write = self.stdout.write
        for created in report.organizations_created:
            write(f"Created {created.get_kind_display().lower()}: {created.name} [{created.code}]")
        if report.organizations_found:
            write(
                f"Found {len(report.organizations_found)} demo organisations already "
                "present (matched by code); left them as they are."
            )
        if report.cells_filled:
            write(
                f"Created {report.members_created} members and {report.positions_created} "
                f"cell positions (term {organization.TERM}) in {len(report.cells_filled)} cells."
            )
        if report.cells_skipped:
            write(f"Skipped {len(report.cells_skipped)} cells that already have members.")
        for username, outcome, role, _user in report.accounts:
            write(
                f"Account {username}: {outcome}; {role.get_kind_display().lower()} "
                f"of {role.organization.name}."
            )
        write(meetings_report.summary())
        if rating_round is not None:
            write(
                f"Rating of {rating_round.year} open in {rating_round.organization.name}: "
                f"{rating_round.assessments.count()} draft self-assessments."
            )
        write(dues_report.summary())
        for warning in report.warnings:
            write(self.style.WARNING(warning))

        write(self.style.SUCCESS("Demo data is ready."))
        write(f'Log in at {organization.LOGIN_URL} with the password "{organization.PASSWORD}" as:')
        for username, _outcome, role, user in report.accounts:
            name = " ".join(part for part in (user.last_name, user.first_name) if part)
            write(
                f"  {username:<6} {name} — {role.get_kind_display().lower()}, "
                f"{role.organization.name}"
            )
