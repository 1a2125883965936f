"""Per-call cost of a warm MintClient.mint vs a bare httpx.Client().post of the same request."""

from __future__ import annotations

import gc

from common import BENCH_KEY, BenchmarkError, Row, interleaved_calls, median

NAME = "mint_overhead"
TARGET_RATIO = 1.3


def run(quick: bool) -> list[Row]:
    import httpx

    from realtime_gui.core.bodies import build_body
    from realtime_gui.core.client import MintClient
    from realtime_gui.core.endpoint import Connection, MintRequest, endpoint_url, request_headers
    from realtime_gui.core.session import SessionConfig
    from tests.fake_api import FakeRealtimeApi

    runs, warmup = (10, 2) if quick else (50, 5)
    fake = FakeRealtimeApi(BENCH_KEY)
    # http.server writes the headers and the body in two send()s; with Nagle on, the body
    # waits for the client's delayed ACK (~40 ms on Linux) and that artefact would swamp
    # what is measured here. socketserver's own switch turns Nagle off for the server.
    fake._server.RequestHandlerClass.disable_nagle_algorithm = True
    fake.start()
    try:
        config = SessionConfig(
            model="gpt-realtime", voice="marin", instructions="Benchmark.", ttl_seconds=300
        )
        connection = Connection(base_url=fake.base_url)
        request = MintRequest(config, connection)
        url = endpoint_url(connection, config.api)
        body = build_body(config)
        headers = request_headers(connection, BENCH_KEY)
        with MintClient() as client, httpx.Client() as bare:

            def app_call() -> None:
                if not client.mint(request, BENCH_KEY).value.startswith("ek_"):
                    raise BenchmarkError("MintClient returned no secret")

            def bare_call() -> None:
                response = bare.post(url, json=body, headers=headers)
                if response.status_code != 200 or not response.json()["value"].startswith("ek_"):
                    raise BenchmarkError(f"bare httpx got {response.status_code}")

            gc.collect()
            times = interleaved_calls({"app": app_call, "baseline": bare_call}, runs, warmup=warmup)
    finally:
        fake.stop()
    row = Row(
        name="mint, warm client, per call",
        unit="ms",
        value=median(times["app"]),
        baseline=median(times["baseline"]),
        baseline_name="bare httpx.Client().post + .json()",
        target=f"ratio ≤ {TARGET_RATIO}",
        runs=runs,
        samples=times["app"],
        baseline_samples=times["baseline"],
        detail=f"in-process against FakeRealtimeApi on 127.0.0.1, after {warmup} warm-up calls",
    )
    row.passed = row.ratio is not None and row.ratio <= TARGET_RATIO
    return [row]
