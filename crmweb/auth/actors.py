"""Who acts when no person is signed in: the command line, run by whoever runs the server."""
from dataclasses import dataclass


@dataclass(frozen=True)
class CommandLineActor:
    """Trusted like a director (it has the server's shell), audited as 'cli'."""

    id: None = None
    username: str = "cli"
    role: str = "director"
