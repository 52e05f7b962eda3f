"""Every write in the shops app. Later issues import from here:

from shops.services import stock_reserve_many, stock_release_many, stock_adjust
"""

from shops.services.certificates import (
    certificate_expiry_run,
    certificate_review,
    certificate_submit,
)
from shops.services.common import NotAllowed
from shops.services.images import (
    product_image_add,
    product_image_delete,
    product_image_make_thumbnail,
)
from shops.services.imports import import_job_create, import_job_run
from shops.services.invitations import (
    shop_invitation_accept,
    shop_invitation_create,
    shop_invitation_deliver,
    shop_invitation_revoke,
)
from shops.services.listing import product_refresh_listing, public_tally_compact
from shops.services.products import (
    product_create,
    product_delete,
    product_delist,
    product_operator_delist,
    product_relink,
    product_relist,
    product_update,
)
from shops.services.seats import (
    session_capacity_set,
    session_release_many,
    session_reserve_many,
)
from shops.services.shops import (
    shop_create,
    shop_member_remove,
    shop_reinstate,
    shop_review,
    shop_set_commission,
    shop_suspend,
    shop_update,
    vi_slugify,
)
from shops.services.stock import (
    InsufficientStock,
    stock_adjust,
    stock_release_many,
    stock_reserve_many,
    stock_set,
)
from shops.services.variants import variant_add, variant_update
from shops.services.visibility import products_visibility_refresh

__all__ = [
    "InsufficientStock",
    "NotAllowed",
    "certificate_expiry_run",
    "certificate_review",
    "certificate_submit",
    "import_job_create",
    "import_job_run",
    "product_create",
    "product_delete",
    "product_delist",
    "product_image_add",
    "product_image_delete",
    "product_image_make_thumbnail",
    "product_operator_delist",
    "product_refresh_listing",
    "product_relink",
    "product_relist",
    "product_update",
    "products_visibility_refresh",
    "public_tally_compact",
    "session_capacity_set",
    "session_release_many",
    "session_reserve_many",
    "shop_create",
    "shop_invitation_accept",
    "shop_invitation_create",
    "shop_invitation_deliver",
    "shop_invitation_revoke",
    "shop_member_remove",
    "shop_reinstate",
    "shop_review",
    "shop_set_commission",
    "shop_suspend",
    "shop_update",
    "stock_adjust",
    "stock_release_many",
    "stock_reserve_many",
    "stock_set",
    "variant_add",
    "variant_update",
    "vi_slugify",
]
