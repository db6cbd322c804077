#!/usr/bin/env python3
"""Writes Samples/workers.csv, Samples/training.csv, Samples/certificates.csv and Samples/events.jsonl.

The sample data lives in the tables below; this script only adds what a person should not compute by hand: the
check characters of 公民身份号码 (GB 11643, ISO 7064 MOD 11-2), 组织机构代码 (GB 11714) and 统一社会信用代码
(GB 32100), and the 22-character certificate numbers. Run it from anywhere after editing a table:

    python3 Scripts/make-samples.py

Output is deterministic. training.csv is written as Excel on Chinese Windows writes it (GB18030, CRLF, Chinese
header, dates as 2026/3/2); certificates.csv as Excel's "CSV UTF-8" (BOM, CRLF). Samples/README.md explains which
case each row exercises; keep it in step when you change a table.
"""

import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Samples")

# --- check characters ------------------------------------------------------------------------------------------

def citizen_id(address, birth, sequence):
    """GB 11643: 6-digit address code, YYYYMMDD, 3-digit sequence (odd = male), MOD 11-2 check character."""
    body = f"{address}{birth.replace('-', '')}{sequence:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(digit) * weight for digit, weight in zip(body, weights))
    return body + "10X98765432"[total % 11]


def organisation_code(body8):
    """GB 11714: eight characters and a check character (the 组织机构代码 inside a 统一社会信用代码)."""
    value = lambda c: int(c) if c.isdigit() else ord(c) - 55
    total = sum(value(c) * w for c, w in zip(body8, [3, 7, 9, 10, 5, 8, 4, 2]))
    check = 11 - total % 11
    return body8 + ("X" if check == 10 else "0" if check == 11 else str(check))


CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(department_and_type, region, organisation_body8):
    """GB 32100: registration department + organisation type, region, 组织机构代码, check character."""
    body = department_and_type + region + organisation_code(organisation_body8)
    assert len(body) == 17 and all(c in CREDIT_ALPHABET for c in body), body
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(body, weights))
    return body + CREDIT_ALPHABET[(31 - total % 31) % 31]


LEVEL_DIGIT = {"junior": 5, "intermediate": 4, "senior": 3, "technician": 2, "senior-technician": 1}


def certificate_number(route, province, site, awarded_on, level, serial):
    """22 characters: Y (employer) / S (evaluation body) + 4-digit body + province + 6-digit site + year + level digit
    (the grade: 五级 = 5) + 6-digit serial. No check character exists."""
    prefix = "Y" if route == "enterprise" else "S"
    return f"{prefix}0001{province}{site}{awarded_on[2:4]}{LEVEL_DIGIT[level]}{serial:06d}"

# --- organisations ---------------------------------------------------------------------------------------------
# key: (name, 登记管理部门+机构类别, region, 组织机构代码 body). 91 = 工商 企业, 12 = 编办 事业单位, 52 = 民政 民办非企业单位.

ORGANISATIONS = {
    "SY1": ("十堰东风精工汽车零部件有限公司", "91", "420300", "MA48R7K2"),
    "SY2": ("十堰市郧阳区华鑫机械制造有限公司", "91", "420304", "MA49CW3D"),
    "SY3": ("十堰张湾恒通电力安装有限公司", "91", "420303", "MA4A1P6N"),
    "SY-I1": ("十堰市技师学院", "12", "420300", "42010357"),
    "SY-I2": ("十堰市茅箭区众诚职业培训学校", "52", "420302", "MJ0K5T8H"),
    "SY-V": ("十堰市职业技能鉴定指导中心", "12", "420300", "42011286"),
    "WH1": ("成都武侯蜀味川菜餐饮管理有限公司", "91", "510107", "MA6CHL3J"),
    "WH2": ("成都锦华电气工程有限公司", "91", "510107", "MA61WX5G"),
    "WH3": ("四川蜀匠智能装备有限公司", "91", "510107", "MA62FD9B"),
    "WH4": ("成都市武侯区康宁颐养服务中心", "52", "510107", "MJ4N2Q7C"),
    "WH-I1": ("成都市武侯区匠心职业技能培训学校", "52", "510107", "MJ4R8K1E"),
    "WH-I2": ("成都技师学院", "12", "510100", "45071398"),
    "WH-V": ("成都市职业技能鉴定指导中心", "12", "510100", "45086614"),
    "YQ1": ("乐清市南岳电气有限公司", "91", "330382", "MA2HK4P8"),
    "YQ2": ("浙江南岳机电科技有限公司", "91", "330382", "MA2J07LU"),
    "YQ3": ("乐清市宏兴汽配有限公司", "91", "330382", "MA2L9E3R"),
    "YQ-I1": ("乐清市南岳镇成人文化技术学校", "52", "330382", "MJ8T6C2W"),
    "YQ-V": ("乐清市职业技能鉴定中心", "12", "330382", "47093145"),
    "BY1": ("白银银光机械制造有限公司", "91", "620400", "MA73RK8Q"),
    "BY2": ("白银平川恒泰陶瓷有限公司", "91", "620403", "MA74D2HY"),
    "BY-I1": ("白银矿冶职业技术学院", "12", "620400", "43802517"),
    "ZZ1": ("郑州中原智造汽车部件有限公司", "91", "410100", "MA3X8K1T"),
    "ZZ2": ("郑州二七精密机械有限公司", "91", "410103", "MA44CN6P"),
    "ZZ3": ("郑州金水电力安装工程有限公司", "91", "410105", "MA45HB2L"),
    "ZZ-I1": ("郑州市技师学院", "12", "410100", "41600853"),
    "ZZ-V": ("郑州市职业技能鉴定指导中心", "12", "410100", "41618720"),
}
CODE = {key: credit_code(dt, region, body) for key, (name, dt, region, body) in ORGANISATIONS.items()}

