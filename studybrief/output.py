"""Write outputs so that nothing is ever half-written, and remember what each was built from."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
import zipfile
from pathlib import Path

from .errors import OutputError, Problem
from .i18n import _

MANIFEST = ".studybrief.json"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
log = logging.getLogger(__name__)


def prepare(out: Path) -> None:
    """Create the output folder, or raise OutputError if it cannot be one (a file, a read-only place)."""
    if out.exists() and not out.is_dir():
        raise OutputError(Problem(out, None, _("the output folder is an existing file; give --out a folder")))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(Problem(out, None, _("cannot create the output folder: {reason}").format(reason=e.strerror))) from e


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: readers see old or new, never half.

    A failure (disk full, ``ulimit -f``, read-only folder) raises OutputError and leaves ``path`` as it was.
    """
    try:
        _write(path, data)
    except OSError as e:
        raise OutputError(Problem(path, None, _("cannot write: {reason}; the previous file is kept").format(reason=e.strerror or e))) from e


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def fixed_zip(data: bytes) -> bytes:
    """Return the zip ``data`` with every entry dated 1980-01-01, so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_EPOCH)
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(fixed, source.read(info))
    return buffer.getvalue()


# The shape of a manifest entry; a manifest of any other shape was not written by us and is ignored.
_ENTRY = {"key": str, "size": int, "pages": (int, type(None)), "digest": str}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _well_formed(entries: object) -> bool:
    return isinstance(entries, dict) and all(
        isinstance(path, str) and isinstance(entry, dict) and entry.keys() == _ENTRY.keys()
        and all(isinstance(entry[name], kind) for name, kind in _ENTRY.items())
        for path, entry in entries.items())


class Manifest:
    """What each output in a folder was built from, and its digest: an output whose key is unchanged and whose
    bytes are still those written is skipped; an output the manifest lists and no brief produces is removed."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.path = folder, folder / MANIFEST
        try:
            entries = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            entries = {}
        except (OSError, ValueError):
            entries = None
        if not _well_formed(entries):
            log.warning(_("{path}: not a manifest this version of studybrief wrote; every output is rebuilt").format(path=self.path))
            entries = {}
        self.entries: dict[str, dict] = entries

    def current(self, output: Path, key: str) -> bool:
        """Return whether ``output`` exists, with the bytes written when it was built from ``key``."""
        entry = self.entries.get(str(output))
        if not entry or entry["key"] != key:
            return False
        try:
            return output.stat().st_size == entry["size"] and _digest(output.read_bytes()) == entry["digest"]
        except OSError:
            return False

    def record(self, output: Path, key: str, pages: int | None, data: bytes) -> None:
        """Remember that ``output`` was just written with ``data``, built from ``key``."""
        self.entries[str(output)] = {"key": key, "size": len(data), "pages": pages, "digest": _digest(data)}

    def pages(self, output: Path) -> int | None:
        """Return the page count recorded for ``output``."""
        return self.entries.get(str(output), {}).get("pages")

    def prune(self, keep: set[Path]) -> list[Path]:
        """Remove the outputs this manifest lists that are not in ``keep``: the handout of a deleted lesson, say.

        Only a file inside the folder whose bytes are still those we wrote is removed; nothing else is touched.
        """
        removed = []
        for name, entry in list(self.entries.items()):
            output = Path(name)
            if output in keep:
                continue
            del self.entries[name]
            try:
                ours = output.resolve().is_relative_to(self.folder.resolve()) and output.is_file() and \
                    _digest(output.read_bytes()) == entry["digest"]
                if ours:
                    output.unlink()
                    removed.append(output)
            except OSError as e:
                raise OutputError(Problem(output, None, _("cannot remove this stale output: {reason}").format(reason=e.strerror))) from e
        return removed

    def save(self) -> None:
        """Write the manifest atomically."""
        write_atomic(self.path, json.dumps(self.entries, ensure_ascii=False, indent=1, sort_keys=True).encode())
