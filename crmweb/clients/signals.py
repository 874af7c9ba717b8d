"""What the timeline tells other areas, inside the transaction of the change: a callback hangs
on an event whichever path recorded it (a page, an import, another area), and goes when the
event is voided. Receivers add to the session; the timeline commits."""
from blinker import Namespace

_signals = Namespace()

# sender: the ServiceEvent, recorded, corrected or voided; keywords: client, actor, now.
event_changed = _signals.signal("event-changed")
# sender: the Interaction just recorded; keywords: client, actor, now.
interaction_recorded = _signals.signal("interaction-recorded")
