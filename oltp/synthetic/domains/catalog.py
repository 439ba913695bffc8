"""Master data every transaction needs: calendars and SLAs, suppliers, warranty policies, the product catalog
with its prices and attributes, and stock locations."""

from __future__ import annotations

import numpy as np

from oltp.synthetic.arrow import US_PER_DAY, masked
from oltp.synthetic.context import OrgContext
from oltp.synthetic.domains.common import COMPANY_WORDS, join, numbered, street_addresses

# (name, product_type, list price range in dollars, cost ratio, stocked, warranty policy index or -1, category)
CATALOG = [
    ("{trade} system, premium", "physical", (7000, 16000), 0.58, True, 2, "Equipment"),
    ("{trade} system, standard", "physical", (3500, 8000), 0.6, True, 1, "Equipment"),
    ("{trade} unit, compact", "physical", (1500, 3500), 0.62, True, 1, "Equipment"),
    ("Controller", "physical", (180, 600), 0.45, True, 0, "Controls"),
    ("Smart thermostat", "physical", (150, 450), 0.5, True, 0, "Controls"),
    ("Sensor kit", "physical", (60, 250), 0.4, True, 0, "Controls"),
    ("Mounting kit", "physical", (40, 180), 0.35, True, -1, "Parts"),
    ("Filter pack", "physical", (20, 90), 0.3, True, -1, "Parts"),
    ("Wiring harness", "physical", (25, 120), 0.35, True, -1, "Parts"),
    ("Valve assembly", "physical", (45, 260), 0.4, True, -1, "Parts"),
    ("Replacement motor", "physical", (220, 900), 0.5, True, 0, "Parts"),
    ("Installation labour (hour)", "service", (85, 140), 0.55, False, -1, "Services"),
    ("Service call", "service", (89, 179), 0.5, False, -1, "Services"),
    ("Annual maintenance visit", "service", (149, 349), 0.45, False, -1, "Services"),
    ("Inspection", "service", (99, 249), 0.4, False, -1, "Services"),
    ("Extended warranty, 3 years", "warranty_plan", (299, 899), 0.2, False, 3, "Plans"),
    ("Maintenance plan, yearly", "subscription", (199, 499), 0.35, False, -1, "Plans"),
    ("{trade} starter bundle", "bundle", (4200, 9000), 0.57, False, 1, "Equipment"),
]
VARIANTS = ("", " Plus", " Pro", " XL", " Eco", " Max")
POLICIES = [
    ("Parts, 1 year", "parts", 12, 50000),
    ("Parts and labour, 2 years", "parts_and_labour", 24, 250000),
    ("Parts and labour, 5 years", "parts_and_labour", 60, 800000),
    ("Extended cover, 3 years", "extended", 36, 300000),
]


