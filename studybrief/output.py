"""Write outputs so that nothing is ever half-written, and remember what each was built from."""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

MANIFEST = ".studybrief.json"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: readers see old or new, never half."""
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


class Manifest:
    """The key each output in a folder was built from; an output whose key is unchanged is skipped."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        try:
            self.entries: dict[str, dict] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def current(self, output: Path, key: str) -> bool:
        """Return whether ``output`` exists unchanged since it was built from ``key``."""
        entry = self.entries.get(str(output))
        if not entry or entry["key"] != key:
            return False
        try:
            stat = output.stat()
        except OSError:
            return False
        return stat.st_size == entry["size"] and stat.st_mtime_ns == entry["mtime"]

    def record(self, output: Path, key: str, pages: int | None) -> None:
        """Remember that ``output`` was just built from ``key``."""
        stat = output.stat()
        self.entries[str(output)] = {"key": key, "size": stat.st_size, "mtime": stat.st_mtime_ns, "pages": pages}

    def pages(self, output: Path) -> int | None:
        """Return the page count recorded for ``output``."""
        return self.entries.get(str(output), {}).get("pages")

    def save(self) -> None:
        """Write the manifest atomically."""
        write_atomic(self.path, json.dumps(self.entries, ensure_ascii=False, indent=1, sort_keys=True).encode())
