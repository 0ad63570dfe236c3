"""Image export: the page around the timeline drawing, its options and notes, and the writers.

Qt-free (importable without a display, unit-testable): ``options`` (format, size, scale),
``presets`` (the page sizes offered), ``texts`` (title, filter caption, legend entries),
``page_texts`` (a page's words for the events shown), ``notes`` (the sources cited),
``citation`` (their one style), ``layout`` (wrapping and columns), ``key`` (the numbered key's
placement), ``metadata`` and ``cli`` (``timeline-app export``, which starts Qt only once its
options are checked).
Qt: ``fonts`` (the page's fonts and measures), ``header`` (title, caption, legend), ``page`` (the
figure: header, ``TimelineView.render_to`` and key), ``notes_layout`` (notes in columns: panel or
pages), ``plan`` (the pages an export draws, shared with the preview), ``device``, ``png``,
``svg``, ``pdf`` (the formats), ``writers`` (writing a file atomically), ``preview``, ``glyphs``
and ``headless`` (a palette and an offscreen view for the command line).
This package's ``__init__`` imports nothing, so the Qt-free modules stay Qt-free.
"""
