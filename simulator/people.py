"""Synthetic dossier owners: a Vietnamese full name and a 12-digit CCCD.

Both are personal data in shape, so the simulator never prints or logs them;
they exist so that the pipeline's pseudonymisation has something real-looking
to work on.
"""

from __future__ import annotations

import random

from simulator.catalog import Names

BIRTH_YEARS = (1945, 2007)  # adults who file procedures


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    """Draw one key of `weights` with probability proportional to its value."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def synthetic_person(
    rng: random.Random, names: Names, birth_provinces: dict[str, float]
) -> tuple[str, str]:
    """Return `(full_name, cccd)` with sex and birth year consistent between them.

    CCCD layout: 3-digit province of birth registration, century/sex digit
    (0/1 = 1900s male/female, 2/3 = 2000s male/female), 2-digit birth year,
    6 random digits.
    """
    female = rng.random() < 0.5
    year = rng.randint(*BIRTH_YEARS)
    century_sex = (0 if year < 2000 else 2) + int(female)
    cccd = (
        f"{weighted(rng, birth_provinces)}{century_sex}{year % 100:02d}{rng.randrange(10**6):06d}"
    )
    middle = names.middle_female if female else names.middle_male
    given = names.given_female if female else names.given_male
    full_name = f"{weighted(rng, names.family)} {rng.choice(middle)} {rng.choice(given)}"
    return full_name, cccd
