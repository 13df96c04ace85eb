"""Password rules of 等保2.0 level 2 (GB/T 22239-2019 8.1.4.1 a: 口令应有复杂度要求并定期更换).

At least eight characters from at least three of the four classes (upper case, lower case, digits, symbols), not
containing the username; Django's CommonPasswordValidator rejects the common passwords; ``LocalPatternValidator``
the passwords built from local words, years, keyboard runs and repeats (``Nanchang2026``, ``Jyj@2026``); and
``PasswordHistoryValidator`` the last five passwords, so the 90-day change cannot be met by re-entering the same one.
"""

from __future__ import annotations

import re
import string
import unicodedata

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


# Words an attacker tries first against this portal: the city, the bureau and its abbreviations, the portal.
LOCAL_WORDS = (
    "南昌",
    "教育局",
    "教育",
    "信用",
    "nanchang",
    "ncedu",
    "ncjyj",
    "jiaoyuju",
    "jiaoyu",
    "jyj",
    "xinyong",
    "jiangxi",
    "hongcheng",
    "edu",
    "nc",
    "jx",
    "gov",
    "admin",
    "password",
    "passwd",
    "welcome",
    "woaini",
)
# Keyboard rows and columns, the alphabet and the digits: any three or more consecutive keys, either direction.
KEYBOARD_RUNS = (
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "abcdefghijklmnopqrstuvwxyz",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "!@#$%^&*()",
)
_YEAR = re.compile(r"(?:19|20)\d{2}")
_REPEAT = re.compile(r"(.{1,4}?)\1{2,}")


def _keyboard_run_end(text: str, start: int) -> int:
    """The end of the longest keyboard run (at least three keys) starting at ``start``, or ``start``."""
    best = start
    for end in range(start + 3, len(text) + 1):
        piece = text[start:end]
        if any(piece in run or piece in run[::-1] for run in KEYBOARD_RUNS):
            best = end
        else:
            break
    return best


def predictable_characters(password: str, words: tuple[str, ...] = LOCAL_WORDS) -> int:
    """How many characters of ``password`` belong to a local word, a year, a keyboard run or a repeat."""
    text = unicodedata.normalize("NFKC", password).lower()
    covered = [False] * len(text)

    def cover(start: int, end: int) -> None:
        for i in range(start, end):
            covered[i] = True

    for word in words:
        if len(word) < 2:
            continue
        for match in re.finditer(re.escape(word), text):
            cover(match.start(), match.end())
    for pattern in (_YEAR, _REPEAT):
        for match in pattern.finditer(text):
            cover(match.start(), match.end())
    for start in range(len(text)):
        cover(start, _keyboard_run_end(text, start))
    return sum(covered)


class LocalPatternValidator:
    """At least ``min_other`` characters outside the local words, years, keyboard runs, repeats and the username."""

    def __init__(self, min_other: int = 4):
        self.min_other = min_other

    def validate(self, password: str, user=None) -> None:
        username = (user.get_username() if user is not None else "") or ""
        words = LOCAL_WORDS + ((username.lower(),) if len(username) >= 3 else ())
        text = unicodedata.normalize("NFKC", password)
        if len(text) - predictable_characters(password, words) < self.min_other:
            raise ValidationError(
                _(
                    "密码过于容易猜测：主要由地名或单位名称（如南昌、教育局、nc、jyj）、年份、键盘连续键（如 qwerty、"
                    "123456、asdf）、重复字符或用户名组成，请另加至少 %(n)d 个无规律的字符。"
                )
                % {"n": self.min_other},
                code="password_predictable",
            )

    def get_help_text(self) -> str:
        return _("密码不能主要由地名、单位名称、年份、键盘连续键、重复字符或用户名组成。")


class PasswordHistoryValidator:
    """The new password is none of the account's last ``keep`` passwords (their hashes are kept in
    ``accounts.PasswordHistory``, written after every change by ``password_changed``)."""

    def __init__(self, keep: int = 5):
        self.keep = keep

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from accounts.models import PasswordHistory

        hashes = [user.password] if user.password and user.has_usable_password() else []
        hashes += PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.keep]
        from django.contrib.auth.hashers import check_password

        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                ngettext(
                    "新密码不能与最近 %(n)d 次使用过的密码相同。",
                    "新密码不能与最近 %(n)d 次使用过的密码相同。",
                    self.keep,
                )
                % {"n": self.keep},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return ngettext("不能重复使用最近 %(n)d 次的密码。", "不能重复使用最近 %(n)d 次的密码。", self.keep) % {
            "n": self.keep
        }

    def password_changed(self, password: str, user=None) -> None:
        """Keeps the hash of the password just set, and only the last ``keep``."""
        if user is None or user.pk is None or not user.has_usable_password():
            return
        from accounts.models import PasswordHistory

        history = PasswordHistory.objects.filter(user=user)
        outgoing = getattr(user, "_outgoing_password", "")
        if outgoing and outgoing != user.password and not history.exists() and not outgoing.startswith("!"):
            PasswordHistory.objects.create(user=user, password=outgoing)
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.keep :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
