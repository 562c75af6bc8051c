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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("seeds", "content", "templates", "build.py", "studybrief")
EDITED = Path("content/lessons/yiwu-consolidated-export.yaml")
SESSION_40 = Path("organization/cadre-competence-2026.pdf")  # the session brief of about 40 pages
SESSION_40_BEFORE = 1_416_996  # its bytes before the Speed II work (issue 16), the reference of its target
FIRST_QUESTION = re.compile(r"^(questions:\n\s*- .*)$", re.M)
SUMMARY = re.compile(r"(\d+) documents, (\d+) rebuilt")
DIGITS = "甲乙丙丁戊己庚辛壬癸"  # clone titles must gain no number, Arabic or Chinese: check demands every number be quoted


class Failed(Exception):
    """A timed command exited with an error: args are its last line of stderr, then the stderr's tail."""


@dataclass
class Row:
    """One line of the table: median wall and CPU time, the peer's, and the largest process's peak RSS."""

    step: str
    wall: float
    peak_mib: float
    runs: list[float]
    cpu: float = math.nan
    peer: float | None = None
    peer_cpu: float | None = None
    target: str = ""
    met: bool | None = None
    error: str = ""

    @property
    def ratio(self) -> float | None:
        return self.wall / self.peer if self.peer else None

    @property
    def cpu_ratio(self) -> float | None:
        return self.cpu / self.peer_cpu if self.peer_cpu else None


def timed(command: list) -> tuple[float, float, str, float]:
    """Run ``command``; return wall seconds, peak RSS (MiB), its stderr and CPU seconds (user + system).

    os.wait4 reports the peak and the CPU time of this child and of every descendant it reaped (build workers,
    soffice.bin); RUSAGE_CHILDREN would instead keep the largest peak of any earlier step. On a shared machine
    wall time depends on the others' load, CPU time much less: compare both.
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
    return wall, usage.ru_maxrss / 1024, text, usage.ru_utime + usage.ru_stime


def side_by_side(halves: list[list[list]]) -> tuple[float, float, str, float]:
    """Run each list of commands in turn, the lists at once (the peers get the two cores the build gets)."""
    start = time.perf_counter()
    with ThreadPoolExecutor(len(halves)) as pool:
        runs = [run for half in pool.map(lambda commands: [timed(c) for c in commands], halves) for run in half]
    return time.perf_counter() - start, max(r[1] for r in runs), "", sum(r[3] for r in runs)


def measure(step: str, repeat: int, once) -> tuple[Row, list[str]]:
    """Call ``once`` (returning wall, peak, log, cpu) ``repeat`` times; keep the medians, so one slow run does not decide."""
    results = [once(i) for i in range(repeat)]
    walls = [r[0] for r in results]
    row = Row(step, statistics.median(walls), max(r[1] for r in results), walls, statistics.median(r[3] for r in results))
    return row, [r[2] for r in results]


def snapshot(target: Path) -> Path:
    """Copy what a build reads to ``target`` and return it; its build.py imports the copied package."""
    for name in PROJECT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return target


def build(root: Path, out: Path) -> tuple[float, float, str, float]:
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
    from studybrief import templating
    from studybrief.context import compendium_context
    from studybrief.faces import shrunk_faces
    from studybrief.pipeline import DEFAULT, FORMATS, Job, load_checked, produce
    from studybrief.selection import reading_order
    from studybrief.templating import render

    # The template bound stops a brief of over a million characters (some 1,300 pages): 1,000 lessons make
    # about 2.8 million. Lifted here, where how the engine scales is measured, not what a brief may hold.
    templating.MAX_HTML *= 10
    corpus, departments = load_checked(root)
    department = departments[DEFAULT]
    date = department.sessions[0].date
    context = compendium_context(department, corpus, reading_order(corpus), date)
    html = render(root, department, "compendium", context)
    for fmt in FORMATS:
        target = root / f"compendium.{fmt}"
        job = Job(html, target, fmt, department.accent, department.body_font, context["meta"], context["created"],
                  department.folder)
        job.faces = shrunk_faces(root) if fmt == "pdf" else ()
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
    """Time pandoc (one process per document, as a user would run it), then cold LibreOffice over its output.

    Each peer runs as two halves side by side, as the build runs two workers on the machine's two cores.
    """
    htmls = rendered_html(root, work)
    docxs = [html.with_suffix(".docx") for html in htmls]

    def pandoc(_: int) -> tuple[float, float, str, float]:
        return side_by_side([[["pandoc", "-f", "html", "-t", "docx", "-o", docx, html]
                              for html, docx in list(zip(htmls, docxs, strict=True))[half::2]] for half in (0, 1)])

    def libreoffice(i: int) -> tuple[float, float, str, float]:
        pdfs = work / f"pdf-{i}"
        run = side_by_side([[["soffice", "--headless", f"-env:UserInstallation={(work / f'profile-{i}-{half}').as_uri()}",
                              "--convert-to", "pdf", "--outdir", pdfs, *docxs[half::2]]] for half in (0, 1)])
        assert len(list(pdfs.glob("*.pdf"))) == len(docxs), "LibreOffice did not convert every document"
        return run

    return (measure(f"pandoc HTML->DOCX, {len(htmls)} docs, 2 at once", repeat, pandoc)[0],
            measure(f"LibreOffice DOCX->PDF, {len(htmls)} docs, 2 at once", repeat, libreoffice)[0])


def lesson_first(root: Path, out: Path) -> tuple[float, float, str, float]:
    """Edit one lesson, run `build.py --lesson` on it; the wall time reported is until its handout (both formats) is written."""
    toggle_edit(root)
    lesson = EDITED.stem
    start = time.time()
    _, peak, log, cpu = timed([sys.executable, root / "build.py", "--root", root, "--out", out, "--lesson", lesson])
    written = max((out / "default" / "handouts" / f"{lesson}.{fmt}").stat().st_mtime for fmt in ("pdf", "docx"))
    return written - start, peak, log, cpu


def sizes(out: Path) -> list[str]:
    """Return the lines saying how large the handouts and the 40-page session brief are, against their targets."""
    handouts = [p.stat().st_size for p in (out / "default" / "handouts").glob("*.pdf")]
    largest, session = max(handouts), (out / SESSION_40).stat().st_size
    ratio = session / SESSION_40_BEFORE
    return [f"largest handout PDF {largest / 1024:.0f} KiB (target ≤ 200 KiB: {'ok' if largest <= 200 * 1024 else 'MISSED'}); "
            f"{len(handouts)} handouts {sum(handouts) / 1024 / 1024:.1f} MiB in all",
            f"session brief {SESSION_40}: {session / 1024:.0f} KiB, {ratio:.2f} × its {SESSION_40_BEFORE / 1024:.0f} KiB "
            f"before (target ≤ 0.6: {'ok' if ratio <= 0.6 else 'MISSED'})"]


def benchmark(work: Path, repeat: int) -> tuple[list[Row], list[str]]:
    """Run every step on one snapshot; return the table's rows, each compared with its peer or target, and the sizes."""
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
    first, _ = measure("--lesson: its handout written", repeat, lambda _: lesson_first(edit_root, edit_out))

    compendiums = {}
    for size in (100, 1000):
        big = snapshot(work / f"corpus-{size}")
        grow_corpus(big, size)
        step = f"compendium {size:,} lessons"
        try:
            compendiums[size] = measure(step, repeat, lambda _, big=big: timed([sys.executable, __file__, "--compendium", big]))[0]
        except Failed as e:  # report it in the table: the other steps still say something
            compendiums[size] = Row(step, math.nan, math.nan, [], error=e.args[0])
    pandoc, libreoffice = peers(root, work, repeat)

    full.peer, full.peer_cpu, full.target = pandoc.wall + libreoffice.wall, pandoc.cpu + libreoffice.cpu, "≤ 1.0, ≤ 300 MiB"
    full.met = full.ratio <= 1.0 and full.peak_mib <= 300
    noop.peer, noop.target, noop.met = full.wall, "≤ 0.5 s", noop.wall <= 0.5
    edit.peer = full.wall
    first.target, first.met = "≤ 2.5 s", first.wall <= 2.5
    small, large = compendiums[100], compendiums[1000]
    small.target, small.met = "< 600 MiB", small.peak_mib < 600
    large.peer, large.peer_cpu, large.target = 10 * small.wall, 10 * small.cpu, "≤ 1.1, < 600 MiB"
    large.met = large.ratio <= 1.1 and large.peak_mib < 600
    large.step += " (vs 10x100)"
    return [full, noop, edit, first, small, large, pandoc, libreoffice], sizes(full_outs[-1])


