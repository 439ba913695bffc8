"""Suppliers: vendors, purchase orders with receipts, approvals, amendments and landed costs, supplier pricing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from oltp.models import columns as col
from oltp.models.base import TIMESTAMPTZ, SoftDeleteMixin, TenantBase

PURCHASE_ORDER_STATUSES = (
    "draft",
    "pending_approval",
    "approved",
    "sent",
    "partially_received",
    "received",
    "closed",
    "cancelled",
)


class Supplier(SoftDeleteMixin, TenantBase):
    """A vendor the organization buys products and services from."""

    __tablename__ = "suppliers"
    __table_args__ = (
        UniqueConstraint("organization_id", "supplier_number"),
        {"comment": "Suppliers (vendors) with contact, terms and default purchasing currency."},
    )

    supplier_number: Mapped[str] = mapped_column(String(40), comment="Human reference, unique per organization.")
    name: Mapped[str] = mapped_column(String(200))
    legal_name: Mapped[str | None] = mapped_column(String(200))
    supplier_type: Mapped[str] = col.one_of(
        ("manufacturer", "distributor", "wholesaler", "service_provider", "carrier"),
        "What the supplier is to us.",
        default="distributor",
    )
    status: Mapped[str] = col.one_of(("active", "on_hold", "inactive"), "Whether we may order.", default="active")
    tax_number: Mapped[str | None] = mapped_column(String(40), comment="VAT or tax registration number.")
    email: Mapped[str | None] = mapped_column(String(320), comment="Address purchase orders are sent to.")
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str | None] = mapped_column(String(200), comment="Primary contact at the supplier.")
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120), comment="State, province or county.")
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2), comment="ISO 3166-1 alpha-2 country code.")
    currency: Mapped[str] = col.currency("ISO 4217 code the supplier invoices in by default.")
    payment_terms_days: Mapped[int] = col.count("Days after invoice that payment is due.", default=30)
    default_lead_time_days: Mapped[int | None] = col.count(
        "Quoted days from order to delivery.", nullable=True, default=None
    )
    minimum_order_amount: Mapped[Decimal | None] = col.money(
        "Smallest order the supplier accepts, in the supplier's currency.", nullable=True, default=None
    )
    account_manager_user_id: Mapped[int | None] = col.fk("users", "Our buyer responsible for the supplier.")
    external_ref: Mapped[str | None] = mapped_column(String(100), comment="Key in the accounting system.")
    notes: Mapped[str | None] = mapped_column(Text)


class SupplierPerformanceMetric(TenantBase):
    """Delivery performance of one supplier over one period."""

    __tablename__ = "supplier_performance_metrics"
    __table_args__ = (
        UniqueConstraint("organization_id", "supplier_id", "period_start", "period_end"),
        CheckConstraint("period_end >= period_start", name="period_end_after_start"),
        Index(None, "organization_id", "period_start"),
        {"comment": "Supplier scorecards per period: on-time, fill and defect rates, lead time, spend."},
    )

    supplier_id: Mapped[int] = col.fk("suppliers", nullable=False)
    period_start: Mapped[date] = mapped_column(comment="First day of the period.")
    period_end: Mapped[date] = mapped_column(comment="Last day of the period.")
    on_time_delivery_rate: Mapped[Decimal | None] = col.percent(
        "Share of receipts on or before the expected date; NULL without receipts.", nullable=True, default=None
    )
    fill_rate: Mapped[Decimal | None] = col.percent(
        "Share of ordered quantity received; NULL without orders due.", nullable=True, default=None
    )
    defect_rate: Mapped[Decimal | None] = col.percent(
        "Share of received quantity rejected; NULL without receipts.", nullable=True, default=None
    )
    average_lead_time_days: Mapped[Decimal | None] = col.quantity(
        "Mean days from order to receipt.", nullable=True, default=None
    )
    purchase_order_count: Mapped[int] = col.count("Purchase orders placed in the period.")
    spend: Mapped[Decimal] = col.money("Purchase order value placed in the period, in the organization's currency.")
    computed_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the metrics were calculated."
    )


class PurchaseOrder(SoftDeleteMixin, TenantBase):
    """An order placed with a supplier."""

    __tablename__ = "purchase_orders"
    __table_args__ = (
        UniqueConstraint("organization_id", "po_number"),
        CheckConstraint(
            "total_amount = subtotal - discount_amount + tax_amount + shipping_amount", name="total_consistent"
        ),
        CheckConstraint("discount_amount <= subtotal", name="discount_within_subtotal"),
        CheckConstraint(
            "expected_delivery_date is null or expected_delivery_date >= order_date", name="expected_after_order"
        ),
        CheckConstraint("status <> 'received' or received_at is not null", name="received_has_received_at"),
        Index(None, "organization_id", "supplier_id"),
        Index(None, "organization_id", "order_date"),
        {"comment": "Purchase orders to suppliers; amounts in the order currency."},
    )

    po_number: Mapped[str] = mapped_column(String(40), comment="Human reference, unique per organization.")
    supplier_id: Mapped[int] = col.fk("suppliers", nullable=False)
    location_id: Mapped[int | None] = col.fk("locations", "Location the goods are delivered to.")
    status: Mapped[str] = col.one_of(PURCHASE_ORDER_STATUSES, "Purchase order lifecycle.", default="draft")
    order_date: Mapped[date] = mapped_column(server_default=func.current_date(), comment="Business date of the order.")
    expected_delivery_date: Mapped[date | None] = mapped_column(comment="Delivery date promised by the supplier.")
    currency: Mapped[str] = col.currency()
    subtotal: Mapped[Decimal] = col.money("Sum of line totals.")
    discount_amount: Mapped[Decimal] = col.money("Order-level discount.")
    tax_amount: Mapped[Decimal] = col.money("Tax charged by the supplier.")
    shipping_amount: Mapped[Decimal] = col.money("Shipping charged on the order itself (other landed costs apart).")
    total_amount: Mapped[Decimal] = col.money("subtotal - discount_amount + tax_amount + shipping_amount.")
    payment_terms_days: Mapped[int | None] = col.count("Payment terms of this order.", nullable=True, default=None)
    supplier_order_ref: Mapped[str | None] = mapped_column(String(100), comment="Supplier's confirmation number.")
    created_by_user_id: Mapped[int | None] = col.fk("users", "Buyer who created the order.")
    approved_by_user_id: Mapped[int | None] = col.fk("users", "Final approver.")
    approved_at: Mapped[datetime | None] = col.timestamp("When the final approval was given.")
    sent_at: Mapped[datetime | None] = col.timestamp("When the order was sent to the supplier.")
    received_at: Mapped[datetime | None] = col.timestamp("When the order was fully received.")
    closed_at: Mapped[datetime | None] = col.timestamp()
    cancelled_at: Mapped[datetime | None] = col.timestamp()
    notes: Mapped[str | None] = mapped_column(Text)


class PurchaseOrderItem(TenantBase):
    """A line of a purchase order."""

    __tablename__ = "purchase_order_items"
    __table_args__ = (
        UniqueConstraint("organization_id", "purchase_order_id", "line_number"),
        CheckConstraint("quantity_ordered > 0", name="quantity_ordered_positive"),
        Index(None, "organization_id", "product_id"),
        {"comment": "Purchase order lines; quantity_received may exceed quantity_ordered (over-receipt)."},
    )

    purchase_order_id: Mapped[int] = col.fk("purchase_orders", nullable=False, ondelete="CASCADE")
    line_number: Mapped[int] = col.count("Position on the order.", default=None)
    product_id: Mapped[int | None] = col.fk("products", "Catalog product; NULL for a free-text line.")
    supplier_sku: Mapped[str | None] = mapped_column(String(80), comment="Supplier's item code.")
    description: Mapped[str] = mapped_column(Text, comment="Line text as sent to the supplier.")
    quantity_ordered: Mapped[Decimal] = col.quantity("Units ordered.", default=None)
    quantity_received: Mapped[Decimal] = col.quantity("Units accepted so far, summed from receipts.")
    unit_cost: Mapped[Decimal] = col.money("Price per unit in the order currency.")
    discount_amount: Mapped[Decimal] = col.money("Line discount.")
    line_total: Mapped[Decimal] = col.money("quantity_ordered * unit_cost - discount_amount.")
    expected_delivery_date: Mapped[date | None] = mapped_column(comment="Line-level promised date, if it differs.")


class PurchaseOrderReceipt(TenantBase):
    """One delivery received against a purchase order."""

    __tablename__ = "purchase_order_receipts"
    __table_args__ = (
        UniqueConstraint("organization_id", "receipt_number"),
        Index(None, "organization_id", "purchase_order_id"),
        Index(None, "organization_id", "received_at"),
        {"comment": "Goods receipts against purchase orders."},
    )

    receipt_number: Mapped[str] = mapped_column(String(40), comment="Human reference, unique per organization.")
    purchase_order_id: Mapped[int] = col.fk("purchase_orders", nullable=False)
    location_id: Mapped[int | None] = col.fk("locations", "Location the goods arrived at.")
    status: Mapped[str] = col.one_of(("draft", "posted", "cancelled"), "Receipt lifecycle.", default="posted")
    received_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the delivery arrived."
    )
    received_by_user_id: Mapped[int | None] = col.fk("users", "Who checked the delivery in.")
    carrier: Mapped[str | None] = mapped_column(String(120))
    carrier_tracking_ref: Mapped[str | None] = mapped_column(String(100), comment="Carrier's tracking number.")
    packing_slip_ref: Mapped[str | None] = mapped_column(String(100), comment="Supplier's delivery note number.")
    notes: Mapped[str | None] = mapped_column(Text)


class PurchaseOrderReceiptItem(TenantBase):
    """Quantity of one purchase order line delivered in one receipt (accepted = received - rejected)."""

    __tablename__ = "purchase_order_receipt_items"
    __table_args__ = (
        UniqueConstraint("organization_id", "purchase_order_receipt_id", "purchase_order_item_id"),
        CheckConstraint("quantity_rejected <= quantity_received", name="rejected_within_received"),
        CheckConstraint("quantity_received > 0", name="quantity_received_positive"),
        Index(None, "organization_id", "purchase_order_item_id"),
        {"comment": "Lines of goods receipts: delivered and rejected quantities."},
    )

    purchase_order_receipt_id: Mapped[int] = col.fk("purchase_order_receipts", nullable=False, ondelete="CASCADE")
    purchase_order_item_id: Mapped[int] = col.fk("purchase_order_items", nullable=False)
    warehouse_location_id: Mapped[int | None] = col.fk("warehouse_locations", "Bin the goods were put away in.")
    quantity_received: Mapped[Decimal] = col.quantity("Units delivered, including rejected ones.", default=None)
    quantity_rejected: Mapped[Decimal] = col.quantity("Units of the delivery rejected (damaged, wrong, defective).")
    rejection_reason: Mapped[str | None] = mapped_column(Text)


class PurchaseOrderApprovalRule(TenantBase):
    """A rule: purchase orders from ``min_amount`` on need approval by a role or a user."""

    __tablename__ = "purchase_order_approval_rules"
    __table_args__ = (
        CheckConstraint("max_amount is null or max_amount >= min_amount", name="max_above_min"),
        CheckConstraint("num_nonnulls(approver_role_id, approver_user_id) = 1", name="one_approver"),
        {"comment": "Approval thresholds for purchase orders."},
    )

    name: Mapped[str] = mapped_column(String(120))
    min_amount: Mapped[Decimal] = col.money("Order total (organization currency) from which the rule applies.")
    max_amount: Mapped[Decimal | None] = col.money(
        "Order total up to which the rule applies; NULL for no upper bound.", nullable=True, default=None
    )
    approver_role_id: Mapped[int | None] = col.reference_fk(
        "roles", "Any user with this role may approve.", nullable=True
    )
    approver_user_id: Mapped[int | None] = col.fk("users", "This specific user must approve.")
    location_id: Mapped[int | None] = col.fk("locations", "Limit the rule to orders for one location.")
    step: Mapped[int] = col.count("Order of the approval step when several rules apply.", default=1)
    is_active: Mapped[bool] = mapped_column(server_default="true")


class PurchaseOrderApproval(TenantBase):
    """An approval request of a purchase order and its decision."""

    __tablename__ = "purchase_order_approvals"
    __table_args__ = (
        CheckConstraint("(decision is null) = (decided_at is null)", name="decided_at_with_decision"),
        CheckConstraint("decided_at is null or decided_at >= requested_at", name="decided_after_requested"),
        Index(None, "organization_id", "purchase_order_id"),
        {"comment": "Approval steps of purchase orders; decision NULL while pending."},
    )

    purchase_order_id: Mapped[int] = col.fk("purchase_orders", nullable=False, ondelete="CASCADE")
    approval_rule_id: Mapped[int | None] = col.fk("purchase_order_approval_rules", "Rule that required the step.")
    approver_user_id: Mapped[int] = col.fk("users", "Who is asked to decide.", nullable=False)
    step: Mapped[int] = col.count("Sequence of the step.", default=1)
    amount: Mapped[Decimal] = col.money("Order total submitted for approval, in the order currency.")
    requested_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When approval was requested."
    )
    decision: Mapped[str | None] = col.one_of(("approved", "rejected"), "Outcome; NULL while pending.", nullable=True)
    decided_at: Mapped[datetime | None] = col.timestamp("When the approver decided.")
    comments: Mapped[str | None] = mapped_column(Text)


class PurchaseOrderAmendment(TenantBase):
    """A change made to a purchase order after it was approved or sent."""

    __tablename__ = "purchase_order_amendments"
    __table_args__ = (
        Index(None, "organization_id", "purchase_order_id"),
        {"comment": "Field-level change log of purchase orders with the resulting amount change."},
    )

    purchase_order_id: Mapped[int] = col.fk("purchase_orders", nullable=False, ondelete="CASCADE")
    purchase_order_item_id: Mapped[int | None] = col.fk("purchase_order_items", "Line changed; NULL for the header.")
    field_name: Mapped[str] = mapped_column(String(80), comment="Name of the changed field, e.g. quantity_ordered.")
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    amount_change: Mapped[Decimal] = col.money(
        "Change of the order total in the order currency; signed because amendments can lower it.", signed=True
    )
    reason: Mapped[str | None] = mapped_column(Text)
    amended_by_user_id: Mapped[int | None] = col.fk("users")
    amended_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the amendment was made."
    )


class PurchaseOrderCost(TenantBase):
    """A landed cost of a purchase order: freight, duty, insurance or handling."""

    __tablename__ = "purchase_order_costs"
    __table_args__ = (
        Index(None, "organization_id", "purchase_order_id"),
        {"comment": "Landed costs of purchase orders, allocated onto received units."},
    )

    purchase_order_id: Mapped[int] = col.fk("purchase_orders", nullable=False, ondelete="CASCADE")
    cost_type: Mapped[str] = col.one_of(("freight", "duty", "insurance", "handling", "other"), "Kind of landed cost.")
    amount: Mapped[Decimal] = col.money("Cost amount in this row's currency.")
    currency: Mapped[str] = col.currency()
    supplier_id: Mapped[int | None] = col.fk(
        "suppliers", "Who billed the cost (carrier, broker); NULL if the PO supplier."
    )
    allocation_method: Mapped[str] = col.one_of(
        ("by_value", "by_quantity", "by_weight"), "How the cost is spread over the lines.", default="by_value"
    )
    invoice_ref: Mapped[str | None] = mapped_column(String(100), comment="Invoice number of the cost.")
    incurred_on: Mapped[date | None] = mapped_column(comment="Date of the cost.")
    description: Mapped[str | None] = mapped_column(Text)


class PriceAgreement(TenantBase):
    """A negotiated purchase price of a product with a supplier."""

    __tablename__ = "price_agreements"
    __table_args__ = (
        UniqueConstraint("organization_id", "supplier_id", "product_id", "min_quantity", "valid_from"),
        CheckConstraint("valid_to is null or valid_to >= valid_from", name="valid_to_after_from"),
        CheckConstraint("min_quantity > 0", name="min_quantity_positive"),
        Index(None, "organization_id", "product_id"),
        {"comment": "Contracted supplier prices with validity and minimum quantity."},
    )

    supplier_id: Mapped[int] = col.fk("suppliers", nullable=False)
    product_id: Mapped[int] = col.fk("products", nullable=False)
    agreement_ref: Mapped[str | None] = mapped_column(String(100), comment="Contract number.")
    status: Mapped[str] = col.one_of(("draft", "active", "expired", "cancelled"), "Agreement state.", default="active")
    unit_cost: Mapped[Decimal] = col.money("Agreed price per unit.")
    currency: Mapped[str] = col.currency()
    min_quantity: Mapped[Decimal] = col.quantity("Minimum order quantity for the agreed price.", default=1)
    valid_from: Mapped[date] = mapped_column(server_default=func.current_date(), comment="First day of validity.")
    valid_to: Mapped[date | None] = mapped_column(comment="Last day of validity; NULL while open-ended.")
    notes: Mapped[str | None] = mapped_column(Text)


class SupplierPriceList(TenantBase):
    """A supplier's current catalog price for one product."""

    __tablename__ = "supplier_price_lists"
    __table_args__ = (
        UniqueConstraint("organization_id", "supplier_id", "product_id", "valid_from"),
        CheckConstraint("valid_to is null or valid_to >= valid_from", name="valid_to_after_from"),
        Index(None, "organization_id", "product_id"),
        {"comment": "Supplier catalog prices per product."},
    )

    supplier_id: Mapped[int] = col.fk("suppliers", nullable=False)
    product_id: Mapped[int] = col.fk("products", nullable=False)
    supplier_sku: Mapped[str | None] = mapped_column(String(80), comment="Supplier's item code.")
    unit_cost: Mapped[Decimal] = col.money("Supplier's price per unit.")
    currency: Mapped[str] = col.currency()
    min_order_quantity: Mapped[Decimal] = col.quantity("Smallest quantity the supplier sells.", default=1)
    pack_size: Mapped[Decimal] = col.quantity("Units per pack the supplier ships.", default=1)
    lead_time_days: Mapped[int | None] = col.count("Supplier's quoted lead time.", nullable=True, default=None)
    is_preferred: Mapped[bool] = mapped_column(server_default="false", comment="Preferred source for the product.")
    valid_from: Mapped[date] = mapped_column(server_default=func.current_date(), comment="First day of validity.")
    valid_to: Mapped[date | None] = mapped_column(comment="Last day of validity; NULL while current.")


