"""Reference answer and speed baseline for drplan's prefix overlap detection.

drplan finds overlapping prefixes in Rust (src/validate/overlap.rs) with a sort and one sweep.
This script does the same job in plain Python, two ways, so that:

* a Rust test can check its pairs against `--pairs-out` byte for byte, and
* a bench can compare its time against `sort_and_sweep_ms` (and, for small inputs, against the
  naive `every_pair_ms`, which also serves as the independent check of the sweep).

Prefixes are collected from a plan file in this order: each network's `address_space` (tagged
with the network id), then each subnet's `prefix` (tagged with the subnet id). Host bits are
allowed and cleared. Two prefixes overlap when they share an address; for CIDR prefixes that
means same IP version and one contains the other. A pair is the sorted pair of "TAG PREFIX"
strings, e.g. ("net-a 10.1.0.0/16", "sub-a 10.1.1.0/24").

Usage:
    python3 benches/overlap_reference.py PLAN.json [--every-pair-limit 3000] [--repeat 5]
                                                   [--pairs-out FILE]

Prints one JSON object: {"prefixes": N, "pairs": P, "sort_and_sweep_ms": x, "every_pair_ms": y}
(`every_pair_ms` is null when N is above the limit). Exits 1 if the two methods disagree.
Standard library only.
"""

import argparse
import ipaddress
import json
import sys
import time


def collect(plan):
    """(version, first, last, "TAG PREFIX") for every prefix of the plan, in file order."""
    tagged = [(net["id"], text) for net in plan.get("networks", []) for text in net["address_space"]]
    tagged += [(subnet["id"], subnet["prefix"]) for subnet in plan.get("subnets", [])]
    prefixes = []
    for tag, text in tagged:
        try:
            net = ipaddress.ip_network(text.strip(), strict=False)  # Rust trims too
        except ValueError as error:
            sys.exit(f"{tag}: {error}")
        first, last = int(net.network_address), int(net.broadcast_address)
        prefixes.append((net.version, first, last, f"{tag} {net}"))
    return prefixes


def pair(a, b):
    return (a, b) if a <= b else (b, a)


def every_pair(prefixes):
    """Compare every pair: O(n^2). Two address ranges of one version overlap when they intersect."""
    pairs = set()
    for i, (version, first, last, label) in enumerate(prefixes):
        for other_version, other_first, other_last, other_label in prefixes[i + 1 :]:
            if version == other_version and first <= other_last and other_first <= last:
                pairs.add(pair(label, other_label))
    return pairs


def sort_and_sweep(prefixes):
    """Sort containers before what they contain, then sweep with a stack of open prefixes."""
    order = sorted(range(len(prefixes)), key=lambda i: (prefixes[i][0], prefixes[i][1], -prefixes[i][2], i))
    open_prefixes = []  # a chain: each one contains the next
    pairs = set()
    for i in order:
        version, first, last, label = prefixes[i]
        while open_prefixes and (open_prefixes[-1][0] != version or open_prefixes[-1][2] < first):
            open_prefixes.pop()
        for open_prefix in open_prefixes:
            pairs.add(pair(open_prefix[3], label))
        open_prefixes.append(prefixes[i])
    return pairs


def best_of(runs, method, prefixes):
    """(best time in ms, result) over `runs` calls."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = method(prefixes)
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 3), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", help="plan file (.drplan.json)")
    parser.add_argument("--every-pair-limit", type=int, default=3000,
                        help="run the O(n^2) method only up to this many prefixes (default 3000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of the sweep; best counts (default 5)")
    parser.add_argument("--pairs-out", metavar="FILE", help='write the sorted pairs as "A\\tB\\n" lines')
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    with open(args.plan, encoding="utf-8") as file:
        prefixes = collect(json.load(file))

    sweep_ms, pairs = best_of(args.repeat, sort_and_sweep, prefixes)
    every_ms = None
    if len(prefixes) <= args.every_pair_limit:
        every_ms, naive_pairs = best_of(max(1, args.repeat // 2), every_pair, prefixes)
        if naive_pairs != pairs:
            missing, extra = sorted(naive_pairs - pairs), sorted(pairs - naive_pairs)
            sys.exit(f"methods disagree: sweep misses {len(missing)} pairs {missing[:3]}, "
                     f"has {len(extra)} extra {extra[:3]}")

    if args.pairs_out:
        with open(args.pairs_out, "w", encoding="utf-8", newline="\n") as file:
            file.writelines(f"{a}\t{b}\n" for a, b in sorted(pairs))

    print(json.dumps({"prefixes": len(prefixes), "pairs": len(pairs),
                      "sort_and_sweep_ms": sweep_ms, "every_pair_ms": every_ms}))


if __name__ == "__main__":
    main()
