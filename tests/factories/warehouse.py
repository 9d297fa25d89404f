"""Small import files written the way an organizer's student system exports them."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path


def personnummer(rng: random.Random) -> str:
    """A synthetic, checksum-valid personnummer (YYYYMMDD-NNNC) of a person born 2009-2011."""
    born = date(2009, 1, 1) + timedelta(days=rng.randrange(3 * 365))
    serial = f"{rng.randrange(1000):03d}"
    digits = f"{born:%y%m%d}{serial}"
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    check = (10 - total % 10) % 10
    return f"{born:%Y%m%d}-{serial}{check}"


def enrolment_file(
    path: Path,
    *,
    organizer: str,
    school_unit: str,
    students: int,
    seed: int = 1,
    year: str = "2024/25",
    municipality: str = "1384",
) -> list[str]:
    """Write an enrolments CSV (semicolons, as Swedish exports) and return its personnummer."""
    rng = random.Random(seed)
    numbers = [personnummer(rng) for _ in range(students)]
    lines = ["personnummer;läsår;skolenhetskod;huvudman;skolform;årskurs;hemkommun;kön;nyanländ"]
    lines += [
        f"{pnr};{year};{school_unit};{organizer};GR;9;{municipality};{'F' if i % 2 else 'M'};nej"
        for i, pnr in enumerate(numbers)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return numbers
