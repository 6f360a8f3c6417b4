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
     {"es5": "mathjax", "LICENSE": "mathjax/LICENSE"}),
    ("requirejs", "2.3.8",
     "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
     {"require.js": "require.js"}),
    ("@jupyter-widgets/html-manager", "1.0.15",
     "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
     {"dist": "html-manager"}),
]

STAMP = VENDOR / "versions.json"
LAYOUT = "2"  # bump when the files taken from the packages change (2: the licence texts)

# Packages whose tarball carries no licence file of its own: the licence each declares in its
# package.json, with the copyright line of its source, served beside the script.
LICENCES = {
    "require.js.LICENSE.txt": ("RequireJS 2.3.8 (npm: requirejs), MIT licence",
                               "Copyright jQuery Foundation and other contributors"),
    "html-manager/LICENSE.txt": ("@jupyter-widgets/html-manager 1.0.15, BSD 3-Clause licence",
                                 "Copyright (c) 2015 Project Jupyter Contributors"),
}
MIT = """Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN
AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE
OR OTHER DEALINGS IN THE SOFTWARE.
"""
BSD3 = """Redistribution and use in source and binary forms, with or without modification, are permitted provided
that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this list of conditions and the
   following disclaimer.
2. Redistributions in binary form must reproduce the above copyright notice, this list of conditions and
   the following disclaimer in the documentation and/or other materials provided with the distribution.
3. Neither the name of the copyright holder nor the names of its contributors may be used to endorse or
   promote products derived from this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED
WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A
PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY
DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO,
PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)
HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING
NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE
POSSIBILITY OF SUCH DAMAGE.
"""


def write_licences() -> None:
    for path, (what, copyright_line) in LICENCES.items():
        body = MIT if "MIT" in what else BSD3
        (VENDOR / path).write_text(f"{what}\n\n{copyright_line}\n\n{body}", encoding="utf-8")


def integrity(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def wanted_stamp() -> dict[str, str]:
    return {"layout": LAYOUT} | {name: f"{version} {sri}" for name, version, sri, _ in PINS}


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
    write_licences()
    STAMP.write_text(json.dumps(wanted_stamp(), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
