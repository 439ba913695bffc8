"""The read side's audit trail: sign-ins, CSV exports, custom report saves and shares, schedule changes and emails
sent, as rows of `app.audit_logs` (who, what, when, organization), written as the viewer under its scope."""

from __future__ import annotations

import json
from typing import Any

from readside.database import Scope, scoped


def record(
    scope: Scope,
    action: str,
    *,
    table_name: str | None = None,
    row_pk: int | None = None,
    new_values: dict[str, Any] | None = None,
    conn=None,
    engine=None,
) -> None:
    """Append one audit row for ``scope``'s user; in ``conn``'s transaction when given, so the audit row and the
    change it records commit together."""
    from sqlalchemy import text

    statement = text(
        """
        insert into app.audit_logs (organization_id, user_id, action, table_name, row_pk, new_values)
        values (:organization_id, :user_id, :action, :table_name, :row_pk, cast(:new_values as jsonb))
        """
    )
    values = {
        "organization_id": scope.organization_id,
        "user_id": scope.user_id,
        "action": action,
        "table_name": table_name,
        "row_pk": row_pk,
        "new_values": json.dumps(new_values or {}, default=str),
    }
    if conn is not None:
        conn.execute(statement, values)
        return
    with scoped(scope, engine) as own:
        own.execute(statement, values)
