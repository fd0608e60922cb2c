"""Write a synthetic handbook of N roles (units, processes, policies, terms, references) for scale tests."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.project import Project

REPO = Path(__file__).resolve().parent.parent
#: Hand-written pages (and theme overrides) for a synthetic project: the home page links only
#: to the index pages every handbook has, so it builds with any roles/.
MANUAL = REPO / "handbook"

_AREAS = ["渠道维护", "队伍建设", "业务推动", "客户服务", "品质管理", "培训辅导", "数据管理", "行政支持"]
_VERBS = ["负责", "协助", "组织", "督导", "跟进", "统计", "分析", "落实", "维护", "改进"]
_OBJECTS = [
    "团队每日活动量", "客户回访与续保提醒", "新人岗前培训", "银行网点关系", "月度业绩目标分解",
    "录音抽检与质检反馈", "准客户名单分配", "竞赛方案执行", "投诉处理与升级", "周报与月报",
    "考勤与纪律", "产品知识宣导", "理赔协助", "保单保全服务", "早会夕会组织", "职场氛围营造",
    "重点客户拜访", "渠道费用核算", "合规风险排查", "系统数据录入",
]
_MANNERS = ["按日完成", "每周复盘", "及时上报", "确保准确无误", "形成书面记录", "达成公司标准", "持续改进"]
_METRICS = [
    ("通话次数", "≥", 30, "次", "日"), ("有效通时", "≥", 120, "分钟", "日"), ("月均保费", "≥", 3, "万元", "月"),
    ("续保率", "≥", 85, "%", "月"), ("投诉率", "≤", 1, "%", "季"), ("新人留存率", "≥", 70, "%", "季"),
    ("网点活动率", "≥", 60, "%", "月"), ("质检合格率", "≥", 95, "%", "周"), ("出勤率", "≥", 98, "%", "月"),
]
_TITLES = ["经理", "主管", "组长", "专员", "助理", "坐席", "客户经理", "培训师", "质检员", "督导", "内勤", "讲师"]
_BRANCH_NAMES = ["北京", "上海", "广州", "深圳", "成都", "武汉", "南京", "杭州", "西安", "重庆", "天津", "苏州"]
_TEAM_KINDS = ["电销", "续保", "银保", "团险", "个险", "网销", "理财", "客服"]
_TERMS = ["坐席", "通时", "通次", "首拨", "晨会", "夕会", "监听", "辅导", "续保", "出单", "网点", "保全"]


@dataclass
class Synthetic:
    """What was written: the roles folder and how many entities of each kind."""

    roles_dir: Path
    counts: Counter[str] = field(default_factory=Counter)
    files: list[Path] = field(default_factory=list)
    role_ids: list[str] = field(default_factory=list)


def unit_count(n_roles: int) -> int:
    """40–80 units for a large handbook (about 25 roles each); fewer for a tiny one, 2+ roles each."""
    return max(1, min(max(40, min(80, n_roles // 25)), n_roles // 2))


def _sentence(rng: random.Random, refs: list[str]) -> str:
    text = f"{rng.choice(_VERBS)}{rng.choice(_OBJECTS)}，{rng.choice(_MANNERS)}"
    if refs and rng.random() < 0.35:
        text += f"，见 {rng.choice(refs)}"
    return text


def _write(out: Synthetic, rel: str, kind: str, data: dict[str, Any]) -> None:
    path = out.roles_dir / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"kind": kind, **data}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out.counts[kind] += 1
    out.files.append(path)


def write_roles(roles_dir: Path, n_roles: int, *, seed: int = 8) -> Synthetic:
    """Write ``n_roles`` roles plus units, processes, policies and terms into ``roles_dir``.

    Everything cross-references everything else the way real content does: reporting
    lines, RACI participants, ``[[kind:id]]`` links in free text, policy clauses, terms.
    The same ``n_roles`` and ``seed`` always write the same bytes.
    """
    rng = random.Random(seed)
    out = Synthetic(roles_dir)
    n_units = unit_count(n_roles)
    n_branches = max(1, min(12, n_units // 6))

    # The unit tree: one company, branches below it, teams below the branches.
    units: list[tuple[str, str | None, str]] = [("company", None, "总公司")]
    for b in range(n_branches):
        units.append((f"branch-{b:02d}", "company", f"{_BRANCH_NAMES[b % len(_BRANCH_NAMES)]}分公司{b // 12 or ''}"))
    for t in range(n_units - 1 - n_branches):
        b = t % n_branches
        units.append((f"team-{b:02d}-{t:03d}", f"branch-{b:02d}", f"{units[1 + b][2]}{_TEAM_KINDS[t % 8]}{t}组"))
    folder = {uid: (uid if parent in (None, "company") else f"{parent}/{uid}") for uid, parent, _ in units}

    # Roles, dealt round-robin; the first role of each unit leads it.
    members: dict[str, list[str]] = {uid: [] for uid, _, _ in units}
    for i in range(n_roles):
        members[units[i % len(units)][0]].append(f"role-{i:05d}")
    lead = {uid: ids[0] for uid, ids in members.items() if ids}
    parent_of = {uid: parent for uid, parent, _ in units}

    def unit_lead(uid: str | None) -> str | None:
        while uid is not None and uid not in lead:
            uid = parent_of[uid]
        return lead.get(uid) if uid else None

    company_policies = [f"company-rule-{k}" for k in range(3)]
    terms = [f"term-{k:03d}" for k in range(max(10, min(80, n_roles // 25)))]
    processes = {uid: [f"{uid}-morning", f"{uid}-review"] for uid, _, _ in units if members[uid]}
    branch_of = {uid: (uid if parent == "company" else parent if parent else None) for uid, parent, _ in units}

    for uid, parent, name in units:
        data: dict[str, Any] = {"name": name, "description": _sentence(rng, [])}
        if parent:
            data["parent"] = parent
        data["channel"] = _TEAM_KINDS[len(name) % 8]
        if uid in processes:
            data["schedule"] = [
                {"start": "08:45", "end": "09:00", "activity": "晨会", "process": processes[uid][0]},
                {"start": "09:00", "end": "12:00", "activity": "上线作业"},
                {"start": "17:00", "end": "17:30", "activity": "周复盘", "days": ["五"], "process": processes[uid][1]},
            ]
        _write(out, f"{folder[uid]}/{uid}.yaml", "unit", data)

    for b in range(n_branches):
        pid = f"branch-{b:02d}-rules"
        clauses = [
            {"id": f"clause-{c}", "title": f"第{c + 1}条", "text": _sentence(rng, []),
             **({"consequences": [{"type": "penalty", "amount": 50 * (c + 1), "per": "次"}]} if c % 2 else {})}
            for c in range(5)
        ]
        data = {"title": f"{units[1 + b][2]}管理制度", "unit": f"branch-{b:02d}", "summary": _sentence(rng, []),
                "applies_to": {"units": [f"branch-{b:02d}"]}, "clauses": clauses}
        _write(out, f"{folder[f'branch-{b:02d}']}/{pid}.yaml", "policy", data)
    for k, pid in enumerate(company_policies):
        clauses = [{"id": f"rule-{c}", "title": f"第{c + 1}条", "text": _sentence(rng, [])} for c in range(8)]
        data = {"title": f"公司制度{k + 1}", "summary": _sentence(rng, []), "clauses": clauses}
        _write(out, f"company/{pid}.yaml", "policy", data)

    for k, tid in enumerate(terms):
        abbr = "".join(chr(65 + (k // 26 ** j) % 26) for j in range(3))
        data = {"term": f"{_TERMS[k % len(_TERMS)]}{k}", "abbreviation": abbr,
                "definition": f"{_sentence(rng, [])}，常见于 [[role:{lead['company']}]] 的工作中。"}
        _write(out, f"glossary/{tid}.yaml", "term", data)

    for uid, pids in processes.items():
        staff = members[uid]
        owner = lead[uid]
        for k, pid in enumerate(pids):
            participants = [{"role": rid, "part": "responsible" if j % 2 else "informed"}
                            for j, rid in enumerate(staff[1:5])]
            steps = [{"title": f"步骤{s + 1}", "actor": rng.choice(staff), "detail": _sentence(rng, []),
                      "duration": {"max": 5 + s}} for s in range(4)]
            when: dict[str, Any] = ({"every": "工作日", "times": ["08:45"]} if k == 0
                                    else {"every": "周", "weekdays": ["五"], "times": ["17:00"]})
            data = {"title": f"{'晨会' if k == 0 else '周复盘'}（{uid}）", "category": "会议", "unit": uid,
                    "owner": owner, "participants": participants, "when": when, "duration": {"max": 10 + 20 * k},
                    "purpose": _sentence(rng, [f"[[role:{owner}]]"]),
                    "key_points": [_sentence(rng, []) for _ in range(3)],
                    "steps": steps, "records": [f"记录表{k + 1}"]}
            _write(out, f"{folder[uid]}/{pid}.yaml", "process", data)

    for uid, _parent, uname in units:
        staff = members[uid]
        for j, rid in enumerate(staff):
            boss = unit_lead(parent_of[uid]) if j == 0 else lead[uid]
            branch = branch_of[uid]
            own_policies = [f"{branch}-rules"] if branch else []
            refs = [f"[[role:{boss}]]" if boss else f"[[role:{rid}]]", f"[[process:{processes[uid][0]}]]",
                    f"[[policy:{rng.choice(company_policies)}#rule-{rng.randrange(8)}]]",
                    f"[[term:{rng.choice(terms)}]]"]
            # Two draws, as before, so the rest of the handbook stays the same; a plan is never
            # below today's count (validate warns about that).
            current, planned = 1 + rng.randrange(12), 2 + rng.randrange(16)
            data = {
                "title": f"{uname}{_TITLES[j % len(_TITLES)]}{j}",
                "unit": uid,
                **({"reports_to": boss} if boss else {}),
                "headcount": {"current": current, "planned": max(current, planned)},
                "summary": "。".join(_sentence(rng, refs) for _ in range(2)) + "。",
                "source": "岗位说明书汇编（合成数据）",
                "effective_date": dt.date(2024, 1, 1),
                "version": "2024.1",
                "duties": [
                    {"area": area, "items": [_sentence(rng, refs) for _ in range(4)]}
                    for area in rng.sample(_AREAS, 3)
                ],
                "qualifications": {
                    "education": "大专及以上学历",
                    "experience": f"{1 + j % 4} 年以上相关工作经验",
                    "age_max": 45,
                    "certificates_required": ["保险代理人资格证"],
                    "abilities": [_sentence(rng, []) for _ in range(3)],
                },
                "kpis": [
                    {"metric": m, "comparator": c, "target": t, "unit": u, "period": p,
                     "consequences": [{"type": "penalty", "amount": 50, "per": p}]}
                    for m, c, t, u, p in rng.sample(_METRICS, 3)
                ],
                "career": {"next": [boss]} if boss else {"note": _sentence(rng, [])},
                "policies": [*own_policies, f"{company_policies[0]}#rule-{j % 8}"],
                "onboarding": [
                    {"when": "第1天", "text": _sentence(rng, []), "ref": f"policy:{company_policies[0]}#rule-0"},
                    {"when": "第1周", "text": _sentence(rng, []), "ref": f"process:{processes[uid][0]}"},
                ],
            }
            _write(out, f"{folder[uid]}/{rid}.yaml", "role", data)
            out.role_ids.append(rid)
    return out


def write_project(dest: Path, n_roles: int, *, seed: int = 8) -> tuple[Project, Synthetic]:
    """A buildable project in ``dest``: the repo's mkdocs.yml and handbook/, synthetic roles/."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(MANUAL, dest / "handbook", ignore=shutil.ignore_patterns("generated"), dirs_exist_ok=True)
    synthetic = write_roles(dest / "roles", n_roles, seed=seed)
    return Project(dest), synthetic
