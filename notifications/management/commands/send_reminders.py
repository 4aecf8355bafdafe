"""Send the day's reminders and retry held-back messages (cron, once a day; README)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from notifications.tasks import run_reminders


class Command(BaseCommand):
    help = "Send the day's reminders by email and retry messages a temporary failure held back."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to remind for (YYYY-MM-DD); default today")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            today = parse_date(date)
            if today is None:
                raise CommandError("--date: write the day as YYYY-MM-DD.")
        result = run_reminders(today)
        self.stdout.write(
            "{due} reminders due today, {delivered} sent now; "
            "{retried} earlier messages sent on retry.".format(**result)
        )
