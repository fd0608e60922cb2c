"""Words for structured values: schedules, deadlines, targets, rewards and penalties, headcounts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..i18n import Locale
from ..model.choices import choice_set, default
from ..model.entities import KPI, Consequence, Deadline, Duration, Headcount, ResponseTime, SeasonTarget, When
from ..model.entities.consequence import COUNTED

if TYPE_CHECKING:
    from ..link.headcount import UnitHeadcount


def number(value: float) -> str:
    """``30.0`` → ``30``, ``2.5`` → ``2.5``: the way people write amounts."""
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def onboarding_when(value: str, locale: Locale) -> str:
    """An onboarding step's time in the handbook's language: 第1周 → ``Week 1`` in English."""
    found = re.fullmatch(r"第(\d+)(天|周|月)", value)
    return locale.label(f"onboarding_when_{found.group(2)}").format(n=found.group(1)) if found else value


def when(value: When, locale: Locale) -> str:
    """``每日 08:45``, ``每周一、四``, ``每小时整点``, ``每月最后一个工作日`` …"""
    sep = locale.label("list_sep")
    if value.weekdays:
        days = sep.join(locale.label(f"weekday_{d}") for d in value.weekdays)
        head = locale.label("on_weekdays").format(days=days)
    else:
        head = locale.label(f"every_{value.every}")
    if value.day:
        head += locale.label(f"day_{value.day}")
    if value.minute is not None:
        head += locale.label("minute_zero") if value.minute == 0 else locale.label("minute_n").format(n=value.minute)
    parts = [head]
    if value.count > 1:
        parts.append(locale.label("times_per").format(n=value.count))
    if value.times:
        parts.append(sep.join(value.times))
    # value.note is free text that may hold references; templates render it separately.
    return " ".join(parts)


def duration(value: Duration, locale: Locale) -> str:
    """``≤ 10 分钟``, ``15–20 分钟``."""
    unit = locale.label(f"unit_{value.unit}")
    if value.min is not None and value.max is not None:
        return locale.label("duration_range").format(min=number(value.min), max=number(value.max), unit=unit)
    if value.max is not None:
        return locale.label("duration_max").format(max=number(value.max), unit=unit)
    if value.min is not None:
        return locale.label("duration_min").format(min=number(value.min), unit=unit)
    return ""


def _value(kpi: KPI, number_: float, locale: Locale, with_period: bool = True) -> str:
    """One target value: ``≥ 30 次/日``."""
    text = f"{kpi.comparator or ''} {number(number_)} {kpi.unit}".strip()
    return text + (f"/{locale.label('period_' + kpi.period)}" if with_period and kpi.period else "")


def target(kpi: KPI, locale: Locale, *, with_period: bool = True) -> str:
    """``≥ 30 次/日``; ``≥ 120 通/日；11–12 月（旺季）≥ 150 通/日``; ``待定（由分公司下达）``."""
    def one(number_: float) -> str:
        return _value(kpi, number_, locale, with_period)

    if kpi.target is not None:
        head = one(kpi.target)
    elif kpi.standard and not kpi.set_by:
        head = kpi.standard  # a qualitative KPI: its standard in words is the target
    else:
        head = locale.label("target_to_be_set")
    for part in kpi.parts:
        value = f"{part.comparator} {number(part.target)} {part.unit or kpi.unit}".strip()
        part_text = locale.label("kpi_part").format(name=part.name, value=value)
        head += f"{locale.label('paren_open')}{part_text}{locale.label('paren_close')}"
    if kpi.set_by:  # with a target too: validation names the contradiction, the page loses nothing
        head += f"{locale.label('paren_open')}{kpi.set_by}{locale.label('paren_close')}"
    fmt = locale.label("season_target")
    seasons = [fmt.format(season=season_name(s, locale), target=one(s.target)) for s in kpi.seasons]
    return locale.label("season_sep").join([head, *seasons])


#: A target value longer than this (``≥ 80 % of goals agreed/quarter``) keeps only its comparator and
#: number together: held whole, it would run past a narrow column into the next one.
NOBR_MAX = 14


def target_values(kpi: KPI, locale: Locale) -> tuple[str, ...]:
    """The values inside :func:`target`'s text, in order (``≥ 120 通/日``, ``≥ 150 通/日``): what must not wrap."""
    def kept(number_: float) -> str:
        whole = _value(kpi, number_, locale)
        return whole if len(whole) <= NOBR_MAX else f"{kpi.comparator or ''} {number(number_)}".strip()

    head = () if kpi.target is None else (kept(kpi.target),)
    return (*head, *(kept(s.target) for s in kpi.seasons))


