"""Group 1 (food, thực phẩm) of the kinds of product in the generated demo catalogue;
see `kinds`."""

from __future__ import annotations

from marketplace.demo.records import Kind, Pack
from marketplace.ocop.reference import ProductGroup

FOOD = ProductGroup.FOOD

FOOD_KINDS: dict[str, Kind] = {
    "nuoc-mam": Kind(
        FOOD,
        730,
        "Cá tươi ướp muối hạt theo tỉ lệ truyền thống, ủ chượp trong thùng gỗ 12 đến 18 "
        "tháng rồi kéo rút lấy nước cốt, không chất bảo quản, không phẩm màu.",
        (
            Pack("500ML", "Chai thủy tinh 500 ml", 68_000, 800),
            Pack("1L", "Chai 1 lít", 120_000, 1_400),
            Pack("HOP", "Hộp quà 2 chai 500 ml", 160_000, 1_800),
        ),
        (150, 80, 30),
    ),
    "mam": Kind(
        FOOD,
        180,
        "Cá làm sạch, ướp muối và thính gạo rang, ủ đủ ngày cho chín tới, đóng hũ kín; "
        "bảo quản ngăn mát sau khi mở.",
        (
            Pack("500G", "Hũ 500 g", 95_000, 650),
            Pack("1KG", "Hũ 1 kg", 175_000, 1_250),
        ),
        (160, 100, 50),
    ),
    "mam-tom": Kind(
        FOOD,
        365,
        "Làm thủ công từ nguyên liệu đánh bắt ven biển, phơi và ủ theo cách của làng "
        "nghề, đóng hũ thủy tinh.",
        (
            Pack("250G", "Hũ 250 g", 48_000, 380),
            Pack("500G", "Hũ 500 g", 85_000, 700),
        ),
        (170, 90, 90),
    ),
    "kho-ca": Kind(
        FOOD,
        180,
        "Cá tươi làm sạch, xẻ bướm, ướp vừa ăn rồi phơi nắng tự nhiên, hút chân không từng túi.",
        (
            Pack("250G", "Túi 250 g", 95_000, 300),
            Pack("500G", "Túi 500 g", 180_000, 560),
            Pack("1KG", "Túi 1 kg", 340_000, 1_100),
        ),
        (190, 140, 80),
    ),
    "kho-muc": Kind(
        FOOD,
        180,
        "Hải sản tuyển chọn từ tàu về trong ngày, phơi nắng biển, phân loại theo cỡ, "
        "hút chân không.",
        (
            Pack("250G", "Túi 250 g", 320_000, 300),
            Pack("500G", "Túi 500 g", 620_000, 560),
        ),
        (200, 160, 110),
    ),
    "gao": Kind(
        FOOD,
        365,
        "Lúa vụ đông xuân, xay xát và đóng túi ngay tại vùng trồng, hạt đều, cơm dẻo và thơm.",
        (
            Pack("2KG", "Túi 2 kg", 58_000, 2_050),
            Pack("5KG", "Túi 5 kg", 135_000, 5_100),
            Pack("10KG", "Bao 10 kg", 255_000, 10_200),
        ),
        (220, 210, 170),
    ),
    "mat-ong": Kind(
        FOOD,
        730,
        "Mật ong thu từ các đàn ong nuôi trong rừng và vườn cây, lọc lạnh, không pha "
        "đường, không cô đặc bằng nhiệt.",
        (
            Pack("250ML", "Chai 250 ml", 95_000, 420),
            Pack("500ML", "Chai 500 ml", 180_000, 780),
            Pack("1L", "Chai 1 lít", 330_000, 1_500),
        ),
        (220, 160, 30),
    ),
    "trai-cay": Kind(
        FOOD,
        21,
        "Quả hái khi đủ độ chín, phân loại và đóng thùng carton có lỗ thoáng, giao "
        "trong ngày từ vườn.",
        (
            Pack("3KG", "Thùng 3 kg", 120_000, 3_300),
            Pack("5KG", "Thùng 5 kg", 190_000, 5_400),
            Pack("10KG", "Thùng 10 kg", 360_000, 10_600),
        ),
        (240, 150, 20),
    ),
    "say": Kind(
        FOOD,
        270,
        "Làm từ nguyên liệu của vùng, sấy hoặc sên thủ công, ít đường, đóng túi zip giữ giòn.",
        (
            Pack("200G", "Túi 200 g", 45_000, 250),
            Pack("500G", "Hộp 500 g", 98_000, 600),
        ),
        (210, 120, 60),
    ),
    "banh": Kind(
        FOOD,
        180,
        "Bột gạo nếp và nguyên liệu địa phương, tráng và phơi thủ công, nướng hoặc "
        "chiên là phồng giòn.",
        (
            Pack("10C", "Gói 10 chiếc", 45_000, 350),
            Pack("500G", "Gói 500 g", 65_000, 550),
        ),
        (230, 200, 140),
    ),
    "tuong": Kind(
        FOOD,
        365,
        "Đậu tương rang, xôi nếp ủ mốc và nước muối phơi nắng trong chum sành theo "
        "cách làm truyền thống.",
        (
            Pack("500ML", "Chai 500 ml", 45_000, 700),
            Pack("1L", "Can 1 lít", 80_000, 1_250),
        ),
        (130, 80, 40),
    ),
    "nhut": Kind(
        FOOD,
        60,
        "Rau quả muối chua tự nhiên trong vại sành, không chất bảo quản; đóng hũ, giữ ngăn mát.",
        (
            Pack("500G", "Hũ 500 g", 45_000, 700),
            Pack("1KG", "Hũ 1 kg", 80_000, 1_300),
        ),
        (170, 170, 90),
    ),
    "nem": Kind(
        FOOD,
        10,
        "Thịt nạc tươi giã tay, trộn thính và gia vị, gói lá, lên men tự nhiên; giao kèm đá lạnh.",
        (
            Pack("10C", "Chục 10 cái", 55_000, 450),
            Pack("50C", "Hộp 50 cái", 250_000, 2_100),
        ),
        (200, 70, 70),
    ),
    "gio": Kind(
        FOOD,
        10,
        "Thịt tươi trong ngày, giã và gói lá chuối, luộc chín; giao kèm đá lạnh.",
        (
            Pack("500G", "Cây 500 g", 120_000, 550),
            Pack("1KG", "Cây 1 kg", 230_000, 1_050),
        ),
        (190, 110, 100),
    ),
    "lap-xuong": Kind(
        FOOD,
        30,
        "Thịt tươi xay, ướp gia vị theo công thức riêng, nhồi và phơi hoặc hun khói; "
        "bảo quản ngăn mát.",
        (
            Pack("500G", "Xâu 500 g", 160_000, 550),
            Pack("1KG", "Xâu 1 kg", 310_000, 1_100),
        ),
        (170, 50, 50),
    ),
    "thit-kho": Kind(
        FOOD,
        180,
        "Thịt tươi thái thớ, ướp gia vị của vùng, sấy hoặc hun khói, hút chân không.",
        (
            Pack("250G", "Túi 250 g", 250_000, 300),
            Pack("500G", "Túi 500 g", 480_000, 560),
        ),
        (120, 50, 40),
    ),
    "duong": Kind(
        FOOD,
        365,
        "Nước thốt nốt hứng trong ngày, nấu trên lò củi đến khi kết tinh, không pha đường mía.",
        (
            Pack("500G", "Túi 500 g", 55_000, 550),
            Pack("1KG", "Túi 1 kg", 95_000, 1_050),
            Pack("HOP", "Hộp quà 800 g", 120_000, 950),
        ),
        (196, 140, 60),
    ),
    "hat": Kind(
        FOOD,
        365,
        "Thu hoạch, phơi và tuyển lại bằng tay từng mẻ, đóng túi hút ẩm.",
        (
            Pack("500G", "Túi 500 g", 75_000, 550),
            Pack("1KG", "Túi 1 kg", 140_000, 1_050),
        ),
        (180, 130, 90),
    ),
    "gia-vi": Kind(
        FOOD,
        540,
        "Gia vị của vùng, phơi khô và đóng hũ kín giữ trọn mùi thơm.",
        (
            Pack("100G", "Hũ 100 g", 45_000, 160),
            Pack("250G", "Túi 250 g", 95_000, 300),
        ),
        (90, 70, 60),
    ),
    "dau-an": Kind(
        FOOD,
        365,
        "Ép lạnh thủ công từ hạt tuyển, để lắng tự nhiên, không tinh luyện hóa chất.",
        (
            Pack("500ML", "Chai 500 ml", 85_000, 650),
            Pack("1L", "Chai 1 lít", 160_000, 1_150),
        ),
        (210, 180, 60),
    ),
}