# --- occupations (国家职业分类大典 2022) -------------------------------------------------------------------------

OCCUPATIONS = {
    "车工": "6-18-01-01", "铣工": "6-18-01-02", "焊工": "6-18-02-04", "电工": "6-31-01-03", "机修钳工": "6-31-01-02",
    "中式烹调师": "4-03-02-01", "中式面点师": "4-03-02-02", "养老护理员": "4-10-01-05", "育婴员": "4-10-01-02",
    "家政服务员": "4-10-01-06", "汽车维修工": "4-12-01-01", "电子商务师": "4-01-02-02",
}

# --- workers ---------------------------------------------------------------------------------------------------
# handle: (name, sex, address code, birth date, jurisdiction, employer, insured_since, migrant, frontline, registered_on)

WORKERS = {
    # 十堰 Shiyan 420300
    "sy-w-001": ("王建国", "M", "420302", "1978-04-12", "420302", "SY1", "2012-03", False, True, "2025-03-18"),
    "sy-w-002": ("李秀英", "F", "420303", "1985-09-23", "420303", "SY1", "2025-02", False, True, "2025-03-18"),
    "sy-w-003": ("张伟", "M", "420304", "1996-11-05", "420304", "SY2", "2025-09", True, True, "2025-09-22"),
    "sy-w-004": ("刘洋", "M", "420381", "1990-02-28", "420381", "SY2", "2016-07", True, True, "2025-04-07"),
    "sy-w-005": ("陈志强", "M", "420302", "1975-06-18", "420302", "SY1", "2008-01", False, True, "2025-03-18"),
    "sy-w-006": ("杨帆", "M", "420303", "1982-12-01", "420303", "SY3", "2010-05", False, True, "2025-05-12"),
    "sy-w-007": ("赵丽娟", "F", "420304", "1988-03-14", "420304", "SY2", "2014-09", False, True, "2025-04-07"),
    "sy-w-008": ("黄勇", "M", "420381", "1980-07-07", "420381", "SY3", "2009-04", False, True, "2025-05-12"),
    "sy-w-009": ("周敏", "F", "420302", "1993-05-30", "420302", "SY1", "2019-08", False, True, "2025-03-18"),
    "sy-w-010": ("吴刚", "M", "420303", "1986-10-10", "420303", "SY3", "2015-01", False, True, "2025-05-12"),
    "sy-w-011": ("徐静", "F", "420304", "1999-01-20", "420304", "SY2", "2024-07", True, True, "2025-04-07"),
    "sy-w-012": ("孙浩", "M", "420381", "2001-08-08", "420381", None, None, True, False, "2026-03-02"),
    "sy-w-013": ("马晓燕", "F", "420302", "1991-12-12", "420302", "SY1", "2017-03", False, False, "2025-03-18"),
    "sy-w-014": ("朱军", "M", "420303", "1972-02-29", "420303", "SY1", "2005-06", False, True, "2025-03-18"),
    # 成都武侯 Wuhou 510107
    "wh-w-001": ("郑国华", "M", "510107", "1970-05-05", "510107", "WH1", "2003-05", False, True, "2025-02-24"),
    "wh-w-002": ("何静", "F", "510107", "1984-08-16", "510107", "WH1", "2011-02", False, True, "2025-02-24"),
    "wh-w-003": ("罗斌", "M", "510107", "1979-01-09", "510107", "WH2", "2006-09", False, True, "2025-06-03"),
    "wh-w-004": ("谢婷", "F", "510107", "1995-06-21", "510107", "WH1", "2020-06", False, True, "2025-02-24"),
    "wh-w-005": ("唐磊", "M", "510107", "1988-04-03", "510107", "WH3", "2013-07", False, True, "2025-06-03"),
    "wh-w-006": ("冯雪", "F", "510107", "2000-10-30", "510107", "WH2", "2025-11", False, True, "2025-11-10"),
    "wh-w-007": ("韩梅", "F", "510107", "1976-03-08", "510107", "WH4", "2018-10", True, True, "2025-06-03"),
    "wh-w-008": ("曹宇", "M", "510107", "1990-09-09", "510107", "WH3", "2016-04", False, True, "2025-06-03"),
    "wh-w-009": ("彭丽", "F", "510107", "1987-07-17", "510107", "WH4", "2012-08", False, True, "2025-06-03"),
    "wh-w-010": ("邓超", "M", "510107", "1983-11-11", "510107", "WH2", "2010-01", False, True, "2025-06-03"),
    "wh-w-011": ("蒋欣", "F", "510107", "1998-02-14", "510107", "WH1", "2022-03", True, True, "2025-02-24"),
    "wh-w-012": ("袁野", "M", "510107", "1992-12-25", "510107", "WH3", "2019-05", False, False, "2025-06-03"),
    # 乐清 Yueqing 330382 (南岳镇 330382115: the town code the samples use)
    "yq-w-001": ("林海", "M", "330382", "1985-03-19", "330382115", "YQ1", "2011-04", False, True, "2025-08-11"),
    "yq-w-002": ("陈晓红", "F", "330382", "1990-11-02", "330382115", "YQ1", "2014-06", False, False, "2025-08-11"),
    "yq-w-003": ("潘建军", "M", "330382", "1980-08-25", "330382115", "YQ2", "2006-03", False, True, "2025-08-11"),
    "yq-w-004": ("金丽", "F", "330382", "1994-04-04", "330382115", "YQ2", "2023-02", True, True, "2025-08-11"),
    "yq-w-005": ("郑波", "M", "330382", "1978-01-15", "330382115", "YQ1", "2004-09", False, False, "2025-08-11"),
    "yq-w-006": ("卢佳", "F", "330382", "1997-07-27", "330382115", "YQ1", "2024-05", False, True, "2025-08-11"),
    "yq-w-007": ("叶小军", "M", "330382", "1989-10-08", "330382", "YQ3", "2013-12", False, True, "2025-09-01"),
    "yq-w-008": ("胡佩", "F", "330382", "1986-06-12", "330382115", "YQ2", "2012-01", False, True, "2025-08-11"),
    "yq-w-009": ("施忠", "M", "330382", "1975-09-29", "330382115", "YQ1", "2001-07", False, True, "2025-08-11"),
    "yq-w-010": ("董燕", "F", "330382", "2002-05-18", "330382115", "YQ2", "2026-05", True, True, "2026-05-06"),
    "yq-w-011": ("钱坤", "M", "330382", "1983-02-21", "330382", "YQ3", "2008-10", False, True, "2025-09-01"),
    "yq-w-012": ("倪芳", "F", "330382", "1991-12-03", "330382115", "YQ1", "2016-08", False, False, "2025-08-11"),
    # 白银 Baiyin 620400
    "by-w-001": ("马国栋", "M", "620402", "2003-04-18", "620402", "BY1", "2025-09", False, True, "2025-09-15"),
    "by-w-002": ("李娜", "F", "620403", "2004-01-31", "620403", "BY2", "2026-01", False, True, "2026-01-31"),
    "by-w-003": ("王磊", "M", "620421", "2002-06-06", "620421", "BY1", "2025-11", True, True, "2025-11-10"),
    "by-w-004": ("张燕", "F", "620402", "2001-09-09", "620402", "BY1", "2025-03", False, True, "2025-03-01"),
    "by-w-005": ("杨军", "M", "620422", "2003-12-12", "620422", "BY2", "2025-07", True, True, "2025-07-01"),
    "by-w-006": ("刘芳", "F", "620402", "1985-05-26", "620402", "BY1", "2009-08", False, True, "2025-03-01"),
    "by-w-007": ("赵强", "M", "620403", "1979-11-30", "620403", "BY2", "2002-04", False, True, "2025-03-01"),
    "by-w-008": ("孙丽", "F", "620423", "1992-08-14", "620423", "BY1", "2025-12", True, True, "2025-12-01"),
    "by-w-009": ("周涛", "M", "620402", "1988-02-02", "620402", "BY1", "2012-05", False, True, "2025-03-01"),
    "by-w-010": ("吴霞", "F", "620421", "1996-10-19", "620421", "BY2", "2026-03", True, True, "2026-03-15"),
    "by-w-011": ("郭亮", "M", "620402", "1983-07-23", "620402", "BY1", "2007-09", False, True, "2025-03-01"),
    # 郑州 Zhengzhou 410100
    "zz-w-001": ("高峰", "M", "410102", "1990-01-26", "410102", "ZZ1", "2012-07", False, True, "2025-05-20"),
    "zz-w-002": ("宋佳", "F", "410103", "1994-09-15", "410103", "ZZ2", "2016-03", False, True, "2025-05-20"),
    "zz-w-003": ("许文", "M", "410104", "1988-12-08", "410104", "ZZ1", "2011-10", False, True, "2025-05-20"),
    "zz-w-004": ("田野", "M", "410105", "1997-04-22", "410105", "ZZ2", "2019-09", True, True, "2025-05-20"),
    "zz-w-005": ("秦雪", "F", "410108", "1999-06-30", "410108", "ZZ1", "2021-07", False, True, "2025-05-20"),
    "zz-w-006": ("魏东", "M", "410102", "1985-10-17", "410102", "ZZ3", "2008-06", False, True, "2025-05-20"),
    "zz-w-007": ("薛冰", "F", "410103", "1987-03-03", "410103", "ZZ2", "2010-04", False, True, "2025-05-20"),
    "zz-w-008": ("程亮", "M", "410104", "1980-05-09", "410104", "ZZ3", "2004-02", False, True, "2025-05-20"),
    "zz-w-009": ("范琳", "F", "410105", "1993-08-28", "410105", "ZZ1", "2015-11", False, True, "2025-05-20"),
    "zz-w-010": ("丁伟", "M", "410108", "2000-11-21", "410108", "ZZ3", "2022-08", True, True, "2025-05-20"),
    "zz-w-011": ("侯敏", "F", "410102", "1995-02-07", "410102", "ZZ2", "2018-12", False, False, "2025-05-20"),
}


