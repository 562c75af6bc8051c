"""Drive LibreOffice with the Chinese fonts a studybrief DOCX names drawn by the free faces the PDF embeds."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# The fontconfig rules mapping 仿宋_GB2312, 楷体_GB2312, 黑体, 宋体 and 方正小标宋简体 to free faces; the README
# tells Linux users to install the same file.
WORD_FONTS = Path(__file__).with_name("fontconfig") / "60-studybrief-word-fonts.conf"
_CONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <include>{rules}</include>
</fontconfig>
"""


def fontconfig_environment(folder: Path) -> dict[str, str]:
    """Return the environment in which LibreOffice finds the mapped fonts; the config is written into ``folder``."""
    config = folder / "fonts.conf"
    config.write_text(_CONFIG.format(rules=WORD_FONTS), encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


def to_pdf(sources: list[Path], out: Path, timeout: float = 600) -> list[Path]:
    """Convert ``sources`` (DOCX) to PDF in ``out`` with a private LibreOffice profile there; return the PDFs."""
    out.mkdir(parents=True, exist_ok=True)
    profile = (out / ".libreoffice-profile").resolve()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
                    "--outdir", str(out), *map(str, sources)],
                   env=fontconfig_environment(out), capture_output=True, check=True, timeout=timeout)
    return [out / f"{Path(source).stem}.pdf" for source in sources]
