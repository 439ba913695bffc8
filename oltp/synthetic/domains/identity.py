"""The organization itself, its people, teams, roles, invitations, sessions and API tokens."""

from __future__ import annotations

import hashlib
import json

import numpy as np

from oltp.synthetic.arrow import US_PER_DAY, US_PER_HOUR, masked
from oltp.synthetic.context import OrgContext
from oltp.synthetic.domains.common import emails, join, person_names

# role -> share of staff
STAFF_MIX = {
    "owner": 0.0,
    "admin": 0.06,
    "sales": 0.2,
    "operations": 0.12,
    "technician": 0.42,
    "finance": 0.08,
    "analyst": 0.06,
    "viewer": 0.06,
}
HOURLY_COST = {"technician": (3800, 6500), "operations": (3200, 5000), "sales": (3000, 5500)}


def _hashes(values: list[str]) -> list[str]:
    return [hashlib.sha256(value.encode()).hexdigest() for value in values]


def organization(ctx: OrgContext) -> None:
    """The tenant row; its id is what every other row of this organization carries."""
    profile = ctx.profile
    ctx.org_id = int(ctx.ids("organizations", 1)[0])
    # The simulator continues from here: which seed and profile made this organization, and its last day.
    last_day = str(np.datetime64(ctx.start, "D") + ctx.days - 1)
    settings = {
        "synthetic": {
            "seed": ctx.seed,
            "scale": ctx.scale.name,
            "org_index": profile.index,
            "organizations": ctx.organizations,
            "through": last_day,
        }
    }
    created = ctx.start_us - 400 * US_PER_DAY
    ctx.loader.copy(
        "organizations",
        {
            "id": [ctx.org_id],
            "name": [profile.name],
            "slug": [profile.slug],
            "industry": [profile.industry],
            "timezone": [profile.timezone],
            "currency": [profile.currency],
            "country": ["GB" if profile.currency == "GBP" else "US"],
            "plan": ["professional" if profile.size > 1 else "starter"],
            "billing_email": [f"billing@{profile.slug}.example"],
            "fiscal_year_start_month": [1 if profile.index % 3 else 4],
            "settings": [json.dumps(settings)],
            "status": ["active"],
            "created_at": [created],
            "updated_at": [created],
        },
    )
    ctx.store["domain"] = f"{profile.slug}.example"


def people(ctx: OrgContext) -> None:
    rng = ctx.rng("identity.users")
    count = round(10 + 28 * ctx.profile.size)
    roles = np.array(list(STAFF_MIX))
    shares = np.array(list(STAFF_MIX.values()))
    primary_role = np.concatenate([["owner"], rng.choice(roles, size=count - 1, p=shares / shares.sum())])
    # at least two technicians and one of each office role, so every workflow has someone to do it
    primary_role[1:9] = ["technician", "technician", "sales", "operations", "finance", "admin", "analyst", "sales"]
    ids = ctx.ids("users", count)
    first, last = person_names(rng, count)
    full_name = join(first, " ", last)
    email = emails(join(first, ".", last, ids.astype(str)), ctx.store["domain"])
    hired = ctx.start_us - rng.integers(30, 1500, count) * US_PER_DAY
    hourly = np.zeros(count, dtype=np.int64)
    has_cost = np.zeros(count, dtype=bool)
    for role, (low, high) in HOURLY_COST.items():
        mask = primary_role == role
        hourly[mask] = rng.integers(low, high, mask.sum())
        has_cost |= mask
    disabled = rng.random(count) < 0.05
    disabled[:9] = False
    manager = np.full(count, ids[0])
    ctx.emit(
        "users",
        {
            "id": ids,
            "email": email,
            "full_name": full_name,
            "phone": join("+1-555-", rng.integers(1000000, 9999999, count).astype(str)),
            "job_title": np.array([role.capitalize() for role in primary_role.tolist()], dtype=object),
            "primary_role": primary_role.astype(object),
            "status": np.where(disabled, "disabled", "active").astype(object),
            "auth_provider": rng.choice(["password", "google", "microsoft"], count, p=[0.5, 0.3, 0.2]).astype(object),
            "hourly_cost": masked(hourly, has_cost),
            "manager_id": masked(manager, np.arange(count) > 0),
            "last_login_at": ctx.clamp_us(ctx.end_us - rng.integers(1, 20 * 24, count) * US_PER_HOUR),
            "created_at": hired,
            "updated_at": hired,
        },
    )
    active = ~disabled
    ctx.store["users"] = {"id": ids, "role": primary_role, "hourly_cost": hourly, "active": active}
    ctx.store["owner_user_id"] = int(ids[0])

    role_ids = ctx.store["role_ids"]
    user_role_ids = ctx.ids("user_roles", count)
    ctx.emit(
        "user_roles",
        {
            "id": user_role_ids,
            "user_id": ids,
            "role_id": np.array([role_ids[r] for r in primary_role], dtype=np.int64),
            "granted_by_user_id": np.full(count, ids[0]),
            "created_at": hired,
            "updated_at": hired,
        },
    )
    _groups(ctx, rng, ids, primary_role, hired)
    _invitations_tokens_sessions(ctx, rng, ids, email, active)


