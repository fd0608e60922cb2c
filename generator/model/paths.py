"""Where each entity's page lives (docs-relative Markdown path) and its public URL: URLs are an API."""

from __future__ import annotations

#: Markdown path of the page for each kind; ``{id}`` is the entity id (a checked slug).
_PAGE = {
    "role": "roles/{id}.md",
    "process": "processes/{id}.md",
    "unit": "org/{id}/index.md",
    "policy": "policies/{id}.md",
}

GLOSSARY = "glossary/index.md"
ORG_INDEX = "org/index.md"
POLICIES_INDEX = "policies/index.md"
ROLES_INDEX = "roles/index.md"
PROCESSES_INDEX = "processes/index.md"
KPIS_INDEX = "kpis/index.md"
RACI = "raci/index.md"
CHANGES = "changes/index.md"


def onboarding(role_id: str) -> str:
    """Docs-relative Markdown path of a role's onboarding checklist."""
    return f"roles/{role_id}/onboarding.md"


def redirect(kind: str, old_id: str) -> str:
    """Docs-relative path of the static redirect page left at a renamed entity's old URL."""
    md = page(kind, old_id).partition("#")[0]
    folder = md.removesuffix("index.md").removesuffix(".md").rstrip("/")
    return f"{folder}/index.html"


def page(kind: str, ident: str) -> str:
    """Docs-relative Markdown path of an entity's page (terms live on the glossary page)."""
    if kind == "term":
        return f"{GLOSSARY}#{ident}"
    return _PAGE[kind].format(id=ident)


def url(kind: str, ident: str) -> str:
    """Site-relative URL of an entity's page, e.g. ``roles/call-center-lead/``."""
    md, _, anchor = page(kind, ident).partition("#")
    path = md.removesuffix("index.md").removesuffix(".md")
    if not md.endswith("index.md"):
        path += "/"
    return f"{path}#{anchor}" if anchor else path