def table(rows: list[Row]) -> str:
    """Return the rows as the fixed-width table printed at the end."""
    lines = [f"{'step':<44}{'wall s':>8}{'peer s':>8}{'ratio':>7}{'CPU s':>8}{'peer':>8}{'ratio':>7}  {'target':<24}{'peak MiB':>9}"]
    for r in rows:
        if r.error:
            lines.append(f"{r.step:<42}FAILED: {r.error}")
            continue
        peer = f"{r.peer:8.2f}" if r.peer else f"{'':8}"
        ratio = f"{r.ratio:7.2f}" if r.ratio else f"{'':7}"
        peer_cpu = f"{r.peer_cpu:8.2f}" if r.peer_cpu else f"{'':8}"
        cpu_ratio = f"{r.cpu_ratio:7.2f}" if r.cpu_ratio else f"{'':7}"
        verdict = {True: " ok", False: " MISSED", None: ""}[r.met]
        lines.append(f"{r.step:<44}{r.wall:8.2f}{peer}{ratio}{r.cpu:8.2f}{peer_cpu}{cpu_ratio}  {r.target + verdict:<24}"
                     f"{r.peak_mib:9.0f}")
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
            rows, size_lines = benchmark(Path(work), repeat)
    except Failed as e:
        sys.exit(f"benchmark aborted: {e.args[1]}")
    load.append(os.getloadavg()[0])
    print(table(rows))
    print("\n".join(size_lines))
    print(f"{repeat} run(s) per step, median shown; {os.cpu_count()} CPUs; load average {load[0]:.1f} before, {load[1]:.1f} after")
    rows_json = [{k: None if isinstance(v, float) and math.isnan(v) else v for k, v in (asdict(r) | {"ratio": r.ratio}).items()}
                 for r in rows]
    results = {"repeat": repeat, "cpus": os.cpu_count(), "load": load, "date": time.strftime("%Y-%m-%dT%H:%M:%S"),
               "rows": rows_json, "sizes": size_lines}
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
