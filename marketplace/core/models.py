from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """A client's `Idempotency-Key` for one operation: the same key from the same user
    replays the first result; the same key with a different request is refused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    scope = models.CharField(max_length=40, help_text="the operation, e.g. checkout")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of the request")
    result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "key"], name="core_idempotency_user_scope_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
