"""What the callback area tells other areas, inside the transaction of the call: a service case
closes (or reopens) on its confirmation callback. Receivers add to the session; the caller commits."""
from blinker import Namespace

_signals = Namespace()

# sender: the Callback just made and reached; keywords: actor, satisfaction, now.
callback_reached = _signals.signal("callback-reached")
