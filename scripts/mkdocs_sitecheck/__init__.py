"""sitecheck: validate the guide's links, anchors, nav, citations and bibliography."""

__version__ = "0.1.0"
