"""Measure the detector against the hand-made registry: noise precision and recall, and exact article boundaries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..i18n import _
from ..registry import REGISTRY_FILE, _span
from ..yamlfile import load
from .detect import detect


@dataclass(frozen=True)
class Score:
    """How the detector did on one seed file."""

    file: str
    articles: int
    exact: int
    precision: float
    recall: float


def _trim(first: int, last: int, lines: list[str]) -> tuple[int, int]:
    """Return the span without the blank lines at its edges: they carry nothing to find."""
    while first < last and not lines[first - 1].strip():
        first += 1
    while last > first and not lines[last - 1].strip():
        last -= 1
    return first, last


def score(root: Path) -> list[Score]:
    """Return, per seed file, how the detector's articles and noise compare with the registry's."""
    registry = load(root / REGISTRY_FILE)
    scores = []
    for entry in registry["files"]:
        lines = (root / "seeds" / entry["file"]).read_bytes().decode("utf-8").split("\n")
        entries = [a for a in registry["articles"] if a["file"] == entry["file"]]
        truth_spans = {_trim(*_span(a["lines"]), lines) for a in entries}
        truth = set()
        for item in [*(entry.get("noise") or []), *(n for a in entries for n in a.get("noise") or [])]:
            first, last = _span(item["lines"])
            truth |= {n for n in range(first, last + 1) if lines[n - 1].strip()}
        page = detect(lines)
        found = {n for n in page.noise} | {n for a in page.articles for n in a.noise}
        spans = {_trim(a.first, a.last, lines) for a in page.articles}
        hit = len(found & truth)
        scores.append(Score(entry["file"], len(truth_spans), len(spans & truth_spans),
                            hit / len(found) if found else 1.0, hit / len(truth) if truth else 1.0))
    return scores


def table(scores: list[Score]) -> str:
    """Return ``scores`` as the table the README and the closing note quote."""
    rows = [_("| seed file | articles | exact boundaries | noise precision | noise recall |"), "|---|---|---|---|---|"]
    rows += [f"| {s.file} | {s.articles} | {s.exact} | {s.precision:.2f} | {s.recall:.2f} |" for s in scores]
    return "\n".join(rows)
