"""timeline-app: read how events unfold, with the sources behind every event."""

__version__ = "0.1.0"
