"""The kinds of product the generated demo catalogue lists: each kind's OCOP product
group (1 food, 2 beverages, 3 medicinal herbs, 4 handicrafts, 5 ornamental plants),
shelf life, packagings with their usual price in đồng and shipping weight, a sentence
for the description and the colour of its picture. Food is in `kinds_food`."""

from __future__ import annotations

from marketplace.demo.kinds_food import FOOD_KINDS
from marketplace.demo.records import Kind, Pack
from marketplace.ocop.reference import ProductGroup

BEVERAGE, HERBAL = ProductGroup.BEVERAGE, ProductGroup.HERBAL
HANDICRAFT, ORNAMENTAL = ProductGroup.HANDICRAFT, ProductGroup.ORNAMENTAL

KINDS: dict[str, Kind] = {
    **FOOD_KINDS,
    "che": Kind(
        BEVERAGE,
        540,
        "Búp chè hái tay một tôm hai lá, sao trên chảo gang, nước xanh, vị chát dịu và hậu ngọt.",
        (
            Pack("200G", "Gói 200 g", 65_000, 250),
            Pack("500G", "Hộp 500 g", 150_000, 600),
        ),
        (70, 120, 50),
    ),
    "tra-tui-loc": Kind(
        BEVERAGE,
        540,
        "Nguyên liệu sấy lạnh, nghiền và đóng túi lọc, pha nhanh với nước sôi.",
        (
            Pack("25T", "Hộp 25 túi lọc", 55_000, 150),
            Pack("50T", "Hộp 50 túi lọc", 99_000, 280),
        ),
        (100, 150, 70),
    ),
    "ruou": Kind(
        BEVERAGE,
        1_825,
        "Chưng cất thủ công từ nguyên liệu của vùng, hạ thổ và lọc nhiều lần, nồng độ "
        "ghi trên nhãn.",
        (
            Pack("500ML", "Chai 500 ml", 120_000, 900),
            Pack("HOP", "Hộp quà 2 chai", 260_000, 2_000),
        ),
        (110, 40, 60),
    ),
    "nuoc-uong": Kind(
        BEVERAGE,
        180,
        "Ép từ nguyên liệu tươi, thanh trùng và đóng chai, không đường hóa học.",
        (
            Pack("LOC6", "Lốc 6 chai 330 ml", 75_000, 2_300),
            Pack("THUNG", "Thùng 24 chai 330 ml", 280_000, 9_000),
        ),
        (240, 180, 60),
    ),
    "bot-uong": Kind(
        BEVERAGE,
        365,
        "Sấy lạnh và nghiền mịn, pha với nước ấm hoặc sữa, không thêm đường.",
        (
            Pack("250G", "Hộp 250 g", 85_000, 320),
            Pack("500G", "Túi 500 g", 155_000, 600),
        ),
        (130, 170, 90),
    ),
    "bot": Kind(
        ProductGroup.FOOD,
        365,
        "Nguyên liệu của vùng rang hoặc sấy lạnh, nghiền mịn; pha với nước ấm hoặc sữa, "
        "không thêm đường.",
        (
            Pack("250G", "Hộp 250 g", 85_000, 320),
            Pack("500G", "Túi 500 g", 155_000, 600),
        ),
        (200, 180, 150),
    ),
    "duoc-lieu": Kind(
        HERBAL,
        540,
        "Dược liệu trồng và thu hái theo hướng dẫn GACP, thái lát và sấy khô ở nhiệt độ thấp.",
        (
            Pack("500G", "Túi 500 g", 150_000, 550),
            Pack("1KG", "Túi 1 kg", 280_000, 1_050),
        ),
        (80, 110, 50),
    ),
    "cao": Kind(
        HERBAL,
        730,
        "Dược liệu sắc nhiều lần rồi cô đặc thành cao theo quy trình của cơ sở đạt "
        "chuẩn, đóng hũ thủy tinh.",
        (
            Pack("100G", "Hộp 100 g", 250_000, 180),
            Pack("250G", "Hộp 250 g", 580_000, 400),
        ),
        (60, 50, 40),
    ),
    "tra-thao-moc": Kind(
        HERBAL,
        540,
        "Thảo dược sấy khô, phối theo bài truyền thống và đóng túi lọc tiện dùng.",
        (
            Pack("20T", "Hộp 20 túi lọc", 85_000, 120),
            Pack("50T", "Hộp 50 túi lọc", 190_000, 260),
        ),
        (90, 140, 80),
    ),
    "tinh-dau": Kind(
        HERBAL,
        1_095,
        "Chưng cất hơi nước từ lá, vỏ và thân tươi, lọc tách nước, đóng chai thủy tinh tối màu.",
        (
            Pack("10ML", "Lọ 10 ml", 65_000, 60),
            Pack("50ML", "Chai 50 ml", 210_000, 150),
            Pack("100ML", "Chai 100 ml", 380_000, 250),
        ),
        (120, 170, 150),
    ),
    "tinh-bot": Kind(
        HERBAL,
        730,
        "Củ tươi rửa sạch, xay và lọc nhiều lần lấy tinh bột, tách dầu, sấy lạnh.",
        (
            Pack("250G", "Hũ 250 g", 145_000, 330),
            Pack("500G", "Hũ 500 g", 270_000, 620),
        ),
        (230, 170, 30),
    ),
    "my-pham": Kind(
        HERBAL,
        730,
        "Làm từ thảo dược của vùng theo công thức được cấp phép, không paraben.",
        (
            Pack("250ML", "Chai 250 ml", 85_000, 320),
            Pack("500ML", "Chai 500 ml", 150_000, 600),
        ),
        (150, 190, 170),
    ),
    "det": Kind(
        HANDICRAFT,
        None,
        "Dệt tay trên khung gỗ của làng nghề, nhuộm màu tự nhiên, mỗi sản phẩm có khác "
        "biệt nhỏ về hoa văn.",
        (
            Pack("VUA", "Cỡ vừa", 220_000, 250),
            Pack("LON", "Cỡ lớn", 420_000, 450),
        ),
        (150, 40, 60),
    ),
    "may-tre": Kind(
        HANDICRAFT,
        None,
        "Đan tay từ nguyên liệu tự nhiên phơi khô và xử lý chống mốc.",
        (
            Pack("1C", "Chiếc", 120_000, 500),
            Pack("BO3", "Bộ 3 chiếc", 290_000, 1_500),
        ),
        (160, 130, 80),
    ),
    "my-nghe": Kind(
        HANDICRAFT,
        None,
        "Chế tác thủ công, có giấy bảo hành và hộp đựng.",
        (
            Pack("1C", "Chiếc", 350_000, 150),
            Pack("HOP", "Hộp quà", 780_000, 400),
        ),
        (200, 200, 210),
    ),
    "cay-canh": Kind(
        ORNAMENTAL,
        None,
        "Cây được uốn tạo dáng nhiều năm tại vườn, giao kèm chậu và hướng dẫn chăm sóc; "
        "đóng thùng gỗ khi gửi xa.",
        (
            Pack("C20", "Chậu 20 cm", 250_000, 3_000),
            Pack("C35", "Chậu 35 cm", 650_000, 8_000),
        ),
        (40, 110, 40),
    ),
    "hoa": Kind(
        ORNAMENTAL,
        None,
        "Cây nuôi cấy mô, trồng giá thể sạch tại vườn ươm, giao khi có nụ.",
        (
            Pack("1CANH", "Chậu 1 cành", 180_000, 1_500),
            Pack("3CANH", "Chậu 3 cành", 480_000, 2_800),
        ),
        (170, 80, 160),
    ),
}
