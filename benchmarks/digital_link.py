#!/usr/bin/env python3
"""Digital Link parse + validate throughput on one core.

Makes ``--uris`` (default 100,000) valid Digital Link URIs of the shapes a
resolver sees (bare GTIN; GTIN + lot + expiry; brand domain with a path prefix
and a percent-encoded serial; CPV/lot/serial chain with weight, best-before and
a non-GS1 parameter; SSCC; GLN + extension), then times ``gs1ld.digital_link.parse``
over all of them: full checking (formats, check digits, linters, qualifier
order, attribute rules, association rules).  Also times element-string parsing
and URI generation from element strings.

Goal: >= 50,000 URIs/s on one core (measured here for comparison: GS1's
JavaScript toolkit about 27,000/s, biip about 6,000/s).

Usage: python benchmarks/digital_link.py [--uris N] [--repeat R] [--seed S]
The process is pinned to one CPU; the median, best and worst of ``--repeat``
rounds (default 5) are printed, because timings on a shared VM vary.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from collections.abc import Callable, Sequence

from gs1ld.digital_link import from_element_string, parse
from gs1ld.gtin import check_digit

GOAL = 50_000


def _key(rng: random.Random, digits: int) -> str:
    body = "".join(rng.choice("0123456789") for _ in range(digits - 1))
    return body + str(check_digit(body))


def make_uris(count: int, seed: int) -> list[str]:
    """Varied valid URIs, deterministic for a seed."""
    rng = random.Random(seed)
    uris = []
    for i in range(count):
        gtin = _key(rng, 14)
        shape = i % 6
        if shape == 0:
            uris.append(f"https://id.gs1.org/01/{gtin}")
        elif shape == 1:
            uris.append(f"https://id.gs1.org/01/{gtin}/10/LOT{i}?17=261231")
        elif shape == 2:
            uris.append(f"https://brand.example/dl/01/{gtin}/21/SER{i}%2F{i % 97}")
        elif shape == 3:
            uris.append(
                f"https://id.gs1.org/01/{gtin}/22/V1/10/ABC/21/{i}?3103=000195&15=251130&utm=qr"
            )
        elif shape == 4:
            uris.append(f"https://id.gs1.org/00/{_key(rng, 18)}")
        else:
            uris.append(f"https://id.gs1.org/414/{_key(rng, 13)}/254/DOCK{i % 9}")
    return uris


def _rate(function: Callable[[str], object], items: Sequence[str], repeat: int) -> list[float]:
    rates = []
    for _ in range(repeat):
        started = time.perf_counter()
        for item in items:
            function(item)
        rates.append(len(items) / (time.perf_counter() - started))
    return rates


def _report(name: str, rates: list[float], goal: int | None = None) -> None:
    median = statistics.median(rates)
    verdict = "" if goal is None else (" (goal met)" if median >= goal else f" (goal {goal:,}/s)")
    print(
        f"{name:<34} median {median:>9,.0f}/s  best {max(rates):>9,.0f}/s  "
        f"worst {min(rates):>9,.0f}/s{verdict}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uris", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})
    uris = make_uris(args.uris, args.seed)
    print(f"Python {platform.python_version()}, {len(uris):,} URIs, one CPU")
    for uri in uris:  # warm-up, and proof the corpus is valid
        parse(uri)
    parse_rates = _rate(parse, uris, args.repeat)
    _report("parse + validate URI", parse_rates, GOAL)
    element_strings = [parse(uri).to_element_string() for uri in uris[: len(uris) // 5]]
    _report("element string -> URI", _rate(from_element_string, element_strings, args.repeat))
    return 0 if statistics.median(parse_rates) >= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
