"""The An Giang producers of what was Kiên Giang province until 1 July 2025 (U Minh
Thượng, Phú Quốc, Hà Tiên, Rạch Giá, Châu Thành): their enterprises keep the tax codes
(17…) and phone area code (0297) Kiên Giang gave them. Part of `catalogue_an_giang`."""

from __future__ import annotations

from marketplace.demo.catalogue import Producer

KIEN_GIANG_PRODUCERS = (
    Producer(
        key="ong-u-minh",
        name="Mật ong U Minh Thượng",
        legal_name="Hợp tác xã Ong mật U Minh Thượng",
        legal_type="cooperative",
        tax_code="1705755139",
        ward_code="31027",
        address="Ấp Công Sự, xã U Minh Thượng, tỉnh An Giang",
        phone="0297 3985 126",
        owner_name="Danh Hoàng Phúc",
        description="Mật ong hoa tràm gác kèo rừng U Minh Thượng, tinh dầu tràm và khô cá đồng.",
        place="xã U Minh Thượng, tỉnh An Giang",
        sku_prefix="UM",
        district_issuer="UBND huyện U Minh Thượng",
        products="""
            4 mat-ong | Mật ong hoa tràm U Minh Thượng; Mật ong rừng U Minh Thượng
            3 mat-ong | Mật ong sáp hoa tràm; Mật ong non U Minh Thượng
            3 hat*2 | Phấn hoa tràm U Minh Thượng
            4 tinh-dau | Tinh dầu tràm U Minh Thượng
            3 say | Kẹo mật ong gừng U Minh
            3 kho-ca | Khô cá lóc U Minh Thượng; Khô cá sặc U Minh; Khô cá rô U Minh Thượng
        """,
    ),
    Producer(
        key="nuoc-mam-phu-quoc",
        name="Nước mắm Hòn Thơm Phú Quốc",
        legal_name="Công ty TNHH Nước mắm Hòn Thơm",
        legal_type="company",
        tax_code="1701373530",
        ward_code="31078",
        address="Số 9 đường Bạch Đằng, khu phố 2, đặc khu Phú Quốc, tỉnh An Giang",
        phone="0297 3846 275",
        owner_name="Trương Minh Đức",
        description="Nước mắm cá cơm than Phú Quốc ủ thùng gỗ, tiêu Phú Quốc và rượu sim.",
        place="đặc khu Phú Quốc, tỉnh An Giang",
        sku_prefix="PQ",
        district_issuer="UBND thành phố Phú Quốc",
        products="""
            5 nuoc-mam*1.8 | Nước mắm Phú Quốc Hòn Thơm 43 độ đạm
            4 nuoc-mam*1.4 | Nước mắm Phú Quốc Hòn Thơm 40 độ đạm; Nước mắm nhĩ cá cơm than
            3 nuoc-mam | Nước mắm Phú Quốc Hòn Thơm 35 độ đạm; Nước mắm Phú Quốc 30 độ đạm
            3 nuoc-mam | Nước mắm cá cơm than Phú Quốc
            4 gia-vi*1.3 | Tiêu sọ Phú Quốc
            3 gia-vi | Tiêu đen Phú Quốc; Tiêu đỏ Phú Quốc
            3 ruou | Rượu sim Phú Quốc; Vang sim Phú Quốc
            3 say | Sim sấy dẻo Phú Quốc
            3 my-nghe | Vòng tay ngọc trai Phú Quốc; Dây chuyền ngọc trai Phú Quốc
        """,
    ),
    Producer(
        key="dac-san-ha-tien",
        name="Đặc sản biển Hà Tiên",
        legal_name="Hộ kinh doanh Lâm Thị Diễm",
        legal_type="household",
        tax_code="8048372610",
        ward_code="30769",
        address="Số 31 đường Tô Châu, phường Hà Tiên, tỉnh An Giang",
        phone="0917 362 814",
        owner_name="Lâm Thị Diễm",
        description="Mực, tôm, cá khô và mắm ruốc từ làng chài Hà Tiên.",
        place="phường Hà Tiên, tỉnh An Giang",
        sku_prefix="HT",
        district_issuer="UBND thành phố Hà Tiên",
        products="""
            4 kho-muc | Mực khô Hà Tiên
            3 kho-muc | Tôm khô Hà Tiên; Mực một nắng Hà Tiên
            3 kho-ca | Cá chỉ vàng khô Hà Tiên; Khô cá đù Hà Tiên; Khô cá khoai Hà Tiên
            3 kho-ca | Cá bò khô tẩm Hà Tiên
            3 mam-tom | Mắm ruốc Hà Tiên
        """,
    ),
    Producer(
        key="hai-san-rach-gia",
        name="Hải sản khô Rạch Giá",
        legal_name="Công ty TNHH Hải sản Kiên Hải Rạch Giá",
        legal_type="company",
        tax_code="1707990755",
        ward_code="30742",
        address="Số 120 đường Nguyễn Trung Trực, phường Rạch Giá, tỉnh An Giang",
        phone="0297 3862 048",
        owner_name="Tạ Văn Hải",
        description="Cá, mực, ghẹ phơi khô và nước mắm từ cảng cá Rạch Giá.",
        place="phường Rạch Giá, tỉnh An Giang",
        sku_prefix="RG",
        district_issuer="UBND thành phố Rạch Giá",
        products="""
            4 kho-muc | Mực khô Rạch Giá; Ghẹ sấy Rạch Giá
            3 kho-muc | Mực xé sợi Rạch Giá; Tôm khô Rạch Giá
            3 kho-ca | Khô cá thu Rạch Giá; Khô cá chỉ vàng Rạch Giá; Khô cá mối Rạch Giá
            3 kho-ca | Khô cá sặc rằn Rạch Giá; Khô cá lưỡi trâu Rạch Giá
            3 nuoc-mam | Nước mắm cá cơm Rạch Giá; Nước mắm ruột cá Rạch Giá
        """,
    ),
    Producer(
        key="khom-chau-thanh",
        name="Khóm Tắc Cậu",
        legal_name="Hợp tác xã Khóm Châu Thành",
        legal_type="cooperative",
        tax_code="1701163727",
        ward_code="30880",
        address="Ấp Tắc Cậu, xã Châu Thành, tỉnh An Giang",
        phone="0297 3616 273",
        owner_name="Lý Văn Mến",
        description="Khóm (dứa) Tắc Cậu trồng trên đất phèn ven biển: trái tươi, sấy và nước ép.",
        place="xã Châu Thành, tỉnh An Giang",
        sku_prefix="KC",
        district_issuer="UBND huyện Châu Thành",
        products="""
            4 trai-cay | Khóm Tắc Cậu
            4 say | Khóm sấy dẻo Tắc Cậu
            3 say | Mứt khóm Tắc Cậu; Bánh khóm Tắc Cậu
            3 trai-cay | Khóm mật Châu Thành
            3 nuoc-uong | Nước khóm ép Tắc Cậu
            3 say | Khoai mỡ sấy Châu Thành
        """,
    ),
)
