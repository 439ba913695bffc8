"""`warehouse simulate --days N`: advance every generated organization by N business days.

Each day brings new records (customers, orders with lines, opportunities, support issues) and changes to old
ones, the way production data changes: orders are fulfilled and invoiced, amended or cancelled; invoices are paid,
some late; deals change stage and close; warranty claims are decided and resolved; issues are resolved and some
reopened; stock is counted and corrected. New rows carry the simulated day as their business time; every insert
and update carries the database's `now()` in `updated_at` (the trigger sets it on update), so incremental
extraction sees them as changes made now, including changes to old days.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from oltp.errors import WarehouseError
from oltp.synthetic.arrow import US_PER_DAY, US_PER_HOUR, day_number
from oltp.synthetic.context import Loader
from oltp.synthetic.domains.common import emails, join, numbered, person_names, round_div
from oltp.synthetic.scales import SCALES

STAGES = ("lead", "qualified", "proposal", "negotiation")
PROBABILITY = {"lead": 10, "qualified": 25, "proposal": 50, "negotiation": 75}


class SimulateError(WarehouseError):
    """Bad input to `warehouse simulate`, or nothing to simulate."""


@dataclass
class SimulateResult:
    days: int
    organizations: list[str]
    through: date | None = None
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def simulate(url: str, days: int, on_day=None) -> SimulateResult:
    import psycopg

    from oltp.migrate import alembic_url

    if days <= 0:
        raise SimulateError(f"--days must be a positive number of days, got {days}")
    libpq = alembic_url(url).replace("postgresql+psycopg://", "postgresql://", 1)
    started = time.perf_counter()
    with psycopg.connect(libpq) as conn:
        orgs = conn.execute(
            """select id, slug, settings -> 'synthetic' from app.organizations
               where settings ? 'synthetic' and deleted_at is null order by id"""
        ).fetchall()
        if not orgs:
            raise SimulateError("no generated organizations to simulate; run `warehouse generate` first")
        stale = [slug for _, slug, synthetic in orgs if "through" not in synthetic]
        if stale:
            raise SimulateError(
                f"organization(s) {', '.join(stale)} lack the simulator's state; regenerate them with --replace"
            )
        loader = Loader(conn)
        conn.commit()  # each simulated day below is its own transaction
        result = SimulateResult(days=days, organizations=[slug for _, slug, _ in orgs])
        updated: dict[str, int] = {}
        for _ in range(days):
            try:
                simulate_day(conn, loader, orgs, updated, result)
            except psycopg.Error as error:
                loader.forget_ids()
                raise SimulateError(
                    f"simulation failed after {result.through or 'the start'}: {str(error).splitlines()[0]}; "
                    "that day was rolled back"
                ) from None
            if on_day:
                on_day(result.through)
        conn.execute("analyze")
    result.inserted = dict(loader.rows)
    result.updated = updated
    result.seconds = time.perf_counter() - started
    return result


def simulate_day(conn, loader: Loader, orgs: list, updated: dict, result: SimulateResult) -> None:
    """One day for every organization, in one transaction."""
    with conn.transaction():
        for org_id, _slug, synthetic in orgs:
            day = date.fromisoformat(synthetic["through"]) + timedelta(days=1)
            OrgDay(conn, loader, org_id, synthetic, day, updated).run()
            synthetic["through"] = day.isoformat()
            conn.execute(
                """update app.organizations set settings = jsonb_set(settings, '{synthetic}', %s::jsonb)
                   where id = %s""",
                (json.dumps(synthetic), org_id),
            )
            result.through = day
        loader.sync_sequences()


class OrgDay:
    """One simulated day of one organization."""

    def __init__(self, conn, loader: Loader, org_id: int, synthetic: dict, day: date, updated: dict) -> None:
        self.conn = conn
        self.loader = loader
        self.org_id = org_id
        self.day = day
        self.day_number = day_number(day)
        self.updated = updated
        self.rng = np.random.default_rng([synthetic["seed"], synthetic["org_index"], self.day_number])
        scale = SCALES[synthetic["scale"]]
        weekday = day.weekday()
        self.rate = scale.orders_per_day * (0.3 if weekday >= 5 else 1.0)
        self.start_us = self.day_number * US_PER_DAY

    # -- helpers ---------------------------------------------------------------------------------------------
    def at(self, count: int) -> np.ndarray:
        """Business-hour timestamps on the simulated day."""
        return self.start_us + self.rng.integers(13 * 3600, 22 * 3600, count) * 1_000_000

    def column(self, sql: str, *params) -> list:
        return [row[0] for row in self.conn.execute(sql, (self.org_id, *params))]

    def rows(self, sql: str, *params) -> list[tuple]:
        return self.conn.execute(sql, (self.org_id, *params)).fetchall()

    def update(self, table: str, sql: str, params: tuple) -> int:
        count = self.conn.execute(sql, params).rowcount
        self.updated[table] = self.updated.get(table, 0) + count
        return count

    def insert(self, table: str, columns: dict) -> int:
        count = len(next(iter(columns.values())))
        return self.loader.copy(table, {"organization_id": np.full(count, self.org_id), **columns})

    def sample(self, ids: list, share: float) -> list:
        chosen = np.asarray(ids)[self.rng.random(len(ids)) < share] if ids else np.array([], dtype=np.int64)
        return [int(i) for i in chosen]

    # -- the day ---------------------------------------------------------------------------------------------
    def run(self) -> None:
        self.new_customers_and_orders()
        self.new_opportunities()
        self.new_issues()
        self.fulfil_and_invoice()
        self.collect_payments()
        self.amend_and_cancel()
        self.move_deals()
        self.decide_claims()
        self.resolve_and_reopen_issues()
        self.count_stock()

    def new_customers_and_orders(self) -> None:
        rng = self.rng
        products = self.rows(
            """select id, list_price, standard_cost, name from app.products
               where organization_id = %s and status = 'active' and deleted_at is null order by id"""
        )
        users = self.column(
            "select id from app.users where organization_id = %s and primary_role = 'sales' order by id"
        )
        existing = self.rows(
            """select c.id, c.payment_terms_days, c.tax_exempt from app.customers c
               where c.organization_id = %s and c.status in ('active', 'inactive') order by c.id"""
        )
        orders = int(rng.poisson(self.rate))
        new = int(rng.binomial(orders, 0.38))
        ids = self.loader.allocate("customers", new)
        at = self.at(new)
        first, last = person_names(rng, new)
        if new:
            owner = np.asarray(users)[rng.integers(0, len(users), new)]
            self.insert(
                "customers",
                {
                    "id": ids,
                    "customer_number": numbered("C", ids),
                    "name": join(first, " ", last),
                    "customer_type": ["residential"] * new,
                    "status": ["active"] * new,
                    "owner_user_id": owner,
                    "source": rng.choice(["referral", "website", "phone_inbound"], new).astype(object),
                    "email": emails(join(first, ".", last, ids.astype(str)), "mail.example"),
                    "acquired_at": at - US_PER_HOUR,
                    "became_customer_at": at,
                    "payment_terms_days": np.full(new, 15),
                    "created_at": at - US_PER_HOUR,
                },
            )
            contact_ids = self.loader.allocate("contacts", new)
            self.insert(
                "contacts",
                {
                    "id": contact_ids,
                    "customer_id": ids,
                    "first_name": first.astype(object),
                    "last_name": last.astype(object),
                    "is_primary": np.ones(new, bool),
                    "created_at": at - US_PER_HOUR,
                },
            )
        customer = np.concatenate(
            [
                ids,
                np.asarray([c[0] for c in existing], dtype=np.int64)[
                    rng.integers(0, max(1, len(existing)), orders - new)
                ]
                if existing
                else np.array([], np.int64),
            ]
        )
        terms = {c[0]: c[1] for c in existing} | {int(i): 15 for i in ids}
        exempt = {c[0]: c[2] for c in existing}
        count = len(customer)
        if count == 0 or not products:
            return
        order_ids = self.loader.allocate("orders", count)
        order_at = self.at(count)
        lines_per = 1 + rng.poisson(1.5, count)
        order_of_line = np.repeat(np.arange(count), lines_per)
        line_count = len(order_of_line)
        chosen = rng.integers(0, len(products), line_count)
        price = np.array([products[i][1] for i in chosen], dtype=object).astype(float)
        unit_price = np.round(price * 100).astype(np.int64)
        unit_cost = np.round(np.array([products[i][2] for i in chosen], dtype=object).astype(float) * 100).astype(
            np.int64
        )
        quantity = rng.integers(1, 3, line_count)
        line_total = quantity * unit_price
        taxed = np.array([not exempt.get(int(c), False) for c in customer])[order_of_line]
        tax = np.where(taxed, round_div(line_total * 700, 10_000), 0)
        subtotal = np.bincount(order_of_line, line_total, minlength=count).astype(np.int64)
        tax_total = np.bincount(order_of_line, tax, minlength=count).astype(np.int64)
        self.insert(
            "orders",
            {
                "id": order_ids,
                "order_number": numbered("SO", order_ids),
                "customer_id": customer,
                "status": ["confirmed"] * count,
                "order_date": np.full(count, self.day_number),
                "confirmed_at": order_at + US_PER_HOUR,
                "subtotal": subtotal,
                "discount_total": np.zeros(count, np.int64),
                "tax_total": tax_total,
                "shipping_total": np.zeros(count, np.int64),
                "total_amount": subtotal + tax_total,
                "payment_terms_days": np.array([terms.get(int(c), 30) for c in customer]),
                "created_at": order_at,
            },
        )
        line_number = np.arange(line_count) - np.repeat(np.cumsum(lines_per) - lines_per, lines_per) + 1
        self.insert(
            "order_line_items",
            {
                "id": self.loader.allocate("order_line_items", line_count),
                "order_id": order_ids[order_of_line],
                "line_number": line_number,
                "product_id": np.array([products[i][0] for i in chosen], dtype=np.int64),
                "description": [products[i][3] for i in chosen],
                "quantity": quantity * 1000,
                "unit_price": unit_price,
                "unit_cost": unit_cost,
                "tax_amount": tax,
                "line_total": line_total,
                "created_at": order_at[order_of_line],
            },
        )

    def new_opportunities(self) -> None:
        count = int(self.rng.poisson(self.rate * 0.25))
        customers = self.column(
            "select id from app.customers where organization_id = %s and customer_type = 'commercial' order by id"
        )
        if not count or not customers:
            return
        ids = self.loader.allocate("opportunities", count)
        at = self.at(count)
        self.insert(
            "opportunities",
            {
                "id": ids,
                "opportunity_number": numbered("OP", ids),
                "name": join("New enquiry #", ids.astype(str)),
                "customer_id": np.asarray(customers)[self.rng.integers(0, len(customers), count)],
                "stage": ["lead"] * count,
                "status": ["open"] * count,
                "probability": np.full(count, 1000),
                "amount": (self.rng.lognormal(9.3, 0.6, count) * 100).astype(np.int64),
                "expected_close_date": np.full(count, self.day_number + 45),
                "stage_entered_at": at,
                "created_at": at,
            },
        )

    def new_issues(self) -> None:
        count = int(self.rng.poisson(self.rate * 0.08))
        customers = self.column(
            "select id from app.customers where organization_id = %s and status = 'active' order by id"
        )
        slas = self.rows(
            """select priority, id, first_response_minutes, resolution_minutes from app.sla_configurations
               where organization_id = %s and is_active order by id"""
        )
        if not count or not customers or not slas:
            return
        ids = self.loader.allocate("issues", count)
        at = self.at(count)
        priority = self.rng.choice(["low", "normal", "high", "urgent"], count, p=[0.3, 0.45, 0.2, 0.05])
        sla = {row[0]: row[1:] for row in slas}
        self.insert(
            "issues",
            {
                "id": ids,
                "issue_number": numbered("ISS", ids),
                "customer_id": np.asarray(customers)[self.rng.integers(0, len(customers), count)],
                "priority": priority.astype(object),
                "status": ["new"] * count,
                "sla_configuration_id": np.array([sla[p][0] for p in priority], dtype=np.int64),
                "opened_at": at,
                "subject": ["Customer reported a problem"] * count,
                "created_at": at,
            },
        )
        # Business minutes run at about 9/24 of wall-clock minutes.
        response = np.array([sla[p][1] for p in priority], dtype=np.int64) * 60_000_000 * 24 // 9
        resolution = np.array([sla[p][2] for p in priority], dtype=np.int64) * 60_000_000 * 24 // 9
        self.insert(
            "sla_tracking",
            {
                "id": self.loader.allocate("sla_tracking", count),
                "issue_id": ids,
                "sla_configuration_id": np.array([sla[p][0] for p in priority], dtype=np.int64),
                "started_at": at,
                "response_due_at": at + response,
                "resolution_due_at": at + resolution,
                "status": ["active"] * count,
                "created_at": at,
            },
        )

    def fulfil_and_invoice(self) -> None:
        ready = self.column(
            """select id from app.orders where organization_id = %s and status in ('confirmed', 'in_progress')
               and order_date < %s order by id""",
            self.day,
        )
        chosen = self.sample(ready, 0.35)
        if not chosen:
            return
        at = int(self.at(1)[0])
        self.update(
            "orders",
            """
            update app.orders set status = 'completed', fulfilled_at = to_timestamp(%s / 1e6),
                completed_at = to_timestamp(%s / 1e6), invoice_number = 'INV-' || lpad(id::text, 7, '0'),
                invoice_issued_at = to_timestamp(%s / 1e6), invoice_date = %s::date,
                invoice_due_date = %s::date + payment_terms_days, payment_status = 'unpaid'
            where organization_id = %s and id = any(%s)""",
            (at, at, at, self.day, self.day, self.org_id, chosen),
        )
        rows = self.rows(
            """select id, total_amount, invoice_due_date, currency from app.orders
               where organization_id = %s and id = any(%s) order by id""",
            chosen,
        )
        self.insert(
            "payment_schedules",
            {
                "id": self.loader.allocate("payment_schedules", len(rows)),
                "order_id": [r[0] for r in rows],
                "installment_number": np.ones(len(rows), np.int64),
                "due_date": np.array([r[2] for r in rows], "datetime64[D]"),
                "amount_due": np.array([round(r[1] * 100) for r in rows], dtype=np.int64),
                "status": ["scheduled"] * len(rows),
                "currency": [r[3] for r in rows],
                "created_at": np.full(len(rows), at),
            },
        )
        self.conn.execute(
            """insert into app.revenue_recognition
                   (organization_id, order_id, order_line_item_id, recognized_on, amount, currency, recognition_method)
               select l.organization_id, l.order_id, l.id, %s, l.line_total, o.currency, 'point_in_time'
               from app.order_line_items l
               join app.orders o on o.organization_id = l.organization_id and o.id = l.order_id
               where l.organization_id = %s and l.order_id = any(%s) order by l.id""",
            (self.day, self.org_id, chosen),
        )

    def collect_payments(self) -> None:
        open_rows = self.rows(
            """select id, order_id, due_date from app.payment_schedules
               where organization_id = %s and status in ('scheduled', 'overdue', 'partially_paid') order by id"""
        )
        if not open_rows:
            return
        late = np.array([r[2] < self.day for r in open_rows])
        chance = np.where(late, 0.12, 0.06)
        chosen = [r[0] for r, pick in zip(open_rows, self.rng.random(len(open_rows)) < chance, strict=True) if pick]
        if not chosen:
            return
        at = int(self.at(1)[0])
        self.update(
            "payment_schedules",
            """
            update app.payment_schedules set amount_paid = amount_due, paid_at = to_timestamp(%s / 1e6), status = 'paid'
            where organization_id = %s and id = any(%s)""",
            (at, self.org_id, chosen),
        )
        self.update(
            "payment_schedules",
            """
            update app.payment_schedules set status = 'overdue'
            where organization_id = %s and status = 'scheduled' and due_date < %s""",
            (self.org_id, self.day),
        )
        self.update(
            "orders",
            """
            update app.orders o set amount_paid = s.paid,
                payment_status = case when s.paid >= o.total_amount then 'paid' when s.paid > 0 then 'partially_paid'
                                      else o.payment_status end,
                paid_at = case when s.paid >= o.total_amount then s.last_paid else o.paid_at end
            from (select order_id, sum(amount_paid) as paid, max(paid_at) as last_paid from app.payment_schedules
                  where organization_id = %s and order_id in (
                      select order_id from app.payment_schedules where organization_id = %s and id = any(%s))
                  group by order_id) s
            where o.organization_id = %s and o.id = s.order_id and o.payment_status <> 'written_off'""",
            (self.org_id, self.org_id, chosen, self.org_id),
        )

    def amend_and_cancel(self) -> None:
        open_orders = self.column(
            """select id from app.orders where organization_id = %s and status = 'confirmed'
               and invoice_number is null order by id"""
        )
        cancelled = self.sample(open_orders, 0.02)
        at = int(self.at(1)[0])
        if cancelled:
            self.update(
                "orders",
                """
                update app.orders set status = 'cancelled', cancelled_at = to_timestamp(%s / 1e6),
                    cancellation_reason = 'Customer cancelled'
                where organization_id = %s and id = any(%s)""",
                (at, self.org_id, cancelled),
            )
        amended = [i for i in self.sample(open_orders, 0.03) if i not in set(cancelled)]
        for order_id in amended:
            line = self.rows(
                """select id, line_number, unit_price, quantity, line_total, tax_amount from app.order_line_items
                   where organization_id = %s and order_id = %s order by line_number limit 1""",
                order_id,
            )
            if not line:
                continue
            line_id, _, unit_price, quantity, line_total, tax = line[0]
            extra = unit_price  # one more unit
            extra_tax = round(extra * (tax / line_total), 2) if line_total else 0
            self.update(
                "order_line_items",
                """
                update app.order_line_items set quantity = quantity + 1, line_total = line_total + %s,
                    tax_amount = tax_amount + %s where organization_id = %s and id = %s""",
                (extra, extra_tax, self.org_id, line_id),
            )
            self.update(
                "orders",
                """
                update app.orders set subtotal = subtotal + %s, tax_total = tax_total + %s,
                    total_amount = total_amount + %s + %s where organization_id = %s and id = %s""",
                (extra, extra_tax, extra, extra_tax, self.org_id, order_id),
            )
            self.insert(
                "order_amendments",
                {
                    "id": self.loader.allocate("order_amendments", 1),
                    "order_id": [order_id],
                    "order_line_item_id": [line_id],
                    "amendment_type": ["change_quantity"],
                    "amount_change": [round((extra + extra_tax) * 100)],
                    "reason": ["Customer added a unit"],
                    "amended_at": [at],
                    "before_state": [json.dumps({"quantity": float(quantity)})],
                    "after_state": [json.dumps({"quantity": float(quantity) + 1})],
                    "created_at": [at],
                },
            )

    def move_deals(self) -> None:
        rows = self.rows(
            "select id, stage from app.opportunities where organization_id = %s and status = 'open' order by id"
        )
        if not rows:
            return
        roll = self.rng.random(len(rows))
        at = int(self.at(1)[0])
        changes = []
        for (opportunity_id, stage), r in zip(rows, roll, strict=True):
            if r < 0.03:
                target = "won"
            elif r < 0.06:
                target = "lost"
            elif r < 0.16 and stage != "negotiation":
                target = STAGES[STAGES.index(stage) + 1]
            else:
                continue
            changes.append((opportunity_id, stage, target))
        for opportunity_id, _stage, target in changes:
            if target in ("won", "lost"):
                self.update(
                    "opportunities",
                    f"""
                    update app.opportunities set stage = %s, status = %s, probability = %s,
                        closed_at = to_timestamp(%s / 1e6), {target}_at = to_timestamp(%s / 1e6),
                        stage_entered_at = to_timestamp(%s / 1e6)
                    where organization_id = %s and id = %s""",
                    (target, target, 100 if target == "won" else 0, at, at, at, self.org_id, opportunity_id),
                )
            else:
                self.update(
                    "opportunities",
                    """
                    update app.opportunities set stage = %s, probability = %s, stage_entered_at = to_timestamp(%s / 1e6)
                    where organization_id = %s and id = %s""",
                    (target, PROBABILITY[target], at, self.org_id, opportunity_id),
                )
        if changes:
            count = len(changes)
            self.insert(
                "opportunity_activities",
                {
                    "id": self.loader.allocate("opportunity_activities", count),
                    "opportunity_id": [c[0] for c in changes],
                    "activity_type": ["stage_change"] * count,
                    "from_stage": [c[1] for c in changes],
                    "to_stage": [c[2] for c in changes],
                    "subject": ["Stage changed"] * count,
                    "occurred_at": np.full(count, at),
                    "created_at": np.full(count, at),
                },
            )

    def decide_claims(self) -> None:
        at = int(self.at(1)[0])
        pending = self.column(
            """select id from app.warranty_claims where organization_id = %s
               and status in ('submitted', 'under_review') order by id"""
        )
        decided = self.sample(pending, 0.2)
        approve = [c for c in decided if self.rng.random() < 0.75]
        reject = [c for c in decided if c not in set(approve)]
        if approve:
            self.update(
                "warranty_claims",
                """
                update app.warranty_claims set status = 'approved', approved_at = to_timestamp(%s / 1e6),
                    approved_amount = claimed_amount where organization_id = %s and id = any(%s)
                    and to_timestamp(%s / 1e6) >= coalesce(submitted_at, '-infinity')""",
                (at, self.org_id, approve, at),
            )
        if reject:
            self.update(
                "warranty_claims",
                """
                update app.warranty_claims set status = 'rejected', rejected_at = to_timestamp(%s / 1e6),
                    rejection_reason = 'Not covered by the policy' where organization_id = %s and id = any(%s)
                    and to_timestamp(%s / 1e6) >= coalesce(submitted_at, '-infinity')""",
                (at, self.org_id, reject, at),
            )
        approved = self.column(
            "select id from app.warranty_claims where organization_id = %s and status = 'approved' order by id"
        )
        resolved = self.sample(approved, 0.25)
        if resolved:
            self.update(
                "warranty_claims",
                """
                update app.warranty_claims set status = 'resolved', resolved_at = to_timestamp(%s / 1e6)
                where organization_id = %s and id = any(%s)
                  and to_timestamp(%s / 1e6) >= greatest(submitted_at, approved_at)""",
                (at, self.org_id, resolved, at),
            )

    def resolve_and_reopen_issues(self) -> None:
        at = int(self.at(1)[0])
        waiting = self.column(
            """select id from app.issues where organization_id = %s and status in ('new', 'open', 'reopened')
               and first_response_at is null and opened_at < to_timestamp(%s / 1e6) order by id""",
            at,
        )
        responded = self.sample(waiting, 0.7)
        if responded:
            self.update(
                "issues",
                """
                update app.issues set status = 'in_progress', first_response_at = to_timestamp(%s / 1e6)
                where organization_id = %s and id = any(%s)""",
                (at, self.org_id, responded),
            )
            self.update(
                "sla_tracking",
                """
                update app.sla_tracking set response_met_at = to_timestamp(%s / 1e6),
                    response_breached = to_timestamp(%s / 1e6) > response_due_at
                where organization_id = %s and issue_id = any(%s)""",
                (at, at, self.org_id, responded),
            )
        working = self.column(
            """select id from app.issues where organization_id = %s and status = 'in_progress'
               and first_response_at < to_timestamp(%s / 1e6) order by id""",
            at,
        )
        resolved = self.sample(working, 0.3)
        if resolved:
            self.update(
                "issues",
                """
                update app.issues set status = 'resolved', resolved_at = to_timestamp(%s / 1e6)
                where organization_id = %s and id = any(%s)""",
                (at, self.org_id, resolved),
            )
            self.update(
                "sla_tracking",
                """
                update app.sla_tracking set resolution_met_at = to_timestamp(%s / 1e6),
                    resolution_breached = to_timestamp(%s / 1e6) > resolution_due_at,
                    status = case when to_timestamp(%s / 1e6) > resolution_due_at or response_breached
                                  then 'breached' else 'met' end
                where organization_id = %s and issue_id = any(%s)""",
                (at, at, at, self.org_id, resolved),
            )
        done = self.column(
            """select id from app.issues where organization_id = %s and status = 'resolved'
               and resolved_at < to_timestamp(%s / 1e6) order by id""",
            at,
        )
        reopened = self.sample(done, 0.02)
        if reopened:
            self.update(
                "issues",
                """
                update app.issues set status = 'reopened', reopened_count = reopened_count + 1, resolved_at = null,
                    closed_at = null where organization_id = %s and id = any(%s)""",
                (self.org_id, reopened),
            )

    def count_stock(self) -> None:
        if self.day.weekday() != 4:  # stock is counted on Fridays
            return
        locations = self.column(
            "select id from app.locations where organization_id = %s and location_type = 'warehouse' order by id"
        )
        if not locations:
            return
        location = locations[0]
        items = self.rows(
            """select id, product_id, quantity_on_hand, average_cost from app.inventory
               where organization_id = %s and location_id = %s order by id""",
            location,
        )
        items = [items[i] for i in np.flatnonzero(self.rng.random(len(items)) < 0.2)]
        if not items:
            return
        at = int(self.at(1)[0])
        count_id = self.loader.allocate("stock_counts", 1)
        self.insert(
            "stock_counts",
            {
                "id": count_id,
                "count_number": numbered("SC", count_id),
                "location_id": [location],
                "count_type": ["cycle"],
                "status": ["completed"],
                "scheduled_date": [self.day_number],
                "started_at": [at - US_PER_HOUR],
                "counted_at": [at],
                "created_at": [at - US_PER_HOUR],
            },
        )
        on_hand = np.array([round(float(i[2]) * 1000) for i in items], dtype=np.int64)
        variance = np.where(self.rng.random(len(items)) < 0.3, self.rng.integers(-2, 2, len(items)) * 1000, 0)
        counted = np.maximum(on_hand + variance, 0)
        variance = counted - on_hand
        self.insert(
            "stock_count_items",
            {
                "id": self.loader.allocate("stock_count_items", len(items)),
                "stock_count_id": np.repeat(count_id, len(items)),
                "product_id": [i[1] for i in items],
                "expected_quantity": on_hand,
                "counted_quantity": counted,
                "counted_at": np.full(len(items), at),
                "created_at": np.full(len(items), at),
            },
        )
        corrected = np.flatnonzero(variance != 0)
        if len(corrected):
            self.insert(
                "inventory_movements",
                {
                    "id": self.loader.allocate("inventory_movements", len(corrected)),
                    "product_id": [items[i][1] for i in corrected],
                    "location_id": np.full(len(corrected), location),
                    "movement_type": ["count_correction"] * len(corrected),
                    "quantity": variance[corrected],
                    "stock_count_id": np.repeat(count_id, len(corrected)),
                    "occurred_at": np.full(len(corrected), at),
                    "created_at": np.full(len(corrected), at),
                },
            )
        for i in range(len(items)):
            self.update(
                "inventory",
                """
                update app.inventory set quantity_on_hand = %s, last_counted_at = to_timestamp(%s / 1e6)
                where organization_id = %s and id = %s""",
                (int(counted[i]) / 1000, at, self.org_id, items[i][0]),
            )
