"""What serve adds to a mint: per-request latency against a direct mint, and throughput."""

from __future__ import annotations

import gc
import threading
import time

from common import BENCH_KEY, BenchmarkError, Row, interleaved_calls, median

NAME = "serve"
TARGET_RATIO = 1.2
CLIENTS = 10
# A real upstream answers a mint in tens to hundreds of milliseconds; the fake answers in
# well under one. The latency row is measured against both, so the ratio reads in context.
UPSTREAM_DELAY_S = 0.05


def _latency_row(fake: object, delay: float, runs: int, warmup: int) -> Row:
    import httpx

    from realtime_gui.core.client import MintClient
    from realtime_gui.core.endpoint import Connection, MintRequest
    from realtime_gui.core.serve import ServePolicy, ServeServer
    from realtime_gui.core.session import SessionConfig

    config = SessionConfig(model="gpt-realtime", voice="marin", instructions="Benchmark.")
    connection = Connection(base_url=fake.base_url)  # type: ignore[attr-defined]
    request = MintRequest(config, connection)
    policy = ServePolicy(rate=1_000_000)
    server = ServeServer(config, connection, BENCH_KEY, policy=policy, port=0).start()
    try:
        with MintClient() as client, httpx.Client() as caller:
            token_url = server.url + "/token"

            def direct() -> None:
                if not client.mint(request, BENCH_KEY).value.startswith("ek_"):
                    raise BenchmarkError("MintClient returned no secret")

            def through_serve() -> None:
                response = caller.get(token_url)
                if response.status_code != 200 or not response.json()["value"].startswith("ek_"):
                    raise BenchmarkError(f"serve answered {response.status_code}")

            gc.collect()
            times = interleaved_calls(
                {"serve": through_serve, "direct": direct}, runs, warmup=warmup
            )
    finally:
        server.stop()
    upstream = (
        "the fake upstream answering at once"
        if not delay
        else (f"the fake upstream answering after {delay * 1000:g} ms")
    )
    waits = "no" if not delay else f"{delay * 1000:g} ms"
    row = Row(
        name=f"serve, GET /token per request ({waits} upstream delay)",
        unit="ms",
        value=median(times["serve"]),
        baseline=median(times["direct"]),
        baseline_name="a direct MintClient.mint of the same session",
        target=f"ratio ≤ {TARGET_RATIO}",
        runs=runs,
        samples=times["serve"],
        baseline_samples=times["direct"],
        detail=f"httpx client -> serve on 127.0.0.1 -> {upstream}; interleaved with direct mints",
    )
    row.passed = row.ratio is not None and row.ratio <= TARGET_RATIO
    return row


def _throughput_row(fake: object, quick: bool) -> Row:
    import httpx

    from realtime_gui.core.endpoint import Connection
    from realtime_gui.core.serve import ServePolicy, ServeServer
    from realtime_gui.core.session import SessionConfig

    per_client = 10 if quick else 40
    config = SessionConfig(model="gpt-realtime")
    connection = Connection(base_url=fake.base_url)  # type: ignore[attr-defined]
    server = ServeServer(
        config, connection, BENCH_KEY, policy=ServePolicy(rate=1_000_000), port=0
    ).start()
    failures: list[str] = []

    def client() -> None:
        with httpx.Client() as caller:
            for _ in range(per_client):
                response = caller.get(server.url + "/token")
                if response.status_code != 200:
                    failures.append(str(response.status_code))

    try:
        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        elapsed = time.perf_counter() - start
    finally:
        server.stop()
    if failures:
        raise BenchmarkError(f"{len(failures)} requests failed: {sorted(set(failures))}")
    total = CLIENTS * per_client
    return Row(
        name=f"serve, requests per second with {CLIENTS} concurrent clients",
        unit="req/s",
        value=total / elapsed,
        runs=total,
        detail=f"{total} GET /token from {CLIENTS} threads, each minting against the fake "
        "upstream (which answers at once)",
    )


def run(quick: bool) -> list[Row]:
    from tests.fake_api import FakeRealtimeApi

    runs, warmup = (10, 2) if quick else (50, 5)
    rows: list[Row] = []
    for delay in (0.0, UPSTREAM_DELAY_S):
        fake = FakeRealtimeApi(BENCH_KEY)
        # As in mint_overhead: Nagle off, so the fake's two send()s are not an artefact.
        fake._server.RequestHandlerClass.disable_nagle_algorithm = True
        fake.delay = delay
        fake.start()
        try:
            rows.append(_latency_row(fake, delay, runs, warmup))
            if not delay:
                rows.append(_throughput_row(fake, quick))
        finally:
            fake.stop()
    return rows
