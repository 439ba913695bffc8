"""Catalog & Inventory: products, categories, pricing, bundles, attributes, stock locations and stock positions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Index, String, Text, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from oltp.models import columns as col
from oltp.models.base import TIMESTAMPTZ, SoftDeleteMixin, TenantBase

PRODUCT_TYPES = ("physical", "service", "bundle", "warranty_plan", "subscription")
LOCATION_TYPES = ("warehouse", "van", "store", "customer_site")
MOVEMENT_TYPES = (
    "receipt",
    "sale",
    "job_consumption",
    "transfer_in",
    "transfer_out",
    "adjustment",
    "return",
    "count_correction",
)


class Category(SoftDeleteMixin, TenantBase):
    """A node of the product category tree."""

    __tablename__ = "categories"
    __table_args__ = (
        UniqueConstraint("organization_id", "parent_id", "name", postgresql_nulls_not_distinct=True),
        CheckConstraint("parent_id is null or parent_id <> id", name="not_own_parent"),
        {"comment": "Product categories, a tree through parent_id."},
    )

    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[int | None] = col.fk("categories", "Parent category; NULL for a top-level category.")
    sort_order: Mapped[int] = col.count("Display position among siblings.")
    is_active: Mapped[bool] = mapped_column(server_default="true", comment="Offered for new products.")


class Product(SoftDeleteMixin, TenantBase):
    """A sellable item: a stocked good, a service, a bundle or a warranty plan."""

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("organization_id", "sku"),
        CheckConstraint(
            "discontinued_at is null or status = 'discontinued'", name="discontinued_at_only_when_discontinued"
        ),
        Index(None, "organization_id", "category_id"),
        {"comment": "Product and service catalog with list price, standard cost and replenishment settings."},
    )

    sku: Mapped[str] = mapped_column(String(80), comment="Stock keeping unit, unique per organization.")
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    category_id: Mapped[int | None] = col.fk("categories", "Catalog category.")
    product_type: Mapped[str] = col.one_of(PRODUCT_TYPES, "What kind of item this is.", default="physical")
    unit_of_measure: Mapped[str] = mapped_column(
        String(20), server_default="each", comment="Unit quantities are counted in, e.g. each, m, kg, hour."
    )
    manufacturer: Mapped[str | None] = mapped_column(String(120))
    manufacturer_part_number: Mapped[str | None] = mapped_column(String(80), comment="Manufacturer's part number.")
    barcode: Mapped[str | None] = mapped_column(String(64), comment="GTIN/EAN/UPC printed on the item.")
    list_price: Mapped[Decimal] = col.money("Standard selling price per unit, before discounts.")
    standard_cost: Mapped[Decimal] = col.money("Standard cost per unit, used for margin analysis.")
    is_taxable: Mapped[bool] = mapped_column(server_default="true", comment="Sales tax applies.")
    is_serialized: Mapped[bool] = mapped_column(
        server_default="false", comment="Each unit carries a serial number (tracked on warranties)."
    )
    is_stocked: Mapped[bool] = mapped_column(
        server_default="true", comment="Kept in inventory; false for services and drop-shipped items."
    )
    warranty_policy_id: Mapped[int | None] = col.fk("warranty_policies", "Warranty granted when the item is sold.")
    preferred_supplier_id: Mapped[int | None] = col.fk("suppliers", "Default supplier for replenishment.")
    reorder_point: Mapped[Decimal] = col.quantity("Default on-hand level at or below which to reorder.")
    reorder_quantity: Mapped[Decimal] = col.quantity("Default quantity to reorder.")
    lead_time_days: Mapped[int] = col.count("Typical days from purchase order to receipt.")
    status: Mapped[str] = col.one_of(("active", "discontinued"), "Catalog lifecycle.", default="active")
    discontinued_at: Mapped[datetime | None] = col.timestamp("When the product was discontinued.")


class ProductPriceTier(TenantBase):
    """A volume price: from ``min_quantity`` units on, each unit costs ``unit_price``."""

    __tablename__ = "product_price_tiers"
    __table_args__ = (
        UniqueConstraint("organization_id", "product_id", "min_quantity", "valid_from"),
        CheckConstraint("min_quantity > 0", name="min_quantity_positive"),
        CheckConstraint("valid_to is null or valid_to >= valid_from", name="valid_to_after_from"),
        {"comment": "Quantity break prices per product."},
    )

    product_id: Mapped[int] = col.fk("products", nullable=False, ondelete="CASCADE")
    min_quantity: Mapped[Decimal] = col.quantity("Smallest order quantity the tier applies to.", default=1)
    unit_price: Mapped[Decimal] = col.money("Price per unit inside this tier.")
    valid_from: Mapped[date] = mapped_column(server_default=func.current_date(), comment="First day the tier applies.")
    valid_to: Mapped[date | None] = mapped_column(comment="Last day the tier applies; NULL while open-ended.")


class CustomerProductPrice(TenantBase):
    """A negotiated price of a product for one customer."""

    __tablename__ = "customer_product_prices"
    __table_args__ = (
        UniqueConstraint("organization_id", "customer_id", "product_id", "valid_from"),
        CheckConstraint("valid_to is null or valid_to >= valid_from", name="valid_to_after_from"),
        Index(None, "organization_id", "product_id"),
        {"comment": "Customer-specific contract prices."},
    )

    customer_id: Mapped[int] = col.fk("customers", nullable=False)
    product_id: Mapped[int] = col.fk("products", nullable=False)
    unit_price: Mapped[Decimal] = col.money("Agreed price per unit.")
    currency: Mapped[str] = col.currency()
    min_quantity: Mapped[Decimal] = col.quantity("Smallest order quantity the price applies to.", default=1)
    valid_from: Mapped[date] = mapped_column(server_default=func.current_date(), comment="First day the price applies.")
    valid_to: Mapped[date | None] = mapped_column(comment="Last day the price applies; NULL while open-ended.")
    approved_by_user_id: Mapped[int | None] = col.fk("users", "Who approved the special price.")
    notes: Mapped[str | None] = mapped_column(Text)


class PriceHistory(TenantBase):
    """One change of a product's list price or standard cost."""

    __tablename__ = "price_history"
    __table_args__ = (
        CheckConstraint("old_price is null or old_price <> new_price", name="price_changed"),
        Index(None, "organization_id", "product_id", "changed_at"),
        {"comment": "Audit trail of product list price and cost changes."},
    )

    product_id: Mapped[int] = col.fk("products", nullable=False)
    price_type: Mapped[str] = col.one_of(("list", "cost"), "Which price changed: list price or standard cost.")
    old_price: Mapped[Decimal | None] = col.money(
        "Price before the change; NULL for the first price.", nullable=True, default=None
    )
    new_price: Mapped[Decimal] = col.money("Price after the change.")
    changed_at: Mapped[datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now(), comment="When it changed.")
    changed_by_user_id: Mapped[int | None] = col.fk("users", "Who changed it; NULL for automated changes.")
    reason: Mapped[str | None] = mapped_column(Text)


