"""PostgreSQL: the application role's rights, granted by the owner role (the one that runs the migrations).

Two roles (README, "数据库角色"):

* the **owner** runs ``migrate`` and owns every table, the purge function and the triggers;
* the **application** role (``DATABASE_URL`` of web, worker and beat) may read and write the portal's tables, but on
  the audit tables only ``SELECT`` and ``INSERT`` (no ``UPDATE``, ``DELETE``, ``TRUNCATE``; no ``INSERT`` into the
  purge checkpoints) and may call ``audit_purge_expired``. Not owning the tables, it can neither drop nor disable a
  trigger, and no setting of its session (``pgtrigger.ignore`` included) gives it back what it was not granted.

``grant_app_role`` is idempotent: run it after every ``migrate`` (new tables need their grants).
"""

from __future__ import annotations

from django.db import connections

AUDIT_TABLES = ("audit_auditevent", "audit_auditchaincheckpoint")
PURGE_FUNCTION = "audit_purge_expired(integer)"


class RoleSetupError(Exception):
    pass


def grant_app_role(role: str, *, using: str = "default") -> list[str]:
    """Grant ``role`` the application's rights on the current database and schema; return the statements run."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RoleSetupError("数据库角色只在 PostgreSQL 上设置。")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.rolsuper, pg_has_role(%s, t.tableowner, 'MEMBER'), current_database(), current_schema()"
            " FROM pg_roles r, pg_tables t WHERE r.rolname = %s AND t.tablename = %s AND t.schemaname = current_schema()",
            [role, role, AUDIT_TABLES[0]],
        )
        row = cursor.fetchone()
    if row is None:
        raise RoleSetupError(f"角色 {role} 不存在，或审计表尚未创建（请先以属主角色执行 migrate）。")
    superuser, owner, database, schema = row
    if superuser or owner:
        raise RoleSetupError(f"角色 {role} 是超级用户或审计表属主（或其成员），不能作为应用角色。")
    role_q, schema_q, audit_q = quote(role), quote(schema), ", ".join(quote(t) for t in AUDIT_TABLES)
    statements = [
        f"GRANT CONNECT ON DATABASE {quote(database)} TO {role_q}",
        f"GRANT USAGE ON SCHEMA {schema_q} TO {role_q}",
        # No objects of its own (PostgreSQL < 15 lets PUBLIC create in "public"): nothing to shadow a name with.
        f"REVOKE CREATE ON SCHEMA {schema_q} FROM PUBLIC, {role_q}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema_q} TO {role_q}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_q} TO {role_q}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit_q} FROM {role_q}",
        f"REVOKE INSERT ON {quote(AUDIT_TABLES[1])} FROM {role_q}",
        f"GRANT SELECT, INSERT ON {quote(AUDIT_TABLES[0])} TO {role_q}",
        f"GRANT SELECT ON {quote(AUDIT_TABLES[1])} TO {role_q}",
        f"GRANT EXECUTE ON FUNCTION {schema_q}.{PURGE_FUNCTION} TO {role_q}",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return statements
