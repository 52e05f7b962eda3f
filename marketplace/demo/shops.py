"""Demo OCOP shops from the article that started the project (Nông nghiệp Việt Nam,
21 Oct 2021): Pù Mát medicinal herbs in Nghệ An, An Giang producers, and HTX Green
Life Hạ Long's green-living visit (a group-6 tourism product). The generated catalogue
(`catalogue`) adds more products to the first two and the other producers of both
provinces; `seeding` builds them all through the same services as the API."""

from __future__ import annotations

import datetime

from marketplace.demo.records import DemoCertificate, DemoProduct, DemoShop

SHOPS = [
    DemoShop(
        producer_key="pu-mat",
        name="Dược liệu Pù Mát",
        legal_name="Công ty Cổ phần Dược liệu Pù Mát",
        legal_type="company",
        tax_code="2901876543",
        province_code="40",
        ward_code="17254",
        address="Khối 3, xã Con Cuông, tỉnh Nghệ An",
        phone="0238 3873 368",
        description=(
            "Dược liệu trồng và thu hái dưới tán rừng vùng đệm Vườn quốc gia Pù Mát: "
            "xạ đen, giảo cổ lam, cà gai leo."
        ),
        return_policy=(
            "Đổi hoặc trả hàng trong 7 ngày kể từ khi nhận nếu sản phẩm lỗi, hư hỏng khi "
            "vận chuyển hoặc không đúng mô tả. Sản phẩm đã mở niêm phong không được đổi trả."
        ),
        certificates=[
            DemoCertificate(
                number="4894/QĐ-UBND",
                issuer_name="UBND tỉnh Nghệ An",
                product_name="Cao xạ đen Pù Mát",
                stars=4,
                score=78,
                product_group="herbal",
                issued_by_level="province",
                issued_on=datetime.date(2025, 11, 12),
                products=[
                    DemoProduct(
                        "Cao xạ đen Pù Mát",
                        "Cao xạ đen cô đặc từ lá và thân cây xạ đen vùng Pù Mát, "
                        "hỗ trợ thanh nhiệt, giải độc.",
                        730,
                        [
                            {
                                "sku": "PM-XD-100",
                                "name": "Hộp 100 g",
                                "price": 350000,
                                "stock": 40,
                                "weight_grams": 180,
                            },
                            {
                                "sku": "PM-XD-250",
                                "name": "Hộp 250 g",
                                "price": 780000,
                                "stock": 15,
                                "weight_grams": 400,
                            },
                        ],
                        (46, 94, 52),
                    ),
                ],
            ),
            DemoCertificate(
                number="1526/QĐ-UBND",
                issuer_name="UBND huyện Con Cuông",
                product_name="Trà giảo cổ lam Pù Mát",
                stars=3,
                score=64,
                product_group="herbal",
                issued_by_level="district",
                issued_on=datetime.date(2025, 6, 20),
                products=[
                    DemoProduct(
                        "Trà giảo cổ lam Pù Mát",
                        "Giảo cổ lam 5 lá sấy khô, đóng túi lọc tiện dùng.",
                        540,
                        [
                            {
                                "sku": "PM-GCL-20",
                                "name": "Hộp 20 túi lọc",
                                "price": 95000,
                                "stock": 120,
                                "weight_grams": 90,
                            },
                            {
                                "sku": "PM-GCL-500",
                                "name": "Túi 500 g",
                                "price": 260000,
                                "stock": 25,
                                "weight_grams": 550,
                            },
                        ],
                        (88, 130, 60),
                    ),
                ],
            ),
        ],
    ),
    DemoShop(
        producer_key="an-giang",
        name="Đặc sản Châu Đốc",
        legal_name="Hợp tác xã Nông sản Châu Đốc",
        legal_type="cooperative",
        tax_code="1602345678",
        province_code="91",
        ward_code="30316",
        address="Số 12 đường Trần Hưng Đạo, phường Châu Đốc, tỉnh An Giang",
        phone="0296 3866 123",
        description="Mắm cá linh, đường thốt nốt và gạo đặc sản vùng Bảy Núi, An Giang.",
        return_policy=(
            "Đổi trả trong 5 ngày với sản phẩm còn nguyên niêm phong. Hàng lỗi do vận "
            "chuyển được đổi mới miễn phí."
        ),
        certificates=[
            DemoCertificate(
                number="2087/QĐ-UBND",
                issuer_name="UBND tỉnh An Giang",
                product_name="Mắm cá linh Châu Đốc",
                stars=4,
                score=81,
                product_group="food",
                issued_by_level="province",
                issued_on=datetime.date(2025, 8, 15),
                products=[
                    DemoProduct(
                        "Mắm cá linh Châu Đốc",
                        "Mắm cá linh ủ chượp theo cách truyền thống của người Châu Đốc.",
                        180,
                        [
                            {
                                "sku": "CD-ML-500",
                                "name": "Hũ 500 g",
                                "price": 120000,
                                "stock": 60,
                                "weight_grams": 650,
                            },
                        ],
                        (150, 90, 40),
                    ),
                ],
            ),
            DemoCertificate(
                number="318/QĐ-BNNMT",
                issuer_name="Bộ Nông nghiệp và Môi trường",
                product_name="Đường thốt nốt Bảy Núi",
                stars=5,
                score=92,
                product_group="food",
                issued_by_level="national",
                issued_on=datetime.date(2025, 12, 20),
                products=[
                    DemoProduct(
                        "Đường thốt nốt Bảy Núi",
                        "Đường thốt nốt nguyên chất nấu từ nước thốt nốt vùng Tịnh Biên, "
                        "Tri Tôn — sản phẩm OCOP 5 sao.",
                        365,
                        [
                            {
                                "sku": "CD-TN-1KG",
                                "name": "Túi 1 kg",
                                "price": 95000,
                                "stock": 200,
                                "weight_grams": 1050,
                            },
                            {
                                "sku": "CD-TN-HOP",
                                "name": "Hộp quà 500 g",
                                "price": 85000,
                                "stock": 4,
                                "weight_grams": 600,
                            },
                        ],
                        (196, 140, 60),
                    ),
                ],
            ),
        ],
    ),
    DemoShop(
        producer_key="ha-long",
        name="HTX Green Life Hạ Long",
        legal_name="Hợp tác xã Green Life Hạ Long",
        legal_type="cooperative",
        tax_code="5701987654",
        province_code="22",
        ward_code="06688",
        address="Tổ 5, khu 3, phường Hạ Long, tỉnh Quảng Ninh",
        phone="0912 468 357",
        description=(
            "Biến rác thải thành điểm tham quan: trải nghiệm lối sống xanh, tái chế và "
            "làm đồ thủ công từ vật liệu bỏ đi."
        ),
        return_policy=(
            "Hủy vé trước ngày tham quan 2 ngày được hoàn 100%; hủy trước 1 ngày hoàn 50%; "
            "không hoàn vé trong ngày tham quan."
        ),
        certificates=[
            DemoCertificate(
                number="3312/QĐ-UBND",
                issuer_name="UBND tỉnh Quảng Ninh",
                product_name="Trải nghiệm lối sống xanh Green Life",
                stars=4,
                score=74,
                product_group="tourism",
                issued_by_level="province",
                issued_on=datetime.date(2025, 9, 10),
                products=[
                    DemoProduct(
                        "Trải nghiệm lối sống xanh Green Life",
                        "Nửa ngày tham quan mô hình sống xanh, tự tay làm sản phẩm tái chế "
                        "và thưởng thức trà thảo mộc.",
                        None,
                        [
                            {"sku": "GL-VE-NL", "name": "Vé người lớn", "price": 250000},
                            {
                                "sku": "GL-VE-TE",
                                "name": "Vé trẻ em (6 đến 12 tuổi)",
                                "price": 150000,
                            },
                        ],
                        (40, 140, 120),
                        sessions=14,
                    ),
                ],
            ),
        ],
    ),
]
