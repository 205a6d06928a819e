from django.core.management.base import BaseCommand, CommandError

from congvu.audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Kiểm tra nhật ký kiểm toán: `congvu audit verify` báo mục đầu tiên bị sửa."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        from congvu.audit.models import AuditEntry

        broken = audit_chain_verify()
        total = AuditEntry.objects.count()
        if broken is None:
            self.stdout.write(f"OK: {total} entries, chain intact")
            return
        raise CommandError(f"TAMPERED: first bad entry seq={broken.seq}: {broken.reason}")
