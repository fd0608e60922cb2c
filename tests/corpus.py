"""The broken-input corpus and its precision: ``python -m tests.corpus`` (``make corpus``) prints precise/total.

A case is *precise* when, by these rules and no judgement:

* its first problem stands exactly where the case declares the editor must type the fix
  (``tests/broken/expected-fix-at.yaml``);
* the fix is concrete: not one of the generic fixes that merely restate the schema;
* the Chinese text holds no English word except field names, allowed values, words quoted
  from the case's own files or the context, ids of the sample, and a few names of formats;
* every locale has its own message for the problem's code.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from generator.i18n import available, load_locale
from generator.link.pipeline import validate
from generator.load import source
from generator.load.parse import iter_models
from generator.load.problems import Problem, format_text
from generator.model import registry
from generator.model.declare import shapes

REPO = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).resolve().parent / "broken"
CONTEXT = BROKEN / "_context"
EXPECTED: dict[str, list[str]] = yaml.safe_load((BROKEN / "expected.yaml").read_text(encoding="utf-8"))
FIX_AT: dict[str, str] = yaml.safe_load((BROKEN / "expected-fix-at.yaml").read_text(encoding="utf-8"))

#: Fixes that send the editor back to the schema instead of saying what to type.
GENERIC_FIXES = frozenset({"按字段说明改写此处", "对照字段说明修改", "对照字段说明检查此处",
                           "检查这一行及上一行的缩进、冒号和引号是否成对"})
#: Names of formats and tools that have no Chinese name an editor would know better.
FORMAT_WORDS = frozenset({"YAML", "UTF-8", "UTF", "GBK", "GB18030", "KB", "HH", "MM", "YYYY", "DD", "Tab",
                          "YYYY-MM-DD", "yaml", "txt", "handbook", "fmt", "new", "validate", "aliases", "U", "Word", "Excel", "VS", "Code",
                          "svg", "png", "jpg"})
_ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*")


def _too_large(roles: Path) -> None:
    # Valid YAML, one byte over the limit: only the size can be wrong with it.
    head = "kind: role\ntitle: 坐席\nunit: team\nsummary: |\n"
    body = "  " + "填" * 40 + "\n"
    text = head + body * (source.MAX_FILE_BYTES // len(body.encode()) + 1)
    (roles / "too-large.yaml").write_text(text, encoding="utf-8")


#: Cases written at test time instead of being committed.
GENERATED: dict[str, Callable[[Path], None]] = {"too-large": _too_large}


def cases() -> list[str]:
    """Every case name: a file ``<case>.yaml`` or a folder ``<case>/`` under tests/broken/, plus generated ones."""
    names = [p.name.removesuffix(".yaml") for p in BROKEN.iterdir() if not p.name.startswith(("_", "expected"))]
    return sorted([*names, *GENERATED])


def project(tmp: Path, case: str | None) -> Path:
    """A folder with roles/ = the valid context plus ``case``'s file(s); returns the folder."""
    roles = tmp / "roles"
    shutil.copytree(CONTEXT, roles)
    if case in GENERATED:
        GENERATED[case](roles)
    elif case is not None:
        path = BROKEN / case
        if path.is_dir():
            shutil.copytree(path, roles, dirs_exist_ok=True)
        else:
            shutil.copy(BROKEN / f"{case}.yaml", roles)
    return tmp


def is_error(line: str) -> bool:
    """True when a printed zh line is an error, not a warning."""
    warning = load_locale("zh").label("warning") + ": "
    return warning not in line


def problems_of(case: str, tmp: Path, lang: str = "zh") -> list[Problem]:
    """What validating ``case`` with the context gives, sorted as printed."""
    root = project(tmp, case)
    return validate(root / "roles", locale=load_locale(lang), display_base=root).problems