def season_name(value: SeasonTarget, locale: Locale) -> str:
    """``11–12 月（旺季）``, ``7 月``, ``旺季``."""
    months = ""
    if value.months:
        first, _, last = value.months.partition("-")
        key = "months_range" if last else "month_one"
        months = locale.label(key).format(a=first, b=last)
    if months and value.name:
        return f"{months}{locale.label('paren_open')}{value.name}{locale.label('paren_close')}"
    return months or value.name or ""


def scorecard(kpis: list[KPI], locale: Locale) -> str:
    """``综合得分 = 出勤率 × 20% + 服务质量 × 30% …``; empty when no KPI has a weight."""
    terms = [locale.label("score_term").format(metric=k.metric, weight=number(k.weight)) for k in kpis if k.weight]
    return locale.label("scorecard_formula").format(terms=" + ".join(terms)) if terms else ""


def clock_span(start: str, end: str | None, locale: Locale) -> str:
    """``08:00–16:00``; a block that crosses midnight ends on the next day: ``22:00–次日 06:00``."""
    if not end:
        return start
    # "HH:MM" strings compare as times; 24:00 is the end of the same day.
    shown = end if end > start else locale.label("clock_next_day").format(time=end)
    return f"{start}–{shown}"


def deadline(value: Deadline, locale: Locale) -> str:
    """``日报每日 19:00 前``, ``每周五 18:00 前``, ``每月 25 日前``, ``会议前 3 天``, ``会议前 30 分钟``."""
    if value.before or value.before_max:
        event = value.event or locale.label("deadline_event")
        unit = locale.label(f"unit_{value.before_unit}")
        lead = "–".join(str(n) for n in (value.before, value.before_max) if n)
        key = "deadline_before_time" if value.time else "deadline_before"
        when_ = locale.label(key).format(event=event, n=lead, unit=unit, time=value.time)
    else:
        if value.weekday:
            every = locale.label("on_weekdays").format(days=locale.label(f"weekday_{value.weekday}"))
        else:
            every = locale.label(f"every_{value.every}") if value.every else ""
        day = locale.label("deadline_day").format(n=value.day) if value.day else ""
        clock = locale.label("deadline_time").format(time=value.time) if value.time else ""
        when_ = locale.label("deadline_by").format(every=every, day=day, time=clock).strip()
    if value.valid_for:
        unit = locale.label(f"valid_unit_{value.valid_unit}")
        when_ += locale.label("deadline_valid").format(n=value.valid_for, unit=unit)
    return locale.label("deadline_of").format(what=value.what, when=when_) if value.what else when_


def response_time(value: ResponseTime, locale: Locale) -> str:
    """``紧急事项 2 小时内答复``, ``24 小时内办结``."""
    case = locale.label("response_case").format(case=value.case) if value.case else ""
    action = locale.label("response_action").format(action=value.action) if value.action else ""
    unit = locale.label(f"unit_{value.unit}")
    return locale.label("response_within").format(case=case, n=number(value.within), unit=unit, action=action)


def timing(deadlines: list[Deadline], responses: list[ResponseTime], locale: Locale) -> str:
    """A process's, step's or duty's deadlines and response limits in one line."""
    parts = [deadline(d, locale) for d in deadlines] + [response_time(r, locale) for r in responses]
    return locale.label("season_sep").join(parts)


def _condition(value: Consequence, locale: Locale) -> str:
    """What triggers a consequence: its rank, rung, threshold, step or condition in words."""
    parts = []
    if value.rank:
        r = value.rank
        if r.first == r.last:
            place = locale.label("rank_nth").format(n=r.first)
        elif r.first == 1:
            place = locale.label("rank_top").format(n=r.last)
        else:
            place = locale.label("rank_range").format(a=r.first, b=r.last)
        parts.append(locale.label("rank_among").format(among=r.among, place=place) if r.among else place)
    if value.occurrence:
        o = value.occurrence
        within = locale.label(f"within_{o.within}") if o.within else ""
        key = "occurrence_onward" if o.onward else "occurrence_nth"
        parts.append(locale.label(key).format(within=within, n=o.nth).strip())
    if value.threshold:
        t = value.threshold
        within = locale.label(f"within_{t.per}")
        text = locale.label("threshold_more_than").format(within=within, what=t.what or "", n=t.more_than)
        if t.unit:  # 超过 1 天, not 超过 1 次: the label counts times unless the rule says what
            text = locale.label("threshold_more_than_unit").format(within=within, what=t.what or "", n=t.more_than,
                                                                   unit=t.unit)
        parts.append(text)
    if value.step:
        parts.append(locale.label("step_rule").format(every=number(value.step.every), unit=value.step.unit))
    elif value.when:
        parts.append(value.when)
    if not parts and value.effect == "penalty" and value.type in COUNTED:
        parts.append(locale.label("if_missed"))
    return locale.label("clause_sep").join(parts)


