"""Time studybrief's builds against its targets and against pandoc + LibreOffice: `.venv/bin/python benchmarks/run.py`.

Everything runs on a snapshot of the project taken at start, so edits others make meanwhile neither
break the run nor invalidate the incremental-build manifest between a build and its no-op rebuild.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("seeds", "content", "templates", "build.py", "studybrief")
EDITED = Path("content/lessons/yiwu-consolidated-export.yaml")
FIRST_QUESTION = re.compile(r"^(questions:\n\s*- .*)$", re.M)
SUMMARY = re.compile(r"(\d+) documents, (\d+) rebuilt")
DIGITS = "〇一二三四五六七八九"  # clone titles must not gain Arabic numbers: check demands every number be quoted


class Failed(Exception):
    """A timed command exited with an error: args are its last line of stderr, then the stderr's tail."""


@dataclass
class Row:
    """One line of the table: median wall time, the time it is compared with, and the largest process's peak RSS."""

    step: str
    wall: float
    peak_mib: float
    runs: list[float]
    peer: float | None = None
    target: str = ""
    met: bool | None = None
    error: str = ""

    @property
    def ratio(self) -> float | None:
        return self.wall / self.peer if self.peer else None


def timed(command: list) -> tuple[float, float, str]:
    """Run ``command``; return wall seconds, peak RSS (MiB) and its stderr.

    os.wait4 reports the peak of this child and of every descendant it reaped (build workers, soffice.bin);
    RUSAGE_CHILDREN would instead keep the largest peak of any earlier step.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen([str(c) for c in command], stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode(errors="replace")
    if process.returncode:
        last = text.strip().splitlines()[-1] if text.strip() else f"exit status {process.returncode}"
        raise Failed(last, f"{' '.join(map(str, command))}\n{text[-3000:]}")
    return wall, usage.ru_maxrss / 1024, text


def measure(step: str, repeat: int, once) -> tuple[Row, list[str]]:
    """Call ``once`` (returning wall, peak, log) ``repeat`` times; keep the median wall, so one slow run does not decide."""
    results = [once(i) for i in range(repeat)]
    walls = [wall for wall, _, _ in results]
    return Row(step, statistics.median(walls), max(peak for _, peak, _ in results), walls), [log for _, _, log in results]


def snapshot(target: Path) -> Path:
    """Copy what a build reads to ``target`` and return it; its build.py imports the copied package."""
    for name in PROJECT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return target


def build(root: Path, out: Path) -> tuple[float, float, str]:
    """Run the default build of ``root`` into ``out``, as a user would."""
    return timed([sys.executable, root / "build.py", "--root", root, "--out", out])


def rebuilt(stderr: str) -> tuple[int, int]:
    """Return (documents, rebuilt) from the summary line the build prints last."""
    documents, count = SUMMARY.findall(stderr)[-1]
    return int(documents), int(count)


def toggle_edit(root: Path) -> None:
    """Append （修订） to the first discussion question of one lesson, or take it away again: each is a real edit."""
    path = root / EDITED
    text = path.read_text(encoding="utf-8")
    edited = text.replace("（修订）\n", "\n", 1) if "（修订）\n" in text else FIRST_QUESTION.sub(r"\1（修订）", text, count=1)
    assert edited != text, f"no question to edit in {EDITED}"
    path.write_text(edited, encoding="utf-8")


def grow_corpus(root: Path, size: int) -> None:
    """Add clones of the real lessons until there are ``size``: new id and file name, title made unique, quotes kept.

    The real lessons stay because departments name some of them; the clones still pass `build.py check`.
    """
    real = sorted((root / "content/lessons").glob("*.yaml"))
    for k in range(size - len(real)):
        source = real[k % len(real)]
        lesson_id = f"{source.stem}-copy-{k:04d}"
        text = re.sub(r"^id: .*$", f"id: {lesson_id}", source.read_text(encoding="utf-8"), count=1, flags=re.M)
        group = "".join(DIGITS[int(d)] for d in str(k + 1))
        text = re.sub(r"^(title: .*)？", rf"\1（第{group}组）？", text, count=1, flags=re.M)
        (source.parent / f"{lesson_id}.yaml").write_text(text, encoding="utf-8")


def compendium(root: Path) -> None:
    """Load, check, render and write only the compendium of ``root``, in both formats (run in a child process).

    plan() would also render one handout per lesson, which would swamp what is measured: how the one big
    document scales with the corpus.
    """
    sys.path.insert(0, str(root))
    from studybrief.context import compendium_context
    from studybrief.pipeline import DEFAULT, FORMATS, Job, load_checked, produce
    from studybrief.selection import reading_order
    from studybrief.templating import render

    corpus, departments = load_checked(root)
    department = departments[DEFAULT]
    date = department.sessions[0].date
    context = compendium_context(department, corpus, reading_order(corpus), date)
    html = render(root, department, "compendium", context)
    for fmt in FORMATS:
        target = root / f"compendium.{fmt}"
        job = Job(html, target, fmt, department.accent, department.body_font, context["meta"], context["created"],
                  department.folder)
        target.write_bytes(produce(job)[0])


def rendered_html(root: Path, folder: Path) -> list[Path]:
    """Write the HTML of every document of the default build to ``folder``: what the peers start from."""
    sys.path.insert(0, str(root))
    from studybrief.pipeline import load_checked, plan

    out = root / "build"
    corpus, departments = load_checked(root)
    htmls = {}
    for job in plan(root, out, corpus, departments, None, None, ("pdf",)):
        htmls[folder / ("-".join(job.target.relative_to(out).with_suffix("").parts) + ".html")] = job.html
    for path, html in htmls.items():
        path.write_text(html, encoding="utf-8")
    return sorted(htmls)


def peers(root: Path, work: Path, repeat: int) -> tuple[Row, Row]:
    """Time pandoc (one process per document, as a user would run it), then one cold LibreOffice over its output."""
    htmls = rendered_html(root, work)
    docxs = [html.with_suffix(".docx") for html in htmls]

    def pandoc(_: int) -> tuple[float, float, str]:
        runs = [timed(["pandoc", "-f", "html", "-t", "docx", "-o", docx, html])
                for html, docx in zip(htmls, docxs, strict=True)]
        return sum(r[0] for r in runs), max(r[1] for r in runs), ""

    def libreoffice(i: int) -> tuple[float, float, str]:
        profile, pdfs = work / f"profile-{i}", work / f"pdf-{i}"
        run = timed(["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
                     "--outdir", pdfs, *docxs])
        assert len(list(pdfs.glob("*.pdf"))) == len(docxs), "LibreOffice did not convert every document"
        return run

    return (measure(f"pandoc HTML->DOCX, {len(htmls)} documents", repeat, pandoc)[0],
            measure(f"LibreOffice DOCX->PDF, {len(htmls)} documents", repeat, libreoffice)[0])


def benchmark(work: Path, repeat: int) -> list[Row]:
    """Run every step on one snapshot and return the table's rows, each compared with its peer or target."""
    root = snapshot(work / "project")
    full_outs = [work / f"full-{i}" for i in range(repeat)]
    full, logs = measure("full default build", repeat, lambda i: build(root, full_outs[i]))
    full.step += f" ({rebuilt(logs[-1])[0]} documents)"
    noop, logs = measure("no-op rebuild", repeat, lambda _: build(root, full_outs[-1]))
    assert all(rebuilt(log)[1] == 0 for log in logs), "the no-op rebuild rebuilt something"

    edit_root, edit_out = snapshot(work / "edit"), work / "edit-out"
    build(edit_root, edit_out)

    def edit_once(_: int) -> tuple[float, float, str]:
        toggle_edit(edit_root)
        return build(edit_root, edit_out)

    edit, logs = measure("one lesson edited", repeat, edit_once)
    edit.step += f" ({'/'.join(sorted({str(rebuilt(log)[1]) for log in logs}))} rebuilt)"

    sizes = {}
    for size in (100, 1000):
        big = snapshot(work / f"corpus-{size}")
        grow_corpus(big, size)
        step = f"compendium {size:,} lessons"
        try:
            sizes[size] = measure(step, repeat, lambda _, big=big: timed([sys.executable, __file__, "--compendium", big]))[0]
        except Failed as e:  # report it in the table: the other steps still say something
            sizes[size] = Row(step, math.nan, math.nan, [], error=e.args[0])
    pandoc, libreoffice = peers(root, work, repeat)

    full.peer, full.target = pandoc.wall + libreoffice.wall, "≤ 0.5"
    full.met = full.ratio <= 0.5
    noop.peer, noop.target, noop.met = full.wall, "≤ 0.5 s", noop.wall <= 0.5
    edit.peer = full.wall
    small, large = sizes[100], sizes[1000]
    small.target, small.met = "< 1 GiB", small.peak_mib < 1024
    large.peer, large.target = 10 * small.wall, "≤ 1.1, < 1 GiB"
    large.met = large.ratio <= 1.1 and large.peak_mib < 1024
    large.step += " (vs 10x100)"
    return [full, noop, edit, small, large, pandoc, libreoffice]


