"""Time the studio as its users meet it: `.venv/bin/python benchmarks/studio.py`.

Serves a snapshot of the project with `build.py serve` on a free port of 127.0.0.1 (never another address),
then times a warm preview of a 30-lesson session (the form posted, as the builder's live preview does), the
download of a 10-lesson PDF cold and then unchanged, and 20 concurrent users browsing and previewing for a
bounded number of rounds and seconds. Prints a table; writes benchmarks/studio-results.json (not committed).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPARTMENT = "default"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _snapshot(folder: Path) -> list[str]:
    """Copy the inputs into ``folder``; add sessions of 30 and 10 lessons to the default department; return the ids."""
    for name in ("seeds", "content", "templates"):
        shutil.copytree(ROOT / name, folder / name)
    lessons = sorted(p.stem for p in (folder / "content" / "lessons").glob("*.yaml"))
    config = folder / "templates" / DEPARTMENT / "department.yaml"
    extra = "".join(f"""  - id: bench-{n}
    title: 基准测试{n}条
    issue: 第1期
    date: 2026-12-01
    audience: 全体
    lessons: [{', '.join(lessons[:n])}]
""" for n in (30, 10))
    config.write_text(config.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra, encoding="utf-8")
    return lessons


class Client:
    """A browser's worth of state: cookies, and the hidden fields of the last session form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str, accept: str = "text/html") -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path, headers={"Accept": accept})
        with self.opener.open(request, timeout=300) as response:
            return response.status, response.read()

    def post(self, path: str, fields: dict) -> tuple[int, bytes]:
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(urllib.request.Request(self.base + path, data=data), timeout=300) as response:
            return response.status, response.read()

    def session_form(self, session: str) -> dict:
        """Return the builder's form of ``session`` as the browser would post it."""
        page = self.get(f"/department/{DEPARTMENT}/session/{session}")[1].decode()
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        fields.update(re.findall(r'<input id="f-\w+" name="(\w+)" value="([^"]*)"', page))
        fields.update((m, v) for m, v in re.findall(r'<input type="number" min="1" name="([^"]+)" value="([^"]*)"', page))
        for name, options in re.findall(r'<select name="(pick-[^"]+)"[^>]*>(.*?)</select>', page, re.S):
            chosen = re.search(r'<option value="(lesson|exclude)" selected', options)
            if chosen:
                fields[name] = chosen.group(1)
        fields["themes"] = re.findall(r'name="themes" value="([^"]+)" checked', page)
        return fields


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _user(base: str, lessons: list[str], rounds: int, deadline: float) -> tuple[list[float], int]:
    """Browse and preview like one member of staff; return each request's latency and the count of errors."""
    client, latencies, errors = Client(base), [], 0
    form = client.session_form("bench-10")
    for n in range(rounds):
        if time.monotonic() > deadline:
            break
        lesson = lessons[n % len(lessons)]
        for path in ("/", "/?q=" + urllib.parse.quote("拼箱"), f"/lesson/{lesson}", f"/lesson/{lesson}/brief", None):
            start = time.perf_counter()
            try:
                status, _ = client.get(path) if path else client.post(f"/department/{DEPARTMENT}/preview", form)
                errors += status != 200
            except OSError:
                errors += 1
            latencies.append(time.perf_counter() - start)
    return latencies, errors


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--users", type=int, default=20)
    p.add_argument("--rounds", type=int, default=10, help="rounds of five requests per user (bounded)")
    p.add_argument("--seconds", type=float, default=120, help="stop the load after this long whatever the rounds")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as folder:
        project = Path(folder)
        lessons = _snapshot(project)
        port = _free_port()
        server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project), "--out",
                                   str(project / "build"), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                  stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            client = Client(base)
            for _ in range(100):
                try:
                    client.get("/healthz")
                    break
                except OSError:
                    time.sleep(0.1)
            results = {}
            form = client.session_form("bench-30")
            client.post(f"/department/{DEPARTMENT}/preview", form)  # warm
            times = []
            for _ in range(20):
                start = time.perf_counter()
                status, html = client.post(f"/department/{DEPARTMENT}/preview", form)
                times.append(time.perf_counter() - start)
                assert status == 200 and html.count(b'class="lesson"') == 30, status
            results["preview of a 30-lesson session, warm (median of 20)"] = statistics.median(times)
            for label in ("cold", "unchanged"):
                start = time.perf_counter()
                status, pdf = client.get(f"/download/{DEPARTMENT}/bench-10.pdf", accept="*/*")
                results[f"download of a 10-lesson PDF, {label}"] = time.perf_counter() - start
                assert status == 200 and pdf.startswith(b"%PDF"), status
            deadline = time.monotonic() + args.seconds
            start = time.perf_counter()
            with ThreadPoolExecutor(args.users) as pool:
                outcomes = list(pool.map(lambda _: _user(base, lessons, args.rounds, deadline), range(args.users)))
            wall = time.perf_counter() - start
            latencies = [x for done, _ in outcomes for x in done]
            errors = sum(e for _, e in outcomes)
            results.update({f"{args.users} users: requests": len(latencies), f"{args.users} users: errors": errors,
                            f"{args.users} users: p50 latency": _percentile(latencies, 0.5),
                            f"{args.users} users: p95 latency": _percentile(latencies, 0.95),
                            f"{args.users} users: max latency": max(latencies),
                            f"{args.users} users: requests per second": len(latencies) / wall})
        finally:
            server.terminate()
            server.wait(10)
    for key, value in results.items():
        shown = f"{value:.3f} s" if isinstance(value, float) and "latency" in key or "preview" in key or "download" in key \
            else (f"{value:.1f}" if isinstance(value, float) else str(value))
        print(f"{key:<55} {shown:>10}")
    (ROOT / "benchmarks" / "studio-results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
