"""Portal accounts: one role per account, and the offices a clerk belongs to."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

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
    password_changed_at = models.DateTimeField(
        _("密码修改时间"), default=timezone.now, help_text=_("密码每90天须更换一次（等保2.0）。")
    )
    # Bumped to end every session of the account at once (deactivation, forced sign-out): part of the session
    # auth hash, so every session stored with the old value stops authenticating.
    session_epoch = models.PositiveIntegerField(_("会话代数"), default=0, editable=False)
    # A grant by the security admin of a role other than clerk, or of offices, waits for the system admin's approval
    # (accounts.services.role_grant_hold): the account is inactive meanwhile; ``grant_requested_active`` is what
    # ``is_active`` becomes once approved.
    grant_requested_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("授权人"),
    )
    grant_requested_at = models.DateTimeField(_("授权待批准自"), null=True, blank=True, editable=False)
    grant_requested_active = models.BooleanField(_("批准后启用"), default=False, editable=False)

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

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_is_active = instance.__dict__.get("is_active")
        return instance

    def save(self, *args, **kwargs):
        # Deactivation ends every session of the account, not only new sign-ins.
        if getattr(self, "_loaded_is_active", None) is True and self.is_active is False:
            self.session_epoch += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "session_epoch"}
        super().save(*args, **kwargs)
        self._loaded_is_active = self.is_active

    def set_password(self, raw_password) -> None:
        # The outgoing hash, for the password history of an account that has none yet (created before it existed).
        self._outgoing_password = self.password
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def _get_session_auth_hash(self, secret=None) -> str:
        # Django's hash covers the password hash (a password change ends other sessions); the epoch adds forced
        # sign-out and deactivation.
        key_salt = "accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()

    @property
    def password_expired(self) -> bool:
        from accounts.sessions import password_max_age

        return self.has_usable_password() and self.password_changed_at + password_max_age() < timezone.now()

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
    def grant_pending(self) -> bool:
        return self.grant_requested_at is not None

    @property
    def is_clerk(self) -> bool:
        return self.role == Role.CLERK

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.REVIEWER


class PendingRoleGrantManager(PortalUserManager):
    def get_queryset(self):
        return super().get_queryset().filter(grant_requested_at__isnull=False)


class PendingRoleGrant(User):
    """The accounts whose role or offices wait for the system admin's approval (the system admin's admin page)."""

    objects = PendingRoleGrantManager()

    class Meta:
        proxy = True
        verbose_name = _("待批准的授权")
        verbose_name_plural = _("待批准的授权")


class PasswordHistory(models.Model):
    """The hash of a password an account has had (the last few), so that a change cannot re-use one of them."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="password_history", verbose_name=_("用户"), editable=False
    )
    password = models.CharField(_("密码哈希"), max_length=128, editable=False)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox's token model, swapped in by ``KNOX_TOKEN_MODEL``).

    Only a SHA-512 digest of the key is stored, plus its first characters (``token_key``) to find the row; the key
    itself is shown once, when it is created (``accounts.api_tokens.api_token_create``), and never again. A token is
    refused once it has expired (``API_TOKEN_TTL_DAYS``), its owner's password has changed since it was made, or its
    owner's ``session_epoch`` has moved on (forced sign-out, deactivation): see ``accounts.authentication``.
    """

    # A plain numeric primary key: knox's is the digest, which would then appear in every admin URL.
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auth_token_set", verbose_name=_("所有人")
    )
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expiry = models.DateTimeField(_("到期时间"), null=True, blank=True)
    # The owner's session epoch when the token was made: a bump (forced sign-out, deactivation) ends the token too.
    session_epoch = models.PositiveIntegerField(_("会话代数"), default=0, editable=False)
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self.display_prefix}… ({self.user})"

    @property
    def display_prefix(self) -> str:
        """The first characters of the key: enough for the owner to recognise it, useless to sign in with."""
        return self.token_key[:8]
