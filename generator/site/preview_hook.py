"""MkDocs hook that ``handbook serve`` adds to the config it serves; a published build never loads it.

MkDocs loads hook files by path, not as part of this package, hence the absolute imports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

from generator.site.engine import anchor_search_paths
from generator.site.serve import PREVIEW_EXTRA


@event_priority(100)  # before the search plugin's on_config, which opens the jieba dictionary
def on_config(config: Any) -> Any:
    """Turn on the preview's extras and anchor paths that mkdocs.yml names relative to the project.

    ``extra.local_edit`` makes edit buttons open the YAML in the local editor and
    ``extra.live_preview`` shows the banner of an invalid save. Set here, they are added to
    what mkdocs.yml sets in ``extra``, which a keyword argument to ``serve`` would replace.
    """
    anchor_search_paths(config, Path(config.config_file_path).parent)
    config.extra.update(PREVIEW_EXTRA)
    return config
