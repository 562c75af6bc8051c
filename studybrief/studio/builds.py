"""Builds off the request path: the pipeline runs in a worker process; one build per document however many ask."""

from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import CHINESE, use
from ..output import Manifest
from ..pipeline import Job, run


@dataclass
class Build:
    """A document being built, or built: what the progress page shows."""

    job: Job
    future: Future
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def done(self) -> bool:
        return self.future.done()


class Builds:
    """The studio's builder: jobs run one at a time in a separate process, so pages stay quick meanwhile."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._building: dict[Path, Build] = {}

    def request(self, job: Job) -> Build | None:
        """Return None if the document is current, else its build, starting one unless the same is under way."""
        with self._lock:
            if Manifest(self.out).current(job.target, job.key):
                return None
            build = self._building.get(job.target)
            if build is None or build.job.key != job.key or (build.done and build.future.exception()):
                if build is not None and build.done and isinstance(build.future.exception(), BrokenProcessPool):
                    self._pool = None  # the worker died (killed, out of memory): start a fresh one
                if self._pool is None:  # spawned, as on Windows: the worker shares no thread or lock of the server
                    self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                     initializer=use, initargs=(CHINESE,))
                build = Build(job, self._pool.submit(run, [job], self.out, 1))
                self._building[job.target] = build
            return build

    def close(self) -> None:
        """Stop the worker process."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
