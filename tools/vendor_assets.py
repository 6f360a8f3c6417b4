#!/usr/bin/env python3
"""Fetch the website's JavaScript (MathJax, require.js, the ipywidgets HTML manager) from the npm
registry at pinned versions, verify each tarball's checksum, and unpack what the site serves into
``_static/vendor``. The built site then loads nothing from another host.

Run by ``make book`` / ``make test`` before the site build; it does nothing when the files are
already there and match the pins.
"""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "_vendor"  # copied into the site's _static/ (html_static_path in _config.yml)

# name, version, npm "integrity" (sha512 of the tarball), {path in the package: path under vendor/}
PINS = [
    ("mathjax", "3.2.2",
     "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
     {"es5": "mathjax"}),
    ("requirejs", "2.3.8",
     "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
     {"require.js": "require.js"}),
    ("@jupyter-widgets/html-manager", "1.0.15",
     "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
     {"dist": "html-manager"}),
]

STAMP = VENDOR / "versions.json"


def integrity(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def wanted_stamp() -> dict[str, str]:
    return {name: f"{version} {sri}" for name, version, sri, _ in PINS}


def fetch(name: str, version: str, sri: str, files: dict[str, str], tmp: Path) -> None:
    out = subprocess.run(["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", str(tmp)],
                         cwd=tmp, check=True, capture_output=True, text=True)
    tarball = tmp / json.loads(out.stdout)[0]["filename"]
    got = integrity(tarball)
    if got != sri:
        raise SystemExit(f"checksum mismatch for {name}@{version}:\n  expected {sri}\n  got      {got}")
    unpack = tmp / tarball.stem
    with tarfile.open(tarball) as tar:
        tar.extractall(unpack, filter="data")
    for src, dst in files.items():
        source, target = unpack / "package" / src, VENDOR / dst
        if target.exists():
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.map"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    print(f"vendored {name}@{version} (checksum verified)")


def main() -> int:
    if STAMP.exists() and json.loads(STAMP.read_text()) == wanted_stamp():
        return 0
    if shutil.which("npm") is None:
        raise SystemExit("npm is needed to fetch the site's JavaScript (MathJax, require.js, widgets)")
    VENDOR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, version, sri, files in PINS:
            fetch(name, version, sri, files, Path(tmp))
    STAMP.write_text(json.dumps(wanted_stamp(), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
