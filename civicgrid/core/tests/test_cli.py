from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_civicgrid_command_takes_hyphenated_names(tmp_path):
    csv = tmp_path / "c.csv"
    csv.write_text("date,kind,name\n2026-10-01,holiday,国庆节\n", encoding="utf-8")
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "civicgrid", "import-calendar", str(csv), "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "1 days are valid" in result.stdout
