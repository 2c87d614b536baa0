"""The figures of `make bench` (bench/run.py): each scenario's rounds summed up per size and catalog cache
mode, and the tables printed at the end (the targets are in bench/run_targets.py).
"""

import math
import statistics

LARGE_SIZE = 100_000

SAME_URL = ["floor", "peer", "catalog", "catalog_jwt", "search", "detail", "course_html", "lesson_html", "quiz"]
CLASSES = ["catalog_mix", "search_mix", "detail_random", "course_html_random", "lesson_random", "day_mix"]
ORDER = [*SAME_URL, *CLASSES]
LISTS = ["catalog", "catalog_jwt", "search"]
MODE_LABELS = {"on": "cache on", "off": "cache off"}


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


def _statuses(parts) -> dict:
    statuses: dict[str, int] = {}
    for part in parts:
        for status, count in part["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    return statuses


def aggregate(rounds: list[dict]) -> dict:
    """One scenario's rounds: rps per round (median reported), latencies pooled over the rounds; for a
    mix, the same per group (its share of the requests, latencies and errors)."""
    samples = sorted(value for run in rounds for value in run["latencies_ms"])
    rps = [run["rps"] for run in rounds]
    groups = {}
    for group in sorted({group for run in rounds for group in run.get("groups", {})}):
        parts = [run["groups"][group] for run in rounds if group in run.get("groups", {})]
        pooled = sorted(value for part in parts for value in part["latencies_ms"])
        groups[group] = {
            "requests": len(pooled),
            "share": round(len(pooled) / len(samples), 3) if samples else None,
            "p50_ms": percentile(pooled, 0.50),
            "p95_ms": percentile(pooled, 0.95),
            "errors": sum(part["errors"] for part in parts),
            "statuses": _statuses(parts),
        }
    return {
        "rps": round(statistics.median(rps), 2),
        "rps_rounds": rps,
        "p50_ms": percentile(samples, 0.50),
        "p95_ms": percentile(samples, 0.95),
        "p99_ms": percentile(samples, 0.99),
        "mean_ms": round(statistics.fmean(samples), 2) if samples else None,
        "requests": len(samples),
        "errors": sum(run["errors"] for run in rounds),
        "statuses": _statuses(rounds),
        "bytes_per_response": rounds[-1]["bytes_per_response"],
        "load_cpu_cores": round(statistics.fmean(run["load_cpu_cores"] for run in rounds), 2),
        "distinct_requests_per_round": [run.get("distinct_requests") for run in rounds],
        "groups": groups,
    }


def summarize_mode(prep: dict, runs: dict, first_peer: dict | None) -> dict:
    """One cache mode's scenarios, with their ratios to the floor of the same server and to the peer
    (measured on the first mode's server only: Wagtail's API reads no catalog cache)."""
    measured = {}
    for name, rounds in runs.items():
        scenario, queries = prep["scenarios"][name], prep["queries"][name]
        entry = aggregate(rounds)
        entry.update(
            label=scenario["label"],
            method=scenario["method"],
            path=scenario["path"],
            variants=len(scenario.get("requests") or [None]),
            queries=queries["queries"],
            queries_off=queries.get("queries_off"),
            queries_by_page_size={k: v["queries"] for k, v in queries.get("by_page_size", {}).items()},
            sql=queries["sql"],
        )
        measured[name] = entry
    peer = measured.get("peer") or first_peer or {}
    for entry in measured.values():
        entry["x_floor_rps"] = ratio(entry["rps"], measured["floor"]["rps"])
        entry["x_peer_rps"] = ratio(entry["rps"], peer.get("rps"))
        entry["x_floor_p50"] = ratio(entry["p50_ms"], measured["floor"]["p50_ms"], 2)
    return measured


def summarize_size(size: int, prep: dict, runs: dict) -> dict:
    """`runs`: mode → scenario → rounds. The first mode's server ran every scenario, the others all but the peer."""
    modes = list(runs)
    summaries = {modes[0]: summarize_mode(prep, runs[modes[0]], None)}
    for mode in modes[1:]:
        summaries[mode] = summarize_mode(prep, runs[mode], summaries[modes[0]].get("peer"))
    return {
        "courses": size,
        "schema": prep["schema"],
        "seed": prep["seed"],
        "modes": summaries,
        "uncached": prep["uncached"],
        "certificate_pdf": prep["certificate_pdf"],
        "profile": prep.get("profile"),
    }


def main_mode(result: dict) -> str:
    """The mode of the same-URL figures and their targets: the cache on when it was measured."""
    return "on" if "on" in result["modes"] else next(iter(result["modes"]))


# --- report -----------------------------------------------------------------------------------------------


def check(ok: bool | None) -> str:
    return "–" if ok is None else ("✓" if ok else "✗")


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(row):
        cells = zip(row, widths, strict=True)
        return "  ".join(
            str(cell).rjust(width) if i else str(cell).ljust(width) for i, (cell, width) in enumerate(cells)
        )

    return "\n".join([line(header), "  ".join("-" * width for width in widths), *(line(row) for row in rows)])


def _queries(entry: dict) -> str:
    on, off = entry["queries"], entry.get("queries_off")
    return "–" if on is None else (str(on) if off in (None, on) else f"{on}/{off}")


def size_table(result: dict) -> str:
    """Every scenario of a size, its figures in each cache mode side by side."""
    modes = list(result["modes"])
    rows = []
    for name in ORDER:
        entries = [result["modes"][mode].get(name) for mode in modes]
        first = next((entry for entry in entries if entry), None)
        if first is None:
            continue
        row = [first["label"], str(first["variants"])]
        for key, spec in (("rps", ".1f"), ("p50_ms", ".1f"), ("p95_ms", ".1f"), ("x_floor_rps", ".2f")):
            row += [fmt(entry[key], spec) if entry else "" for entry in entries]
        row += [_queries(first), "/".join(str(entry["errors"]) if entry else "–" for entry in entries)]
        rows.append(row)
    header = ["scenario", "URLs"]
    for key in ("rps", "p50 ms", "p95 ms", "×floor"):
        header += [f"{key} {mode}" for mode in modes]
    header += ["queries on/off", "errors"]
    return table(rows, header)


def report(results: dict, target_list: list[dict], loadavg: list[float]) -> None:
    for size, result in results.items():
        modes = " and ".join(MODE_LABELS[mode] for mode in result["modes"])
        log(
            f"\n{size:,} courses, catalog {modes} — rps: median of rounds; latency: pooled over rounds; "
            "queries: in-process (median of 5 requests for a class), catalog cache on/off"
        )
        log(size_table(result))
        for mode, scenarios in result["modes"].items():
            mix = scenarios.get("day_mix")
            if mix and mix["groups"]:
                rows = [
                    [group, fmt(g["share"] * 100 if g["share"] is not None else None, ".0f", " %"), fmt(g["p50_ms"]),
                     fmt(g["p95_ms"]), str(g["errors"])]
                    for group, g in mix["groups"].items()
                ]  # fmt: skip
                log(f"day mix at {size:,} courses, {MODE_LABELS[mode]}, by class:")
                log(table(rows, ["class", "share", "p50 ms", "p95 ms", "errors"]))
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
        for mode in results[sizes[0]]["modes"]:
            log(f"\nGrowth from {sizes[0]:,} to {sizes[-1]:,} courses, {MODE_LABELS[mode]} (p50 ms, then rps)")
            rows = []
            for name in ORDER:
                if all(name in results[size]["modes"].get(mode, {}) for size in sizes):
                    p50 = [results[size]["modes"][mode][name]["p50_ms"] for size in sizes]
                    rps = [results[size]["modes"][mode][name]["rps"] for size in sizes]
                    rows.append(
                        [name, *(fmt(value) for value in p50), fmt(ratio(p50[-1], p50[0], 2), ".2f", "×"),
                         *(fmt(value) for value in rps), fmt(ratio(rps[-1], rps[0], 2), ".2f", "×")]
                    )  # fmt: skip
            header = ["scenario", *(f"p50@{size:,}" for size in sizes), "p50 growth"]
            log(table(rows, [*header, *(f"rps@{size:,}" for size in sizes), "rps growth"]))
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