class ProductBundle(TenantBase):
    """A component of a bundle product and how many units of it the bundle contains."""

    __tablename__ = "product_bundles"
    __table_args__ = (
        UniqueConstraint("organization_id", "bundle_product_id", "component_product_id"),
        CheckConstraint("bundle_product_id <> component_product_id", name="not_own_component"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index(None, "organization_id", "component_product_id"),
        {"comment": "Bill of materials of bundle products."},
    )

    bundle_product_id: Mapped[int] = col.fk("products", "The bundle.", nullable=False, ondelete="CASCADE")
    component_product_id: Mapped[int] = col.fk("products", "A product contained in the bundle.", nullable=False)
    quantity: Mapped[Decimal] = col.quantity("Units of the component per bundle.", default=1)
    is_optional: Mapped[bool] = mapped_column(server_default="false", comment="Customer may leave it out.")
    sort_order: Mapped[int] = col.count("Display position inside the bundle.")


class ProductImage(TenantBase):
    """A picture of a product."""

    __tablename__ = "product_images"
    __table_args__ = (
        Index(None, "organization_id", "product_id", unique=True, postgresql_where=text("is_primary")),
        {"comment": "Product images; at most one primary image per product."},
    )

    product_id: Mapped[int] = col.fk("products", nullable=False, ondelete="CASCADE")
    url: Mapped[str] = mapped_column(Text, comment="Where the image is served from.")
    storage_key: Mapped[str | None] = mapped_column(String(500), comment="Object-storage key of the file.")
    alt_text: Mapped[str | None] = mapped_column(String(300))
    content_type: Mapped[str | None] = col.one_of(
        ("image/jpeg", "image/png", "image/webp", "image/heic"), "MIME type of the stored file.", nullable=True
    )
    file_size_bytes: Mapped[int | None] = col.count("Size of the file.", nullable=True, default=None)
    is_primary: Mapped[bool] = mapped_column(server_default="false", comment="Image shown in lists.")
    sort_order: Mapped[int] = col.count("Display position in the gallery.")


class ProductAttribute(TenantBase):
    """A definition of a product property, e.g. SEER rating, voltage, colour."""

    __tablename__ = "product_attributes"
    __table_args__ = (
        UniqueConstraint("organization_id", "code"),
        {"comment": "Definitions of custom product attributes."},
    )

    code: Mapped[str] = mapped_column(String(80), comment="Machine name, unique per organization.")
    name: Mapped[str] = mapped_column(String(120), comment="Label shown to users.")
    data_type: Mapped[str] = col.one_of(
        ("text", "number", "boolean", "date", "select"), "Type of the values.", default="text"
    )
    unit: Mapped[str | None] = mapped_column(String(20), comment="Unit of numeric values, e.g. V, kW, mm.")
    allowed_values: Mapped[list[Any]] = mapped_column(
        JSONB, server_default="[]", comment="Choices of a select attribute."
    )
    is_required: Mapped[bool] = mapped_column(server_default="false")
    is_filterable: Mapped[bool] = mapped_column(server_default="false", comment="Offered as a catalog filter.")
    sort_order: Mapped[int] = col.count("Display position.")


class ProductAttributeValue(TenantBase):
    """The value of one attribute for one product."""

    __tablename__ = "product_attribute_values"
    __table_args__ = (
        UniqueConstraint("organization_id", "product_id", "attribute_id"),
        CheckConstraint(
            "num_nonnulls(value_text, value_number, value_boolean, value_date) = 1", name="exactly_one_value"
        ),
        Index(None, "organization_id", "attribute_id"),
        {"comment": "Attribute values per product (typed columns, exactly one set)."},
    )

    product_id: Mapped[int] = col.fk("products", nullable=False, ondelete="CASCADE")
    attribute_id: Mapped[int] = col.fk("product_attributes", nullable=False, ondelete="CASCADE")
    value_text: Mapped[str | None] = mapped_column(Text, comment="Value of text and select attributes.")
    value_number: Mapped[Decimal | None] = col.quantity(
        "Value of number attributes (may be negative, e.g. a temperature).", nullable=True, signed=True, default=None
    )
    value_boolean: Mapped[bool | None] = mapped_column(comment="Value of boolean attributes.")
    value_date: Mapped[date | None] = mapped_column(comment="Value of date attributes.")


class ProductRelation(TenantBase):
    """A directed link between two products: accessory, replacement, upsell or cross-sell."""

    __tablename__ = "product_relations"
    __table_args__ = (
        UniqueConstraint("organization_id", "product_id", "related_product_id", "relation_type"),
        CheckConstraint("product_id <> related_product_id", name="not_self_related"),
        {"comment": "Related products for recommendations and replacements."},
    )

    product_id: Mapped[int] = col.fk(
        "products", "The product the relation starts from.", nullable=False, ondelete="CASCADE"
    )
    related_product_id: Mapped[int] = col.fk("products", "The related product.", nullable=False)
    relation_type: Mapped[str] = col.one_of(
        ("accessory", "replacement", "upsell", "cross_sell"), "How the related product relates."
    )
    sort_order: Mapped[int] = col.count("Display position.")


class Location(SoftDeleteMixin, TenantBase):
    """A place that holds stock: a warehouse, a technician's van, a store or a customer site."""

    __tablename__ = "locations"
    __table_args__ = (
        UniqueConstraint("organization_id", "code"),
        CheckConstraint("location_type <> 'customer_site' or customer_id is not null", name="customer_site_customer"),
        {"comment": "Stock-holding locations."},
    )

    name: Mapped[str] = mapped_column(String(120))
    code: Mapped[str] = mapped_column(String(40), comment="Short code, unique per organization.")
    location_type: Mapped[str] = col.one_of(LOCATION_TYPES, "Kind of location.", default="warehouse")
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120), comment="State, province or county.")
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2), comment="ISO 3166-1 alpha-2 country code.")
    assigned_user_id: Mapped[int | None] = col.fk("users", "Technician who drives the van or manages the location.")
    customer_id: Mapped[int | None] = col.fk("customers", "Customer owning a customer_site (consignment stock).")
    is_active: Mapped[bool] = mapped_column(server_default="true", comment="Can receive and issue stock.")


