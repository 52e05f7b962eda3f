"""Product photos: checked uploads, thumbnails made by a task, deletion."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from marketplace.accounts.models import User
from marketplace.core.catalogue_version import catalogue_changed
from marketplace.core.errors import Conflict, NotFound
from shops.models import Product, ProductImage
from shops.services.effects import task_enqueue
from shops.services.uploads import ACCEPTED_IMAGE_FORMATS, image_check

MAX_IMAGES = 10
THUMBNAIL_SIZE = (400, 400)


def product_image_add(*, product: Product, actor: User, image) -> ProductImage:
    """Attach a photo (JPEG/PNG decoded by Pillow, ≤ 10 MB, stored encoded again without
    its metadata); the thumbnail is made by a task on the `stock` queue after commit.

    Raises FileTooLarge, InvalidFile, Conflict `too_many_images`."""
    checked = image_check(image)
    with transaction.atomic():
        Product.objects.select_for_update().filter(pk=product.pk).first()
        count = ProductImage.objects.filter(product=product).count()
        if count >= MAX_IMAGES:
            raise Conflict(f"At most {MAX_IMAGES} images per product.", code="too_many_images")
        photo = ProductImage.objects.create(
            product=product,
            image=checked.content,
            width=checked.width,
            height=checked.height,
            position=count,
        )
        task_enqueue(
            task="shops.tasks.make_thumbnails",
            kwargs={"image_id": photo.pk},
            dedupe_key=f"thumbnail:{photo.pk}",
        )
        catalogue_changed(shop_id=product.shop_id, product_ids=[product.pk], content_only=True)
        return photo


def product_image_make_thumbnail(*, image_id: int) -> ProductImage | None:
    """Render the 400x400 JPEG thumbnail. Idempotent: a photo with one is left alone;
    a photo deleted meanwhile is skipped."""
    photo = ProductImage.objects.filter(pk=image_id).first()
    if photo is None or photo.thumbnail:
        return photo
    with (
        photo.image.open("rb") as source,
        Image.open(source, formats=ACCEPTED_IMAGE_FORMATS) as img,
    ):
        img = img.convert("RGB")
        img.thumbnail(THUMBNAIL_SIZE)
        buffer = io.BytesIO()
        img.save(buffer, format="JPEG", quality=85)
    with transaction.atomic():
        locked = ProductImage.objects.select_for_update().get(pk=image_id)
        if locked.thumbnail:
            return locked
        locked.thumbnail.save(f"thumb-{image_id}.jpg", ContentFile(buffer.getvalue()), save=True)
        catalogue_changed(product_ids=[locked.product_id], content_only=True)
        return locked


def product_image_delete(*, product: Product, image_id: int) -> None:
    """Remove a photo; its files leave storage once the deletion has committed.

    Raises NotFound `image_not_found`."""
    photo = ProductImage.objects.filter(product=product, pk=image_id).first()
    if photo is None:
        raise NotFound(code="image_not_found")
    files = [f for f in (photo.image, photo.thumbnail) if f]
    storage_names = [(f.storage, f.name) for f in files]
    photo.delete()
    catalogue_changed(shop_id=product.shop_id, product_ids=[product.pk], content_only=True)

    def remove_files() -> None:
        for storage, name in storage_names:
            storage.delete(name)

    transaction.on_commit(remove_files)
