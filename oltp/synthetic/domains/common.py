"""Small vectorised building blocks shared by the domain generators: volumes over time, names, picks."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from oltp.synthetic.arrow import US_PER_DAY
from oltp.synthetic.context import OrgContext

FIRST_NAMES = np.array(
    [
        "James",
        "Mary",
        "Robert",
        "Patricia",
        "John",
        "Jennifer",
        "Michael",
        "Linda",
        "David",
        "Elizabeth",
        "William",
        "Barbara",
        "Richard",
        "Susan",
        "Joseph",
        "Jessica",
        "Thomas",
        "Sarah",
        "Charles",
        "Karen",
        "Daniel",
        "Lisa",
        "Matthew",
        "Nancy",
        "Anthony",
        "Betty",
        "Mark",
        "Sandra",
        "Donald",
        "Ashley",
        "Steven",
        "Emily",
        "Andrew",
        "Kimberly",
        "Paul",
        "Donna",
        "Joshua",
        "Michelle",
        "Kenneth",
        "Carol",
        "Kevin",
        "Amanda",
        "Brian",
        "Melissa",
        "George",
        "Deborah",
        "Timothy",
        "Stephanie",
        "Ronald",
        "Rebecca",
        "Jason",
        "Sharon",
        "Edward",
        "Laura",
        "Jeffrey",
        "Cynthia",
        "Ryan",
        "Amy",
        "Jacob",
        "Angela",
        "Gary",
        "Helen",
        "Nicholas",
        "Anna",
        "Eric",
        "Brenda",
        "Jonathan",
        "Pamela",
        "Stephen",
        "Emma",
        "Larry",
        "Nicole",
        "Justin",
        "Samantha",
        "Scott",
        "Katherine",
        "Omar",
        "Priya",
        "Wei",
        "Sofia",
        "Mateo",
        "Aisha",
        "Hiroshi",
        "Fatima",
        "Lucas",
        "Ingrid",
    ]
)
LAST_NAMES = np.array(
    [
        "Smith",
        "Johnson",
        "Williams",
        "Brown",
        "Jones",
        "Garcia",
        "Miller",
        "Davis",
        "Rodriguez",
        "Martinez",
        "Hernandez",
        "Lopez",
        "Gonzalez",
        "Wilson",
        "Anderson",
        "Thomas",
        "Taylor",
        "Moore",
        "Jackson",
        "Martin",
        "Lee",
        "Perez",
        "Thompson",
        "White",
        "Harris",
        "Sanchez",
        "Clark",
        "Ramirez",
        "Lewis",
        "Robinson",
        "Walker",
        "Young",
        "Allen",
        "King",
        "Wright",
        "Scott",
        "Torres",
        "Nguyen",
        "Hill",
        "Flores",
        "Green",
        "Adams",
        "Nelson",
        "Baker",
        "Hall",
        "Rivera",
        "Campbell",
        "Mitchell",
        "Carter",
        "Roberts",
        "Patel",
        "Kim",
        "Chen",
        "Okafor",
        "Novak",
        "Larsen",
        "Rossi",
        "Dubois",
        "Schmidt",
        "Murphy",
    ]
)
COMPANY_WORDS = np.array(
    [
        "Acme",
        "Summit",
        "Pioneer",
        "Keystone",
        "Evergreen",
        "Atlas",
        "Beacon",
        "Crescent",
        "Horizon",
        "Liberty",
        "Meridian",
        "Northstar",
        "Pinnacle",
        "Redwood",
        "Sterling",
        "Sunrise",
        "Trident",
        "Vanguard",
        "Willow",
        "Zenith",
        "Harbor",
        "Granite",
        "Falcon",
        "Cobalt",
        "Juniper",
        "Aspen",
    ]
)
COMPANY_KINDS = np.array(
    [
        "Properties",
        "Dental",
        "Bakery",
        "Logistics",
        "Hotel",
        "School",
        "Clinic",
        "Apartments",
        "Church",
        "Brewery",
        "Fitness",
        "Motors",
        "Storage",
        "Offices",
        "Farms",
        "Restaurant",
        "Library",
        "Marina",
    ]
)
STREETS = np.array(
    [
        "Main",
        "Oak",
        "Pine",
        "Maple",
        "Cedar",
        "Elm",
        "Lake",
        "Hill",
        "Park",
        "Washington",
        "River",
        "Sunset",
        "Highland",
        "Church",
    ]
)
STREET_KINDS = np.array(["St", "Ave", "Rd", "Blvd", "Ln", "Dr", "Ct"])
CITIES = np.array(
    [
        "Springfield",
        "Franklin",
        "Greenville",
        "Bristol",
        "Clinton",
        "Fairview",
        "Salem",
        "Madison",
        "Georgetown",
        "Arlington",
        "Ashland",
        "Dover",
        "Oxford",
        "Jackson",
        "Burlington",
        "Manchester",
        "Milton",
        "Newport",
    ]
)
REGIONS = np.array(["CA", "TX", "FL", "NY", "PA", "IL", "OH", "GA", "NC", "MI", "WA", "AZ", "CO", "OR"])


def seasonal_factor(ctx: OrgContext, day_index: np.ndarray) -> np.ndarray:
    """Volume multiplier per day: the trade's seasons, weekly rhythm and the organization's growth."""
    days = ctx.start_day + np.asarray(day_index, dtype=np.int64)
    dates = days.astype("datetime64[D]")
    month = dates.astype("datetime64[M]").astype(np.int64) % 12  # 0 = January
    winter, spring, summer = ctx.profile.seasonality
    by_month = np.array([winter, winter, spring, spring, spring, summer, summer, summer, 1.0, 1.0, 1.0, winter])
    weekday = (days + 3) % 7  # 0 = Monday (1970-01-01 was a Thursday)
    by_weekday = np.array([1.05, 1.1, 1.1, 1.05, 1.0, 0.45, 0.15])
    growth = (1.0 + ctx.profile.annual_growth) ** (np.asarray(day_index) / 365.0)
    return by_month[month] * by_weekday[weekday] * growth


def daily_events(ctx: OrgContext, rng: np.random.Generator, per_day: float, days: np.ndarray | None = None):
    """Day index of each event when ``per_day`` events happen on an average day (Poisson around the pattern)."""
    day_index = np.arange(ctx.days) if days is None else np.asarray(days)
    expected = per_day * ctx.profile.size * seasonal_factor(ctx, day_index)
    counts = rng.poisson(expected)
    return np.repeat(day_index, counts)


def person_names(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    return FIRST_NAMES[rng.integers(0, len(FIRST_NAMES), count)], LAST_NAMES[rng.integers(0, len(LAST_NAMES), count)]


def join(*parts) -> np.ndarray:
    """Element-wise string concatenation of arrays and scalars."""
    result = np.asarray(parts[0]).astype(object)
    for part in parts[1:]:
        result = result + np.asarray(part).astype(object)
    return result


def text(*parts) -> pa.Array:
    """Element-wise concatenation, as `join`, into an Arrow string array: for big text columns that go straight to
    a table, since Arrow holds a string in its bytes where Python needs an object of ~50 bytes more per string."""
    arrays = []
    for part in parts:
        if isinstance(part, str | pa.Array):
            arrays.append(part)
            continue
        values = np.asarray(part)
        numbers = values.dtype.kind in "iu"
        arrays.append(pa.array(values).cast(pa.string()) if numbers else pa.array(values.tolist(), pa.string()))
    return pc.binary_join_element_wise(*arrays, "")


def numbered(prefix: str, ids: np.ndarray, width: int = 7) -> np.ndarray:
    """Human document numbers from ids, e.g. SO-0000123: unique per organization because ids are."""
    return np.array([f"{prefix}-{value:0{width}d}" for value in ids.tolist()], dtype=object)


def emails(local: np.ndarray, domain: str) -> np.ndarray:
    cleaned = [str(value).replace(" ", ".").lower() for value in np.asarray(local).tolist()]
    return join(np.array(cleaned, dtype=object), "@", domain)


def street_addresses(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    return {
        "line1": join(
            rng.integers(1, 9999, count).astype(str),
            " ",
            STREETS[rng.integers(0, len(STREETS), count)],
            " ",
            STREET_KINDS[rng.integers(0, len(STREET_KINDS), count)],
        ),
        "city": CITIES[rng.integers(0, len(CITIES), count)].astype(object),
        "region": REGIONS[rng.integers(0, len(REGIONS), count)].astype(object),
        "postal_code": np.array([f"{code:05d}" for code in rng.integers(1000, 99999, count).tolist()], dtype=object),
    }


def pick(rng: np.random.Generator, values: np.ndarray, count: int, weights: np.ndarray | None = None) -> np.ndarray:
    if len(values) == 0:
        raise ValueError("nothing to pick from")
    if weights is None:
        return values[rng.integers(0, len(values), count)]
    probabilities = np.asarray(weights, dtype=float)
    return values[rng.choice(len(values), size=count, p=probabilities / probabilities.sum())]


def zipf_weights(count: int, exponent: float = 1.1) -> np.ndarray:
    return 1.0 / np.arange(1, count + 1) ** exponent


def to_json(values) -> list[str]:
    return [json.dumps(value, separators=(",", ":"), sort_keys=True) for value in values]


def day_of(ctx: OrgContext, timestamps_us: np.ndarray) -> np.ndarray:
    """Day index within the window of each timestamp."""
    return np.asarray(timestamps_us, dtype=np.int64) // US_PER_DAY - ctx.start_day


def round_div(numerator: np.ndarray, denominator: int) -> np.ndarray:
    """Integer division rounding half away from zero, as PostgreSQL rounds numerics."""
    numerator = np.asarray(numerator, dtype=np.int64)
    return np.sign(numerator) * ((np.abs(numerator) * 2 + denominator) // (2 * denominator))
