"""scripts/run-demo.sh: the demo's links to residents follow the port it runs on."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "run-demo.sh"


def run_demo(tmp_path: Path, **env: str) -> str:
    """Run the script with stand-ins for python and gunicorn that print the
    address messages would link to."""
    stub = '#!/bin/sh\necho "$0 sees $CIVICGRID_PUBLIC_URL"\n'
    for name in ("python", "gunicorn"):
        (tmp_path / name).write_text(stub)
        (tmp_path / name).chmod(0o755)
    clean = {k: v for k, v in os.environ.items() if k != "CIVICGRID_PUBLIC_URL"}
    done = subprocess.run(  # noqa: S603 (our own script, our own stand-ins)
        ["/bin/sh", str(SCRIPT)],
        env={**clean, "BIN": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_the_demos_links_follow_its_port(tmp_path):
    out = run_demo(tmp_path, PORT="8080")
    assert "gunicorn sees http://127.0.0.1:8080" in out
    assert "python sees http://127.0.0.1:8080" in out  # the worker sends them
    assert "running at http://127.0.0.1:8080/" in out


def test_a_given_public_address_wins(tmp_path):
    out = run_demo(
        tmp_path, PORT="8080", CIVICGRID_PUBLIC_URL="http://192.168.1.20:8080"
    )
    seen = [line for line in out.splitlines() if " sees " in line]
    assert len(seen) == 3  # the worker, the web server, the accounts list
    assert all(line.endswith("sees http://192.168.1.20:8080") for line in seen)
