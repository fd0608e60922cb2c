"""The content rules ``handbook lint`` knows: each rule's id, how bad a finding is, and which law or
standard it rests on (the source's name is in the locales, ``lint_source_<group>``).

Ids are an API: HR names them in ``lint_exempt`` and CI logs quote them, so a rule is never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

LintRule = Literal[
    "gender",
    "marital-status",
    "ethnicity",
    "religion",
    "region",
    "carrier-status",
    "age-limit",
    "duty-count",
    "duty-phrasing",
    "vague-verb",
    "jd-length",
    "kpi-target",
    "reporting-line",
    "consequence-clause",
]

RULES: tuple[str, ...] = get_args(LintRule)


@dataclass(frozen=True)
class RuleInfo:
    """What one rule is: an error (unlawful) or a warning (a standard), and the source it rests on."""

    error: bool
    #: The locale label naming the law or standard (``lint_source_<source>``).
    source: str
    #: The problem code of its findings, written out so that every code stays a literal (tests/test_codes.py).
    code: str


#: Requirements the law forbids are errors; HR's own standards and the age limit (lawful with a
#: stated reason) are warnings.
INFO: dict[str, RuleInfo] = {
    "gender": RuleInfo(True, "women", "lint_gender"),
    "marital-status": RuleInfo(True, "women", "lint_marital_status"),
    "ethnicity": RuleInfo(True, "employment", "lint_ethnicity"),
    "religion": RuleInfo(True, "employment", "lint_religion"),
    "region": RuleInfo(True, "region", "lint_region"),
    "carrier-status": RuleInfo(True, "carrier", "lint_carrier_status"),
    "age-limit": RuleInfo(False, "age", "lint_age_limit"),
    "duty-count": RuleInfo(False, "hr", "lint_duty_count"),
    "duty-phrasing": RuleInfo(False, "hr", "lint_duty_phrasing"),
    "vague-verb": RuleInfo(False, "hr", "lint_vague_verb"),
    "jd-length": RuleInfo(False, "hr", "lint_jd_length"),
    "kpi-target": RuleInfo(False, "kpi", "lint_kpi_target"),
    "reporting-line": RuleInfo(False, "hr", "lint_reporting_line"),
    "consequence-clause": RuleInfo(False, "evidence", "lint_consequence_clause"),
}


def code_of(rule: str) -> str:
    """The problem code of a rule's findings (``duty-count`` → ``lint_duty_count``)."""
    return INFO[rule].code
