"""Declared shapes of every hand-written YAML file, and the one validator that walks them."""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import Problem
from .i18n import _
from .yamlfile import CONTROL, Mapping, Sequence

# A value is stricter than a file: YAML has already turned line ends into LF, so a CR came from an escape.
_CONTROL_IN_VALUE = re.compile(f"[{CONTROL}\r]")
TEXT, INT, TEXTS, WORDS = "text", "integer", "list of texts", "mapping of texts"


class _Repr(reprlib.Repr):
    """A bounded repr that knows our line-aware containers are a dict and a list."""

    repr_Mapping, repr_Sequence = reprlib.Repr.repr_dict, reprlib.Repr.repr_list


_REPR = _Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring = 3, 4, 4, 60


@dataclass(frozen=True)
class Field:
    """One key: its kind (TEXT, INT, TEXTS, a Spec, or a one-item list holding a Spec)."""

    kind: object
    doc: str
    required: bool = True
    nullable: bool = False


@dataclass(frozen=True)
class Spec:
    """A mapping with a fixed set of keys; any other key is an error."""

    name: str
    fields: dict[str, Field] = field(default_factory=dict)


def is_date(text: object) -> bool:
    """Return whether ``text`` is a real calendar date written YYYY-MM-DD (2026-02-30 is not)."""
    try:
        return isinstance(text, str) and bool(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text)) and date.fromisoformat(text) is not None
    except ValueError:
        return False


def _kind_name(kind: object) -> str:
    if isinstance(kind, Spec):
        return _("a mapping ({name})").format(name=_(kind.name))
    if isinstance(kind, list):
        return _("a list of {name} mappings").format(name=_(kind[0].name))
    return {TEXT: _("text"), INT: _("an integer"), TEXTS: _("a list of texts"),
            WORDS: _("a mapping of word: text")}[kind]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and not (value.strip() if isinstance(value, str) else value))


def validate(value: object, spec: Spec, path: Path, line: int = 1) -> list[Problem]:
    """Return every problem with ``value`` against ``spec``; an empty list means valid."""
    if not isinstance(value, Mapping):
        message = _("{spec}: expected a mapping (a full-width colon '：' where ':' was meant?)") \
            if isinstance(value, str) and "：" in value else _("{spec}: expected a mapping")
        return [Problem(path, getattr(value, "line", line), message.format(spec=_(spec.name)))]
    problems = []
    for key in value:
        if key not in spec.fields:
            allowed = ", ".join(spec.fields)
            problems.append(Problem(path, value.line_of(key), _("{spec}: unknown key '{key}' (allowed: {allowed})").format(
                spec=_(spec.name), key=key, allowed=allowed)))
    for key, f in spec.fields.items():
        where = value.line_of(key)
        if f.nullable and key in value and value[key] is None:
            continue
        if key not in value or _blank(value[key]):
            if f.required:
                message = _("{spec}: required key '{key}' is missing ({doc})") if key not in value else \
                    _("{spec}: required key '{key}' is empty ({doc})")
                problems.append(Problem(path, where, message.format(spec=_(spec.name), key=key, doc=_(f.doc))))
            continue
        problems += _check_kind(value[key], f.kind, f"{spec.name}.{key}", path, where)
    return problems


def _control(text: str, label: str, path: Path, line: int) -> list[Problem]:
    """Return a problem if ``text`` holds a control character, which Word's XML cannot carry."""
    bad = _CONTROL_IN_VALUE.search(text)
    return [Problem(path, line, _("{label}: control character U+{code:04X} is not allowed; delete it").format(
        label=label, code=ord(bad.group())))] if bad else []


def _short(value: object) -> str:
    """Return the start of ``value``'s repr without building all of it (an alias bomb's repr never ends)."""
    return f"{_REPR.repr(value):.40}"


def _check_kind(item: object, kind: object, label: str, path: Path, line: int) -> list[Problem]:
    wrong = Problem(path, line, _("{label}: expected {kind}, got {type} {value}").format(
        label=label, kind=_kind_name(kind), type=type(item).__name__, value=_short(item)))
    if kind == TEXT:
        return _control(item, label, path, line) if isinstance(item, str) else [wrong]
    if kind == WORDS:
        if not isinstance(item, Mapping):
            return [wrong]
        return [Problem(path, item.line_of(k), _("{label}: expected non-empty text, got {value}").format(
            label=f"{label}.{k}", value=f"{v!r:.40}"))
                for k, v in item.items() if not isinstance(v, str) or not v.strip()]
    if kind == INT:
        return [] if isinstance(item, int) and not isinstance(item, bool) else [wrong]
    if kind == TEXTS:
        if not isinstance(item, Sequence):
            return [wrong]
        return [
            p
            for i, x in enumerate(item)
            for p in (_control(x, f"{label}[{i + 1}]", path, item.line_of(i)) if isinstance(x, str) and x.strip() else
                      [Problem(path, item.line_of(i), _("{label}: expected non-empty text, got {value}").format(
                          label=f"{label}[{i + 1}]", value=_short(x)))])
        ]
    if isinstance(kind, Spec):
        return validate(item, kind, path, line)
    if not isinstance(item, Sequence):
        return [wrong]
    return [p for i, x in enumerate(item) for p in validate(x, kind[0], path, item.line_of(i))]