@cache
def _allowed_words() -> frozenset[str]:
    words: set[str] = set(FORMAT_WORDS) | set(registry.KINDS)
    for kind in registry.KINDS.values():
        for cls in iter_models(kind.model):
            words.update(cls.model_fields)
            # A fixed choice (kind: on-call) is a value the editor types, as a field name is.
            for shape in shapes(cls).values():
                words.update(str(c) for c in (shape.item or shape).choices)
    for path in [*(REPO / "roles").rglob("*.yaml"), *CONTEXT.rglob("*.yaml")]:
        words.update(_ASCII_WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return frozenset(words)


def _case_words(case: str) -> set[str]:
    path = BROKEN / case
    files = sorted(path.rglob("*")) if path.is_dir() else [BROKEN / f"{case}.yaml"]
    words: set[str] = set()
    for file in files:
        words.update(_ASCII_WORD.findall(file.name))
        if file.is_file():
            words.update(_ASCII_WORD.findall(file.read_bytes().decode("utf-8", errors="replace")))
    return words


def english_in_chinese(case: str, problem: Problem) -> list[str]:
    """ASCII words in the zh message or fix that are not field names, values, ids or format names."""
    message, fix = problem.texts(load_locale("zh"))
    return foreign_words(message + " " + fix, case, problem.args.values())


def foreign_words(text: str, case: str, quoted: Iterable[str] = ()) -> list[str]:
    """The English words of ``text``: not a field name, value, id, format name or word quoted from the file."""
    # U+000B and the like name a character, they are no words.
    text = re.sub(r"U\+[0-9A-F]{4,6}", "", text)
    from_file = {w for value in quoted for w in _ASCII_WORD.findall(str(value))}
    allowed = _allowed_words() | _case_words(case) | from_file
    return [w for w in _ASCII_WORD.findall(text) if w not in allowed and w.split(".")[0] not in allowed]


@dataclass
class Verdict:
    """Whether one case is precise, and why not."""

    case: str
    reasons: list[str]

    @property
    def precise(self) -> bool:
        """True when no rule failed."""
        return not self.reasons


def judge(case: str, tmp: Path) -> Verdict:
    """Apply the rules of the module docstring to one case."""
    found = problems_of(case, tmp)
    if not found:
        return Verdict(case, ["no problem reported"])
    # An editor fixes errors first; a case's warnings matter only when it has no error.
    errors = [p for p in found if p.severity.value == "error"]
    first = (errors or found)[0]
    reasons = []
    where = f"{first.file}:{first.line}:{first.col}"
    if where != FIX_AT.get(case):
        reasons.append(f"at {where}, fix is at {FIX_AT.get(case)}")
    zh = load_locale("zh")
    for problem in found:
        _, fix = problem.texts(zh)
        if not fix or fix in GENERIC_FIXES:
            reasons.append(f"generic fix: {format_text(problem, zh)}")
        english = english_in_chinese(case, problem)
        if english:
            reasons.append(f"English in zh: {english}")
        for lang in available():
            if problem.code not in load_locale(lang).problems:
                reasons.append(f"no {lang} message for {problem.code}")
    return Verdict(case, reasons)


def verdicts() -> Iterator[Verdict]:
    """Every case judged, each in its own temporary folder."""
    with tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(cases()):
            yield judge(case, Path(tmp) / str(i))


def write_expected() -> None:
    """Rewrite expected.yaml from what validate prints now (review the diff before committing)."""
    head = [line for line in (BROKEN / "expected.yaml").read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    zh = load_locale("zh")
    body: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(cases()):
            body[case] = [format_text(p, zh) for p in problems_of(case, Path(tmp) / str(i))]
    text = yaml.safe_dump(body, allow_unicode=True, width=10_000, sort_keys=True)
    (BROKEN / "expected.yaml").write_text("\n".join(head) + "\n" + text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Print each imprecise case with its reasons, then precise/total (``--write-expected``: refresh the golden file)."""
    if "--write-expected" in (argv if argv is not None else sys.argv[1:]):
        write_expected()
        return 0
    results = list(verdicts())
    for verdict in results:
        if not verdict.precise:
            print(f"{verdict.case}: " + "; ".join(verdict.reasons))
    precise = sum(v.precise for v in results)
    print(f"corpus precision: {precise}/{len(results)} precise ({100 * precise / len(results):.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
