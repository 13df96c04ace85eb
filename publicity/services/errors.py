from collections.abc import Mapping


class PublicityError(Exception):
    """A publicity write that cannot be done; ``errors`` maps field names (or ``__all__``) to Chinese messages."""

    def __init__(self, errors: Mapping[str, list[str]] | str):
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        self.errors = {key: [str(m) for m in msgs] for key, msgs in errors.items()}
        super().__init__("; ".join(m for msgs in self.errors.values() for m in msgs))

    def add_to(self, form) -> None:
        """Show these errors on ``form``: on their field when it has one, else as non-field errors."""
        for key, msgs in self.errors.items():
            for msg in msgs:
                form.add_error(key if key in form.fields else None, msg)
