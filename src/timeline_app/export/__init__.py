"""Image export: the page around the timeline drawing, its options and notes, and the writers.

Qt-free (importable without a display, unit-testable): ``options`` (format, size, scale),
``presets`` (the page sizes offered), ``texts`` (filter caption, legend entries), ``notes`` (the
sources cited) and ``cli`` (``timeline-app export``, which starts Qt only once its options are
checked). Qt: ``page`` (drawing the page around ``TimelineView.render_to``), ``writers`` (PNG, SVG,
PDF, written atomically) and ``headless`` (a palette and an offscreen view for the command line).
This package's ``__init__`` imports nothing, so the Qt-free modules stay Qt-free.
"""
