"""Reading and writing other timeline formats: TimelineJS JSON, CSV spreadsheets, iCalendar.

Qt-free, like the core: every reader returns a validated :class:`~timeline_app.core.models.Timeline`
plus a list of warnings (what the other format could not say in ours), and raises
:class:`~timeline_app.core.errors.TimelineLoadError` for input it cannot use. Every writer returns
the warnings for what it had to leave out. :func:`timeline_app.interop.convert.convert` ties them
together for ``timeline-app convert``.
"""
