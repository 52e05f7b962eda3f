"""An Giang (province code 91, with Kiên Giang since 1 July 2025): with the two article
products of Đặc sản Châu Đốc, 184 public OCOP products of 3 to 5 stars — 138 at 3★,
42 at 4★ and 4 at 5★ (rated by the national council). Producers and brands are made
up; places, wards and the kinds of product are the province's. The producers of what
was Kiên Giang are in `catalogue_kien_giang`."""

from __future__ import annotations

import datetime

from marketplace.demo.catalogue import Producer, ProvincePlan, Round
from marketplace.demo.catalogue_kien_giang import KIEN_GIANG_PRODUCERS

D = datetime.date

PLAN = ProvincePlan(
    code="91",
    issuer_name="UBND tỉnh An Giang",
    district_rounds=(
        Round(D(2025, 2, 20), 218),
        Round(D(2025, 5, 15), 745),
    ),
    province_rounds=(
        Round(D(2025, 9, 18), 1_402),
        Round(D(2025, 11, 27), 2_630),
        Round(D(2026, 3, 12), 455),
        Round(D(2026, 6, 25), 1_877),
        Round(D(2026, 10, 8), 3_120),
    ),
    producers=(
        Producer(
            key="an-giang",
            legal_name="Hợp tác xã Nông sản Châu Đốc",
            place="phường Châu Đốc, tỉnh An Giang",
            sku_prefix="CD",
            district_issuer="UBND thành phố Châu Đốc",
            products="""
                5 mam*1.4 | Mắm thái Châu Đốc
                4 mam | Mắm cá lóc Châu Đốc
                3 mam | Mắm cá sặc Châu Đốc; Mắm ruột cá lóc Châu Đốc; Mắm cá trèn Châu Đốc
                3 mam | Mắm cá rô đồng Châu Đốc
            """,
        ),
        Producer(
            key="mam-nui-sam",
            name="Mắm Núi Sam",
            legal_name="Hộ kinh doanh Trần Thị Kim Thoa",
            legal_type="household",
            tax_code="8018033402",
            ward_code="30325",
            address="Số 15 đường Tân Lộ Kiều Lương, phường Vĩnh Tế, tỉnh An Giang",
            phone="0296 3861 742",
            owner_name="Trần Thị Kim Thoa",
            description="Mắm các loại cá đồng mùa nước nổi, làm tại chân Núi Sam.",
            place="phường Vĩnh Tế, tỉnh An Giang",
            sku_prefix="NS",
            district_issuer="UBND thành phố Châu Đốc",
            products="""
                4 mam | Mắm thái đu đủ Núi Sam; Mắm cá linh Núi Sam
                3 mam | Mắm cá lóc Núi Sam; Mắm cá sặc Núi Sam; Mắm cá rô Núi Sam
                3 mam | Mắm cá chốt Núi Sam; Mắm cá trê Núi Sam; Mắm cá lóc xay Núi Sam
                3 mam-tom | Mắm tép Vĩnh Tế; Mắm ruốc sả ớt Núi Sam
                4 nuoc-mam | Nước mắm cá linh Núi Sam
                3 nuoc-mam | Nước mắm cá sặc Núi Sam
            """,
        ),
        Producer(
            key="thot-not-tri-ton",
            name="Thốt nốt Tri Tôn",
            legal_name="Hợp tác xã Thốt nốt Tri Tôn",
            legal_type="cooperative",
            tax_code="1603667123",
            ward_code="30544",
            address="Ấp Phú Hòa, xã Tri Tôn, tỉnh An Giang",
            phone="0296 3874 215",
            owner_name="Chau Sóc Thanh",
            description="Đường, nước và rượu thốt nốt của bà con Khmer vùng Bảy Núi.",
            place="xã Tri Tôn, tỉnh An Giang",
            sku_prefix="TT",
            district_issuer="UBND huyện Tri Tôn",
            products="""
                4 duong | Đường thốt nốt nguyên chất Tri Tôn; Đường thốt nốt cát Tri Tôn
                3 duong | Đường thốt nốt viên Tri Tôn; Đường thốt nốt sệt Tri Tôn
                3 say | Kẹo thốt nốt Tri Tôn; Kẹo thốt nốt sữa dừa; Mứt trái thốt nốt Tri Tôn
                3 say | Bánh bò thốt nốt sấy Tri Tôn
                3 nuoc-uong | Nước thốt nốt đóng chai Tri Tôn; Nước thốt nốt hạt é
                4 ruou | Rượu thốt nốt Tri Tôn
                3 ruou | Rượu vang thốt nốt Tri Tôn
            """,
        ),
        Producer(
            key="gao-bay-nui",
            name="Gạo Bảy Núi",
            legal_name="Công ty TNHH Lương thực Bảy Núi",
            legal_type="company",
            tax_code="1607684264",
            ward_code="30520",
            address="Số 212 Quốc lộ 91, phường Tịnh Biên, tỉnh An Giang",
            phone="0296 3875 630",
            owner_name="Huỳnh Văn Tâm",
            description="Gạo nàng nhen, gạo tím và nếp than trồng trên ruộng chân núi Tịnh Biên.",
            place="phường Tịnh Biên, tỉnh An Giang",
            sku_prefix="BN",
            district_issuer="UBND thị xã Tịnh Biên",
            products="""
                5 gao*1.6 | Gạo nàng nhen thơm Bảy Núi
                4 gao*1.3 | Gạo nàng nhen lứt Bảy Núi; Gạo thơm Jasmine Tịnh Biên
                4 gao*1.2 | Gạo tím than Bảy Núi
                4 gao*1.2 | Gạo nếp than Bảy Núi
                3 gao | Gạo nàng hoa Bảy Núi; Gạo lứt huyết rồng Bảy Núi
                3 gao | Gạo nếp dẻo Tịnh Biên; Gạo trắng Bảy Núi
                3 banh | Bánh phồng gạo lứt Bảy Núi; Cốm gạo nàng nhen
                3 bot | Bột gạo lứt rang Bảy Núi
            """,
        ),
        Producer(
            key="kho-ca-an-phu",
            name="Khô cá An Phú",
            legal_name="Hộ kinh doanh Nguyễn Văn Tư",
            legal_type="household",
            tax_code="8018780179",
            ward_code="30337",
            address="Ấp Phước Hưng, xã An Phú, tỉnh An Giang",
            phone="0918 463 205",
            owner_name="Nguyễn Văn Tư",
            description="Khô cá đồng mùa nước nổi đầu nguồn sông Hậu, tung lò mò và khô bò Chăm.",
            place="xã An Phú, tỉnh An Giang",
            sku_prefix="AP",
            district_issuer="UBND huyện An Phú",
            products="""
                4 kho-ca | Khô cá lóc An Phú; Khô cá sặc rằn An Phú
                4 lap-xuong | Tung lò mò An Phú
                3 kho-ca | Khô cá lóc tẩm gia vị An Phú; Khô cá linh An Phú; Khô cá chạch An Phú
                3 kho-ca | Khô cá tra phồng An Phú; Khô cá lòng tong An Phú; Khô cá trèn An Phú
                3 kho-ca | Khô cá rô đồng An Phú
                3 thit-kho | Khô bò Chăm An Phú
            """,
        ),
        Producer(
            key="lua-tan-chau",
            name="Lụa Tân Châu",
            legal_name="Hợp tác xã Dệt lụa Tân Châu",
            legal_type="cooperative",
            tax_code="1608465635",
            ward_code="30376",
            address="Số 48 đường Tôn Đức Thắng, phường Tân Châu, tỉnh An Giang",
            phone="0296 3822 318",
            owner_name="Phạm Thị Ngọc Hân",
            description="Lụa tơ tằm nhuộm trái mặc nưa, khăn rằn, áo bà ba của làng lụa Tân Châu.",
            place="phường Tân Châu, tỉnh An Giang",
            sku_prefix="LT",
            district_issuer="UBND thị xã Tân Châu",
            products="""
                4 det*1.6 | Khăn lụa Mỹ A Tân Châu; Áo bà ba lụa Tân Châu
                4 det*1.4 | Khăn choàng lụa tơ tằm Tân Châu
                3 det | Khăn rằn Tân Châu
                3 det | Túi lụa thêu tay Tân Châu; Cà vạt lụa Tân Châu; Khăn tay lụa Tân Châu
                3 det | Quạt lụa Tân Châu
            """,
        ),
        Producer(
            key="tho-cam-van-giao",
            name="Thổ cẩm Khmer Văn Giáo",
            legal_name="Hộ kinh doanh Néang Sa Ly",
            legal_type="household",
            tax_code="8059898349",
            ward_code="30520",
            address="Khóm Văn Giáo, phường Tịnh Biên, tỉnh An Giang",
            phone="0337 594 128",
            owner_name="Néang Sa Ly",
            description="Thổ cẩm Khmer dệt tay và đồ đan lá thốt nốt vùng Bảy Núi.",
            place="phường Tịnh Biên, tỉnh An Giang",
            sku_prefix="VG",
            district_issuer="UBND thị xã Tịnh Biên",
            products="""
                4 det | Khăn thổ cẩm Khmer Văn Giáo
                3 det | Xà rông thổ cẩm Khmer; Túi thổ cẩm Văn Giáo; Khăn choàng thổ cẩm Văn Giáo
                3 det | Ví thổ cẩm Văn Giáo
                3 may-tre | Giỏ đan lá thốt nốt Tịnh Biên; Túi đan lá thốt nốt Tịnh Biên
                3 may-tre | Nón lá thốt nốt Tịnh Biên
            """,
        ),
        Producer(
            key="duoc-lieu-that-son",
            name="Dược liệu Thất Sơn",
            legal_name="Công ty Cổ phần Dược liệu Thất Sơn",
            legal_type="company",
            tax_code="1602122335",
            ward_code="30580",
            address="Ấp Tô Bình, xã Cô Tô, tỉnh An Giang",
            phone="0296 3876 491",
            owner_name="Lý Minh Khoa",
            description="Nghệ đen, mật nhân, linh chi và trà thảo mộc trồng dưới chân núi Cô Tô.",
            place="xã Cô Tô, tỉnh An Giang",
            sku_prefix="TS",
            district_issuer="UBND huyện Tri Tôn",
            products="""
                4 tinh-bot | Tinh bột nghệ đen Thất Sơn
                4 cao | Cao mật nhân Thất Sơn
                4 duoc-lieu*2 | Nấm linh chi Núi Cấm
                3 duoc-lieu | Nghệ đen thái lát Thất Sơn; Mật nhân khô Thất Sơn
                3 duoc-lieu | Lá sa kê khô Thất Sơn; Ngải cứu khô Thất Sơn
                3 tra-thao-moc | Trà thảo mộc Thất Sơn; Trà khổ qua rừng Thất Sơn
                3 tra-thao-moc | Trà lá sa kê Thất Sơn
                3 tinh-bot | Tinh bột nghệ vàng Thất Sơn
            """,
        ),
        Producer(
            key="banh-phong-phu-tan",
            name="Bánh phồng Phú Tân",
            legal_name="Hộ kinh doanh Võ Thị Bích Ngọc",
            legal_type="household",
            tax_code="8078878387",
            ward_code="30406",
            address="Ấp Phú Hiệp, xã Phú Tân, tỉnh An Giang",
            phone="0939 158 427",
            owner_name="Võ Thị Bích Ngọc",
            description="Bánh phồng, bánh tráng và bánh in làm từ nếp Phú Tân.",
            place="xã Phú Tân, tỉnh An Giang",
            sku_prefix="PT",
            district_issuer="UBND huyện Phú Tân",
            products="""
                4 banh | Bánh phồng nếp Phú Mỹ
                3 banh | Bánh phồng tôm Phú Tân; Bánh phồng sữa Phú Tân
                3 banh | Bánh phồng khoai mì Phú Tân; Bánh phồng mè đen Phú Tân
                3 banh | Bánh tráng sữa Phú Tân; Bánh tráng nướng mè Phú Tân
                3 banh | Bánh in đậu xanh Phú Tân; Bánh phồng nếp lá dứa Phú Tân
                3 gao | Nếp sáp Phú Tân; Nếp cái hoa vàng Phú Tân
                3 ruou | Rượu nếp Phú Tân
            """,
        ),
        Producer(
            key="hoa-kieng-cho-moi",
            name="Hoa kiểng Chợ Mới",
            legal_name="Hợp tác xã Hoa kiểng Chợ Mới",
            legal_type="cooperative",
            tax_code="1600792447",
            ward_code="30628",
            address="Ấp Long Hòa, xã Chợ Mới, tỉnh An Giang",
            phone="0296 3883 402",
            owner_name="Đoàn Văn Lộc",
            description="Mai vàng, bonsai và lan cắt cành của các nhà vườn cù lao Chợ Mới.",
            place="xã Chợ Mới, tỉnh An Giang",
            sku_prefix="CM",
            district_issuer="UBND huyện Chợ Mới",
            products="""
                4 cay-canh | Mai vàng bonsai Chợ Mới; Mai chiếu thủy Chợ Mới
                3 cay-canh | Sứ Thái bonsai Chợ Mới; Nguyệt quế bonsai Chợ Mới
                3 cay-canh | Linh sam bonsai Chợ Mới; Khế bonsai Chợ Mới; Kim quýt bonsai Chợ Mới
                3 hoa | Lan Dendrobium Chợ Mới; Lan Mokara Chợ Mới; Lan Vanda Chợ Mới
            """,
        ),
        Producer(
            key="thoai-son",
            name="Nông sản Thoại Sơn",
            legal_name="Hợp tác xã Nông nghiệp Thoại Sơn",
            legal_type="cooperative",
            tax_code="1600268593",
            ward_code="30682",
            address="Ấp Tây Bình, xã Thoại Sơn, tỉnh An Giang",
            phone="0296 3878 156",
            owner_name="Bùi Thanh Sang",
            description="Trái cây sấy, xoài và nấm rơm của vùng đất Óc Eo, Thoại Sơn.",
            place="xã Thoại Sơn, tỉnh An Giang",
            sku_prefix="TH",
            district_issuer="UBND huyện Thoại Sơn",
            products="""
                4 say | Chuối sấy dẻo Thoại Sơn; Xoài sấy dẻo Thoại Sơn
                3 say | Mít sấy giòn Thoại Sơn; Khoai lang sấy Thoại Sơn; Chuối sấy giòn
                3 say | Mãng cầu sấy dẻo Thoại Sơn
                3 trai-cay | Xoài keo Thoại Sơn; Xoài Đài Loan Thoại Sơn
                3 bot-uong | Bột rau má Thoại Sơn
                3 bot | Bột chuối xanh Thoại Sơn
                3 hat*1.8 | Nấm rơm sấy Thoại Sơn
            """,
        ),
        Producer(
            key="thuc-pham-long-xuyen",
            name="Thực phẩm Long Xuyên",
            legal_name="Công ty Cổ phần Thực phẩm Long Xuyên",
            legal_type="company",
            tax_code="1609528905",
            ward_code="30307",
            address="Số 56 đường Hà Hoàng Hổ, phường Long Xuyên, tỉnh An Giang",
            phone="0296 3841 976",
            owner_name="Ngô Thị Thanh Vân",
            description="Khô cá tra phồng, lạp xưởng và chà bông cá từ cá tra, cá lóc sông Hậu.",
            place="phường Long Xuyên, tỉnh An Giang",
            sku_prefix="LX",
            district_issuer="UBND thành phố Long Xuyên",
            products="""
                4 kho-ca | Khô cá tra phồng Long Xuyên; Khô cá basa tẩm gia vị
                3 kho-ca | Khô cá tra xẻ Long Xuyên; Cá tra một nắng Long Xuyên
                3 lap-xuong | Lạp xưởng cá tra Long Xuyên; Lạp xưởng tươi Long Xuyên
                3 nem | Nem chua Long Xuyên
                3 mam-tom | Chà bông cá lóc Long Xuyên; Chà bông cá tra Long Xuyên
            """,
        ),
        Producer(
            key="thao-moc-my-hoa-hung",
            name="Thảo mộc Cù lao Ông Hổ",
            legal_name="Công ty TNHH Thảo mộc Mỹ Hòa Hưng",
            legal_type="company",
            tax_code="1601760310",
            ward_code="30313",
            address="Ấp Mỹ Hòa, xã Mỹ Hòa Hưng, tỉnh An Giang",
            phone="0296 3930 582",
            owner_name="Châu Ngọc Trâm",
            description="Dầu gội, xà bông và tinh dầu từ bồ kết, bưởi, sả trồng trên cù lao.",
            place="xã Mỹ Hòa Hưng, tỉnh An Giang",
            sku_prefix="MH",
            district_issuer="UBND thành phố Long Xuyên",
            products="""
                4 my-pham | Dầu gội bồ kết Mỹ Hòa Hưng; Dầu gội bưởi Mỹ Hòa Hưng
                3 my-pham | Sữa tắm sả chanh Mỹ Hòa Hưng; Nước súc miệng trầu không
                3 my-pham | Xà bông nghệ thảo mộc; Dầu xả vỏ bưởi Mỹ Hòa Hưng
                3 tinh-dau | Tinh dầu sả chanh Cù lao Ông Hổ; Tinh dầu bưởi Cù lao Ông Hổ
                3 tinh-dau | Tinh dầu quế Cù lao Ông Hổ; Tinh dầu tràm trà Cù lao Ông Hổ
            """,
        ),
        *KIEN_GIANG_PRODUCERS,
    ),
)
