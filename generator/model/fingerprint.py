"""A short content hash of an entity as published: two PDFs of the same content carry the same hash,
whatever their bytes, release name or language, so a signed paper can be matched to its text.

The hash covers what the entity's own file publishes (every field but bookkeeping): not its version
or effective date (printed beside it, and filled from git after reading), not HR's unpublished notes.
"""

from __future__ import annotations

import hashlib
import json
import re

from pydantic import BaseModel

#: Fields that say when or for whom, not what: left out of the hash.
UNHASHED = frozenset({"aliases", "version", "effective_date", "editor_note", "lint_exempt"})
#: Hex digits shown: 40 bits, enough to tell a handbook's versions apart, short enough to read out.
LENGTH = 10
#: A hash as printed (``3f9a1c2b7d``), found again in text extracted from a PDF.
PATTERN = re.compile(rf"\b[0-9a-f]{{{LENGTH}}}\b")


def content_hash(entity: BaseModel) -> str:
    """The entity's published content as :data:`LENGTH` hex digits."""
    # Fields left at their defaults are left out, so a field added to the model later leaves every
    # hash printed before it as it was.
    data = entity.model_dump(mode="json", exclude=set(UNHASHED) & set(type(entity).model_fields), exclude_defaults=True)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:LENGTH]
