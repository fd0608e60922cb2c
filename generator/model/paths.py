"""Where each entity's page lives (docs-relative Markdown path) and its public URL: URLs are an API."""

from __future__ import annotations

from . import registry

GLOSSARY = registry.kind("term").index
ORG_INDEX = registry.kind("unit").index
POLICIES_INDEX = registry.kind("policy").index
ROLES_INDEX = registry.kind("role").index
PROCESSES_INDEX = registry.kind("process").index
HOME = "index.md"
KPIS_INDEX = "kpis/index.md"
RACI = "raci/index.md"
CHANGES = "changes/index.md"
#: For HR: what each role still lacks, and the editorial notes (never in search).
COMPLETENESS = "completeness/index.md"


#: Anchor of the onboarding checklist, a section of each role's page.
ONBOARDING = "onboarding"


def onboarding_redirect(role_id: str) -> str:
    """Docs path of the static redirect left where a role's checklist had a page of its own
    (``roles/<id>/onboarding/``): links handed to new hires lead to the role page's section."""
    return f"{redirect('role', role_id).removesuffix('/index.html')}/onboarding/index.html"


def redirect(kind: str, old_id: str) -> str:
    """Docs-relative path of the static redirect page left at a renamed entity's old URL."""
    md = page(kind, old_id).partition("#")[0]
    folder = md.removesuffix("index.md").removesuffix(".md").rstrip("/")
    return f"{folder}/index.html"


def page(kind: str, ident: str) -> str:
    """Docs-relative Markdown path of an entity's page (terms are anchors on the glossary page)."""
    return registry.kind(kind).page.format(id=ident)


def index_pages() -> list[str]:
    """Docs paths of every kind's index page, in registry order, each once."""
    return list(dict.fromkeys(k.index for k in registry.KINDS.values()))


def url(kind: str, ident: str) -> str:
    """Site-relative URL of an entity's page, e.g. ``roles/call-center-lead/``."""
    md, _, anchor = page(kind, ident).partition("#")
    path = md.removesuffix("index.md").removesuffix(".md")
    if not md.endswith("index.md"):
        path += "/"
    return f"{path}#{anchor}" if anchor else path