def worker_ids():
    """Each worker's 公民身份号码: the sequence is odd for men and even for women, distinct within the table."""
    ids = {}
    for index, (handle, row) in enumerate(WORKERS.items()):
        sequence = 100 + 2 * index + (1 if row[1] == "M" else 0)
        ids[handle] = citizen_id(row[2], row[3], sequence)
    assert len(set(ids.values())) == len(ids)
    return ids


ID = worker_ids()

# --- training completions (training.csv) -------------------------------------------------------------------------
# (id, worker, course, title, institution, hours, started_on, completed_on, cost, paid_by, track, occupation)

TRAINING = [
    ("sy-t-001", "sy-w-003", "SYZC-2026-HG01", "焊工（初级）就业技能培训", "SY-I2", 80, "2026-01-05", "2026-01-23", "1200", "self", "pre-job", "焊工"),
    ("sy-t-002", "sy-w-004", "SYZC-2026-DG02", "电工（初级）岗位技能提升培训", "SY-I2", 64, "2026-01-12", "2026-02-06", "800", "self", "upgrade", "电工"),
    ("sy-t-003", "sy-w-005", "SYJS-2025-CG-JS", "车工技师研修班", "SY-I1", 240, "2025-09-01", "2026-01-16", "4200", "self", "technician", "车工"),
    ("sy-t-004", "sy-w-006", "SYJS-2025-DG-GJ", "电工高级技师研修班", "SY-I1", 200, "2025-10-08", "2025-12-26", "3800", "self", "technician", "电工"),
    ("sy-t-005", "sy-w-011", "SYZC-2026-HG05", "焊工（中级）岗位技能提升培训", "SY-I2", 96, "2026-03-02", "2026-04-10", "1500", "employer", "upgrade", "焊工"),
    ("sy-t-006", "sy-w-012", "SYZC-2026-JZ01", "家政服务员就业技能培训", "SY-I2", 56, "2026-03-09", "2026-03-27", "1100", "government", "pre-job", "家政服务员"),
    ("sy-t-007", "sy-w-007", "SYJS-2025-DG11", "电工（初级）岗位技能提升培训", "SY-I1", 72, "2025-11-17", "2025-12-19", "900", "employer", "upgrade", "电工"),
    ("sy-t-008", "sy-w-001", "SYJS-2025-DG21", "电工（中级）岗位技能提升培训", "SY-I1", 88, "2025-12-01", "2026-01-20", "1600", "employer", "upgrade", "电工"),
    ("sy-t-009", "sy-w-013", "SYJS-2026-DG31", "电工（中级）转岗培训", "SY-I1", 80, "2026-04-13", "2026-05-29", "1500", "employer", "transfer", "电工"),
    ("wh-t-001", "wh-w-003", "CDJS-2025-DG-JS", "电工技师研修班", "WH-I2", 180, "2025-09-15", "2025-11-28", "3500", "self", "technician", "电工"),
    ("wh-t-002", "wh-w-004", "WHJX-2025-MD03", "中式面点师（中级）培训", "WH-I1", 64, "2025-11-03", "2025-12-12", "1100", "self", "upgrade", "中式面点师"),
    ("wh-t-003", "wh-w-007", "WHJX-2026-YL01", "养老护理员（中级）培训", "WH-I1", 120, "2026-01-12", "2026-03-06", "1600", "government", "upgrade", "养老护理员"),
    ("wh-t-004", "wh-w-008", "CDJS-2026-CG02", "车工（中级）岗位技能提升培训", "WH-I2", 96, "2026-04-07", "2026-05-22", "1400", "employer", "upgrade", "车工"),
    ("wh-t-005", "wh-w-011", "WHJX-2026-PR01", "中式烹调师（初级）培训", "WH-I1", 60, "2026-02-23", "2026-03-20", "980", "self", "pre-job", "中式烹调师"),
    ("yq-t-001", "yq-w-001", "NYCJ-2026-DG01", "电工（中级）企业职工培训", "YQ-I1", 64, "2026-03-02", "2026-03-27", "1500", "employer", "upgrade", "电工"),
    ("yq-t-002", "yq-w-002", "NYCJ-2026-DS01", "电子商务师企业职工培训", "YQ-I1", 72, "2026-02-23", "2026-03-20", "1800", "employer", "upgrade", "电子商务师"),
    ("yq-t-003", "yq-w-003", "NYCJ-2026-DG02", "低压电器装配电工培训", "YQ-I1", 80, "2026-01-12", "2026-02-13", "1800", "employer", "upgrade", "电工"),
    ("yq-t-004", "yq-w-003", "NYCJ-2026-HG01", "焊工（中级）企业职工培训", "YQ-I1", 64, "2026-04-13", "2026-05-15", "1500", "employer", "upgrade", "焊工"),
    ("yq-t-005", "yq-w-004", "NYCJ-2026-DG03", "电工（初级）培训（个人报名）", "YQ-I1", 56, "2026-02-16", "2026-03-13", "900", "self", "upgrade", "电工"),
    ("yq-t-006", "yq-w-005", "NYCJ-2026-JX01", "机修钳工企业职工培训", "YQ-I1", 48, "2026-03-09", "2026-04-03", "1000", "employer", "upgrade", "机修钳工"),
    ("yq-t-007", "yq-w-006", "NYCJ-2026-DG04", "电工（初级）企业职工培训", "YQ-I1", 64, "2026-05-11", "2026-06-12", "1200", "employer", "upgrade", "电工"),
    ("yq-t-008", "yq-w-007", "NYCJ-2026-CG01", "车工（中级）企业职工培训", "YQ-I1", 96, "2026-04-07", "2026-05-08", "2000", "employer", "upgrade", "车工"),
    ("yq-t-009", "yq-w-008", "NYCJ-2026-DG05", "电工安全技能培训（政府补贴班）", "YQ-I1", 40, "2026-03-16", "2026-04-17", "1300", "government", "upgrade", "电工"),
    ("yq-t-010", "yq-w-010", "NYCJ-2026-JY01", "新录用职工岗前培训", "YQ-I1", 40, "2026-06-01", "2026-06-26", "800", "government", "pre-job", None),
    ("yq-t-011", "yq-w-012", "NYCJ-2026-DS02", "电子商务师企业职工培训", "YQ-I1", 48, "2026-06-15", "2026-07-10", "1000", "employer", "upgrade", "电子商务师"),
    ("by-t-001", "by-w-009", "BYKY-2026-DG01", "电工（中级）岗位技能提升培训", "BY-I1", 48, "2026-03-02", "2026-03-27", "1000", "employer", "upgrade", "电工"),
    ("by-t-002", "by-w-006", "BYKY-2026-DG02", "电工（中级）企业自主评价前培训", "BY-I1", 64, "2026-01-05", "2026-01-30", "1200", "employer", "upgrade", "电工"),
    ("zz-t-001", "zz-w-001", "ZZJS-2026-CG01", "车工（高级）竞赛集训", "ZZ-I1", 160, "2026-03-02", "2026-04-24", "2500", "employer", "upgrade", "车工"),
    ("zz-t-002", "zz-w-011", "ZZJS-2026-DS01", "电子商务师（中级）培训", "ZZ-I1", 72, "2026-05-06", "2026-05-29", "1200.50", "self", "upgrade", "电子商务师"),
    ("zz-t-003", "zz-w-009", "ZZJS-2026-QX01", "汽车维修工（中级）培训", "ZZ-I1", 96, "2026-02-02", "2026-03-20", "1600", "employer", "upgrade", "汽车维修工"),
]

