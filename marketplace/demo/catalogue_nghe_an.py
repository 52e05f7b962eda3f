"""Nghệ An (province code 40): with Pù Mát's two article products, 115 public OCOP
products, 89 at 3★ and 26 at 4★ (77.4% / 22.6%, as in the article). Producers and
brands are made up; places, wards and the kinds of product are the province's."""

from __future__ import annotations

import datetime

from marketplace.demo.catalogue import Producer, ProvincePlan, Round

D = datetime.date

PLAN = ProvincePlan(
    code="40",
    issuer_name="UBND tỉnh Nghệ An",
    district_rounds=(
        Round(D(2025, 1, 16), 152),
        Round(D(2025, 3, 27), 604),
        Round(D(2025, 6, 12), 1_318),
    ),
    province_rounds=(
        Round(D(2025, 8, 21), 2_215),
        Round(D(2025, 12, 9), 3_640),
        Round(D(2026, 4, 2), 912),
        Round(D(2026, 7, 23), 2_731),
        Round(D(2026, 10, 15), 3_905),
    ),
    producers=(
        Producer(
            key="pu-mat",
            legal_name="Công ty Cổ phần Dược liệu Pù Mát",
            place="xã Con Cuông, tỉnh Nghệ An",
            sku_prefix="PM",
            district_issuer="UBND huyện Con Cuông",
            products="""
                3 duoc-lieu | Cà gai leo khô Pù Mát; Giảo cổ lam khô Pù Mát; Xạ đen khô Pù Mát
                3 tra-thao-moc | Trà cà gai leo Pù Mát; Trà dây Pù Mát
                4 tra-thao-moc | Trà xạ đen túi lọc Pù Mát
                3 tinh-dau | Tinh dầu sả chanh Pù Mát
            """,
        ),
        Producer(
            key="van-xuan",
            name="Nước mắm Vạn Xuân",
            legal_name="Hợp tác xã Chế biến hải sản Vạn Xuân",
            legal_type="cooperative",
            tax_code="2905260181",
            ward_code="17464",
            address="Xóm Vạn Xuân, xã Diễn Châu, tỉnh Nghệ An",
            phone="0238 3621 457",
            owner_name="Nguyễn Văn Hòa",
            description="Nước mắm cá cơm, mắm tôm và mắm tép của làng nghề ven biển Diễn Châu.",
            place="xã Diễn Châu, tỉnh Nghệ An",
            sku_prefix="VX",
            district_issuer="UBND huyện Diễn Châu",
            products="""
                4 nuoc-mam | Nước mắm nhĩ cá cơm Vạn Xuân 40 độ đạm
                4 nuoc-mam | Nước mắm cá cơm Vạn Xuân 35 độ đạm
                3 nuoc-mam | Nước mắm cá cơm Vạn Xuân 30 độ đạm; Nước mắm cá nục Vạn Xuân
                3 nuoc-mam | Nước mắm cá trích Diễn Châu
                3 mam-tom | Mắm tôm Diễn Châu; Mắm tép Diễn Châu; Mắm ruốc Diễn Châu
                3 mam-tom | Mắm cá cơm Diễn Châu; Mắm cá thu chưng Diễn Châu
            """,
        ),
        Producer(
            key="cua-lo",
            name="Hải sản khô Cửa Lò",
            legal_name="Công ty TNHH Hải sản Biển Xanh Cửa Lò",
            legal_type="company",
            tax_code="2901590830",
            ward_code="16732",
            address="Số 86 đường Bình Minh, phường Cửa Lò, tỉnh Nghệ An",
            phone="0238 3824 190",
            owner_name="Trần Đình Phong",
            description="Mực, cá thu, cá chỉ vàng phơi một nắng từ tàu cá Cửa Lò.",
            place="phường Cửa Lò, tỉnh Nghệ An",
            sku_prefix="CL",
            district_issuer="UBND thị xã Cửa Lò",
            products="""
                4 kho-muc | Mực khô Cửa Lò; Mực một nắng Cửa Lò
                3 kho-muc | Mực xé sợi tẩm gia vị Cửa Lò; Tôm khô Cửa Lò
                4 kho-ca | Cá thu một nắng Cửa Lò
                3 kho-ca | Cá chỉ vàng khô Cửa Lò; Cá cơm khô Cửa Lò; Cá nục khô Cửa Lò
                3 kho-ca | Cá thu khô tẩm gia vị Cửa Lò
                3 mam-tom | Ruốc cá thu Cửa Lò
            """,
        ),
        Producer(
            key="cam-nghia-dan",
            name="Cam Vinh Nghĩa Đàn",
            legal_name="Hợp tác xã Cây ăn quả Nghĩa Đàn",
            legal_type="cooperative",
            tax_code="2900166139",
            ward_code="16941",
            address="Xóm Đồng Tâm, xã Nghĩa Đàn, tỉnh Nghệ An",
            phone="0912 357 846",
            owner_name="Lê Văn Thành",
            description="Cam Vinh, bưởi và quýt trồng trên đất đỏ bazan Phủ Quỳ, hái tại vườn.",
            place="xã Nghĩa Đàn, tỉnh Nghệ An",
            sku_prefix="CV",
            district_issuer="UBND huyện Nghĩa Đàn",
            products="""
                4 trai-cay | Cam Vinh Nghĩa Đàn; Bưởi hồng Quang Tiến
                3 trai-cay | Cam chanh Nghĩa Đàn; Quýt đường Nghĩa Đàn; Bưởi da xanh Phủ Quỳ
                3 say | Mứt vỏ cam Vinh; Cam Vinh sấy dẻo
                3 nuoc-uong | Nước cam Vinh ép nguyên chất
                3 mat-ong | Mật ong hoa cam Nghĩa Đàn
                3 tinh-dau | Tinh dầu vỏ cam Vinh
            """,
        ),
        Producer(
            key="che-hanh-lam",
            name="Chè Hạnh Lâm",
            legal_name="Công ty Cổ phần Chè Hạnh Lâm Thanh Chương",
            legal_type="company",
            tax_code="2901860910",
            ward_code="17722",
            address="Xóm 6, xã Hạnh Lâm, tỉnh Nghệ An",
            phone="0238 3825 614",
            owner_name="Phan Thị Quế",
            description="Chè xanh đồi Thanh Chương: chè búp, chè sao suốt, trà túi lọc.",
            place="xã Hạnh Lâm, tỉnh Nghệ An",
            sku_prefix="HL",
            district_issuer="UBND huyện Thanh Chương",
            products="""
                4 che | Chè búp xanh Hạnh Lâm; Chè xanh đặc biệt Thanh Chương
                3 che | Chè đen Hạnh Lâm; Chè xanh sao suốt Thanh Chương; Chè nõn tôm Hạnh Lâm
                3 tra-tui-loc | Trà xanh túi lọc Hạnh Lâm
                4 bot-uong | Bột trà xanh Hạnh Lâm
                3 duoc-lieu | Chè vằng khô Thanh Chương
            """,
        ),
        Producer(
            key="nhut-cat-ngan",
            name="Nhút Thanh Chương Cát Ngạn",
            legal_name="Hộ kinh doanh Nguyễn Thị Hoa",
            legal_type="household",
            tax_code="8004348392",
            ward_code="17728",
            address="Xóm 3, xã Cát Ngạn, tỉnh Nghệ An",
            phone="0978 412 356",
            owner_name="Nguyễn Thị Hoa",
            description="Nhút mít, cà muối và tương ớt làm tay theo cách của người Thanh Chương.",
            place="xã Cát Ngạn, tỉnh Nghệ An",
            sku_prefix="NT",
            district_issuer="UBND huyện Thanh Chương",
            products="""
                4 nhut | Nhút mít Thanh Chương
                3 nhut | Nhút mít trộn ớt tỏi; Cà pháo muối xứ Nghệ; Cà dái dê muối nén
                3 nhut | Dưa cải muối Thanh Chương
                3 tuong | Tương ớt Thanh Chương
            """,
        ),
        Producer(
            key="tuong-nam-dan",
            name="Tương Nam Đàn",
            legal_name="Hợp tác xã Tương truyền thống Nam Đàn",
            legal_type="cooperative",
            tax_code="2903909960",
            ward_code="17935",
            address="Khối Hòa Bình, xã Nam Đàn, tỉnh Nghệ An",
            phone="0238 3822 705",
            owner_name="Hoàng Văn Lợi",
            description="Tương Nam Đàn ủ chum sành, bánh đa vừng và kẹo lạc quê Bác.",
            place="xã Nam Đàn, tỉnh Nghệ An",
            sku_prefix="ND",
            district_issuer="UBND huyện Nam Đàn",
            products="""
                4 tuong | Tương Nam Đàn
                3 tuong | Tương nếp Nam Đàn; Tương ớt tỏi Nam Đàn
                3 banh | Bánh đa vừng Nam Đàn; Bánh đa nem Nam Đàn
                3 say | Kẹo lạc Nam Đàn; Chè lam Nam Đàn
            """,
        ),
        Producer(
            key="sen-kim-lien",
            name="Sen quê Kim Liên",
            legal_name="Hộ kinh doanh Hoàng Thị Liên",
            legal_type="household",
            tax_code="8079868286",
            ward_code="17971",
            address="Xóm Sen 2, xã Kim Liên, tỉnh Nghệ An",
            phone="0915 286 473",
            owner_name="Hoàng Thị Liên",
            description="Sen làng Sen quê Bác: trà ướp sen, tim sen, hạt sen sấy và mứt sen.",
            place="xã Kim Liên, tỉnh Nghệ An",
            sku_prefix="KL",
            district_issuer="UBND huyện Nam Đàn",
            products="""
                4 che*1.8 | Trà ướp sen Kim Liên
                3 tra-thao-moc | Trà tim sen Kim Liên
                3 hat*1.6 | Hạt sen khô Kim Liên
                3 say | Hạt sen sấy giòn Kim Liên; Mứt sen Kim Liên
                3 bot | Bột ngó sen Kim Liên
            """,
        ),
        Producer(
            key="ong-que-phong",
            name="Mật ong rừng Quế Phong",
            legal_name="Hợp tác xã Nông lâm nghiệp Quế Phong",
            legal_type="cooperative",
            tax_code="2900308249",
            ward_code="16738",
            address="Bản Ke, xã Quế Phong, tỉnh Nghệ An",
            phone="0386 147 259",
            owner_name="Lô Văn Hùng",
            description="Mật ong rừng, trà hoa vàng và rượu men lá của bà con Thái vùng Pù Hoạt.",
            place="xã Quế Phong, tỉnh Nghệ An",
            sku_prefix="QP",
            district_issuer="UBND huyện Quế Phong",
            products="""
                4 mat-ong | Mật ong rừng Quế Phong; Mật ong rừng Pù Hoạt
                3 mat-ong | Mật ong hoa rừng Quế Phong; Mật ong hoa keo Quế Phong
                3 mat-ong | Mật ong ruồi Quế Phong
                4 che*3 | Trà hoa vàng Quế Phong
                3 ruou | Rượu ngô men lá Quế Phong; Rượu nếp nương Quế Phong
                3 thit-kho | Thịt lợn gác bếp Quế Phong
                3 hat*1.5 | Măng khô Quế Phong
            """,
        ),
        Producer(
            key="ky-son",
            name="Đặc sản vùng cao Kỳ Sơn",
            legal_name="Hộ kinh doanh Lầu Bá Chư",
            legal_type="household",
            tax_code="8028807292",
            ward_code="16813",
            address="Bản Đán Mạy, xã Mường Xén, tỉnh Nghệ An",
            phone="0349 265 118",
            owner_name="Lầu Bá Chư",
            description="Thịt trâu gác bếp, chè Shan tuyết và gia vị rừng của bà con Mông Kỳ Sơn.",
            place="xã Mường Xén, tỉnh Nghệ An",
            sku_prefix="KS",
            district_issuer="UBND huyện Kỳ Sơn",
            products="""
                4 thit-kho | Thịt trâu gác bếp Kỳ Sơn
                3 thit-kho | Thịt bò gác bếp Kỳ Sơn; Lạp xưởng gác bếp Mường Xén
                4 che*1.5 | Chè Shan tuyết Huồi Tụ
                3 che*1.3 | Chè Shan tuyết Mường Lống
                4 ruou*2 | Rượu sâm Puxailaileng
                3 gia-vi | Mắc khén Kỳ Sơn; Hạt dổi Kỳ Sơn
            """,
        ),
        Producer(
            key="yen-thanh",
            name="Nông sản Yên Thành",
            legal_name="Hợp tác xã Dịch vụ nông nghiệp Yên Thành",
            legal_type="cooperative",
            tax_code="2906281949",
            ward_code="17506",
            address="Xóm Trung Tâm, xã Yên Thành, tỉnh Nghệ An",
            phone="0238 3863 245",
            owner_name="Đặng Văn Kiên",
            description="Gạo, lạc và dầu lạc ép thủ công của cánh đồng mẫu lớn Yên Thành.",
            place="xã Yên Thành, tỉnh Nghệ An",
            sku_prefix="YT",
            district_issuer="UBND huyện Yên Thành",
            products="""
                4 gao | Gạo Japonica Yên Thành; Gạo nếp cái hoa vàng Yên Thành
                3 gao | Gạo lứt đỏ Yên Thành; Gạo thơm Yên Thành; Gạo nếp cẩm Yên Thành
                3 hat | Lạc nhân đỏ Yên Thành
                3 dau-an | Dầu lạc ép thủ công Yên Thành; Dầu vừng Yên Thành
                3 bot | Bột ngũ cốc Yên Thành
            """,
        ),
        Producer(
            key="thao-duoc-hung-nguyen",
            name="Thảo dược Hưng Nguyên",
            legal_name="Công ty TNHH Thảo dược Hưng Nguyên",
            legal_type="company",
            tax_code="2908219939",
            ward_code="18001",
            address="Xóm 4, xã Hưng Nguyên, tỉnh Nghệ An",
            phone="0238 3521 860",
            owner_name="Võ Thị Hằng",
            description="Tinh bột nghệ, trà gừng và tinh dầu chưng cất từ vùng trồng Hưng Nguyên.",
            place="xã Hưng Nguyên, tỉnh Nghệ An",
            sku_prefix="HN",
            district_issuer="UBND huyện Hưng Nguyên",
            products="""
                4 tinh-bot | Tinh bột nghệ vàng Hưng Nguyên
                3 tinh-bot | Tinh bột nghệ đỏ Hưng Nguyên; Tinh bột nghệ đen Hưng Nguyên
                3 tra-thao-moc | Trà gừng Hưng Nguyên
                3 cao*0.8 | Viên nghệ mật ong Hưng Nguyên
                3 tinh-dau | Tinh dầu sả Hưng Nguyên; Tinh dầu bưởi Hưng Nguyên
            """,
        ),
        Producer(
            key="tho-cam-chau-tien",
            name="Thổ cẩm Châu Tiến",
            legal_name="Hợp tác xã Dệt thổ cẩm Châu Tiến",
            legal_type="cooperative",
            tax_code="2905181902",
            ward_code="16792",
            address="Bản Hoa Tiến, xã Châu Tiến, tỉnh Nghệ An",
            phone="0363 418 527",
            owner_name="Lang Thị Xuân",
            description="Thổ cẩm dệt tay của phụ nữ Thái: khăn, túi, váy và đồ trang trí.",
            place="xã Châu Tiến, tỉnh Nghệ An",
            sku_prefix="TC",
            district_issuer="UBND huyện Quỳ Châu",
            products="""
                4 det | Khăn thổ cẩm Thái Châu Tiến
                3 det | Túi thổ cẩm Châu Tiến; Váy thổ cẩm Thái; Ví thổ cẩm Châu Tiến
                3 det | Khăn trải bàn thổ cẩm Châu Tiến; Vỏ gối thổ cẩm Châu Tiến
            """,
        ),
        Producer(
            key="cay-canh-nghi-loc",
            name="Cây cảnh Nghi Lộc",
            legal_name="Hộ kinh doanh Phạm Văn Tùng",
            legal_type="household",
            tax_code="8002227917",
            ward_code="17827",
            address="Xóm 7, xã Nghi Lộc, tỉnh Nghệ An",
            phone="0904 573 218",
            owner_name="Phạm Văn Tùng",
            description="Bonsai và cây cảnh tạo dáng tại vườn, giao kèm chậu trong tỉnh và đi xa.",
            place="xã Nghi Lộc, tỉnh Nghệ An",
            sku_prefix="NL",
            district_issuer="UBND huyện Nghi Lộc",
            products="""
                4 cay-canh | Sanh cổ thụ mini Nghi Lộc
                3 cay-canh | Bonsai sanh Nghi Lộc; Tùng la hán dáng trực; Mai chiếu thủy bonsai
                3 cay-canh | Lộc vừng mini Nghi Lộc
            """,
        ),
        Producer(
            key="nem-vinh",
            name="Nem chua Vinh",
            legal_name="Hộ kinh doanh Lê Thị Thu Hà",
            legal_type="household",
            tax_code="8080588879",
            ward_code="16681",
            address="Số 24 đường Hồ Tùng Mậu, phường Thành Vinh, tỉnh Nghệ An",
            phone="0945 836 127",
            owner_name="Lê Thị Thu Hà",
            description="Nem chua, giò me làm trong ngày, giao lạnh trong Vinh và tỉnh lân cận.",
            place="phường Thành Vinh, tỉnh Nghệ An",
            sku_prefix="NV",
            district_issuer="UBND thành phố Vinh",
            products="""
                3 nem | Nem chua Vinh; Nem chua lá ổi Vinh
                3 gio | Giò me Nghệ An; Giò bò Vinh
            """,
        ),
    ),
)