class WarehouseLocation(TenantBase):
    """A bin, shelf or zone inside a location."""

    __tablename__ = "warehouse_locations"
    __table_args__ = (
        UniqueConstraint("organization_id", "location_id", "code"),
        {"comment": "Bins and shelves inside stock locations."},
    )

    location_id: Mapped[int] = col.fk("locations", nullable=False, ondelete="CASCADE")
    code: Mapped[str] = mapped_column(String(40), comment="Bin code, e.g. A-03-2, unique within the location.")
    name: Mapped[str | None] = mapped_column(String(120))
    bin_type: Mapped[str] = col.one_of(
        ("zone", "aisle", "rack", "shelf", "bin"), "Kind of storage spot.", default="bin"
    )
    is_active: Mapped[bool] = mapped_column(server_default="true")


class Inventory(TenantBase):
    """The current stock position of a product at a location (available = on hand - reserved, not stored)."""

    __tablename__ = "inventory"
    __table_args__ = (
        UniqueConstraint("organization_id", "product_id", "location_id"),
        Index(None, "organization_id", "location_id"),
        {"comment": "Current stock position per product and location."},
    )

    product_id: Mapped[int] = col.fk("products", nullable=False)
    location_id: Mapped[int] = col.fk("locations", nullable=False)
    warehouse_location_id: Mapped[int | None] = col.fk("warehouse_locations", "Default bin of the product here.")
    quantity_on_hand: Mapped[Decimal] = col.quantity("Units physically at the location.")
    quantity_reserved: Mapped[Decimal] = col.quantity(
        "Units promised to orders and jobs; may exceed on hand when backordered."
    )
    average_cost: Mapped[Decimal] = col.money("Moving average unit cost of the stock on hand.")
    reorder_point: Mapped[Decimal | None] = col.quantity(
        "Location override of products.reorder_point; NULL uses the product default.", nullable=True, default=None
    )
    reorder_quantity: Mapped[Decimal | None] = col.quantity(
        "Location override of products.reorder_quantity; NULL uses the product default.", nullable=True, default=None
    )
    last_movement_at: Mapped[datetime | None] = col.timestamp("Time of the latest inventory movement.")
    last_counted_at: Mapped[datetime | None] = col.timestamp("Time of the latest completed stock count.")


