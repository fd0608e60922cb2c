"""MiniSearch, the search library the site ships, fetched once from the npm registry and checked.

Why a vendored file: the site must make no request to any host but its own, so the library is
served from the site like our own scripts. It is not kept in git; ``make`` (the venv step) runs
``python -m generator.site.vendor``, which asks ``npm pack`` for the pinned release and checks the
tarball against the registry's published integrity hash before unpacking the one file we serve.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

#: The pinned release and its ``dist.integrity`` as the npm registry publishes it.
PACKAGE = "minisearch"
VERSION = "7.2.0"
INTEGRITY = "sha512-dqT2XBYUOZOiC5t2HRnwADjhNS2cecp9u+TJRiJ1Qp/f5qjkeT5APcGPjHw+bz89Ms8Jp+cG4AlE+QZ/QnDglg=="
#: Inside the tarball: the browser build (a UMD script: a global in a page or worker, a module in node).
MEMBERS = {"package/dist/umd/index.js": "minisearch.js", "package/LICENSE.txt": "minisearch.LICENSE.txt"}
#: Where the files land, beside the search scripts that the generator copies into the site.
HOME = Path(__file__).with_name("searchjs") / "vendor"
SCRIPT = HOME / "minisearch.js"


class VendorError(Exception):
    """The library could not be fetched or did not match its pinned hash."""


def missing() -> bool:
    """True when the vendored script is not there yet (``make venv`` fetches it)."""
    return not SCRIPT.is_file()


def _check(data: bytes) -> None:
    algorithm, _, expected = INTEGRITY.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
    if digest != expected:
        raise VendorError(f"{PACKAGE}@{VERSION}: the tarball's {algorithm} is {digest}, the pinned one {expected}")


def unpack(data: bytes, home: Path = HOME) -> None:
    """Check ``data`` (the release tarball) against the pinned hash and write its files into ``home``."""
    _check(data)
    home.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member, name in MEMBERS.items():
            source = tar.extractfile(member)
            if source is None:
                raise VendorError(f"{PACKAGE}@{VERSION}: {member} is not in the tarball")
            (home / name).write_bytes(source.read())


def fetch(home: Path = HOME) -> None:
    """``npm pack`` the pinned release into a temporary folder, check it, and unpack it into ``home``."""
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError("npm is missing: install Node.js and npm (Debian: apt-get install nodejs npm)")
    with tempfile.TemporaryDirectory() as folder:
        run = subprocess.run([npm, "pack", f"{PACKAGE}@{VERSION}", "--silent"], cwd=folder,
                             capture_output=True, text=True, check=False)
        packed = sorted(Path(folder).glob("*.tgz"))
        if run.returncode or not packed:
            raise VendorError(f"npm pack {PACKAGE}@{VERSION} failed: {run.stderr.strip() or run.stdout.strip()}")
        unpack(packed[0].read_bytes(), home)


def main() -> int:
    """Fetch the library unless it is there already; exit 1 with the reason when that fails."""
    if not missing():
        return 0
    try:
        fetch()
    except VendorError as err:
        print(f"handbook: {err}", file=sys.stderr)
        return 1
    print(f"vendored {PACKAGE}@{VERSION} into {HOME}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
