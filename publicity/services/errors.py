from collections.abc import Mapping


class PublicityError(Exception):
    """A publicity write that cannot be done; ``errors`` maps field names (or ``__all__``) to Chinese messages."""

    def __init__(self, errors: Mapping[str, list[str]] | str):
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        self.errors = {key: [str(m) for m in msgs] for key, msgs in errors.items()}
        super().__init__("; ".join(m for msgs in self.errors.values() for m in msgs))
