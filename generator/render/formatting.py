"""Words for structured values: schedules, durations, targets, rewards and penalties, headcounts."""

from __future__ import annotations

from ..i18n import Locale
from ..model.entities import KPI, Consequence, Duration, Headcount, When


def number(value: float) -> str:
    """``30.0`` → ``30``, ``2.5`` → ``2.5``: the way people write amounts."""
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


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


def target(kpi: KPI, locale: Locale) -> str:
    """``≥ 30 次/日``."""
    return f"{kpi.comparator} {number(kpi.target)} {kpi.unit}/{locale.label('period_' + kpi.period)}"


def consequence(value: Consequence, locale: Locale) -> str:
    """``未达标时扣罚 50 元/日``, ``每增加 3 万元奖励 200 元`` …"""
    verb = locale.label(value.type)
    amount = f"{number(value.amount)} {value.currency}"
    if value.per:
        amount += locale.label("per").format(per=value.per)
    if value.step:
        lead = locale.label("step_rule").format(every=number(value.step.every), unit=value.step.unit)
    elif value.when:
        lead = value.when
    else:
        lead = locale.label("if_missed") if value.type == "penalty" else ""
    text = f"{lead}{' ' if lead and locale.lang != 'zh' else ''}{verb} {amount}"
    if value.extra:
        text += f"{locale.label('list_sep')}{value.extra}"
    return text


def headcount(value: Headcount | None, locale: Locale, of_title: str = "") -> str:
    """``现有 9 人、计划 16 人``; ``每 1 名电销团队长配 12 人``."""
    if value is None:
        return ""
    parts = []
    if value.current is not None:
        parts.append(locale.label("headcount_current").format(n=value.current))
    if value.planned is not None:
        parts.append(locale.label("headcount_planned").format(n=value.planned))
    if value.ratio is not None:
        ratio = value.ratio
        parts.append(locale.label("headcount_ratio").format(count=ratio.count, per=ratio.per, of=of_title or ratio.of))
    if value.note:
        parts.append(value.note)
    return locale.label("list_sep").join(parts)
