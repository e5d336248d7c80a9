"""A small closed-loop HTTP/1.1 load generator: N clients on keep-alive connections, each sending its next
request as soon as the previous answer arrived (or after a think time). Prints requests/s and latency
percentiles. Talks only to the loopback address it is given; bounded in time and stops by itself."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        lname = name.strip().lower()
        if lname == "content-length":
            length = int(value.strip())
        elif lname == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def _client(
    host: str, port: int, paths: list[str], deadline: float, warmup_end: float, think: float, result: Result, idx: int
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    i = idx
    try:
        while True:
            now = time.perf_counter()
            if now >= deadline:
                break
            path = paths[i % len(paths)]
            i += 1
            request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Language: vi\r\nConnection: keep-alive\r\n\r\n"
            start = time.perf_counter()
            try:
                writer.write(request.encode())
                await writer.drain()
                status = await _read_response(reader)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                result.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            elapsed = (time.perf_counter() - start) * 1000
            if start >= warmup_end:
                result.latencies_ms.append(elapsed)
                result.statuses[status] = result.statuses.get(status, 0) + 1
            if think:
                await asyncio.sleep(think)
    finally:
        writer.close()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


async def run(
    url: str, *, clients: int, seconds: float, warmup: float, think: float = 0.0, paths: list[str] | None = None
) -> dict[str, float]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("This load generator only targets the loopback address.")
    request_paths = paths or [parts.path or "/"]
    result = Result()
    start = time.perf_counter()
    warmup_end = start + warmup
    deadline = warmup_end + seconds
    await asyncio.gather(*(_client(host, port, request_paths, deadline, warmup_end, think, result, i) for i in range(clients)))
    measured = result.latencies_ms
    return {
        "requests": len(measured),
        "rps": len(measured) / seconds,
        "p50_ms": percentile(measured, 50),
        "p95_ms": percentile(measured, 95),
        "p99_ms": percentile(measured, 99),
        "mean_ms": statistics.fmean(measured) if measured else float("nan"),
        "errors": result.errors,
        "non_200": sum(n for s, n in result.statuses.items() if s != 200),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--think", type=float, default=0.0, help="seconds each client waits between requests")
    args = parser.parse_args()
    figures = asyncio.run(run(args.url, clients=args.clients, seconds=args.seconds, warmup=args.warmup, think=args.think))
    print(" ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