class InventoryMovement(TenantBase):
    """One change of stock: quantity is positive into the location and negative out of it."""

    __tablename__ = "inventory_movements"
    __table_args__ = (
        CheckConstraint("quantity <> 0", name="quantity_nonzero"),
        CheckConstraint("movement_type not in ('receipt', 'transfer_in') or quantity > 0", name="inbound_positive"),
        CheckConstraint(
            "movement_type not in ('sale', 'job_consumption', 'transfer_out') or quantity < 0",
            name="outbound_negative",
        ),
        CheckConstraint(
            "movement_type not in ('transfer_in', 'transfer_out') or transfer_location_id is not null",
            name="transfer_has_counterpart",
        ),
        CheckConstraint(
            "transfer_location_id is null or transfer_location_id <> location_id", name="transfer_elsewhere"
        ),
        CheckConstraint(
            "movement_type <> 'count_correction' or stock_count_id is not null", name="count_correction_has_count"
        ),
        Index(None, "organization_id", "product_id", "location_id", "occurred_at"),
        Index(None, "organization_id", "occurred_at"),
        {"comment": "Ledger of stock movements (+ in, - out); inventory is its running sum."},
    )

    product_id: Mapped[int] = col.fk("products", nullable=False)
    location_id: Mapped[int] = col.fk("locations", nullable=False)
    warehouse_location_id: Mapped[int | None] = col.fk("warehouse_locations", "Bin the stock moved into or out of.")
    movement_type: Mapped[str] = col.one_of(
        MOVEMENT_TYPES,
        "Why stock moved; return is + for goods back from a customer, - for goods sent back to a supplier.",
    )
    quantity: Mapped[Decimal] = col.quantity(
        "Signed: positive into the location, negative out of it.", signed=True, default=None
    )
    unit_cost: Mapped[Decimal] = col.money("Cost per unit of the moved stock (receipt cost or average cost at issue).")
    occurred_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the stock physically moved."
    )
    transfer_location_id: Mapped[int | None] = col.fk("locations", "Other location of a transfer.")
    order_id: Mapped[int | None] = col.fk("orders", "Sales order the stock was shipped for or returned from.")
    job_id: Mapped[int | None] = col.fk("jobs", "Job the stock was consumed on.")
    purchase_order_id: Mapped[int | None] = col.fk("purchase_orders", "Purchase order the stock was received on.")
    stock_count_id: Mapped[int | None] = col.fk("stock_counts", "Stock count that produced a count correction.")
    return_authorization_id: Mapped[int | None] = col.fk("return_authorizations", "RMA of a customer return.")
    created_by_user_id: Mapped[int | None] = col.fk("users", "Who recorded the movement.")
    notes: Mapped[str | None] = mapped_column(Text)