# --- certificates (certificates.csv) ---------------------------------------------------------------------------
# (id, worker, occupation, level as written, issuer, awarded_on, route, province, site, serial)
# Levels are written as institutions write them: mostly slugs, some Chinese names or grades (all read the same).

CERTIFICATES = [
    ("sy-c-001", "sy-w-001", "电工", "intermediate", "SY-V", "2026-02-10", "exam", "42", "030001", 18),
    ("sy-c-002", "sy-w-002", "车工", "junior", "SY-V", "2026-02-26", "exam", "42", "030001", 27),
    ("sy-c-003", "sy-w-003", "焊工", "junior", "SY-V", "2026-03-06", "exam", "42", "030001", 41),
    ("sy-c-004", "sy-w-004", "电工", "初级工", "SY-V", "2026-04-03", "exam", "42", "030001", 66),
    ("sy-c-005", "sy-w-005", "车工", "technician", "SY-I1", "2026-03-20", "exam", "42", "030012", 5),
    ("sy-c-006", "sy-w-006", "电工", "senior-technician", "SY-I1", "2026-05-15", "exam", "42", "030012", 9),
    ("sy-c-007", "sy-w-007", "电工", "junior", "SY-V", "2026-01-16", "exam", "42", "030001", 3),
    ("sy-c-008", "sy-w-007", "焊工", "junior", "SY-V", "2026-03-13", "exam", "42", "030001", 52),
    ("sy-c-009", "sy-w-007", "车工", "五级", "SY-V", "2026-05-22", "exam", "42", "030001", 88),
    ("sy-c-010", "sy-w-007", "铣工", "junior", "SY-V", "2026-07-10", "exam", "42", "030001", 121),
    ("sy-c-011", "sy-w-008", "焊工", "senior", "SY-V", "2025-10-24", "exam", "42", "030001", 930),
    ("sy-c-012", "sy-w-008", "焊工", "intermediate", "SY-V", "2026-04-17", "exam", "42", "030001", 70),
    ("sy-c-013", "sy-w-009", "车工", "intermediate", "SY-V", "2026-02-27", "exam", "42", "030001", 29),
    ("sy-c-014", "sy-w-010", "电工", "senior", "SY-V", "2026-03-27", "exam", "42", "030001", 58),
    ("sy-c-015", "sy-w-010", "电工", "intermediate", "SY-V", "2026-03-27", "exam", "42", "030001", 58),
    ("sy-c-016", "sy-w-013", "电工", "intermediate", "SY-I1", "2026-06-19", "exam", "42", "030012", 31),
    ("sy-c-017", "sy-w-014", "机修钳工", "高级工", "SY-V", "2026-01-23", "exam", "42", "030001", 8),
    ("sy-c-018", "sy-w-011", "焊工", "intermediate", "SY-V", "2026-04-24", "exam", "42", "030001", 73),
    ("wh-c-001", "wh-w-003", "电工", "technician", "WH-I2", "2026-03-18", "exam", "51", "010007", 12),
    ("wh-c-002", "wh-w-004", "中式面点师", "intermediate", "WH-V", "2026-01-22", "exam", "51", "010001", 104),
    ("wh-c-003", "wh-w-005", "焊工", "senior", "WH-V", "2026-05-20", "skip-level", "51", "010001", 388),
    ("wh-c-004", "wh-w-006", "电工", "junior", "WH-V", "2026-05-29", "exam", "51", "010001", 402),
    ("wh-c-005", "wh-w-007", "养老护理员", "中级工", "WH-V", "2026-03-25", "exam", "51", "010001", 219),
    ("wh-c-006", "wh-w-008", "车工", "intermediate", "WH-I2", "2026-06-12", "exam", "51", "010007", 77),
    ("wh-c-007", "wh-w-009", "育婴员", "senior", "WH-V", "2026-07-03", "exam", "51", "010001", 515),
    ("wh-c-008", "wh-w-010", "电工", "senior", "WH-I2", "2026-02-13", "exam", "51", "010007", 40),
    ("wh-c-009", "wh-w-011", "中式烹调师", "junior", "WH-V", "2026-04-10", "exam", "51", "010001", 276),
    ("wh-c-010", "wh-w-012", "机修钳工", "四级", "WH-I2", "2026-07-17", "exam", "51", "010007", 96),
    ("wh-c-011", "wh-w-001", "中式烹调师", "senior-technician", "WH-V", "2025-12-05", "exam", "51", "010001", 17),
    ("yq-c-001", "yq-w-004", "电工", "junior", "YQ-V", "2026-04-08", "exam", "33", "038201", 61),
    ("yq-c-002", "yq-w-006", "电工", "junior", "YQ-V", "2026-07-08", "exam", "33", "038201", 143),
    ("yq-c-003", "yq-w-009", "电工", "senior", "YQ-V", "2026-02-06", "exam", "33", "038201", 22),
    ("yq-c-004", "yq-w-011", "焊工", "intermediate", "YQ-V", "2026-06-05", "exam", "33", "038201", 118),
    ("by-c-001", "by-w-004", "电工", "junior", "BY1", "2026-03-20", "enterprise", "62", "040001", 36),
    ("by-c-002", "by-w-006", "电工", "intermediate", "BY1", "2026-02-11", "enterprise", "62", "040001", 14),
    ("by-c-003", "by-w-007", "焊工", "senior", "BY2", "2026-04-22", "enterprise", "62", "040302", 8),
    ("by-c-004", "by-w-008", "电工", "junior", "BY1", "2026-05-27", "enterprise", "62", "040001", 52),
    ("by-c-005", "by-w-011", "车工", "intermediate", "BY-I1", "2026-06-24", "exam", "62", "040010", 97),
    ("zz-c-001", "zz-w-001", "车工", "senior", "ZZ-V", "2026-06-10", "competition", "41", "010001", 301),
    ("zz-c-002", "zz-w-002", "车工", "intermediate", "ZZ-V", "2026-06-10", "competition", "41", "010001", 302),
    ("zz-c-003", "zz-w-008", "电工", "senior", "ZZ-V", "2026-03-12", "exam", "41", "010001", 117),
    ("zz-c-004", "zz-w-009", "汽车维修工", "intermediate", "ZZ-I1", "2026-04-16", "exam", "41", "010009", 64),
]

