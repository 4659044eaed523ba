"""Synthetic catalogs for benchmarks and tests: varied, valid and deterministic.

>>> entries = list(synthetic_catalog(3, seed=1))
>>> [e["gtin"] for e in entries] == [e["gtin"] for e in synthetic_catalog(3, seed=1)]
True
>>> len({e["gtin"] for e in entries})
3
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson
import shortuuid

from gs1ld.gtin import check_digit

__all__ = ["synthetic_catalog", "write_jsonl"]

_CODEC = shortuuid.ShortUUID()
_BRANDS = (
    "Meadowbrook",
    "Summit Snacks",
    "Fizzwell",
    "Valley Greens",
    "Botanique",
    "Highland Roasters",
    "Polar Fields",
    "Trailkeeper",
    "Bee Hollow",
    "Obstgarten",
)
_FOODS = (
    "Oat Bar",
    "Greek Yogurt",
    "Sparkling Water",
    "Granola",
    "Tomato Soup",
    "Dark Chocolate",
    "Basmati Rice",
    "Olive Oil",
    "Peanut Butter",
    "Apple Juice",
    "Herbal Tea",
    "Hummus",
)
_GOODS = ("Hand Cream", "Water Bottle", "Shampoo", "Notebook", "Lunch Box", "Toothbrush")
_INGREDIENTS = (
    ("Oats", False),
    ("Sugar", False),
    ("Whole Milk", True),
    ("Peanuts", True),
    ("Wheat Flour", True),
    ("Soy Lecithin", True),
    ("Sea Salt", False),
    ("Sunflower Oil", False),
    ("Eggs", True),
    ("Almonds", True),
    ("Water", False),
    ("Cocoa", False),
    ("Sesame Seeds", True),
    ("Tomatoes", False),
)
_CERTS = (
    ("USDA Organic", "USDA_ORGANIC"),
    ("Fair Trade Certified", "FAIR_TRADE"),
    ("Rainforest Alliance", "RAINFOREST_ALLIANCE"),
    ("EU Organic", "EU_ORGANIC"),
    ("Non-GMO Project Verified", "NON_GMO_PROJECT"),
    ("Leaping Bunny", "LEAPING_BUNNY"),
)
_CLAIMS = (
    ("Non-GMO", "NON_GMO", "INGREDIENT_ABSENCE"),
    ("Vegan", "VEGAN", "DIETARY"),
    ("Gluten free", "GLUTEN_FREE", "ALLERGEN_FREE"),
    ("Kosher", "KOSHER", "DIETARY"),
    ("No added sugar", "NO_ADDED_SUGAR", "INGREDIENT_ABSENCE"),
    ("Locally grown", "LOCAL", "OTHER"),
)
_NUTRIENTS = (
    ("Calories", "kcal", 50, 400),
    ("Total Fat", "g", 0, 20),
    ("Sodium", "mg", 0, 600),
    ("Total Carbohydrate", "g", 0, 60),
    ("Total Sugars", "g", 0, 30),
    ("Added Sugars", "g", 0, 20),
    ("Protein", "g", 0, 25),
    ("Calcium", "mg", 0, 300),
)
_EU_NUTRIENTS = (
    ("Energy", "kJ", 100, 2000),
    ("Fat", "g", 0, 30),
    ("of which saturates", "g", 0, 10),
    ("Carbohydrate", "g", 0, 70),
    ("Protein", "g", 0, 20),
    ("Salt", "g", 0, 2),
)
_STATUSES = ("verified", "verified", "unverified", "expired")


def _sid(rng: random.Random) -> str:
    return str(_CODEC.encode(uuid.UUID(int=rng.getrandbits(128))))


def _day(rng: random.Random, start: int, end: int) -> str:
    year = rng.randint(start, end)
    return f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _gtin(index: int, seed: int) -> str:
    payload = f"0{(seed % 90) + 10:02d}{index:010d}"[-13:]
    return payload + str(check_digit(payload))


def _nutrition(rng: random.Random) -> dict[str, Any]:
    us = rng.random() < 0.6
    rows = _NUTRIENTS if us else _EU_NUTRIENTS
    nutrients = []
    for name, unit, low, high in rows:
        row: dict[str, Any] = {
            "name": name,
            "amount": round(rng.uniform(low, high), 1),
            "unit": unit,
        }
        if us and name != "Calories":
            row["daily_value_percent"] = rng.randint(0, 60)
        nutrients.append(row)
    grams = rng.choice((30, 40, 100, 240, 250))
    return {
        "label_format": "US_FDA" if us else "EU",
        "nutrients": nutrients,
        "serving_size": f"1 serving ({grams}g)",
        "serving_size_g": grams,
        "servings_per_container": rng.choice((1, 2, 4, 8)),
    }


def _entry(index: int, seed: int, rng: random.Random) -> dict[str, Any]:
    food = rng.random() < 0.8
    brand = rng.choice(_BRANDS)
    name = f"{rng.choice(_FOODS if food else _GOODS)} #{index}"
    images = [
        {
            "id": _sid(rng),
            "title": f"{name} view {n}",
            "description": "",
            "is_primary": n == 0,
            "priority": n + 1,
            "created": "2025-01-15T10:00:00Z",
            "image_url": f"https://cdn.synthetic.example/{index}/{n}.jpg",
            "thumbnail_url": f"https://cdn.synthetic.example/{index}/{n}-t.jpg",
            "width": 1200,
            "height": 1200,
        }
        for n in range(rng.randint(0, 3))
    ]
    picked = rng.sample(_INGREDIENTS, rng.randint(0, 6))
    ingredients = [
        {
            "id": _sid(rng),
            "name": ing,
            "is_major_allergen": allergen and food,
            "may_contain": (not allergen) and food and rng.random() < 0.1,
            "priority": n + 1,
            "notes": "",
            "percentage": None,
            "origin": "",
        }
        for n, (ing, allergen) in enumerate(picked)
    ]
    certifications = []
    for label, code in rng.sample(_CERTS, rng.randint(0, 2)):
        start = _day(rng, 2021, 2025)
        certifications.append(
            {
                "id": _sid(rng),
                "label": label,
                "is_active": True,
                "metadata": {},
                "code": code,
                "description": "",
                "url": "",
                "logo_url": None,
                "valid_from": start,
                "expiration_date": _day(rng, 2025, 2028),
                "certificate_number": f"C-{index}-{code[:3]}",
                "issuing_body": "Synthetic Certifiers",
                "expiry_date": None,
                "verification_url": f"https://registry.synthetic.example/{index}/{code.lower()}",
                "verification_status": rng.choice(_STATUSES),
                "scope": "",
                "certification_value": "",
                "audit_date": None,
                "initial_certification_date": None,
                "certificate_countries": rng.sample(
                    ["US", "CA", "DE", "FR", "GB"], rng.randint(0, 2)
                ),
            }
        )
    claims: list[dict[str, Any]] = [
        {
            "id": _sid(rng),
            "label": label,
            "code": code,
            "category": category,
            "source": rng.choice(("BRAND_SELF_DECLARED", "THIRD_PARTY_VERIFIED")),
            "metadata": {},
            "valid_from": None,
            "expiration_date": _day(rng, 2025, 2028) if rng.random() < 0.3 else None,
        }
        for label, code, category in rng.sample(_CLAIMS, rng.randint(0, 2))
    ]
    recalls = []
    if rng.random() < 0.02:
        recalls.append(
            {
                "id": _sid(rng),
                "title": "Undeclared allergen",
                "created": None,
                "description": "",
                "hazard": "Allergic reaction",
                "remedy": "Return it",
                "public_url": "",
                "company_name": brand,
                "recall_date": _day(rng, 2025, 2026),
                "jurisdictions": ["US"],
            }
        )
    language = "fr" if rng.random() < 0.1 else "en"
    product: dict[str, Any] = {
        "name": {"en": name, "fr": f"{name} (fr)"} if language == "fr" else name,
        "brand": brand,
        "language": language,
        "kind": "food" if food else "non_food",
        "description": f"{name} by {brand}.",
    }
    return {
        "gtin": _gtin(index, seed),
        "product": product,
        "content": {
            "images": images,
            "ingredients": ingredients,
            "certifications": certifications,
            "claims": claims,
            "recalls": recalls,
            "nutrition_facts": _nutrition(rng) if food and rng.random() < 0.9 else None,
            "circularity": {
                "assessment_date": "2025-06-01",
                "methodology": "Synthetic method",
                "overall_score": round(rng.uniform(0, 10), 1),
                "durability_score": 5,
                "recyclability_score": 6,
                "repairability_score": 4,
                "reusability_score": 7,
            }
            if not food and rng.random() < 0.5
            else None,
            "ftl_data": {
                "is_ftl": True,
                "contains_ftl_substance": True,
                "ftl_categories": ["FRESH_HERBS"],
                "ftl_substance_categories": [],
            }
            if food and rng.random() < 0.05
            else None,
        },
    }


def synthetic_catalog(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """Yield ``n`` varied, valid catalog entries (JSON-ready dicts), the same for the same seed.

    GTINs are unique within one seed (a prefix derived from the seed, then the index).
    """
    rng = random.Random(seed)
    for index in range(n):
        yield _entry(index, seed, rng)


def write_jsonl(entries: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Write entries as JSON Lines; returns how many were written."""
    count = 0
    with Path(path).open("wb") as handle:
        for entry in entries:
            handle.write(orjson.dumps(entry, option=orjson.OPT_APPEND_NEWLINE))
            count += 1
    return count