class StockCount(TenantBase):
    """A physical count of the stock at a location."""

    __tablename__ = "stock_counts"
    __table_args__ = (
        UniqueConstraint("organization_id", "count_number"),
        CheckConstraint("status <> 'completed' or counted_at is not null", name="completed_has_counted_at"),
        CheckConstraint(
            "counted_at is null or started_at is null or counted_at >= started_at", name="counted_after_start"
        ),
        Index(None, "organization_id", "location_id"),
        {"comment": "Physical stock counts (full, cycle or spot)."},
    )

    count_number: Mapped[str] = mapped_column(String(40), comment="Human reference, unique per organization.")
    location_id: Mapped[int] = col.fk("locations", nullable=False)
    count_type: Mapped[str] = col.one_of(("full", "cycle", "spot"), "Scope of the count.", default="cycle")
    status: Mapped[str] = col.one_of(
        ("planned", "in_progress", "completed", "cancelled"), "Count lifecycle.", default="planned"
    )
    scheduled_date: Mapped[date | None] = mapped_column(comment="Day the count is planned for.")
    started_at: Mapped[datetime | None] = col.timestamp("When counting began.")
    counted_at: Mapped[datetime | None] = col.timestamp("When the count was completed.")
    counted_by_user_id: Mapped[int | None] = col.fk("users", "Who counted.")
    approved_by_user_id: Mapped[int | None] = col.fk("users", "Who approved the resulting corrections.")
    notes: Mapped[str | None] = mapped_column(Text)


class StockCountItem(TenantBase):
    """One product counted in a stock count (variance = counted - expected, not stored)."""

    __tablename__ = "stock_count_items"
    __table_args__ = (
        UniqueConstraint(
            "organization_id",
            "stock_count_id",
            "product_id",
            "warehouse_location_id",
            postgresql_nulls_not_distinct=True,
        ),
        Index(None, "organization_id", "product_id"),
        {"comment": "Lines of a stock count: expected vs counted quantity."},
    )

    stock_count_id: Mapped[int] = col.fk("stock_counts", nullable=False, ondelete="CASCADE")
    product_id: Mapped[int] = col.fk("products", nullable=False)
    warehouse_location_id: Mapped[int | None] = col.fk("warehouse_locations", "Bin counted.")
    expected_quantity: Mapped[Decimal] = col.quantity("System on-hand quantity when the count started.")
    counted_quantity: Mapped[Decimal | None] = col.quantity(
        "Quantity found; NULL until counted.", nullable=True, default=None
    )
    unit_cost: Mapped[Decimal] = col.money("Unit cost at count time, to value the variance.")
    counted_at: Mapped[datetime | None] = col.timestamp("When this line was counted.")
    notes: Mapped[str | None] = mapped_column(Text)


class InventoryCostLayer(TenantBase):
    """A FIFO cost layer: one receipt of a product at a location and how much of it is still on hand."""

    __tablename__ = "inventory_cost_layers"
    __table_args__ = (
        CheckConstraint("quantity_received > 0", name="quantity_received_positive"),
        CheckConstraint("quantity_remaining <= quantity_received", name="remaining_within_received"),
        Index(None, "organization_id", "product_id", "location_id", "received_at"),
        {"comment": "FIFO inventory cost layers for cost of goods sold and stock valuation."},
    )

    product_id: Mapped[int] = col.fk("products", nullable=False)
    location_id: Mapped[int] = col.fk("locations", nullable=False)
    received_at: Mapped[datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), comment="When the layer arrived."
    )
    quantity_received: Mapped[Decimal] = col.quantity("Units received in this layer.", default=None)
    quantity_remaining: Mapped[Decimal] = col.quantity("Units of this layer not yet consumed.", default=None)
    unit_cost: Mapped[Decimal] = col.money("Landed cost per unit of the layer, in the organization's currency.")
    purchase_order_id: Mapped[int | None] = col.fk("purchase_orders", "Purchase order the layer was received on.")
    inventory_movement_id: Mapped[int | None] = col.fk("inventory_movements", "Movement that created the layer.")


