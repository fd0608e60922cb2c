"""Zensical's search worker with one rule in front of its own ranking: a title typed as it is, or
with one character wrong, comes first.

Why: Zensical ranks by the query's words, field by field, and never compares the query with a
whole title. The browser cuts 经理理 (经理助理 with 助 dropped) into 经理 | 理, and 理财经理 holds
both words at the start of its title while 经理助理 holds one, so every 理财… title ranked above
it; no word added to the index fixes that without costing exact titles (README, "Search").

How: the worker sorts result items with a comparator that begins with :data:`ANCHOR`; a call to
``self.__handbookTier`` goes in at its start, and ``searchrank.js`` (the tiers, and a wrapper of
the worker's message handler that learns the items' titles and each query) is appended. When the
worker is not the code this was written for (another Zensical release), it is left as it is and
:func:`add_closeness_rank` says so: the site then ranks as Zensical does.
"""

from __future__ import annotations

from pathlib import Path

#: Where Zensical puts its search worker in the site.
WORKER_GLOB = "assets/javascripts/workers/search.*.min.js"
#: The start of the comparator Zensical 0.0.73's worker sorts result items with (its "match" order):
#: ``o`` and ``u`` are two items, ``o.id`` the index of the item's entry in ``search.json``.
ANCHOR = "(o,u)=>{let i=Math.min(o.matches.length,u.matches.length);"
HOOK = "{let c=self.__handbookTier(o.id)-self.__handbookTier(u.id);if(c)return c}"
#: Marks a patched worker, so that patching twice changes nothing.
MARK = "/* role-handbook: closeness rank (generator/site/searchrank.js) */"
SCRIPT = Path(__file__).with_name("searchrank.js")


def add_closeness_rank(site: Path) -> bool:
    """Put the closeness rank into ``site``'s Zensical search worker; False when the worker is not
    the one this was written for (then it is left untouched)."""
    workers = sorted(site.glob(WORKER_GLOB))
    if len(workers) != 1:
        return False
    worker = workers[0]
    code = worker.read_text(encoding="utf-8")
    if MARK in code:
        return True
    if code.count(ANCHOR) != 1:
        return False
    at = code.index(ANCHOR) + len("(o,u)=>{")
    patched = code[:at] + HOOK + code[at:] + f"\n{MARK}\n" + SCRIPT.read_text(encoding="utf-8")
    worker.write_text(patched, encoding="utf-8")
    return True
