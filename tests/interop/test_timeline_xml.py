"""The desktop Timeline program's .timeline XML: categories with colours, eras, fuzzy, milestones,
containers, hyperlinks; parsed without entities; an unreadable event skipped with its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline_app.core.errors import TimelineLoadError
from timeline_app.interop.open import read_any
from timeline_app.interop.timeline_xml import loads_timeline_xml

FILE = """<?xml version="1.0" encoding="utf-8"?>
<timeline>
  <version>2.5.0 (67ed963f67ff 2021-10-05)</version>
  <timetype>gregoriantime</timetype>
  <eras>
    <era><name>Antiquity</name><start>-0499-01-01 00:00:00</start><end>0476-09-04 00:00:00</end>
      <color>238,219,240</color><ends_today>False</ends_today></era>
  </eras>
  <categories>
    <category><name>Rome</name><color>235,82,255</color><font_color>0,0,0</font_color></category>
    <category><name>Unused</name><color>1,2,3</color></category>
  </categories>
  <events>
    <event><start>-0043-03-15 00:00:00</start><end>-0043-03-15 00:00:00</end><text>Ides of March</text>
      <fuzzy>True</fuzzy><locked>False</locked><ends_today>False</ends_today><category>Rome</category>
      <description>Caesar killed.
Second line.</description><hyperlink>https://en.wikipedia.org/wiki/Ides_of_March</hyperlink></event>
    <event><start>2021-11-01 00:00:00</start><end>2021-11-15 19:53:46</end><text>[2]Container-1</text>
      <fuzzy>False</fuzzy><fuzzy_start>False</fuzzy_start><fuzzy_end>True</fuzzy_end></event>
    <event><start>2021-11-02 09:30:00</start><end>2021-11-02 09:30:00</end><text>(2)Move me</text>
      <milestone>True</milestone><icon>iVBORw0KGgo=</icon></event>
    <event><start>someday</start><end>2021-11-02 00:00:00</end><text>Broken</text></event>
  </events>
  <view><hidden_categories></hidden_categories></view>
</timeline>
"""


def test_timeline_file_imports() -> None:
    timeline, warnings = loads_timeline_xml(FILE.encode(), "sample.timeline")
    ides, container, member = timeline.events
    assert (ides.title, ides.start, ides.end) == ("Ides of March", "-0043-03-15~", None)  # fuzzy → approximate
    assert ides.summary == "Caesar killed.\nSecond line."
    rome = timeline.actor_by_id[ides.actors[0]]
    assert (rome.name, rome.color) == ("Rome", "#eb52ff")
    assert [a.name for a in timeline.actors] == ["Rome", "sample"]  # unused category dropped, default added
    source = timeline.source_by_id[ides.excerpts[0].source]
    assert (source.url, source.publisher) == ("https://en.wikipedia.org/wiki/Ides_of_March", "en.wikipedia.org")
    assert (container.title, container.end, container.tags) == ("Container-1", "2021-11-15~", ["container"])
    assert member.title == "Move me" and member.tags == ["milestone"]
    assert [(link.to, link.relation) for link in member.links] == [(container.id, "part of")]
    [era] = timeline.eras
    assert (era.title, era.start, era.color) == ("Antiquity", "-0499-01-01", "#eedbf0")
    assert any(w.startswith("line 22, column 5: events/event[4]: 'someday' is not a date") for w in warnings)
    assert "icon dropped" in warnings and any("time of day dropped" in w for w in warnings)


def test_entities_are_refused_and_bad_xml_is_located(tmp_path: Path) -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]><timeline><events/></timeline>'
    with pytest.raises(TimelineLoadError, match="entities"):
        loads_timeline_xml(bomb, "bomb.timeline")
    external = b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><timeline>&x;</timeline>'
    with pytest.raises(TimelineLoadError, match="entities"):
        loads_timeline_xml(external, "ext.timeline")
    with pytest.raises(TimelineLoadError) as info:
        loads_timeline_xml(b"<timeline>\n<events>\n</timeline>", "bad.timeline")
    assert info.value.issues[0].line == 3
    path = tmp_path / "a.timeline"
    path.write_text(FILE, encoding="utf-8")
    assert read_any(path)[2] == "timeline-xml"
