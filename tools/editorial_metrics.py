"""Measure the editorial quality of every session brief, as the closing criteria of issue 17 state it.

For each session of each department, over the lessons as the brief shows them:
- excerpts: share of the lesson text (all shown prose, results and excerpts) that is 原文摘录;
- repeated: share of the summary text (background, actions, problem, causes, results, takeaways,
  借鉴) covered by a 6-character string that also occurs in the same lesson's shown excerpts;
- voice: meta-narration and word-list hits outside quotations (content/proofreading.yaml);
- cuts: excerpts that start or end inside a sentence of the article, and how many show …… there;
- pages: the brief laid out (with --pages; it takes a few seconds a brief).

Usage: python tools/editorial_metrics.py [--all-excerpts] [--pages]
--all-excerpts shows every passage, as briefs did before excerpts were chosen by purpose.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studybrief.context import session_context  # noqa: E402
from studybrief.excerpts import ALL, ELLIPSIS, cuts, key_passages  # noqa: E402
from studybrief.matching import fold  # noqa: E402
from studybrief.pipeline import load_checked  # noqa: E402
from studybrief.proofread import WordList, hits  # noqa: E402
from studybrief.selection import reading_order, select  # noqa: E402
from studybrief.templating import render  # noqa: E402

WINDOW = 6


def covered(text: str, reference: str) -> int:
    """Return how many characters of ``text`` lie in a WINDOW-character string that occurs in ``reference``."""
    grams = {reference[i:i + WINDOW] for i in range(len(reference) - WINDOW + 1)}
    marked = [False] * len(text)
    for i in range(len(text) - WINDOW + 1):
        if text[i:i + WINDOW] in grams:
            marked[i:i + WINDOW] = [True] * WINDOW
    return sum(marked)


def measure(root: Path, department, session, corpus, order, words, pages: bool) -> dict:
    lessons = select(session, corpus, order)
    context = session_context(department, session, lessons, corpus)
    totals = dict(lessons=len(lessons), text=0, excerpt=0, summary=0, repeated=0, voice=0, cut=0, marked=0)
    views = {view.id: view for view in context["lessons"]}  # the brief may reorder lessons by theme
    for lesson in lessons:
        view = views[lesson.id]
        shown = [p for c in view.cites for p in c.passages]
        summary = [view.background, view.problem or "", *view.actions, *view.causes,
                   *(r["figure"] + r["meaning"] for r in view.results), *("".join(t) for t in view.takeaways),
                   view.for_our_city or ""]
        excerpt_text = fold("".join(shown))
        summary_text = fold("".join(summary))
        totals["excerpt"] += len(excerpt_text)
        totals["text"] += len(excerpt_text) + len(summary_text) + len(fold(view.title + "".join(view.questions)))
        totals["summary"] += len(summary_text)
        totals["repeated"] += covered(summary_text, excerpt_text)
        prose = [lesson.title, lesson.background, lesson.problem or "", *lesson.actions, *lesson.causes,
                 *lesson.takeaways, *lesson.questions, lesson.for_our_city or "", *(r.meaning for r in lesson.results)]
        totals["voice"] += sum(len(hits(text, words)) for text in prose)
        key = None if department.excerpts == ALL else key_passages(lesson)
        for i, source in enumerate(lesson.sources):
            article = corpus.articles[source.article]
            shown_here = [j for j in range(len(source.passages)) if key is None or (i, j) in key]
            for j, shown in zip(shown_here, view.cites[i].passages, strict=True):
                text = shown.strip("“”‘’")  # the brief puts each passage in quotation marks
                start, end = cuts(article, source.passages[j].text)
                if start or end:
                    totals["cut"] += 1
                    totals["marked"] += (not start or text.startswith(ELLIPSIS)) and (not end or text.endswith(ELLIPSIS))
    if pages:
        from studybrief.pdf import page_count

        totals["pages"] = page_count(render(root, department, "session", context), department.folder)
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all-excerpts", action="store_true", help="show every passage, as before")
    parser.add_argument("--pages", action="store_true", help="lay each brief out and count its pages")
    parser.add_argument("--root", type=Path, default=ROOT, help="project to measure (default: this one)")
    args = parser.parse_args()
    corpus, departments = load_checked(args.root)
    words, order = WordList.read(args.root), reading_order(corpus)
    print(f"{'brief':42} {'lessons':>7} {'pages':>5} {'excerpts':>8} {'repeated':>8} {'voice':>5} {'cut/marked':>10}")
    overall = dict(text=0, excerpt=0, summary=0, repeated=0, voice=0, cut=0, marked=0)
    for department in departments.values():
        if args.all_excerpts:
            department.excerpts = ALL
        for session in department.sessions:
            m = measure(args.root, department, session, corpus, order, words, args.pages)
            for key in overall:
                overall[key] += m[key]
            print(f"{department.id + '/' + session.id:42} {m['lessons']:>7} {m.get('pages', '—'):>5} "
                  f"{m['excerpt'] / m['text']:>8.0%} {m['repeated'] / max(m['summary'], 1):>8.0%} {m['voice']:>5} "
                  f"{str(m['cut']) + '/' + str(m['marked']):>10}")
    print(f"{'all session briefs':42} {'':>7} {'':>5} {overall['excerpt'] / overall['text']:>8.0%} "
          f"{overall['repeated'] / max(overall['summary'], 1):>8.0%} {overall['voice']:>5} "
          f"{str(overall['cut']) + '/' + str(overall['marked']):>10}")


if __name__ == "__main__":
    main()
