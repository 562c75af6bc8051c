"""Read YAML written by hand, keeping the line of every key so errors can point at it."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import yaml

from .errors import ContentError, Problem
from .i18n import N_, _


class Mapping(dict):
    """A YAML mapping that remembers its own line and the line of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict = {}

    def line_of(self, key) -> int:
        """Return the line of ``key``, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class Sequence(list):
    """A YAML sequence that remembers its own line and the line of each item."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        """Return the line of item ``index``."""
        return self.item_lines[index] if index < len(self.item_lines) else self.line


# Hand-written content needs neither: the limits stop an alias bomb and a RecursionError before they start.
MAX_ALIASES, MAX_DEPTH = 32, 32


class _Refused(Exception):
    """A construct the loader will not build, with the line it starts on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class _Loader(yaml.SafeLoader):
    """A safe loader that builds line-aware containers, reports duplicate keys and bounds aliases and nesting."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, object]] = []
        self.aliases = self.depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _Refused(line, _("more than {max} aliases (*name); write the values out").format(max=MAX_ALIASES))
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(line, _("nested more than {max} levels deep").format(max=MAX_DEPTH))
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    result = Mapping()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _Refused(line, _("merge keys (<<) are not supported; write the keys out"))
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Refused(line, _("a key must be a plain word, not a list or a mapping"))
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            loader.duplicates.append((line, key))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Sequence:
    result = Sequence()
    result.line = node.start_mark.line + 1
    for item in node.value:
        result.append(loader.construct_object(item, deep=True))
        result.item_lines.append(item.start_mark.line + 1)
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
# Dates stay the strings the author wrote: "2023-11-15" is shown, never reinterpreted.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


# PyYAML's words for the usual mistakes, shown in the reader's language; any other is shown as PyYAML words it.
_PYYAML = [(re.compile(pattern), message) for pattern, message in (
    (r"mapping values are not allowed here", N_("mapping values are not allowed here")),
    (r"could not find expected ':'", N_("could not find expected ':'")),
    (r"sequence entries are not allowed here", N_("sequence entries are not allowed here")),
    (r"mapping keys are not allowed here", N_("mapping keys are not allowed here")),
    (r"found unexpected end of stream", N_("found unexpected end of stream")),
    (r"invalid indentation or unclosed '\[' or '{'", N_("invalid indentation or unclosed '[' or '{'")),
    (r"found character (?P<char>.+) that cannot start any token", N_("found character {char} that cannot start any token")),
    (r"expected <block end>, but found (?P<found>.+)", N_("expected <block end>, but found {found}")),
    (r"expected the node content, but found (?P<found>.+)", N_("expected the node content, but found {found}")),
    (r"expected ',' or '\]', but got (?P<found>.+)", N_("expected ',' or ']', but got {found}")),
    (r"found undefined alias (?P<alias>.+)", N_("found undefined alias {alias}")),
    (r"found unknown escape character (?P<char>.+)", N_("found unknown escape character {char}")),
)]


def _pyyaml(problem: str | None) -> str:
    """Return PyYAML's ``problem`` in the reader's language, where it is one of the usual mistakes."""
    for pattern, message in _PYYAML:
        match = pattern.fullmatch(problem or "")
        if match:
            return _(message).format(**match.groupdict()) if match.groupdict() else _(message)
    return str(problem)


# Characters Word's XML cannot carry; tab, CR and LF are fine in a file (CR ends lines on Windows).
CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{CONTROL}]")


def _hint(text: str, line: int) -> str:
    """Return advice for the mistakes people make typing YAML in a Chinese input method."""
    lines = text.splitlines()
    source = "\n".join(lines[max(0, line - 2) : line])  # the parser often notices on the line after
    if "\t" in source:
        return _("; indent with spaces, not tabs")
    if any("：" in x and ":" not in x.split("#")[0] for x in source.splitlines()):
        return _("; a full-width colon '：' does not separate a key from its value, type ':'")
    return ""


def read_text(path: Path, root: Path | None = None) -> str:
    """Return the text of a UTF-8 file, refusing other encodings with a clear message.

    Only a regular file is read (a pipe would block forever), and, given the project ``root``, only one
    inside its top folder (seeds/, content/, templates/, as resolved): a link to a file elsewhere is refused
    without being read, so its lines are never echoed.
    """
    if root is not None:
        top = root / path.relative_to(root).parts[0]  # seeds/, content/, templates/: each may be a link itself
        if not path.resolve().is_relative_to(top.resolve()):
            raise ContentError(Problem(path, None, _("is a link to a file outside the project; not read")))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        raise ContentError(Problem(path, None, _("cannot read the file: {reason}").format(reason=e.strerror))) from e
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ContentError(Problem(path, None, _("not a regular file (a pipe, a device or a folder); not read")))
        with os.fdopen(fd, "rb", closefd=False) as file:
            data = file.read()
    except OSError as e:
        raise ContentError(Problem(path, None, _("cannot read the file: {reason}").format(reason=e.strerror))) from e
    finally:
        os.close(fd)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a byte-order mark is how Notepad says UTF-8; it carries no content
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ContentError(
            Problem(path, line, _("file is not UTF-8 (GBK or another legacy encoding?); save it as UTF-8"))
        ) from e


def load(path: Path, root: Path | None = None) -> object:
    """Return the document in ``path`` (inside ``root`` when given) with line-aware containers, or raise ContentError."""
    return parse(read_text(path, root), path)


def parse(text: str, path: Path) -> object:
    """Return the document in ``text``, which is (or is to become) ``path``, or raise ContentError."""
    bad = _CONTROL.search(text)
    if bad:
        raise ContentError(Problem(path, text.count("\n", 0, bad.start()) + 1,
                                   _("control character U+{code:04X} is not allowed; delete it").format(code=ord(bad.group()))))
    if not text.strip():
        raise ContentError(Problem(path, 1, _("file is empty")))
    try:
        loader = _Loader(text)
        document = loader.get_single_data()
    except _Refused as e:
        raise ContentError(Problem(path, e.line, str(e))) from e
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        raise ContentError(Problem(path, line, _("invalid YAML: {problem}{hint}").format(problem=_pyyaml(e.problem),
                                                                                     hint=_hint(text, line)))) from e
    except yaml.YAMLError as e:
        raise ContentError(Problem(path, 1, _("invalid YAML: {problem}").format(problem=e))) from e
    loader.dispose()
    if loader.duplicates:
        raise ContentError([Problem(path, line, _("duplicate key '{key}'").format(key=key)) for line, key in loader.duplicates])
    return document
