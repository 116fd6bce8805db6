import json

from django.core.management.base import BaseCommand

from jxc.core.models import Organization
from jxc.inventory.verify import verify


class Command(BaseCommand):
    help = "Check the inventory invariants (balances equal the ledger, …) for every organization."

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="organization code (default: all)")

    def handle(self, *args, organization=None, **options):
        organizations = Organization.objects.all()
        if organization:
            organizations = organizations.filter(code=organization)
        failed = False
        for org in organizations:
            problems = verify(org)
            if problems:
                failed = True
                self.stdout.write(self.style.ERROR(f"{org.code}: {len(problems)} problem(s)"))
                for problem in problems:
                    self.stdout.write("  " + json.dumps(problem, ensure_ascii=False))
            else:
                self.stdout.write(self.style.SUCCESS(f"{org.code}: consistent"))
        if failed:
            raise SystemExit(1)