def table(rows: list[Row]) -> str:
    """Return the rows as the fixed-width table printed at the end."""
    lines = [f"{'step':<42}{'wall s':>8}{'peer s':>8}{'ratio':>7}  {'target':<18}{'peak MiB':>9}"]
    for r in rows:
        if r.error:
            lines.append(f"{r.step:<42}FAILED: {r.error}")
            continue
        peer = f"{r.peer:8.2f}" if r.peer else f"{'':8}"
        ratio = f"{r.ratio:7.2f}" if r.ratio else f"{'':7}"
        verdict = {True: " ok", False: " MISSED", None: ""}[r.met]
        lines.append(f"{r.step:<42}{r.wall:8.2f}{peer}{ratio}  {r.target + verdict:<18}{r.peak_mib:9.0f}")
    return "\n".join(lines)


def main() -> None:
    """Parse options, run the benchmark in a temporary folder, print the table and save it as JSON."""
    p = argparse.ArgumentParser(description="Benchmark studybrief's builds (not part of the tests).")
    p.add_argument("--repeat", type=int, default=3, help="runs per step; the median is reported (default: 3)")
    p.add_argument("--quick", action="store_true", help="one run per step")
    p.add_argument("--compendium", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.compendium:
        return compendium(args.compendium)
    repeat = 1 if args.quick else args.repeat
    load = [os.getloadavg()[0]]  # other work on the machine skews every number: show how busy it was
    try:
        with tempfile.TemporaryDirectory(prefix="studybrief-bench-") as work:
            rows = benchmark(Path(work), repeat)
    except Failed as e:
        sys.exit(f"benchmark aborted: {e.args[1]}")
    load.append(os.getloadavg()[0])
    print(table(rows))
    print(f"{repeat} run(s) per step, median shown; {os.cpu_count()} CPUs; load average {load[0]:.1f} before, {load[1]:.1f} after")
    rows_json = [{k: None if isinstance(v, float) and math.isnan(v) else v for k, v in (asdict(r) | {"ratio": r.ratio}).items()}
                 for r in rows]
    results = {"repeat": repeat, "cpus": os.cpu_count(), "load": load, "date": time.strftime("%Y-%m-%dT%H:%M:%S"), "rows": rows_json}
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