def _groups(ctx: OrgContext, rng, user_ids, roles, hired) -> None:
    specs = [
        ("Sales team", "team", "sales"),
        ("Install crew", "crew", "technician"),
        ("Service crew", "crew", "technician"),
        ("Office", "department", "finance"),
        ("Operations", "department", "operations"),
    ]
    group_ids = ctx.ids("user_groups", len(specs))
    leads, members, member_groups, member_roles = [], [], [], []
    for group_id, (_, _, role) in zip(group_ids, specs, strict=True):
        candidates = user_ids[roles == role]
        chosen = candidates[rng.random(len(candidates)) < 0.75] if len(candidates) > 1 else candidates
        if len(chosen) == 0:
            chosen = candidates[:1]
        leads.append(chosen[0])
        members += chosen.tolist()
        member_groups += [group_id] * len(chosen)
        member_roles += ["lead"] + ["member"] * (len(chosen) - 1)
    created = np.full(len(specs), ctx.start_us - 200 * US_PER_DAY)
    ctx.emit(
        "user_groups",
        {
            "id": group_ids,
            "name": [s[0] for s in specs],
            "group_type": [s[1] for s in specs],
            "lead_user_id": np.array(leads),
            "created_at": created,
            "updated_at": created,
        },
    )
    count = len(members)
    ctx.emit(
        "user_group_members",
        {
            "id": ctx.ids("user_group_members", count),
            "group_id": np.array(member_groups),
            "user_id": np.array(members),
            "member_role": member_roles,
            "created_at": np.full(count, ctx.start_us - 200 * US_PER_DAY),
            "updated_at": np.full(count, ctx.start_us - 200 * US_PER_DAY),
        },
    )
    ctx.store["groups"] = {"id": group_ids, "role": np.array([s[2] for s in specs])}


def _invitations_tokens_sessions(ctx: OrgContext, rng, user_ids, user_emails, active) -> None:
    invites = max(3, ctx.days // 60)
    sent = ctx.start_us + rng.integers(0, ctx.days, invites) * US_PER_DAY + 15 * US_PER_HOUR
    status = rng.choice(["accepted", "expired", "revoked", "pending"], invites, p=[0.7, 0.15, 0.05, 0.1])
    expires = sent + 7 * US_PER_DAY
    status = np.where((status == "pending") & (expires < ctx.end_us), "expired", status)
    accepted = status == "accepted"
    ctx.emit(
        "user_invitations",
        {
            "id": ctx.ids("user_invitations", invites),
            "email": join("new.hire", np.arange(invites).astype(str), "@", ctx.store["domain"]),
            "role": rng.choice(["technician", "sales", "operations"], invites).astype(object),
            "invited_by_user_id": np.full(invites, user_ids[0]),
            "accepted_user_id": masked(user_ids[rng.integers(1, len(user_ids), invites)], accepted),
            "status": status.astype(object),
            "expires_at": expires,
            "accepted_at": masked(ctx.clamp_us(sent + 2 * US_PER_DAY), accepted),
            "created_at": sent,
            "updated_at": sent,
        },
    )
    tokens = 2
    token_created = np.full(tokens, ctx.start_us - 30 * US_PER_DAY)
    prefixes = [f"wh_{ctx.org_id}_{i}" for i in range(tokens)]
    token_ids = ctx.ids("api_tokens", tokens)
    ctx.store["api_token_ids"] = token_ids
    ctx.emit(
        "api_tokens",
        {
            "id": token_ids,
            "name": ["Accounting sync", "Website forms"],
            "token_prefix": prefixes,
            "token_hash": _hashes(prefixes),
            "created_by_user_id": np.full(tokens, user_ids[0]),
            "scopes": ['["orders.read","customers.read"]', '["customers.write"]'],
            "last_used_at": np.full(tokens, ctx.end_us - US_PER_HOUR),
            "created_at": token_created,
            "updated_at": token_created,
        },
    )
    # Sign-ins: active users about twice a week.
    weeks = max(1, ctx.days // 7)
    users = np.repeat(user_ids[active], 2 * weeks)
    count = len(users)
    started = ctx.start_us + rng.integers(0, ctx.days, count) * US_PER_DAY + rng.integers(12, 22, count) * US_PER_HOUR
    started = ctx.clamp_us(np.sort(started))
    tokens_hashes = _hashes([f"{ctx.org_id}:{i}" for i in range(count)])
    ctx.emit(
        "user_sessions",
        {
            "id": ctx.ids("user_sessions", count),
            "user_id": users,
            "token_hash": tokens_hashes,
            "ip_address": join(
                "10.", rng.integers(0, 255, count).astype(str), ".", rng.integers(0, 255, count).astype(str), ".7"
            ),
            "user_agent": rng.choice(
                ["Mozilla/5.0 (Windows NT 10.0)", "Mozilla/5.0 (iPhone)", "FieldApp/3.2 (Android)"], count
            ).astype(object),
            "started_at": started,
            "expires_at": started + 12 * US_PER_HOUR,
            "created_at": started,
            "updated_at": started,
        },
    )