def currency_words(value: Consequence, locale: Locale) -> str:
    """What an amount counts in, in the handbook's language: 元 / USD / points; a rule that names
    no currency counts in its locale's default (``choices.yaml``), points in 分."""
    if value.currency is None:
        if value.type == "points":
            return locale.label("unit_points")
        return choice_set("currency").shown(default("currency", locale.lang), locale.lang)
    return choice_set("currency").shown(value.currency, locale.lang)


def consequence(value: Consequence, locale: Locale) -> str:
    """``未达标时扣罚 50 元/日``, ``每增加 3 万元奖励 200 元``, ``当月第 3 次起辞退`` …"""
    if value.type in COUNTED:
        currency = currency_words(value, locale)
        amount = f"{number(value.amount or 0)} {currency}"
        if value.per:
            amount += locale.label("per").format(per=value.per)
        limits = [locale.label(key).format(n=f"{number(n)} {currency}")
                  for key, n in (("amount_floor", value.minimum), ("amount_cap", value.maximum)) if n is not None]
        if limits:
            joined = locale.label("list_sep").join(limits)
            amount += f"{locale.label('paren_open')}{joined}{locale.label('paren_close')}"
        if value.type == "points" and value.points:  # 扣罚绩效分 2 分: what the points are stays on the page
            outcome = locale.label("points_named").format(effect=locale.label(value.effect), name=value.points,
                                                           amount=amount)
        else:
            outcome = f"{locale.label(value.effect)} {amount}"
        if value.what:  # an outcome in words beside money: shown, never dropped
            outcome += f"{locale.label('list_sep')}{value.what}"
    elif value.type == "demotion" and value.amount and not value.what:
        outcome = locale.label("demotion_n").format(n=number(value.amount))
    else:
        outcome = value.what or locale.label(f"ctype_{value.type}_{value.effect}")
        if value.effect == "reward" and value.what:
            outcome = f"{locale.label('reward')}{locale.label('word_sep')}{value.what}"
    if value.points and value.type != "points":  # named points on another type: shown, never dropped
        outcome += f"{locale.label('paren_open')}{value.points}{locale.label('paren_close')}"
    lead = _condition(value, locale)
    text = f"{lead}{locale.label('word_sep') if lead else ''}{outcome}"
    if value.recipient != "person":
        text += locale.label("recipient_note").format(who=locale.label(f"recipient_{value.recipient}"))
    if value.conditions:
        text += locale.label("requires").format(conditions=locale.label("list_sep").join(value.conditions))
    if value.extra:
        text += f"{locale.label('list_sep')}{value.extra}"
    return text


def unit_headcount(totals: UnitHeadcount, locale: Locale) -> str:
    """``编制 18 人、现有 15 人、空缺 3 人、2 个岗位未填报``: a role without a number is named, not zero."""
    parts = []
    if totals.planned is not None:
        parts.append(locale.label("headcount_planned").format(n=totals.planned))
    if totals.current is not None:
        parts.append(locale.label("headcount_current").format(n=totals.current))
    if totals.vacant is not None:
        parts.append(locale.label("headcount_vacant").format(n=totals.vacant))
    if totals.unreported:
        parts.append(locale.label("headcount_unreported").format(n=totals.unreported))
    return locale.label("list_sep").join(parts) or "—"


def headcount(value: Headcount | None, locale: Locale, of_title: str = "") -> str:
    """``编制 16 人、现有 9 人、空缺 7 人``; ``每 1 名电销团队长配 12 人``."""
    if value is None:
        return ""
    parts = []
    if value.planned is not None:
        parts.append(locale.label("headcount_planned").format(n=value.planned))
    if value.current is not None:
        parts.append(locale.label("headcount_current").format(n=value.current))
    if value.planned is not None and value.current is not None and value.planned > value.current:
        parts.append(locale.label("headcount_vacant").format(n=value.planned - value.current))
    if value.ratio is not None:
        ratio = value.ratio
        parts.append(locale.label("headcount_ratio").format(count=ratio.count, per=ratio.per, of=of_title or ratio.of))
    if value.note:
        parts.append(value.note)
    return locale.label("list_sep").join(parts)