LEVEL_SLUG = {"初级工": "junior", "五级": "junior", "中级工": "intermediate", "四级": "intermediate", "高级工": "senior"}


def certificate_numbers():
    numbers = {}
    for cid, worker, occupation, level, issuer, awarded_on, route, province, site, serial in CERTIFICATES:
        slug = LEVEL_SLUG.get(level, level)
        numbers[cid] = certificate_number(route, province, site, awarded_on, slug, serial)
        assert len(numbers[cid]) == 22, numbers[cid]
    # sy-c-014 is the same certificate keyed with the wrong level: the clerk copied the number right.
    numbers["sy-c-014"] = numbers["sy-c-015"]
    return numbers


CERT_NUMBER = certificate_numbers()

# --- every other kind (events.jsonl) -----------------------------------------------------------------------------


def event(eid, kind, occurred_on, source, data, worker=None, employer=None):
    record = {"id": eid, "kind": kind, "occurred_on": occurred_on, "source": source}
    if worker:
        record["worker"] = ID[worker]
    if employer:
        record["employer"] = CODE[employer]
    record["data"] = data
    return record


def events():
    e = []
    # worker.changed: effective from occurred_on.
    e.append(event("sy-chg-001", "worker.changed", "2026-03-01", "420300", {"employer": CODE["SY2"]}, worker="sy-w-013"))
    e.append(event("yq-chg-001", "worker.changed", "2026-03-01", "330382", {"frontline": True}, worker="yq-w-005"))
    e.append(event("zz-chg-001", "worker.changed", "2026-02-10", "410100", {"jurisdiction": "410105"}, worker="zz-w-010"))
    e.append(event("wh-chg-001", "worker.changed", "2026-04-01", "510107", {"employer": CODE["WH3"], "frontline": True}, worker="wh-w-006"))
    # certification.revoked: a certificate obtained by cheating.
    e.append(event("sy-rvk-001", "certification.revoked", "2026-05-12", "420300",
                   {"certificate": CERT_NUMBER["sy-c-013"], "reason": "考试作弊，依规撤销证书 (exam misconduct)"}, worker="sy-w-009"))
    # credit.earned: explicit credits in the personal learning account (学分银行).
    for eid, worker, credits, kind, reference, institution, day in [
        ("sy-crd-001", "sy-w-011", "3", "degree", "湖北开放大学 机械制造与自动化 XF-2026-0117", "SY-I1", "2026-01-28"),
        ("sy-crd-002", "sy-w-001", "1.5", "course", "SYJS-2025-DG21 线上安全课程", "SY-I1", "2026-02-03"),
        ("wh-crd-001", "wh-w-008", "2", "certificate", "低压电工作业操作证 T510107202604", "WH-I2", "2026-04-15"),
        ("by-crd-001", "by-w-009", "0.5", "other", "班组技术革新成果 BY-2026-JG-03", "BY-I1", "2026-05-08"),
        ("zz-crd-001", "zz-w-011", "2.5", "course", "ZZJS-2026-DS01 直播电商模块", "ZZ-I1", "2026-06-05"),
    ]:
        e.append(event(eid, "credit.earned", day, CODE[institution],
                       {"credits": credits, "source_kind": kind, "reference": reference, "institution": CODE[institution]},
                       worker=worker))
    # apprenticeship.started / ended (Baiyin modern apprenticeship, 6,000 yuan per apprentice per year).
    for eid, worker, employer, start, scheme, months in [
        ("by-app-001", "by-w-001", "BY1", "2025-09-15", "modern", 24),
        ("by-app-002", "by-w-002", "BY2", "2026-01-31", "modern", 12),
        ("by-app-003", "by-w-003", "BY1", "2025-11-10", "modern", 12),
        ("by-app-004", "by-w-004", "BY1", "2025-03-01", "modern", 12),
        ("by-app-005", "by-w-005", "BY2", "2025-07-01", "modern", 36),
        ("by-app-006", "by-w-010", "BY2", "2026-03-15", "enterprise-new", 12),
    ]:
        e.append(event(eid, "apprenticeship.started", start, CODE[employer],
                       {"employer": CODE[employer], "institution": CODE["BY-I1"], "scheme": scheme, "planned_months": months},
                       worker=worker))
    e.append(event("by-app-003-end", "apprenticeship.ended", "2026-04-20", CODE["BY1"], {"outcome": "terminated"}, worker="by-w-003"))
    e.append(event("by-app-004-end", "apprenticeship.ended", "2026-03-01", CODE["BY1"], {"outcome": "completed"}, worker="by-w-004"))
    # competition.placed: Zhengzhou city tier ranks 1–5 (1–3 enter the talent pool), and two that do not qualify.
    city = "2026年郑州市职业技能大赛（车工）"
    for rank, worker in enumerate(["zz-w-001", "zz-w-002", "zz-w-003", "zz-w-004", "zz-w-005"], start=1):
        e.append(event(f"zz-cmp-00{rank}", "competition.placed", "2026-05-18", "410100",
                       {"competition": city, "tier": "city", "rank": rank, "occupation": OCCUPATIONS["车工"]}, worker=worker))
    e.append(event("zz-cmp-006", "competition.placed", "2026-04-22", "410102",
                   {"competition": "2026年中原区电工技能比武", "tier": "district", "rank": 1, "occupation": OCCUPATIONS["电工"]},
                   worker="zz-w-006"))
    e.append(event("zz-cmp-007", "competition.placed", "2026-07-09", "410000",
                   {"competition": "2026年河南省职业技能大赛（车工）", "tier": "province", "rank": 2, "occupation": OCCUPATIONS["车工"]},
                   worker="zz-w-007"))
    # honor.awarded: 诸葛工匠 (Wuhou #8), once in a lifetime; 郑国华 is named twice.
    e.append(event("wh-hon-001", "honor.awarded", "2026-02-06", "510107", {"title": "诸葛工匠", "tier": "district"}, worker="wh-w-001"))
    e.append(event("wh-hon-002", "honor.awarded", "2026-04-28", "510107", {"title": "诸葛工匠", "tier": "district"}, worker="wh-w-002"))
    e.append(event("wh-hon-003", "honor.awarded", "2026-06-12", "510107", {"title": "诸葛工匠", "tier": "district"}, worker="wh-w-001"))
    # fund.budgeted: the training-subsidy budget against the employment fund (Shiyan #30 floor: 20%).
    for eid, jurisdiction, day, year, fund, budget in [
        ("sy-fund-2025", "420300", "2025-01-15", 2025, "148000000", "30000000"),
        ("sy-fund-2026", "420300", "2026-01-14", 2026, "156000000", "34320000"),
        ("wh-fund-2026", "510107", "2026-01-20", 2026, "38500000", "8470000"),
        ("yq-fund-2026", "330382", "2026-01-22", 2026, "62000000", "13020000"),
        ("by-fund-2026", "620400", "2026-01-16", 2026, "84000000", "15120000"),
        ("zz-fund-2026", "410100", "2026-01-09", 2026, "420000000", "92400000"),
    ]:
        e.append(event(eid, "fund.budgeted", day, jurisdiction,
                       {"jurisdiction": jurisdiction, "year": year, "employment_fund": fund, "training_subsidy_budget": budget}))
    # employer.education-fund: ≥ 60% of what is spent must go to frontline workers (Wuhou #6).
    for eid, employer, day, year, payroll, withdrawn, spent, frontline in [
        ("sy-edu-001", "SY1", "2026-01-20", 2025, "66000000", "5280000", "4950000", "3217500"),
        ("wh-edu-001", "WH1", "2026-07-10", 2026, "18600000", "1488000", "1320000", "910800"),
        ("wh-edu-002", "WH2", "2026-07-10", 2026, "42000000", "3360000", "2980000", "1907200"),
        ("wh-edu-003", "WH3", "2026-07-10", 2026, "25500000", "2040000", "1850000", "832500"),
        ("yq-edu-001", "YQ1", "2026-07-10", 2026, "9800000", "784000", "702000", "463320"),
        ("zz-edu-001", "ZZ1", "2026-07-10", 2026, "31000000", "2480000", "2200000", "1386000"),
    ]:
        e.append(event(eid, "employer.education-fund", day, CODE[employer],
                       {"year": year, "payroll": payroll, "withdrawn": withdrawn, "spent": spent, "spent_frontline": frontline},
                       employer=employer))
    # event.reversed: sy-c-014 was keyed as 高级工; the correct row is sy-c-015 (中级工, same certificate number).
    e.append(event("sy-rev-001", "event.reversed", "2026-04-02", CODE["SY-V"],
                   {"target": "sy-c-014", "reason": "等级录入错误：证书为中级工（四级），已按 sy-c-015 重新录入"}))
    return e