class SupplierPriceHistory(TenantBase):
    """One change of a supplier's price for a product."""

    __tablename__ = "supplier_price_history"
    __table_args__ = (
        CheckConstraint("old_cost is null or old_cost <> new_cost", name="cost_changed"),
        Index(None, "organization_id", "supplier_id", "changed_at"),
        Index(None, "organization_id", "product_id"),
        {"comment": "Audit trail of supplier cost changes."},
    )

    supplier_price_list_id: Mapped[int | None] = col.fk("supplier_price_lists", "Price list row that changed.")
    supplier_id: Mapped[int] = col.fk("suppliers", nullable=False)
    product_id: Mapped[int] = col.fk("products", nullable=False)
    old_cost: Mapped[Decimal | None] = col.money(
        "Cost before the change; NULL for the first price.", nullable=True, default=None
    )
    new_cost: Mapped[Decimal] = col.money("Cost after the change.")
    currency: Mapped[str] = col.currency()
    changed_at: Mapped[datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now(), comment="When it changed.")
    changed_by_user_id: Mapped[int | None] = col.fk("users", "Who recorded it; NULL for supplier feed imports.")
    reason: Mapped[str | None] = mapped_column(Text)


class PriceChangeHistory(TenantBase):
    """A change of our selling price, usually driven by a supplier cost change."""

    __tablename__ = "price_change_history"
    __table_args__ = (
        CheckConstraint("old_list_price is null or old_list_price <> new_list_price", name="list_price_changed"),
        Index(None, "organization_id", "product_id", "changed_at"),
        {"comment": "Selling price changes with the cost change behind them."},
    )

    product_id: Mapped[int] = col.fk("products", nullable=False)
    supplier_price_history_id: Mapped[int | None] = col.fk("supplier_price_history", "Cost change that triggered it.")
    old_list_price: Mapped[Decimal | None] = col.money(
        "List price before; NULL for the first price.", nullable=True, default=None
    )
    new_list_price: Mapped[Decimal] = col.money("List price after.")
    old_unit_cost: Mapped[Decimal | None] = col.money("Standard cost before.", nullable=True, default=None)
    new_unit_cost: Mapped[Decimal | None] = col.money("Standard cost after.", nullable=True, default=None)
    reason: Mapped[str] = col.one_of(
        ("supplier_cost_change", "margin_adjustment", "market_adjustment", "promotion", "correction", "other"),
        "Why the price changed.",
        default="supplier_cost_change",
    )
    notes: Mapped[str | None] = mapped_column(Text)
    changed_by_user_id: Mapped[int | None] = col.fk("users", "Who changed it; NULL for automated repricing.")
    changed_at: Mapped[datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now(), comment="When it changed.")
