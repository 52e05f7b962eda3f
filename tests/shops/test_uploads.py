"""Product photos: only the JPEG and PNG decoders ever run, and what is stored carries
no metadata of the original (EXIF, GPS, XMP, comments, text chunks)."""

import io

import pytest
from PIL import BmpImagePlugin, GifImagePlugin, Image, PngImagePlugin, TiffImagePlugin

from shops.models import OcopCertificate, ProductImage
from tests.conftest import bearer_client
from tests.shops.factories import ProductFactory, ShopFactory, shop_owner, upload

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture
def shop():
    return ShopFactory()


@pytest.fixture
def client(shop):
    return bearer_client(shop_owner(shop))


def encoded(fmt: str, size=(60, 40), **params) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 40, 20)).save(buffer, format=fmt, **params)
    return buffer.getvalue()


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Điện thoại của chủ shop"  # Make
    if orientation:
        exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update(
        {1: "N", 2: (21.0, 1.0, 42.5), 3: "E", 4: (105.0, 51.0, 7.25)}  # Hà Nội
    )
    return exif


def post_photo(client, shop, name, data):
    product = ProductFactory(shop=shop)
    return client.post(
        f"/api/v1/shops/{shop.slug}/products/{product.pk}/images/",
        {"image": upload(name, data)},
        format="multipart",
    )


@pytest.fixture
def foreign_decoders(monkeypatch):
    """Records every run of a decoder other than JPEG's and PNG's."""
    ran = []
    for plugin in (GifImagePlugin.GifImageFile, BmpImagePlugin.BmpImageFile):
        original = plugin._open

        def spy(self, _original=original, _name=plugin.format):
            ran.append(_name)
            return _original(self)

        monkeypatch.setattr(plugin, "_open", spy)
    original_tiff = TiffImagePlugin.TiffImageFile._open

    def tiff_spy(self):
        ran.append("TIFF")
        return original_tiff(self)

    monkeypatch.setattr(TiffImagePlugin.TiffImageFile, "_open", tiff_spy)
    return ran


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_formats_renamed_jpg_are_refused_without_being_decoded(
    client, shop, fmt, foreign_decoders
):
    response = post_photo(client, shop, "anh.jpg", encoded(fmt))
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_file"
    assert foreign_decoders == []
    assert not ProductImage.objects.exists()


def test_a_gif_scan_is_refused_without_being_decoded(client, shop, foreign_decoders):
    response = client.post(
        f"/api/v1/shops/{shop.slug}/certificates/",
        {
            "number": "4894/QĐ-UBND",
            "issuer_name": "UBND tỉnh Nghệ An",
            "product_name": "Cao xạ đen Pù Mát",
            "stars": 4,
            "product_group": "herbal",
            "issued_by_level": "province",
            "issued_on": "2024-11-12",
            "scan": upload("qd.jpg", encoded("GIF")),
        },
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_file"
    assert foreign_decoders == []
    assert not OcopCertificate.objects.exists()


def stored(photo: ProductImage) -> Image.Image:
    with photo.image.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
        return image


def test_a_jpeg_is_stored_without_exif_gps_xmp_or_comment(client, shop):
    data = encoded(
        "JPEG",
        exif=gps_exif(),
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>21,1.7N</exif:GPSLatitude>'
        b"</x:xmpmeta>",
        comment="Nhà riêng, 12 Phố Huế",
    )
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(GPS_IFD) and original.info.get("xmp")

    response = post_photo(client, shop, "anh.jpg", data)
    assert response.status_code == 201, response.content
    photo = ProductImage.objects.get()
    image = stored(photo)
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert not {"exif", "xmp", "comment"} & set(image.info)
    assert (image.size, response.json()["width"], response.json()["height"]) == ((60, 40), 60, 40)
    assert photo.image.name.endswith(".jpg")


def test_a_portrait_photo_is_turned_upright_before_its_orientation_tag_goes(client, shop):
    # Stored 60x40 with "rotate 90° clockwise to view": the buyer must see it 40x60.
    data = encoded("JPEG", exif=gps_exif(orientation=6))
    response = post_photo(client, shop, "anh.jpeg", data)
    assert response.status_code == 201, response.content
    image = stored(ProductImage.objects.get())
    assert len(image.getexif()) == 0
    assert image.size == (40, 60)
    assert (response.json()["width"], response.json()["height"]) == (40, 60)


def test_a_png_is_stored_without_exif_or_text_chunks(client, shop):
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "Vị trí: 21.028, 105.851")
    text.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS</x:xmpmeta>")
    data = encoded("PNG", exif=gps_exif(), pnginfo=text)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)

    response = post_photo(client, shop, "anh.png", data)
    assert response.status_code == 201, response.content
    photo = ProductImage.objects.get()
    image = stored(photo)
    assert image.format == "PNG"
    assert len(image.getexif()) == 0
    assert not {"exif", "xmp", "Comment", "XML:com.adobe.xmp"} & set(image.info)
    assert image.getpixel((0, 0)) == (180, 40, 20)
    assert photo.image.name.endswith(".png")


def test_transparency_survives_the_re_encoding(client, shop):
    buffer = io.BytesIO()
    Image.new("RGBA", (8, 8), (10, 200, 30, 0)).save(buffer, format="PNG")
    response = post_photo(client, shop, "logo.png", buffer.getvalue())
    assert response.status_code == 201, response.content
    image = stored(ProductImage.objects.get())
    assert image.mode == "RGBA"
    assert image.getpixel((3, 3))[3] == 0


def test_a_phones_multi_picture_jpeg_is_stored_as_one_plain_jpeg(client, shop):
    buffer = io.BytesIO()
    first, depth_map = Image.new("RGB", (60, 40), (180, 40, 20)), Image.new("RGB", (60, 40))
    first.save(buffer, format="MPO", save_all=True, append_images=[depth_map], exif=gps_exif())
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"

    response = post_photo(client, shop, "IMG_0001.jpg", buffer.getvalue())
    assert response.status_code == 201, response.content
    image = stored(ProductImage.objects.get())
    assert (image.format, getattr(image, "n_frames", 1)) == ("JPEG", 1)
    assert len(image.getexif()) == 0
