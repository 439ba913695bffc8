"""Scales of synthetic data and the profiles that make organizations differ from one another."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Scale:
    name: str
    organizations: int
    days: int
    orders_per_day: float  # for an organization of size 1.0 at the start of the period
    description: str


SCALES = {
    "tiny": Scale("tiny", 2, 180, 3.0, "for tests: 2 organizations, 6 months, ~2 k order lines, a few seconds"),
    "demo": Scale("demo", 5, 730, 21.0, "the main job's default: 5 organizations, 2 years, ~200 k order lines"),
    "large": Scale("large", 50, 1826, 32.5, "for benchmarks: 50 organizations, 5 years, >= 10 M order lines"),
}

INDUSTRIES = (
    ("HVAC", "hvac", (1.25, 0.8, 1.3)),  # (name, slug word, seasonal amplitudes winter/spring/summer)
    ("Solar", "solar", (0.6, 1.2, 1.35)),
    ("Plumbing", "plumbing", (1.2, 1.0, 0.9)),
    ("Security systems", "security", (1.0, 1.0, 1.0)),
    ("Pool & spa", "pools", (0.5, 1.3, 1.5)),
    ("Electrical", "electric", (1.05, 1.0, 1.0)),
)
TOWNS = (
    "Northwind",
    "Riverside",
    "Oakridge",
    "Lakeview",
    "Summit",
    "Bayside",
    "Cedar",
    "Granite",
    "Maple",
    "Harbor",
    "Pinecrest",
    "Westfield",
    "Brookside",
    "Fairview",
    "Highland",
    "Silverton",
    "Eastgate",
)
TIMEZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/London")


@dataclass(frozen=True)
class OrgProfile:
    index: int
    name: str
    slug: str
    industry: str
    seasonality: tuple[float, float, float]
    size: float  # multiplies every volume
    annual_growth: float
    timezone: str
    currency: str
    commercial_share: float  # share of customers that are businesses
    late_payer_share: float


def org_profiles(scale: Scale, organizations: int, seed: int) -> list[OrgProfile]:
    """Deterministic, varied organizations: size, growth, trade, payment behaviour."""
    rng = np.random.default_rng([seed, 0xC0FFEE])
    profiles = []
    for index in range(organizations):
        industry_name, word, seasonality = INDUSTRIES[index % len(INDUSTRIES)]
        town = TOWNS[(index * 7 + seed) % len(TOWNS)]
        suffix = f"-{index + 1}" if organizations > len(TOWNS) else ""
        zone = TIMEZONES[index % len(TIMEZONES)]
        profiles.append(
            OrgProfile(
                index=index,
                name=f"{town} {industry_name}{suffix.replace('-', ' #')}",
                slug=f"{town.lower()}-{word}{suffix}",
                industry=industry_name,
                seasonality=seasonality,
                size=float(np.clip(rng.lognormal(0.0, 0.45), 0.35, 2.6)),
                annual_growth=float(rng.uniform(-0.04, 0.30)),
                timezone=zone,
                currency="GBP" if zone == "Europe/London" else "USD",
                commercial_share=float(rng.uniform(0.15, 0.6)),
                late_payer_share=float(rng.uniform(0.05, 0.25)),
            )
        )
    return profiles
