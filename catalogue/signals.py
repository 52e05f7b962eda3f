"""Any saved or deleted shop, certificate, product or variant may change what the public
catalogue shows: bump the catalogue version so cached answers (stats, pages) go stale.

The catalogue sits on top of the import graph, so it listens to shops' models rather
than shops calling it. Writes that bypass `save()` (the conditional stock UPDATEs) do
not bump it: stock is allowed to show late by CATALOGUE_CACHE_SECONDS; shops services
that change visibility through `.update()` call `bump_catalogue_version()` themselves.
"""

from django.db.models.signals import post_delete, post_save

from marketplace.core.catalogue_version import bump_catalogue_version
from shops.models import OcopCertificate, Product, ProductImage, ProductVariant, Shop


def _catalogue_changed(sender, **kwargs) -> None:
    bump_catalogue_version()


for _model in (Shop, OcopCertificate, Product, ProductVariant, ProductImage):
    post_save.connect(
        _catalogue_changed, sender=_model, dispatch_uid=f"catalogue_{_model.__name__}"
    )
    post_delete.connect(
        _catalogue_changed, sender=_model, dispatch_uid=f"catalogue_{_model.__name__}_delete"
    )