class InventoryForecast(TenantBase):
    """Forecast demand of a product for one period, at one location or for all locations."""

    __tablename__ = "inventory_forecasts"
    __table_args__ = (
        UniqueConstraint(
            "organization_id",
            "product_id",
            "location_id",
            "period_start",
            "method",
            "forecast_date",
            postgresql_nulls_not_distinct=True,
        ),
        CheckConstraint("period_end >= period_start", name="period_end_after_start"),
        CheckConstraint("lower_bound is null or lower_bound <= forecast_quantity", name="lower_bound_below_forecast"),
        CheckConstraint("upper_bound is null or upper_bound >= forecast_quantity", name="upper_bound_above_forecast"),
        Index(None, "organization_id", "period_start"),
        {"comment": "Demand forecasts per product, location and period."},
    )

    product_id: Mapped[int] = col.fk("products", nullable=False)
    location_id: Mapped[int | None] = col.fk("locations", "Location forecast; NULL for all locations together.")
    forecast_date: Mapped[date] = mapped_column(
        server_default=func.current_date(), comment="Day the forecast was made (its vintage)."
    )
    period_start: Mapped[date] = mapped_column(comment="First day of the forecast period.")
    period_end: Mapped[date] = mapped_column(comment="Last day of the forecast period.")
    forecast_quantity: Mapped[Decimal] = col.quantity("Expected demand in the period.")
    lower_bound: Mapped[Decimal | None] = col.quantity(
        "Lower end of the prediction interval.", nullable=True, default=None
    )
    upper_bound: Mapped[Decimal | None] = col.quantity(
        "Upper end of the prediction interval.", nullable=True, default=None
    )
    confidence: Mapped[Decimal | None] = col.percent("Confidence level of the interval.", nullable=True, default=None)
    method: Mapped[str] = col.one_of(
        ("moving_average", "exponential_smoothing", "seasonal", "regression", "manual"),
        "Forecasting method.",
        default="moving_average",
    )


class InventoryAlert(TenantBase):
    """A stock warning raised for a product at a location."""

    __tablename__ = "inventory_alerts"
    __table_args__ = (
        CheckConstraint("resolved_at is null or resolved_at >= raised_at", name="resolved_after_raised"),
        CheckConstraint("acknowledged_at is null or acknowledged_at >= raised_at", name="acknowledged_after_raised"),
        CheckConstraint("status <> 'resolved' or resolved_at is not null", name="resolved_has_resolved_at"),
        Index(
            None,
            "organization_id",
            "product_id",
            "location_id",
            "alert_type",
            unique=True,
            postgresql_where=text("status <> 'resolved'"),
        ),
        Index(None, "organization_id", "raised_at"),
        {"comment": "Stock alerts: below reorder point, stock-out, overstock, expiring; one unresolved per kind."},
    )

    product_id: Mapped[int] = col.fk("products", nullable=False)
    location_id: Mapped[int] = col.fk("locations", nullable=False)
    alert_type: Mapped[str] = col.one_of(
        ("below_reorder_point", "stock_out", "overstock", "expiring"), "What the alert is about."
    )
    status: Mapped[str] = col.one_of(("open", "acknowledged", "resolved"), "Alert lifecycle.", default="open")
    quantity_on_hand: Mapped[Decimal] = col.quantity("On-hand quantity when the alert was raised.")
    threshold_quantity: Mapped[Decimal | None] = col.quantity(
        "Threshold that was crossed (reorder point, overstock level).", nullable=True, default=None
    )
    message: Mapped[str | None] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now(), comment="When it was raised.")
    acknowledged_at: Mapped[datetime | None] = col.timestamp()
    acknowledged_by_user_id: Mapped[int | None] = col.fk("users")
    resolved_at: Mapped[datetime | None] = col.timestamp()
    resolved_by_user_id: Mapped[int | None] = col.fk("users", "Who resolved it; NULL when resolved automatically.")
