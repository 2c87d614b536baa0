"""A small closed-loop HTTP/1.1 load generator (asyncio, standard library only).

    python bench/load.py --port 8123 --spec scenario.json --concurrency 8 --duration 8 [--warmup 2]

`--concurrency` simulated clients each keep one connection open (keep-alive) and send the next request
as soon as the previous answer is read: a fixed number of requests in flight, as `wrk -c` does. When the
server closes the connection (gunicorn's sync workers answer `Connection: close`), the client connects
again, and that connect counts in the latency of its next request, as a browser would pay it.

The scenario (a JSON file made by bench/run.py) is `{method, path, headers: [variant, …], body, expect}`:
client i sends header variant i modulo their number (another learner's token or session cookie), so
authenticated load spreads over several users. `expect` is a status or a list of statuses.

A scenario may also carry many distinct requests, so that it asks what real traffic asks rather than one
URL again and again (which a cache answers):

    requests: [{method, path, headers: {…}, body, expect, group}, …]   each field but path optional
    mix: {group: weight, …}                                           optional
    seed: int                                                         optional, default 0

Before each request a client draws one of `requests` at random (or, with `mix`, first a group by its
weight, then a request of that group), with its own `random.Random` seeded from `seed` and its number, so
that the same spec asks the same sequence again. A request's missing fields come from the scenario's; its
headers go over the client's header variant. Answers are also counted per group (`groups` in the output).
Only 127.0.0.1 is ever contacted.

A request counts when it completes after the warm-up; no request starts after the window's end (unless
fewer than `--min-requests` counted: then the window stretches, up to four times its length, so that an
endpoint slower than a round still gives samples). Requests per second are the counted requests over
the time from the warm-up's end to the last counted answer.

Prints one JSON object: requests, errors (status other than `expect`, or broken connections), the
statuses seen, requests per second, latency percentiles (ms), response bytes, and the distinct requests
sent and the figures per group for a scenario with `requests`.
"""

import argparse
import asyncio
import json
import math
import random
import resource
import sys
import time

HOST = "127.0.0.1"


class Client:
    """One simulated client: one connection at a time, one request in flight."""

    def __init__(self, port: int, chooser: "Chooser"):
        self.port = port
        self.chooser = chooser
        self.reader = self.writer = None
        self.connects = 0

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        self.connects += 1

    def _close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def once(self, request: bytes) -> tuple[int, int, bool]:
        """Send the request and read the whole answer: (status, body bytes, connection kept)."""
        if self.writer is None:
            await self._connect()
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        version, status = lines[0].split(" ", 2)[:2]
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip().lower()
        size = 0
        if "content-length" in headers:
            size = int(headers["content-length"])
            if size:
                await self.reader.readexactly(size)
        elif headers.get("transfer-encoding") == "chunked":
            while True:
                chunk = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(chunk + 2)
                size += chunk
                if chunk == 0:
                    break
        else:  # the body lasts until the server closes the connection
            size = len(await self.reader.read())
            headers["connection"] = "close"
        keep = version == "HTTP/1.1" and headers.get("connection") != "close"
        if not keep:
            self._close()
        return int(status), size, keep


async def client_loop(client: Client, window: dict, stats: dict) -> None:
    """Send requests back to back until the window closes (and enough requests were counted).

    A request counts when it completes after the warm-up, with its whole duration as latency. No request
    starts after `stop_at`, unless fewer than `min_requests` were counted so far: then the window stretches
    (up to `hard_stop`), so that an endpoint slower than a round still yields a few samples.
    """
    while True:
        started = time.perf_counter()
        if started >= window["stop_at"] and (
            len(stats["latencies"]) >= window["min_requests"] or started >= window["hard_stop"]
        ):
            break
        index, request, expect, group = client.chooser.draw()
        try:
            status, size, _keep = await client.once(request)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            client._close()
            if time.perf_counter() >= window["measure_from"]:
                stats["errors"] += 1
                stats["broken"] += 1
                record(stats, group, None, None)
            await asyncio.sleep(0.01)
            continue
        finished = time.perf_counter()
        if finished >= window["measure_from"]:
            stats["latencies"].append(finished - started)
            stats["last"] = max(stats["last"], finished)
            stats["bytes"] += size
            stats["statuses"][status] = stats["statuses"].get(status, 0) + 1
            stats["asked"].add(index)
            if status not in expect:
                stats["errors"] += 1
            record(stats, group, finished - started, status if status in expect else None, status)
    client._close()


def record(stats: dict, group: str | None, latency: float | None, ok_status, status=None) -> None:
    """Count an answer (or a broken connection: latency None) in its group."""
    if group is None:
        return
    entry = stats["groups"].setdefault(group, {"latencies": [], "errors": 0, "statuses": {}})
    if latency is None:
        entry["errors"] += 1
        return
    entry["latencies"].append(latency)
    entry["statuses"][status] = entry["statuses"].get(status, 0) + 1
    if ok_status is None:
        entry["errors"] += 1


