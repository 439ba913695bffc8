"""The platform's error type: its message is one line a user can act on, shown without a traceback."""


class WarehouseError(RuntimeError):
    """Bad input or a state the user can fix; the CLI prints the message and exits 1."""
