"""Records per office × item × status, kept by the database itself (triggers on ``credit_record``).

The dashboards show how many records an office has in each status; counting them grows with the office's history
(an approved record stays for years). These counts are maintained by triggers on every INSERT, DELETE and change of
office, item or status, so that every path that writes records — the services, bulk imports, ``QuerySet.update`` in
the expiry task, a data migration — keeps them exact without having to remember to. The triggers are created by the
migration that made this table (PostgreSQL and SQLite). A dashboard reads at most 10 × 6 rows per office.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from credit.models.catalog import Item, Office


class RecordCount(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", verbose_name=_("报送处室"))
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+", verbose_name=_("信用信息事项"))
    status = models.CharField(_("状态"), max_length=12)
    n = models.BigIntegerField(_("记录数"), default=0)

    class Meta:
        verbose_name = _("记录数统计")
        verbose_name_plural = _("记录数统计")
        constraints = [models.UniqueConstraint(fields=["office", "item", "status"], name="record_count_unique")]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.item_id}/{self.status}: {self.n}"


# The trigger bodies, per database vendor (used by the migration and by ``recount`` in tests/benchmarks).
RECOUNT_SQL = (
    "DELETE FROM credit_recordcount",
    "INSERT INTO credit_recordcount (office_id, item_id, status, n) "
    "SELECT office_id, item_id, status, COUNT(*) FROM credit_record GROUP BY office_id, item_id, status",
)

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION credit_record_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE credit_recordcount SET n = n - 1
     WHERE office_id = OLD.office_id AND item_id = OLD.item_id AND status = OLD.status;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO credit_recordcount (office_id, item_id, status, n) VALUES (NEW.office_id, NEW.item_id, NEW.status, 1)
    ON CONFLICT (office_id, item_id, status) DO UPDATE SET n = credit_recordcount.n + 1;
  END IF;
  RETURN NULL;
END $$;
"""

TRIGGERS = {
    "postgresql": [
        _PG_FUNCTION,
        "CREATE TRIGGER credit_record_count_insert_delete AFTER INSERT OR DELETE ON credit_record "
        "FOR EACH ROW EXECUTE FUNCTION credit_record_count()",
        "CREATE TRIGGER credit_record_count_update AFTER UPDATE OF office_id, item_id, status ON credit_record "
        "FOR EACH ROW WHEN (OLD.office_id IS DISTINCT FROM NEW.office_id OR OLD.item_id IS DISTINCT FROM NEW.item_id "
        "OR OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION credit_record_count()",
    ],
    "sqlite": [
        "CREATE TRIGGER credit_record_count_insert AFTER INSERT ON credit_record BEGIN "
        "INSERT INTO credit_recordcount (office_id, item_id, status, n) VALUES (NEW.office_id, NEW.item_id, NEW.status, 1) "
        "ON CONFLICT (office_id, item_id, status) DO UPDATE SET n = n + 1; END",
        "CREATE TRIGGER credit_record_count_delete AFTER DELETE ON credit_record BEGIN "
        "UPDATE credit_recordcount SET n = n - 1 "
        "WHERE office_id = OLD.office_id AND item_id = OLD.item_id AND status = OLD.status; END",
        "CREATE TRIGGER credit_record_count_update AFTER UPDATE OF office_id, item_id, status ON credit_record "
        "WHEN OLD.office_id IS NOT NEW.office_id OR OLD.item_id IS NOT NEW.item_id OR OLD.status IS NOT NEW.status "
        "BEGIN "
        "UPDATE credit_recordcount SET n = n - 1 "
        "WHERE office_id = OLD.office_id AND item_id = OLD.item_id AND status = OLD.status; "
        "INSERT INTO credit_recordcount (office_id, item_id, status, n) VALUES (NEW.office_id, NEW.item_id, NEW.status, 1) "
        "ON CONFLICT (office_id, item_id, status) DO UPDATE SET n = n + 1; END",
    ],
}

DROP_TRIGGERS = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS credit_record_count_insert_delete ON credit_record",
        "DROP TRIGGER IF EXISTS credit_record_count_update ON credit_record",
        "DROP FUNCTION IF EXISTS credit_record_count()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS credit_record_count_insert",
        "DROP TRIGGER IF EXISTS credit_record_count_delete",
        "DROP TRIGGER IF EXISTS credit_record_count_update",
    ],
}
