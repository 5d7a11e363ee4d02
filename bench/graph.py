"""Runs steps on a pool of four workers in dependency order, as the Pulumi engine does with the
Python dynamic-provider server (``ThreadPoolExecutor(max_workers=4)``): every ready step is sent
at once and waits for a free worker."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

WORKERS = 4
Step = tuple[Sequence[Hashable], Callable[[], None]]


def run(steps: Mapping[Hashable, Step], workers: int = WORKERS) -> None:
    """Each step once its dependencies (those among ``steps``) are done; the first failure raises."""
    done: set[Hashable] = set()
    started: set[Hashable] = set()
    running: dict[Future[None], Hashable] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while len(done) < len(steps):
            for key, (deps, fn) in steps.items():
                if key not in started and all(d in done or d not in steps for d in deps):
                    started.add(key)
                    running[pool.submit(fn)] = key
            if not running:
                raise ValueError(f"steps with unmet dependencies: {sorted(map(str, set(steps) - done))}")
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                key = running.pop(future)
                future.result()
                done.add(key)
