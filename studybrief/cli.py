"""The command line: parse arguments, call the package, turn failures into exit statuses."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

from .checks import drafts
from .departments import REFERENCE, read_department, scaffold
from .errors import EXIT_BUILD, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, BriefError, ContentError, UsageError
from .i18n import N_, _, from_environment, ngettext, use
from .output import write_atomic
from .pipeline import DEFAULT, FORMATS, load_checked, over_budget, plan, prune, run
from .proofread import proofread
from .support import report
from .templating import TEMPLATE_OF

ROOT = Path(__file__).resolve().parent.parent
# argparse's own words (usage, headings, its errors), which it looks up through its module's _: listed so that
# Babel puts them in our catalog, and main() points that _ at ours.
ARGPARSE = (N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
            N_("argument %(argument_name)s: %(message)s"), N_("invalid choice: %(value)r (choose from %(choices)s)"),
            N_("the following arguments are required: %s"), N_("unrecognized arguments: %s"), N_("expected one argument"),
            N_("expected at least one argument"), N_("invalid %(type)s value: %(value)r"),
            N_("ambiguous option: %(option)s could match %(matches)s"), N_("unknown parser %(parser_name)r (choices: %(choices)s)"))


def _check(args: argparse.Namespace) -> int:
    corpus, departments = load_checked(args.root)
    warnings = proofread(corpus, departments) + over_budget(args.root, corpus, departments)
    if warnings and args.strict:
        raise ContentError(warnings)
    for warning in drafts(corpus) + warnings:
        print(warning, file=sys.stderr)
    print(_("ok: {articles} articles, {lessons} lessons, {terms} glossary terms, {departments} departments; "
            "all quotes verbatim; {warnings} proofreading warnings").format(
        articles=len(corpus.articles), lessons=len(corpus.lessons), terms=len(corpus.glossary),
        departments=len(departments), warnings=len(warnings)))
    for department in departments.values():
        for note in department.notes:
            print(_("note: {path}: {note}").format(path=department.reference, note=note))
    if args.support:
        print(_("sentences least supported by their articles (read these first against the seeds):"))
        for sentence in report(corpus):
            print(sentence)
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    corpus, departments = load_checked(args.root)
    for department in departments.values():
        sessions = ", ".join(s.id for s in department.sessions)
        print(_("department {id}: {name} (sessions: {sessions})").format(id=department.id, name=department.name, sessions=sessions))
    for lesson in corpus.lessons.values():
        print(_("lesson {id}: {title}").format(id=lesson.id, title=lesson.title))
    return EXIT_OK


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MiB"


def _build(args: argparse.Namespace) -> int:
    corpus, departments = load_checked(args.root)
    formats = tuple(dict.fromkeys(args.format)) if args.format else FORMATS
    # A trainer who edited one lesson has its handout written before the briefs holding it are even rendered.
    first = ("handout",) if args.lesson and args.department in (None, DEFAULT) else ()
    written = run(plan(args.root, args.out, corpus, departments, DEFAULT, args.lesson, formats, first),
                  args.out, 1) if first else []
    rest = tuple(kind for kind in TEMPLATE_OF if kind not in first)
    written += run(plan(args.root, args.out, corpus, departments, args.department, args.lesson, formats, rest),
                   args.out, args.jobs)
    for w in written:
        pages = _("{pages} pp").format(pages=w.pages) if w.pages else "—"
        shown = os.path.relpath(w.path) if w.path.is_relative_to(Path.cwd()) else w.path
        done = _("built") if w.rebuilt else _("same")
        print(f"{done:5}  {shown}  {pages:>7}  {_size(w.size):>9}")
    for path in prune(args.out, corpus, departments):
        print(_("removed  {path}  (no brief produces it now)").format(
            path=os.path.relpath(path) if path.is_relative_to(Path.cwd()) else path))
    rebuilt = sum(w.rebuilt for w in written)
    print(_("{documents} documents, {rebuilt} rebuilt, {unchanged} unchanged").format(
        documents=len(written), rebuilt=rebuilt, unchanged=len(written) - rebuilt), file=sys.stderr)
    return EXIT_OK


def _new_department(args: argparse.Namespace) -> int:
    folder = scaffold(args.root, args.name)
    if args.word_reference:
        from .word_reference import starter_reference

        department = read_department(folder)[0]
        write_atomic(folder / REFERENCE, starter_reference(department.brief_name, department.issuing_body,
                                                           department.accent, department.body_font))
        print(_("wrote {path}: restyle it in Word and save it back; the Word briefs take its styles").format(
            path=folder / REFERENCE))
    print(_("created {folder}: edit {config}, then run build.py --department {name}").format(
        folder=folder, config=folder / "department.yaml", name=args.name))
    return EXIT_OK


def _add_article(args: argparse.Namespace) -> int:
    from .intake.register import add_articles, report

    planned = add_articles(args.root, args.files, dry_run=args.dry_run)
    print("\n".join(report(planned)))
    count = sum(len(p.ids) for p in planned)
    print((_("{count} articles would be registered (dry run, nothing written); review the decisions above, then "
             "build.py draft ARTICLE_ID") if args.dry_run else
           _("{count} articles registered in seeds/articles.yaml; review the decisions above, then "
             "build.py draft ARTICLE_ID")).format(count=count))
    return EXIT_OK


def _draft(args: argparse.Namespace) -> int:
    from .intake.draft import draft

    for path, lesson in draft(args.root, args.article):
        results, passages = len(lesson.get("results") or []), len(lesson["sources"][0]["passages"])
        print(_("draft {path}: {title} ({passages} passages, {results} results); fill in every 【待填写】").format(
            path=path, title=lesson["title"], passages=passages, results=results))
    print(_("drafts are listed by check and left out of every brief until you delete 'status: draft'"))
    return EXIT_OK


def _measure_intake(args: argparse.Namespace) -> int:
    from .intake.measure import score, table

    print(table(score(args.root)))
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from .studio import serve

    serve(args.root, args.host, args.port, args.out, args.users, args.trusted_proxies)
    return EXIT_OK


def _user(args: argparse.Namespace) -> int:
    from .studio.accounts import EVERYTHING, add_user

    if not args.admin and not args.department:
        raise UsageError(_("give --department NAME (repeatable) or --admin"))
    password = os.environ.get("STUDYBRIEF_PASSWORD") or getpass.getpass(_("password for {name}: ").format(name=args.name))
    if not os.environ.get("STUDYBRIEF_PASSWORD") and getpass.getpass(_("again: ")) != password:
        raise UsageError(_("the two passwords differ; nothing written"))
    if len(password) < 8:
        raise UsageError(_("a password has at least 8 characters; nothing written"))
    add_user(args.users, args.name, password, [EVERYTHING] if args.admin else args.department)
    print((_("{path}: {name} may edit every department") if args.admin else
           _("{path}: {name} may edit {departments}")).format(path=args.users, name=args.name, departments=", ".join(args.department or [])))
    return EXIT_OK


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit with status 3, as the README says; 2 is a failed build."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, _("{prog}: error: {message}").format(prog=self.prog, message=message) + "\n")


def _workers(text: str) -> int:
    """Return ``text`` as a number of parallel workers, at least one."""
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(_("expected a whole number of workers, 1 or more, not {value}").format(value=repr(text)))
    return int(text)


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of build.py."""
    p = _Parser(prog="build.py", description=_("Build study briefs (Word and PDF) from lessons learned."))
    p.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, default=None, help=_("output folder (default: build/)"))
    p.add_argument("--department", help=_("build only this department's briefs"))
    p.add_argument("--lesson", help=_("build only this lesson's handout and the briefs that contain it"))
    p.add_argument("--format", choices=FORMATS, action="append", help=_("build only this format (repeatable)"))
    p.add_argument("--jobs", type=_workers, default=os.cpu_count() or 1, help=_("parallel workers (default: all cores)"))
    p.set_defaults(run=_build)
    sub = p.add_subparsers(dest="command")
    sub.add_parser("build", help=_("build every brief (the default)")).set_defaults(run=_build)
    check = sub.add_parser("check", help=_("validate seeds, content and departments; report every problem"))
    check.add_argument("--strict", action="store_true", help=_("treat proofreading warnings as errors"))
    check.add_argument("--support", action="store_true",
                       help=_("also list each lesson's prose sentences least supported by its articles, for review"))
    check.set_defaults(run=_check, support=False)
    sub.add_parser("list", help=_("list departments, sessions and lessons")).set_defaults(run=_list)
    new = sub.add_parser("new-department", help=_("create a department folder to customize"))
    new.add_argument("name", help=_("folder name: lowercase letters, digits and -"))
    new.add_argument("--word-reference", action="store_true",
                     help=_("also write reference.docx holding the Word styles, to restyle in Word"))
    new.set_defaults(run=_new_department)
    add = sub.add_parser("add-article", help=_("register new source files (text, web page, Word, PDF) in seeds/"))
    add.add_argument("files", nargs="+", type=Path, metavar="FILE", help=_("a file as received"))
    add.add_argument("--dry-run", action="store_true", help=_("print the decisions without writing anything"))
    add.set_defaults(run=_add_article)
    drafting = sub.add_parser("draft", help=_("write draft lessons from a registered article, its passages verbatim"))
    drafting.add_argument("article", metavar="ARTICLE_ID", help=_("an article id of seeds/articles.yaml"))
    drafting.set_defaults(run=_draft)
    sub.add_parser("measure-intake", help=_("score the article detector against the registry's hand-made entries")).set_defaults(
        run=_measure_intake)
    studio = sub.add_parser("serve", help=_("open the studio: browse lessons, assemble a session, download its brief"))
    studio.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default: 127.0.0.1, this machine only)"))
    studio.add_argument("--port", type=int, default=8000, help=_("port to listen on (default: 8000)"))
    studio.add_argument("--users", type=Path, help=_("accounts file (build.py user writes it); required off 127.0.0.1"))
    studio.add_argument("--trusted-proxies", type=int, default=0, metavar="N",
                        help=_("behind N reverse proxies: take the client's address from their X-Forwarded-For "
                               "(default: 0, the header is ignored)"))
    studio.set_defaults(run=_serve)
    user = sub.add_parser("user", help=_("add a studio account, or change its password and departments"))
    user.add_argument("name", help=_("login name"))
    user.add_argument("--users", type=Path, required=True, help=_("accounts file to write"))
    user.add_argument("--department", action="append", help=_("a department this user may edit (repeatable)"))
    user.add_argument("--admin", action="store_true", help=_("may edit every department"))
    user.set_defaults(run=_user)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run build.py with ``argv``; return the exit status."""
    for stream in (sys.stdout, sys.stderr):  # an ASCII-only terminal still gets the summary, escaped
        stream.reconfigure(errors="backslashreplace")
    use(from_environment())
    argparse._, argparse.ngettext = _, ngettext
    logging.getLogger("studybrief").addHandler(logging.StreamHandler())  # warnings, e.g. a foreign manifest
    args = parser().parse_args(argv)
    args.out = (args.out or args.root / "build").resolve()
    try:
        status = args.run(args)
        sys.stdout.flush()  # here, where a closed pipe or a full disk can still be reported
        return status
    except BriefError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        count = len(e.problems)
        print(ngettext("{count} problem found", "{count} problems found", count).format(count=count), file=sys.stderr)
        return e.exit_status
    except KeyboardInterrupt:
        print(_("interrupted; outputs written so far are complete, the rest are as they were"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `build.py list | head`: the reader has what it wanted
        _silence_stdout()
        return EXIT_OK
    except OSError as e:
        if e.filename is not None or e.errno is None:  # not our standard output: unexpected, keep the traceback
            raise
        _silence_stdout()
        print(_("cannot write to standard output: {reason}").format(reason=e.strerror), file=sys.stderr)
        return EXIT_BUILD


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that Python's final flush of what is left does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
