"""Read-only access to the project's git history through the ``git`` command: trees, blobs, tags."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: The pseudo-revision that means "the files on disk now", as ``git diff`` without a second rev.
WORKTREE = ""


class GitError(Exception):
    """Git is missing, the folder is not a repository, or a revision does not exist."""

    def __init__(self, code: str, **args: str) -> None:
        super().__init__(code)
        self.code = code
        self.args_ = args


@dataclass(frozen=True)
class Release:
    """A published version of the handbook: a git tag with its date."""

    name: str
    commit: str
    date: dt.date


def blob_id(data: bytes) -> str:
    """The id git gives a file's bytes, so files on disk compare with files in a commit unread."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


class Repo:
    """The git repository holding a project; every call is one ``git`` process, read-only."""

    def __init__(self, root: Path) -> None:
        if shutil.which("git") is None:
            raise GitError("git_missing")
        self.root = root.resolve()
        top = self._run("rev-parse", "--show-toplevel", check=False)
        if top is None:
            raise GitError("git_no_repo", path=str(root))
        self.top = Path(top.decode().strip()).resolve()

    def _run(self, *args: str, check: bool = True, stdin: bytes | None = None) -> bytes | None:
        # A fixed environment: no pager, no user colour or locale settings in what we parse.
        env = {**os.environ, "GIT_PAGER": "cat", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}
        proc = subprocess.run(
            ["git", "-C", str(self.root), *args], input=stdin, capture_output=True, env=env, check=False
        )
        if proc.returncode != 0:
            if check:
                raise GitError("git_failed", command=" ".join(args[:2]), detail=proc.stderr.decode(errors="replace"))
            return None
        return proc.stdout

    def prefix(self, folder: Path) -> str:
        """``folder`` as a path inside the repository, e.g. ``roles``."""
        return folder.resolve().relative_to(self.top).as_posix()

    def shallow(self) -> bool:
        """True on a shallow clone, where older commits (and their tags) are missing."""
        out = self._run("rev-parse", "--is-shallow-repository", check=False) or b""
        return out.strip() == b"true"

    def commit(self, rev: str) -> str:
        """The commit id ``rev`` names; GitError when there is none."""
        out = self._run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        if out is None:
            raise GitError("git_no_rev", rev=rev)
        return out.decode().strip()

    def has_commits(self) -> bool:
        """False in a repository with no commit yet."""
        return self._run("rev-parse", "--verify", "--quiet", "HEAD", check=False) is not None

    def tree(self, rev: str, prefix: str) -> dict[str, str]:
        """``path → blob id`` of every file below ``prefix`` at ``rev`` (paths relative to ``prefix``)."""
        out = self._run("ls-tree", "-r", "-z", "--full-tree", self.commit(rev), "--", prefix) or b""
        files: dict[str, str] = {}
        cut = len(prefix) + 1
        for entry in out.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            mode, kind, sha = meta.split(b" ")
            if kind == b"blob" and mode != b"120000":  # symlinks are not followed, as validate refuses them
                files[path.decode("utf-8", errors="surrogateescape")[cut:]] = sha.decode()
        return files

    def blobs(self, ids: list[str]) -> dict[str, bytes]:
        """The bytes of each blob, all read by one ``git cat-file --batch``."""
        if not ids:
            return {}
        unique = list(dict.fromkeys(ids))
        out = self._run("cat-file", "--batch", stdin="".join(i + "\n" for i in unique).encode()) or b""
        found: dict[str, bytes] = {}
        pos = 0
        for sha in unique:
            end = out.index(b"\n", pos)
            header = out[pos:end].split(b" ")
            pos = end + 1
            if len(header) < 3:  # "<sha> missing"
                continue
            size = int(header[2])
            found[sha] = out[pos : pos + size]
            pos += size + 1
        return found

    def releases(self) -> list[Release]:
        """Every tag that names a commit, oldest first (by the date of its commit, then its name)."""
        fmt = "%(refname:short)%00%(objectname)%00%(*objectname)%00%(creatordate:short)"
        out = self._run("for-each-ref", f"--format={fmt}", "refs/tags") or b""
        found = []
        for line in out.decode("utf-8", errors="replace").splitlines():
            name, obj, peeled, date = line.split("\0")
            commit = peeled or obj
            try:
                self.commit(commit)
                day = dt.date.fromisoformat(date)
            except (GitError, ValueError):
                continue  # a tag of a tree or blob, or one whose commit a shallow clone lacks
            found.append(Release(name, commit, day))
        order = self._order([r.commit for r in found])
        found.sort(key=lambda r: (order.get(r.commit, -1), r.date, r.name))
        return found

    def _order(self, commits: list[str]) -> dict[str, int]:
        """Position of each commit in history, oldest first, so tags follow the commits they mark."""
        if not commits:
            return {}
        out = self._run("rev-list", "--topo-order", "--reverse", *dict.fromkeys(commits)) or b""
        return {sha: i for i, sha in enumerate(out.decode().split())}

    def changed_between(self, old: str, new: str, prefix: str) -> bool:
        """True when anything below ``prefix`` differs between two commits."""
        out = self._run("diff", "--quiet", self.commit(old), self.commit(new), "--", prefix, check=False)
        return out is None


def worktree(folder: Path) -> dict[str, str]:
    """``path → blob id`` of the YAML files on disk below ``folder``, the same shape as :meth:`Repo.tree`."""
    files: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or path.is_symlink() or not path.is_file():
            continue
        files[rel.as_posix()] = blob_id(path.read_bytes())
    return files
