"""The figures of `make bench` (bench/run.py): each scenario's rounds summed up, the issue's targets, and
the tables printed at the end.
"""

import math
import statistics

LARGE_SIZE = 100_000

ORDER = ["floor", "peer", "catalog", "catalog_jwt", "search", "detail", "course_html", "lesson_html", "quiz"]
LISTS = ["catalog", "catalog_jwt", "search"]


def log(message: str = "") -> None:
    print(message, flush=True)


def ratio(numerator, denominator, digits: int = 3) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, digits)


def fmt(value, spec: str = ".1f", suffix: str = "") -> str:
    return "–" if value is None else f"{value:{spec}}{suffix}"


def percentile(ordered: list[float], share: float) -> float | None:
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))], 2)


def aggregate(rounds: list[dict]) -> dict:
    """One scenario's rounds: rps per round (median reported), latencies pooled over the rounds."""
    samples = sorted(value for run in rounds for value in run["latencies_ms"])
    statuses: dict[str, int] = {}
    for run in rounds:
        for status, count in run["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    rps = [run["rps"] for run in rounds]
    return {
        "rps": round(statistics.median(rps), 2),
        "rps_rounds": rps,
        "p50_ms": percentile(samples, 0.50),
        "p95_ms": percentile(samples, 0.95),
        "p99_ms": percentile(samples, 0.99),
        "mean_ms": round(statistics.fmean(samples), 2) if samples else None,
        "requests": len(samples),
        "errors": sum(run["errors"] for run in rounds),
        "statuses": statuses,
        "bytes_per_response": rounds[-1]["bytes_per_response"],
        "load_cpu_cores": round(statistics.fmean(run["load_cpu_cores"] for run in rounds), 2),
    }


def summarize_size(size: int, prep: dict, runs: dict) -> dict:
    measured = {}
    for name, rounds in runs.items():
        scenario, queries = prep["scenarios"][name], prep["queries"][name]
        entry = aggregate(rounds)
        entry.update(
            label=scenario["label"],
            method=scenario["method"],
            path=scenario["path"],
            queries=queries["queries"],
            queries_by_page_size={k: v["queries"] for k, v in queries.get("by_page_size", {}).items()},
            sql=queries["sql"],
        )
        measured[name] = entry
    for entry in measured.values():
        entry["x_floor_rps"] = ratio(entry["rps"], measured["floor"]["rps"])
        entry["x_peer_rps"] = ratio(entry["rps"], measured["peer"]["rps"])
        entry["x_floor_p50"] = ratio(entry["p50_ms"], measured["floor"]["p50_ms"], 2)
    return {
        "courses": size,
        "schema": prep["schema"],
        "seed": prep["seed"],
        "scenarios": measured,
        "uncached": prep["uncached"],
        "certificate_pdf": prep["certificate_pdf"],
        "profile": prep.get("profile"),
    }


# --- report -----------------------------------------------------------------------------------------------

def check(ok: bool | None) -> str:
    return "–" if ok is None else ("✓" if ok else "✗")


def _compare(value, limit) -> bool | None:
    """value ≤ limit, or None when either was not measured."""
    return None if value is None or limit is None else value <= limit


def targets(results: dict) -> list[dict]:
    """The issue's targets, per size where they apply; reported, never asserted."""
    out = []

    def add(target, courses, value, met):
        out.append({"target": target, "courses": courses, "value": value, "met": met})

    for size, result in results.items():
        s = result["scenarios"]
        catalog, floor, peer = s["catalog"], s["floor"], s["peer"]
        add(
            "catalog list ≥ 0.5× the floor in rps",
            size,
            f"{fmt(catalog['x_floor_rps'], '.2f')}× ({catalog['rps']:.1f} vs {floor['rps']:.1f} rps)",
            None if catalog["x_floor_rps"] is None else catalog["x_floor_rps"] >= 0.5,
        )
        add(
            "catalog list ≥ 2× the peer in rps",
            size,
            f"{fmt(catalog['x_peer_rps'], '.2f')}× ({catalog['rps']:.1f} vs {peer['rps']:.1f} rps)",
            None if catalog["x_peer_rps"] is None else catalog["x_peer_rps"] >= 2,
        )
        for name in LISTS:
            if name in s:
                by_size = s[name]["queries_by_page_size"]
                counts = [s[name]["queries"], *by_size.values()]
                add(
                    f"{name}: SQL queries independent of page size and ≤ 4",
                    size,
                    f"{s[name]['queries']} at 20/page; " + ", ".join(f"{q} at {k}" for k, q in by_size.items()),
                    len(set(by_size.values())) == 1 and max(counts) <= 4,
                )
        if "search" in s:
            add(
                "search p95 ≤ catalog list p95",
                size,
                f"{fmt(s['search']['p95_ms'])} vs {fmt(catalog['p95_ms'])} ms",
                _compare(s["search"]["p95_ms"], catalog["p95_ms"]),
            )
        if "quiz" in s:
            limit = 1.5 * catalog["p95_ms"] if catalog["p95_ms"] is not None else None
            add(
                "quiz submission p95 ≤ 1.5× catalog list p95",
                size,
                f"{fmt(s['quiz']['p95_ms'])} vs 1.5 × {fmt(catalog['p95_ms'])} = {fmt(limit)} ms",
                _compare(s["quiz"]["p95_ms"], limit),
            )
    sizes = sorted(results)
    small, large = sizes[0], sizes[-1]
    growth = ratio(
        results[large]["scenarios"]["catalog"]["p50_ms"], results[small]["scenarios"]["catalog"]["p50_ms"], 2
    )
    measured = small <= 1000 and large >= LARGE_SIZE
    add(
        "catalog p50 at 100,000 courses ≤ 1.5× at 1,000",
        large,
        f"{fmt(growth, '.2f')}× from {small:,} to {large:,}" + ("" if measured else " (run --large for 100,000)"),
        _compare(growth, 1.5) if measured else None,
    )
    return out


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(row):
        cells = zip(row, widths, strict=True)
        return "  ".join(
            str(cell).rjust(width) if i else str(cell).ljust(width) for i, (cell, width) in enumerate(cells)
        )

    return "\n".join([line(header), "  ".join("-" * width for width in widths), *(line(row) for row in rows)])


def report(results: dict, target_list: list[dict], loadavg: list[float]) -> None:
    for size, result in results.items():
        log(f"\n{size:,} courses — rps: median of rounds; latency: pooled over rounds; queries: in-process")
        rows = []
        for name in ORDER:
            if name in result["scenarios"]:
                s = result["scenarios"][name]
                rows.append(
                    [
                        s["label"], fmt(s["rps"]), fmt(s["p50_ms"]), fmt(s["p95_ms"]), fmt(s["p99_ms"]),
                        str(s["queries"]), fmt(s["x_floor_rps"], ".2f"), fmt(s["x_peer_rps"], ".2f"), str(s["errors"]),
                    ]
                )  # fmt: skip
        log(table(rows, ["scenario", "rps", "p50 ms", "p95 ms", "p99 ms", "queries", "×floor", "×peer", "errors"]))
        for name, cold in result["uncached"].items():
            log(
                f"{name} right after a catalog change (uncached, in-process): {cold['p50_ms']:.0f} ms, {cold['queries']} queries"
            )
        pdf = result["certificate_pdf"]
        log(
            f"certificate PDF (render_pdf in-process, {pdf['renders']} renders): p50 {pdf['p50_ms']:.0f} ms, "
            f"max {pdf['max_ms']:.0f} ms, {pdf['per_second']:.1f}/s on one core, {pdf['queries']} queries"
        )
    sizes = list(results)
    if len(sizes) > 1:
        log(f"\nGrowth from {sizes[0]:,} to {sizes[-1]:,} courses (p50 ms, then rps)")
        rows = []
        for name in ORDER:
            if all(name in results[size]["scenarios"] for size in sizes):
                p50 = [results[size]["scenarios"][name]["p50_ms"] for size in sizes]
                rps = [results[size]["scenarios"][name]["rps"] for size in sizes]
                rows.append(
                    [name, *(fmt(value) for value in p50), fmt(ratio(p50[-1], p50[0], 2), ".2f", "×"),
                     *(fmt(value) for value in rps), fmt(ratio(rps[-1], rps[0], 2), ".2f", "×")]
                )  # fmt: skip
        header = [
            "scenario",
            *(f"p50@{size:,}" for size in sizes),
            "p50 growth",
            *(f"rps@{size:,}" for size in sizes),
            "rps growth",
        ]
        log(table(rows, header))
    log(f"\nMachine load average (1 min) at the start of each round and at the end: {loadavg}")
    for size, result in results.items():
        if result.get("profile"):
            log(f"\ncProfile at {size:,} courses:\n{result['profile']}")
    log("\nTargets (reported, not asserted)")
    log(
        table(
            [[check(t["met"]), t["target"], f"{t['courses']:,}", t["value"]] for t in target_list],
            ["", "target", "courses", "measured"],
        )
    )
