"""Portal accounts: one role per account, and the offices a clerk belongs to."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMIN_MODEL_PERMISSIONS, ADMIN_SITE_ROLES, Role


class PortalUserManager(UserManager):
    def _create_user(self, username, email, password, **extra_fields):
        # ``is_staff`` follows the role (a property); there is no flag to store.
        extra_fields.pop("is_staff", None)
        return super()._create_user(username, email, password, **extra_fields)

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """``createsuperuser`` bootstraps a security admin, not an all-powerful account (三员分立)."""
        extra_fields.pop("is_staff", None)
        extra_fields.pop("is_superuser", None)
        extra_fields.setdefault("role", Role.SECADMIN)
        return self._create_user(username, email, password, **extra_fields)


class User(AbstractUser):
    """A portal account. Permissions derive from ``role`` (and, for clerks, ``offices``), not from Django groups."""

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.CLERK)
    offices = models.ManyToManyField("credit.Office", verbose_name=_("所属处室"), blank=True, related_name="members")
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def clean(self) -> None:
        super().clean()
        if self.is_superuser:
            raise ValidationError(
                {"is_superuser": _("不设超级用户：系统、安全、审计三员分立，每个账号只能担任一个角色。")}
            )

    # Role-derived permissions for the Django admin (deny by default). ``is_staff`` is derived from the role, not a
    # stored flag that could drift out of step with it (the property shadows AbstractUser's field).
    @property
    def is_staff(self) -> bool:
        return self.is_active and self.role in ADMIN_SITE_ROLES

    def has_perm(self, perm: str, obj=None) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        app_label, _sep, codename = perm.partition(".")
        action, _sep, model = codename.partition("_")
        allowed = ADMIN_MODEL_PERMISSIONS.get(self.role, {}).get(f"{app_label}.{model}", frozenset())
        return action in allowed

    def has_module_perms(self, app_label: str) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return any(key.startswith(f"{app_label}.") for key in ADMIN_MODEL_PERMISSIONS.get(self.role, {}))

    @property
    def is_clerk(self) -> bool:
        return self.role == Role.CLERK

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.REVIEWER