def calendars_and_service_levels(ctx: OrgContext) -> None:
    """Business hours, holidays, SLA targets per priority, escalation rules."""
    created = np.full(2, ctx.start_us - 300 * US_PER_DAY)
    config_ids = ctx.ids("business_hours_config", 2)
    weekday = {f"{d}_open": ["08:00", "07:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
    weekday |= {f"{d}_close": ["17:00", "19:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
    ctx.emit(
        "business_hours_config",
        {
            "id": config_ids,
            "name": ["Office hours", "Field service hours"],
            "timezone": [ctx.profile.timezone] * 2,
            "is_default": [True, False],
            **weekday,
            "sat_open": [None, "08:00"],
            "sat_close": [None, "13:00"],
            "created_at": created,
            "updated_at": created,
        },
    )
    ctx.store["business_hours_config_ids"] = config_ids
    first_year = int(str(np.datetime64(ctx.start, "Y")))
    last_year = int(str((np.datetime64(ctx.start, "D") + ctx.days).astype("datetime64[Y]")))
    holidays = [
        ("01-01", "New Year's Day"),
        ("07-04", "Independence Day"),
        ("11-26", "Thanksgiving"),
        ("12-25", "Christmas Day"),
        ("12-26", "Boxing Day"),
    ]
    dates, names = [], []
    for year in range(first_year - 1, last_year + 2):
        for month_day, name in holidays:
            dates.append(np.datetime64(f"{year}-{month_day}"))
            names.append(name)
    count = len(dates)
    ctx.emit(
        "organization_holidays",
        {
            "id": ctx.ids("organization_holidays", count),
            "business_hours_config_id": np.full(count, config_ids[0]),
            "holiday_date": np.array(dates, dtype="datetime64[D]"),
            "name": names,
            "created_at": np.full(count, ctx.start_us - 300 * US_PER_DAY),
            "updated_at": np.full(count, ctx.start_us - 300 * US_PER_DAY),
        },
    )
    priorities = ["low", "normal", "high", "urgent"]
    sla_ids = ctx.ids("sla_configurations", 4)
    ctx.emit(
        "sla_configurations",
        {
            "id": sla_ids,
            "name": [f"{p.title()} priority" for p in priorities],
            "priority": priorities,
            "first_response_minutes": [8 * 60, 4 * 60, 120, 30],
            "resolution_minutes": [5 * 9 * 60, 3 * 9 * 60, 9 * 60, 4 * 60],
            "business_hours_config_id": np.full(4, config_ids[0]),
            "is_default": [False, True, False, False],
            "created_at": np.full(4, ctx.start_us - 300 * US_PER_DAY),
            "updated_at": np.full(4, ctx.start_us - 300 * US_PER_DAY),
        },
    )
    ctx.store["sla_configurations"] = {
        "id": sla_ids,
        "priority": np.array(priorities),
        "response_minutes": np.array([480, 240, 120, 30]),
        "resolution_minutes": np.array([2700, 1620, 540, 240]),
    }
    users = ctx.store["users"]
    managers = users["id"][np.isin(users["role"], ["operations", "admin"])]
    ctx.emit(
        "escalation_rules",
        {
            "id": ctx.ids("escalation_rules", 3),
            "name": ["Response breach", "Resolution breach", "Urgent tickets"],
            "trigger_type": ["response_breach", "resolution_breach", "priority"],
            "priority": [None, None, "urgent"],
            "threshold_minutes": [0, 0, 15],
            "escalate_to_user_id": np.full(3, managers[0]),
            "created_at": np.full(3, ctx.start_us - 300 * US_PER_DAY),
            "updated_at": np.full(3, ctx.start_us - 300 * US_PER_DAY),
        },
    )


def suppliers_and_policies(ctx: OrgContext) -> None:
    rng = ctx.rng("catalog.suppliers")
    count = round(6 + 6 * ctx.profile.size)
    ids = ctx.ids("suppliers", count)
    names = join(
        COMPANY_WORDS[rng.integers(0, len(COMPANY_WORDS), count)],
        " ",
        np.array(["Supply", "Distribution", "Wholesale", "Manufacturing", "Components"])[ids % 5],
        " ",
        ids.astype(str),
    )
    kind = np.array(["manufacturer", "distributor", "wholesaler", "manufacturer", "distributor"])[ids % 5]
    created = ctx.start_us - rng.integers(200, 900, count) * US_PER_DAY
    lead = rng.integers(3, 21, count)
    ctx.emit(
        "suppliers",
        {
            "id": ids,
            "supplier_number": numbered("SUP", ids, 5),
            "name": names,
            "supplier_type": kind.astype(object),
            "status": np.where(rng.random(count) < 0.9, "active", "on_hold").astype(object),
            "email": join("orders", ids.astype(str), "@supplier.example"),
            "currency": [ctx.profile.currency] * count,
            "payment_terms_days": rng.choice([30, 45, 60], count),
            "default_lead_time_days": lead,
            "minimum_order_amount": rng.choice([0, 25000, 50000], count),
            **{key: value for key, value in street_addresses(rng, count).items() if key != "line1"},
            "address_line1": street_addresses(rng, count)["line1"],
            "created_at": created,
            "updated_at": created,
        },
    )
    ctx.store["suppliers"] = {"id": ids, "lead_time_days": lead}

    policy_ids = ctx.ids("warranty_policies", len(POLICIES))
    created = np.full(len(POLICIES), ctx.start_us - 365 * US_PER_DAY)
    ctx.emit(
        "warranty_policies",
        {
            "id": policy_ids,
            "name": [p[0] for p in POLICIES],
            "coverage_type": [p[1] for p in POLICIES],
            "duration_months": [p[2] for p in POLICIES],
            "max_claim_amount": [p[3] for p in POLICIES],
            "terms": ["Covers defects in materials and workmanship under normal use."] * len(POLICIES),
            "created_at": created,
            "updated_at": created,
        },
    )
    ctx.store["warranty_policies"] = {"id": policy_ids, "months": np.array([p[2] for p in POLICIES])}


def products_and_locations(ctx: OrgContext) -> None:
    rng = ctx.rng("catalog.products")
    trade = ctx.profile.industry.split()[0]
    category_names = sorted({spec[6] for spec in CATALOG})
    category_ids = ctx.ids("categories", len(category_names))
    created = np.full(len(category_names), ctx.start_us - 365 * US_PER_DAY)
    ctx.emit(
        "categories",
        {
            "id": category_ids,
            "name": category_names,
            "sort_order": np.arange(len(category_names)),
            "created_at": created,
            "updated_at": created,
        },
    )
    category_of = dict(zip(category_names, category_ids, strict=True))

    variants = max(1, round(1 + 2 * ctx.profile.size))
    rows = [
        (spec, variant)
        for spec in CATALOG
        for variant in VARIANTS[:variants]
        if spec[1] in ("physical",) or variant == ""
    ]
    count = len(rows)
    ids = ctx.ids("products", count)
    low = np.array([spec[2][0] for spec, _ in rows]) * 100
    high = np.array([spec[2][1] for spec, _ in rows]) * 100
    price = (rng.integers(low, high) // 100) * 100 - 1  # prices end in .99
    cost = (price * np.array([spec[3] for spec, _ in rows]) * rng.uniform(0.9, 1.1, count)).astype(np.int64)
    product_type = np.array([spec[1] for spec, _ in rows])
    stocked = np.array([spec[4] for spec, _ in rows])
    policy_index = np.array([spec[5] for spec, _ in rows])
    policies = ctx.store["warranty_policies"]["id"]
    discontinued = rng.random(count) < 0.04
    discontinued_at = ctx.start_us + rng.integers(ctx.days // 2, ctx.days, count) * US_PER_DAY
    suppliers = ctx.store["suppliers"]
    preferred = suppliers["id"][rng.integers(0, len(suppliers["id"]), count)]
    lead = rng.integers(3, 30, count)
    product_created = ctx.start_us - rng.integers(100, 700, count) * US_PER_DAY
    names = [spec[0].format(trade=trade) + variant for spec, variant in rows]
    ctx.emit(
        "products",
        {
            "id": ids,
            "sku": numbered("SKU", ids, 6),
            "name": names,
            "description": [f"{name} for {trade.lower()} installations." for name in names],
            "category_id": np.array([category_of[spec[6]] for spec, _ in rows]),
            "product_type": product_type.astype(object),
            "unit_of_measure": np.where(product_type == "service", "hour", "each").astype(object),
            "manufacturer": COMPANY_WORDS[ids % len(COMPANY_WORDS)].astype(object),
            "list_price": price,
            "standard_cost": cost,
            "is_serialized": policy_index >= 0,
            "is_stocked": stocked,
            "warranty_policy_id": masked(policies[np.maximum(policy_index, 0)], policy_index >= 0),
            "preferred_supplier_id": masked(preferred, stocked),
            "reorder_point": np.where(stocked, rng.integers(2, 12, count) * 1000, 0),
            "reorder_quantity": np.where(stocked, rng.integers(5, 30, count) * 1000, 0),
            "lead_time_days": lead,
            "status": np.where(discontinued, "discontinued", "active").astype(object),
            "discontinued_at": masked(discontinued_at, discontinued),
            "created_at": product_created,
            "updated_at": product_created,
        },
    )
    ctx.store["products"] = {
        "id": ids,
        "price": price,
        "cost": cost,
        "type": product_type,
        "stocked": stocked,
        "policy": np.where(policy_index >= 0, policies[np.maximum(policy_index, 0)], 0),
        "policy_months": np.where(
            policy_index >= 0, ctx.store["warranty_policies"]["months"][np.maximum(policy_index, 0)], 0
        ),
        "supplier": preferred,
        "lead_time_days": lead,
        "name": np.array(names, dtype=object),
        "discontinued_day": np.where(discontinued, (discontinued_at - ctx.start_us) // US_PER_DAY, ctx.days + 10**6),
    }
    _product_details(ctx, rng, ids, price, cost, product_type, stocked, product_created)
    _locations(ctx, rng)


def _product_details(ctx: OrgContext, rng, ids, price, cost, product_type, stocked, created) -> None:
    count = len(ids)
    images = ids.repeat(2)
    ctx.emit(
        "product_images",
        {
            "id": ctx.ids("product_images", len(images)),
            "product_id": images,
            "url": join(
                "https://cdn.example/products/", images.astype(str), "/", np.tile(["front", "side"], count), ".jpg"
            ),
            "content_type": ["image/jpeg"] * len(images),
            "file_size_bytes": rng.integers(40_000, 900_000, len(images)),
            "is_primary": np.tile([True, False], count),
            "sort_order": np.tile([0, 1], count),
            "created_at": created.repeat(2),
            "updated_at": created.repeat(2),
        },
    )
    attribute_ids = ctx.ids("product_attributes", 3)
    first = np.full(3, ctx.start_us - 365 * US_PER_DAY)
    ctx.emit(
        "product_attributes",
        {
            "id": attribute_ids,
            "code": ["capacity_kw", "energy_star", "colour"],
            "name": ["Capacity", "Energy Star certified", "Colour"],
            "data_type": ["number", "boolean", "select"],
            "unit": ["kW", None, None],
            "allowed_values": ["[]", "[]", '["white","grey","black"]'],
            "created_at": first,
            "updated_at": first,
        },
    )
    physical = ids[product_type == "physical"]
    n = len(physical)
    ctx.emit(
        "product_attribute_values",
        {
            "id": ctx.ids("product_attribute_values", 3 * n),
            "product_id": np.concatenate([physical, physical, physical]),
            "attribute_id": np.repeat(attribute_ids, n),
            "value_number": masked(
                np.concatenate([rng.integers(2000, 20000, n), np.zeros(2 * n, dtype=np.int64)]), np.arange(3 * n) < n
            ),
            "value_boolean": masked(
                np.concatenate([np.zeros(n, bool), rng.random(n) < 0.6, np.zeros(n, bool)]),
                (np.arange(3 * n) >= n) & (np.arange(3 * n) < 2 * n),
            ),
            "value_text": [None] * (2 * n) + rng.choice(["white", "grey", "black"], n).tolist(),
            "created_at": np.full(3 * n, ctx.start_us - 300 * US_PER_DAY),
            "updated_at": np.full(3 * n, ctx.start_us - 300 * US_PER_DAY),
        },
    )
    equipment = ids[(product_type == "physical") & (price > 100000)]
    accessories = ids[(product_type == "physical") & (price < 50000)]
    pairs = np.array([(e, a) for e in equipment for a in accessories[:3]], dtype=np.int64).reshape(-1, 2)
    ctx.emit(
        "product_relations",
        {
            "id": ctx.ids("product_relations", len(pairs)),
            "product_id": pairs[:, 0],
            "related_product_id": pairs[:, 1],
            "relation_type": ["accessory"] * len(pairs),
            "created_at": np.full(len(pairs), ctx.start_us - 300 * US_PER_DAY),
            "updated_at": np.full(len(pairs), ctx.start_us - 300 * US_PER_DAY),
        },
    )
    bundles = ids[product_type == "bundle"]
    components = [
        (b, c, q) for b in bundles for c, q in ((equipment[0], 1000), (accessories[0], 2000)) if len(equipment)
    ]
    components = np.array(components, dtype=np.int64).reshape(-1, 3)
    ctx.emit(
        "product_bundles",
        {
            "id": ctx.ids("product_bundles", len(components)),
            "bundle_product_id": components[:, 0],
            "component_product_id": components[:, 1],
            "quantity": components[:, 2],
            "created_at": np.full(len(components), ctx.start_us - 300 * US_PER_DAY),
            "updated_at": np.full(len(components), ctx.start_us - 300 * US_PER_DAY),
        },
    )
    tiered = ids[stocked]
    tiers = len(tiered)
    tier_price = price[stocked]
    valid_from = np.full(2 * tiers, ctx.start_day - 30)
    ctx.emit(
        "product_price_tiers",
        {
            "id": ctx.ids("product_price_tiers", 2 * tiers),
            "product_id": np.concatenate([tiered, tiered]),
            "min_quantity": np.repeat([5000, 20000], tiers),
            "unit_price": np.concatenate([tier_price * 95 // 100, tier_price * 90 // 100]),
            "valid_from": valid_from,
            "created_at": np.full(2 * tiers, ctx.start_us - 30 * US_PER_DAY),
            "updated_at": np.full(2 * tiers, ctx.start_us - 30 * US_PER_DAY),
        },
    )
    # One list-price rise a year for a third of the catalogue, recorded in price_history.
    changed = ids[rng.random(count) < 0.35]
    changes = len(changed)
    new = price[np.searchsorted(ids, changed)]
    old = new - np.maximum(100, new * rng.integers(2, 8, changes) // 100)
    when = ctx.start_us - rng.integers(1, 200, changes) * US_PER_DAY
    ctx.emit(
        "price_history",
        {
            "id": ctx.ids("price_history", changes),
            "product_id": changed,
            "price_type": ["list"] * changes,
            "old_price": old,
            "new_price": new,
            "changed_at": when,
            "changed_by_user_id": np.full(changes, ctx.store["owner_user_id"]),
            "reason": ["Annual price review"] * changes,
            "created_at": when,
            "updated_at": when,
        },
    )


def _locations(ctx: OrgContext, rng) -> None:
    users = ctx.store["users"]
    technicians = users["id"][users["role"] == "technician"]
    vans = min(len(technicians), max(1, round(2 * ctx.profile.size)))
    count = 1 + vans
    ids = ctx.ids("locations", count)
    address = street_addresses(rng, count)
    created = np.full(count, ctx.start_us - 400 * US_PER_DAY)
    ctx.emit(
        "locations",
        {
            "id": ids,
            "name": ["Main warehouse"] + [f"Van {i + 1}" for i in range(vans)],
            "code": ["WH1"] + [f"VAN{i + 1}" for i in range(vans)],
            "location_type": ["warehouse"] + ["van"] * vans,
            "address_line1": address["line1"],
            "city": address["city"],
            "region": address["region"],
            "postal_code": address["postal_code"],
            "assigned_user_id": masked(np.concatenate([[0], technicians[:vans]]), np.arange(count) > 0),
            "created_at": created,
            "updated_at": created,
        },
    )
    bins = ["A1", "A2", "B1", "B2", "C1"]
    ctx.emit(
        "warehouse_locations",
        {
            "id": ctx.ids("warehouse_locations", len(bins)),
            "location_id": np.full(len(bins), ids[0]),
            "code": bins,
            "name": [f"Rack {b}" for b in bins],
            "bin_type": ["rack"] * len(bins),
            "created_at": np.full(len(bins), created[0]),
            "updated_at": np.full(len(bins), created[0]),
        },
    )
    ctx.store["locations"] = {"id": ids, "warehouse": int(ids[0]), "vans": ids[1:], "van_users": technicians[:vans]}
