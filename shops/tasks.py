"""Shop tasks, on the `stock` queue (routed by module in worker/celery.py) unless they
name their own.

Thin: each loads by id and calls an idempotent service.
"""

from __future__ import annotations

import datetime

from shops import services
from worker.base import worker_task


@worker_task(name="shops.tasks.make_thumbnails", key=lambda *, image_id: f"thumbnail:{image_id}")
def make_thumbnails(*, image_id: int) -> None:
    services.product_image_make_thumbnail(image_id=image_id)


# No receipt key: the import commits row by row so that progress is visible while it
# runs, and the service resumes at the first row not yet committed.
@worker_task(name="shops.tasks.run_import", soft_time_limit=900, time_limit=960)
def run_import(*, job_id: int) -> None:
    services.import_job_run(job_id=job_id)


@worker_task(name="shops.tasks.certificate_expiry", soft_time_limit=600, time_limit=660)
def certificate_expiry(*, today: str | None = None) -> dict[str, int]:
    """The daily beat entry; `today` (ISO date) lets an operator replay a missed day.
    The service is idempotent: each certificate is warned once and expired once."""
    day = datetime.date.fromisoformat(today) if today else None
    return services.certificate_expiry_run(today=day)


# No receipt key: the invitation leaves the database (an e-mail), so the service guards
# itself with the invitation's `sent_at`, stamped under a row lock.
@worker_task(
    name="shops.tasks.deliver_invitation",
    queue="notifications",
    soft_time_limit=30,
    time_limit=45,
)
def deliver_invitation(*, invitation_id: int, token: str) -> bool:
    return services.shop_invitation_deliver(invitation_id=invitation_id, token=token)


# No receipt key: compacting is idempotent and runs again every few minutes anyway.
@worker_task(name="shops.tasks.compact_public_tally")
def compact_public_tally() -> int:
    return services.public_tally_compact()
