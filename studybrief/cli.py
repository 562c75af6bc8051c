"""The command line: parse arguments, call the package, turn failures into exit statuses."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import EXIT_OK, BriefError
from .load import load_corpus
from .checks import check
from .errors import ContentError


def validated_corpus(root: Path):
    """Return the corpus under ``root``, or raise ContentError listing every problem."""
    corpus, problems = load_corpus(root)
    problems += check(corpus) if not problems else []
    if problems:
        raise ContentError(problems)
    return corpus


def _check(args: argparse.Namespace) -> int:
    corpus = validated_corpus(args.root)
    print(f"ok: {len(corpus.articles)} articles, {len(corpus.lessons)} lessons, "
          f"{len(corpus.glossary)} glossary terms, all quotes verbatim")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of build.py."""
    p = argparse.ArgumentParser(prog="build.py", description="Build study briefs from lessons learned.")
    p.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent, help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command")
    sub.add_parser("check", help="validate seeds and content, reporting every problem").set_defaults(run=_check)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run build.py with ``argv``; return the exit status."""
    args = parser().parse_args(argv)
    run = getattr(args, "run", _check)
    try:
        return run(args)
    except BriefError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        count = len(e.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return e.exit_status
