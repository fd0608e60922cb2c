"""Render: page data and Markdown pages, references, formatting, org charts."""
