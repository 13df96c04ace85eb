"""Password rules of 等保2.0 level 2 (GB/T 22239-2019 8.1.4.1 a: 口令应有复杂度要求并定期更换).

At least eight characters from at least three of the four classes (upper case, lower case, digits, symbols), not
containing the username; Django's CommonPasswordValidator rejects the common passwords.
"""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and other characters ``password`` uses."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c in string.digits for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class ComplexityValidator:
    """At least ``min_length`` characters of at least ``min_classes`` of the four character classes."""

    def __init__(self, min_length: int = 8, min_classes: int = 3):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    ngettext(
                        "密码至少需要 %(min_length)d 个字符。", "密码至少需要 %(min_length)d 个字符。", self.min_length
                    )
                    % {"min_length": self.min_length},
                    code="password_too_short",
                )
            )
        if character_classes(password) < self.min_classes:
            errors.append(
                ValidationError(
                    _("密码须包含大写字母、小写字母、数字、特殊符号中的至少 %(n)d 类。") % {"n": self.min_classes},
                    code="password_too_simple",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return _("密码至少 %(min_length)d 位，且包含大写字母、小写字母、数字、特殊符号中的至少 %(n)d 类。") % {
            "min_length": self.min_length,
            "n": self.min_classes,
        }


class UsernameNotContainedValidator:
    """The password must not contain the username (in any letter case), nor the username reversed."""

    def validate(self, password: str, user=None) -> None:
        username = (user.get_username() if user is not None else "") or ""
        if len(username) < 3:
            return
        lowered = password.lower()
        if username.lower() in lowered or username.lower()[::-1] in lowered:
            raise ValidationError(_("密码不能包含用户名。"), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("密码不能包含用户名。")