class Chooser:
    """What one client sends next: its one request, or one drawn at random from the scenario's `requests`."""

    def __init__(self, spec: dict, client_headers: dict, port: int, number: int):
        self.rng = random.Random(int(spec.get("seed", 0)) * 100_003 + number)
        self.spec, self.client_headers, self.port = spec, client_headers, port
        self.requests = spec.get("requests") or []
        self.built: dict[int, tuple] = {}
        mix = spec.get("mix") or {}
        self.groups, self.weights, self.members = [], [], {}
        if self.requests and mix:
            for index, variant in enumerate(self.requests):
                self.members.setdefault(variant.get("group"), []).append(index)
            self.groups = [group for group in mix if group in self.members]
            self.weights = [mix[group] for group in self.groups]

    def draw(self) -> tuple[int, bytes, tuple, str | None]:
        """(request index, request bytes, accepted statuses, group)."""
        if not self.requests:
            index = 0
        elif self.groups:
            group = self.rng.choices(self.groups, self.weights)[0]
            index = self.rng.choice(self.members[group])
        else:
            index = self.rng.randrange(len(self.requests))
        if index not in self.built:
            own = self.requests[index] if self.requests else {}
            variant = {**self.spec, **own}
            headers = {**self.client_headers, **own.get("headers", {})}
            expect = variant.get("expect", 200)
            expect = tuple(expect) if isinstance(expect, list) else (expect,)
            self.built[index] = (build_request(variant, headers, self.port), expect, variant.get("group"))
        request, expect, group = self.built[index]
        return index, request, expect, group


def build_request(spec: dict, variant: dict, port: int) -> bytes:
    body = spec.get("body")
    body_bytes = body.encode() if body else b""
    lines = [
        f"{spec['method']} {spec['path']} HTTP/1.1",
        f"Host: {HOST}:{port}",
        "User-Agent: bench-load/1",
        "Accept: */*",
        "Connection: keep-alive",
    ]
    lines += [f"{name}: {value}" for name, value in variant.items()]
    if body_bytes or spec["method"] in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body_bytes)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body_bytes


def percentile(ordered: list[float], share: float) -> float | None:
    """Nearest-rank percentile of sorted values."""
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


async def run(spec: dict, port: int, concurrency: int, duration: float, warmup: float, min_requests: int) -> dict:
    variants = spec.get("headers") or [{}]
    clients = [
        Client(port, Chooser(spec, variants[number % len(variants)], port, number)) for number in range(concurrency)
    ]
    stats = {
        "latencies": [], "bytes": 0, "statuses": {}, "errors": 0, "broken": 0, "last": 0.0, "asked": set(), "groups": {},
    }  # fmt: skip
    start = time.perf_counter()
    window = {
        "measure_from": start + warmup,
        "stop_at": start + warmup + duration,
        "hard_stop": start + warmup + 4 * duration,
        "min_requests": min_requests,
    }
    await asyncio.gather(*(client_loop(client, window, stats) for client in clients))
    elapsed = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    latencies = sorted(stats["latencies"])
    requests = len(latencies)
    measured = max(window["stop_at"], stats["last"]) - window["measure_from"]

    def ms(value):
        return round(value * 1000, 2) if value is not None else None

    return {
        "requests": requests,
        "window_s": round(measured, 2),
        "errors": stats["errors"],
        "broken_connections": stats["broken"],
        "statuses": {str(status): count for status, count in sorted(stats["statuses"].items())},
        "rps": round(requests / measured, 2),
        "p50_ms": ms(percentile(latencies, 0.50)),
        "p95_ms": ms(percentile(latencies, 0.95)),
        "p99_ms": ms(percentile(latencies, 0.99)),
        "mean_ms": round(sum(latencies) / requests * 1000, 2) if requests else None,
        "max_ms": round(latencies[-1] * 1000, 2) if requests else None,
        "bytes_per_response": round(stats["bytes"] / requests) if requests else 0,
        "connects": sum(client.connects for client in clients),
        # The generator's own CPU use, in cores: what it takes from the server on a shared machine.
        "load_cpu_cores": round((usage.ru_utime + usage.ru_stime) / elapsed, 2),
        "latencies_ms": [round(value * 1000, 3) for value in stats["latencies"]] if spec.get("keep_samples") else None,
        "distinct_requests": len(stats["asked"]),
        "variants": len(spec.get("requests") or [None]),
        "groups": {
            group: {
                "requests": len(entry["latencies"]),
                "errors": entry["errors"],
                "statuses": {str(status): count for status, count in sorted(entry["statuses"].items())},
                "p50_ms": ms(percentile(sorted(entry["latencies"]), 0.50)),
                "p95_ms": ms(percentile(sorted(entry["latencies"]), 0.95)),
                "latencies_ms": [round(value * 1000, 3) for value in entry["latencies"]]
                if spec.get("keep_samples")
                else None,
            }
            for group, entry in sorted(stats["groups"].items())
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Closed-loop HTTP/1.1 load against 127.0.0.1.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--spec", required=True, help="JSON file: {method, path, headers, body, expect[, requests, mix, seed]}"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=8.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=0.0, help="seconds of load before measuring")
    parser.add_argument(
        "--min-requests", type=int, default=0, help="stretch the window (up to 4× duration) until this many count"
    )
    parser.add_argument("--keep-samples", action="store_true", help="include every latency in the output")
    args = parser.parse_args()
    with open(args.spec) as file:
        spec = json.load(file)
    spec["keep_samples"] = args.keep_samples
    result = asyncio.run(run(spec, args.port, args.concurrency, args.duration, args.warmup, args.min_requests))
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