# --- writing -------------------------------------------------------------------------------------------------------


def yes_no(flag):
    return "true" if flag else "false"


def excel_date(text):
    """2026-03-02 → 2026/3/2, as Excel on Chinese Windows shows and saves a date."""
    year, month, day = text.split("-")
    return f"{year}/{int(month)}/{int(day)}"


def write_workers():
    lines = ["id,worker,name,jurisdiction,employer,insured_since,migrant,frontline,registered_on"]
    for handle, (name, _, _, _, jurisdiction, employer, insured, migrant, frontline, registered) in WORKERS.items():
        lines.append(",".join([handle, ID[handle], name, jurisdiction, CODE[employer] if employer else "", insured or "",
                               yes_no(migrant), yes_no(frontline), registered]))
    with open(os.path.join(ROOT, "workers.csv"), "w", encoding="utf-8", newline="") as out:
        out.write("\n".join(lines) + "\n")


def write_training():
    header = "编号,身份证号码,姓名,课程编号,课程名称,培训机构,学时,开班日期,结业日期,培训费用,付费方,培训类别,职业编码"
    lines = [header]
    for tid, worker, course, title, institution, hours, started, completed, cost, paid_by, track, occupation in TRAINING:
        lines.append(",".join([tid, ID[worker], WORKERS[worker][0], course, title, CODE[institution], str(hours),
                               excel_date(started), excel_date(completed), cost, paid_by, track,
                               OCCUPATIONS[occupation] if occupation else ""]))
    with open(os.path.join(ROOT, "training.csv"), "w", encoding="gb18030", newline="") as out:
        out.write("\r\n".join(lines) + "\r\n")


def write_certificates():
    lines = ["id,worker,name,occupation,occupation_name,level,certificate,issuer,awarded_on,route"]
    for cid, worker, occupation, level, issuer, awarded_on, route, *_ in CERTIFICATES:
        lines.append(",".join([cid, ID[worker], WORKERS[worker][0], OCCUPATIONS[occupation], occupation, level,
                               CERT_NUMBER[cid], CODE[issuer], awarded_on, route]))
    with open(os.path.join(ROOT, "certificates.csv"), "w", encoding="utf-8-sig", newline="") as out:
        out.write("\r\n".join(lines) + "\r\n")


def write_events():
    with open(os.path.join(ROOT, "events.jsonl"), "w", encoding="utf-8") as out:
        for record in events():
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    for table in (TRAINING, CERTIFICATES, events()):
        ids = [row["id"] if isinstance(row, dict) else row[0] for row in table]
        assert len(ids) == len(set(ids)), "duplicate event id"
    write_workers()
    write_training()
    write_certificates()
    write_events()
    print("wrote Samples/workers.csv, training.csv, certificates.csv, events.jsonl")
