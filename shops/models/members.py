"""Who works for a shop (`ShopMember`, with a role) and the invitations to join one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from shops.models.shop import Shop


class ShopMemberRole(models.TextChoices):
    OWNER = "owner", _("Chủ gian hàng")
    STAFF = "staff", _("Nhân viên")


class ShopMember(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_memberships"
    )
    role = models.CharField(_("vai trò"), max_length=8, choices=ShopMemberRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thành viên gian hàng")
        verbose_name_plural = _("thành viên gian hàng")
        constraints = [
            models.UniqueConstraint(fields=["shop", "user"], name="shops_member_unique"),
            models.UniqueConstraint(
                fields=["shop"], condition=Q(role="owner"), name="shops_member_one_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.shop} ({self.role})"


class ShopInvitation(models.Model):
    """An owner's invitation to join the shop's staff, addressed to an e-mail. Nobody
    becomes a member without consent: the invitee accepts it with its token while signed
    in with that address (`shops.services.invitations`). Only a hash of the token is
    kept; an invitation is open until accepted, revoked (or replaced) or expired."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"), max_length=254)
    role = models.CharField(
        _("vai trò"), max_length=8, choices=ShopMemberRole.choices, default=ShopMemberRole.STAFF
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày mời"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn"))
    accepted_at = models.DateTimeField(_("ngày nhận lời"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True)
    # When the invitee was told (in the app and by e-mail, or by e-mail alone): at most once.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lời mời tham gia gian hàng")
        verbose_name_plural = _("lời mời tham gia gian hàng")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "shop",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="shops_invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.shop} ({self.role})"
