"""The invented people and numbers behind ``seed_demo``: the 宁康园 reference campaign.

Names, phones and notes are made up. The seed's unit (1栋1单元) has 20 households on
10 floors; two more buildings give lists and dashboards something to show. Times are days
before the day the demo is seeded. The seed unit's proposal puts two matters to the owners
(using the fund, and the cost split under the campaign's unanimity), and one of its owners holds
two flats: one person, one head, one signature for both.
"""

from decimal import Decimal

DEMO_PASSWORD = "ningkang-demo"
CAMPAIGN_SLUG = "ningkang-2026"

# fmt: off
COMMUNITY = {"name": "宁康园社区", "subdistrict": "沌口街道", "district": "武汉经开区", "city": "武汉市"}
CAMPAIGN = {
    "title": "宁康园社区老旧电梯更新（2026年“开门一件事”）",
    "summary": (
        "宁康园小区高层住宅的电梯已使用超过15年，故障频发，不少高龄老人上下楼困难。"
        "社区党委把老旧电梯更新作为今年的“开门一件事”：网格员逐户上门讲政策、算细账，"
        "听取每一户的需求和顾虑，多方协商确定费用分摊，取得业主签字同意后组织施工。"
    ),
    "status": "consulting",
    "consent_rule": "unanimous",  # the reference case worked until every household had signed
}
OPENS_IN_DAYS = 128  # the target opening date, from the day the demo is seeded

USERS = [  # username, name as shown to colleagues, role
    ("secretary", "刘书记", "secretary"), ("grid1", "网格员小王", "grid_worker"),
    ("grid2", "网格员小陈", "grid_worker"), ("lead1", "楼栋长老赵", "building_lead"),
    # the parties' logins (works.demo gives them their assignments)
    ("lawyer", "张律师", "lawyer"), ("reviewer", "街道审核员小李", "reviewer"),
    ("contractor", "施工队周经理", "contractor"), ("maintainer", "维保调度中心", "maintainer"),
]
# Building, unit, floors, rooms per floor, elevator install year, quote, and the share of doors
# knocked on so far (the seed unit's story is told household by household, below).
UNITS = [
    ("1栋", "1单元", 10, 2, 2006, Decimal("398000.00"), None),
    ("2栋", "1单元", 11, 2, 2008, Decimal("415000.00"), 0.8),
    ("2栋", "2单元", 11, 2, 2008, Decimal("415000.00"), 0.45),
    ("3栋", "1单元", 12, 2, 2009, Decimal("432000.00"), 0.2),
]
# The unit whose vote has passed (works.demo.PASSED_UNIT): every household signed, and it went
# on to review, approval and construction. Floors, rooms per floor, elevator install year,
# quote; its proposal's maintenance fund, days ago it was published, and the days
# ago its households signed (one a day, from the first).
PASSED = (6, 2, 2005, Decimal("380000.00"))
PASSED_PROPOSAL = (Decimal("70000.00"), 80)
PASSED_SIGNED_FROM = 76
# The unit whose works are over (works.demo.COMPLETE_UNIT): every owner agreed to both matters
# (SEED_MATTERS) months ago; its elevator is in service, its money settled (money.demo).
COMPLETE = (5, 2, 2004, Decimal("360000.00"))
COMPLETE_PROPOSAL = (Decimal("60000.00"), 200)
COMPLETE_SIGNED_FROM = 196
COMPLETE_NOT_PAYING = 7  # the household (in floor and room order) that agreed but won't pay
# The cost-sharing versions published, oldest first: maintenance fund, days ago.
PROPOSALS = {
    "1栋1单元": [(Decimal("60000.00"), 30), (Decimal("88000.00"), 10)],
    "2栋1单元": [(Decimal("95000.00"), 30)],
}
# What the seed unit's versions put to the owners: Art. 278 item, rule, title. Replacing a lift
# like for like uses the fund (item 5, a majority); the cost split the reference case settled
# by everyone's signature (item 7, the campaign's unanimity). Other units ask one matter.
SEED_MATTERS = [
    (5, "majority", "使用本单元住宅专项维修资金更新电梯"),
    (7, "unanimous", "电梯更新费用分摊方案（政府补贴 + 维修资金 + 居民自筹）"),
]
ELEVATOR_MAKER = "武汉某电梯工程有限公司"
PROPOSAL_NOTES = "政府补贴 + 住宅专项维修资金 + 居民自筹；一楼免出资。"
FLOOR_COEFFICIENTS = {  # the ground floor pays nothing
    1: Decimal("0.000"), 2: Decimal("0.600"), 3: Decimal("0.700"), 4: Decimal("0.800"),
    5: Decimal("0.900"), 6: Decimal("1.000"), 7: Decimal("1.100"), 8: Decimal("1.200"),
    9: Decimal("1.300"), 10: Decimal("1.400"), 11: Decimal("1.500"), 12: Decimal("1.600"),
}
SURNAMES = "张李王刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN_NAMES = [
    "建国", "秀英", "德福", "桂兰", "志强", "丽华", "文明", "淑珍", "国平", "玉梅",
    "长青", "美玲", "宏伟", "春梅", "立新", "秀云", "建华", "玉兰", "志远", "桂芳",
]
AREAS = [Decimal(area) for area in [
    "68.42", "89.15", "76.30", "112.60", "95.08", "63.75", "104.22", "82.90",
    "118.35", "71.46", "99.80", "86.12", "61.95", "108.40", "92.33", "77.58",
]]

# The seed unit, room by room: occupancy, elderly, mobility-impaired, and its story.
SEED_UNIT = {
    "101":  ("owner_occupied", True,  False, "agree"),
    "102":  ("owner_occupied", False, False, "undecided"),
    "201":  ("owner_occupied", True,  False, "agree"),
    "202":  ("owner_occupied", False, False, "disagree"),
    "301":  ("owner_occupied", False, False, "undecided"),
    "302":  ("rented",         False, False, "agree_not_paying"),
    "401":  ("owner_occupied", False, False, "agree"),
    "402":  ("owner_occupied", True,  False, "agree"),
    "501":  ("owner_occupied", False, False, "agree"),
    "502":  ("absentee",       False, False, "agree_on_paper"),
    "601":  ("owner_occupied", True,  False, "changed_mind"),
    "602":  ("owner_occupied", False, True,  "agree"),
    "701":  ("owner_occupied", False, False, "agree"),
    "702":  ("owner_occupied", False, False, "undecided"),
    "801":  ("vacant",         False, False, "not_reached"),
    "802":  ("owner_occupied", False, False, "nobody_home"),
    "901":  ("owner_occupied", True,  False, "agree"),
    "902":  ("absentee",       False, False, "not_reached"),
    "1001": ("owner_occupied", True,  True,  "two_flats"),
    "1002": ("owner_occupied", False, False, "two_flats"),
}
# The owner of two flats of the seed unit (he lives in the first, his son's family in the
# second): one owner entry per flat, linked to one person, so the count takes one head.
TWO_FLAT_OWNER = {"rooms": ("1001", "1002"), "name": "郑德明", "phone": "13907271888", "id_tail": "3012"}
# Where each area comes from (SPC interpretation art. 8): the real-estate register, except
# these flats of the seed unit; elsewhere one flat in ten was measured by the survey report.
AREA_SOURCES = {"502": "contract", "801": "survey"}
# A story: the attitude at the second visit, the concerns raised, and the ballots signed:
# the answer to each matter (SEED_MATTERS), days ago (None: the household's own day), on paper?
# Every household first hears the policy at the door (or on the phone); nobody_home and
# not_reached households never do. Both flats of the two-flat owner sign at one sitting.
AGREE_BOTH = ("agree", "agree")
STORIES = {
    "agree":            ("support",   [],                    [(AGREE_BOTH, None, False)]),
    "agree_not_paying": ("support",   ["cost"],              [(("agree", "agree_not_paying"), None, False)]),
    "agree_on_paper":   ("support",   [],                    [(AGREE_BOTH, 5, True)]),
    "changed_mind":     ("support",   ["fund"],              [(("disagree", "agree"), 8, False), (AGREE_BOTH, 3, False)]),
    "disagree":         ("oppose",    ["low_floor", "cost"], [(("agree", "disagree"), None, False)]),
    "two_flats":        ("support",   [],                    [(AGREE_BOTH, 4, False)]),
    "undecided":        ("undecided", ["cost", "noise"],     []),
    "nobody_home":      ("",          [],                    []),
}
NOTES = {  # what the visitor wrote down
    "agree": "讲解了补贴政策和本户分摊金额，业主表示早就盼着换电梯。",
    "agree_not_paying": "租户转达了联系方式，电话联系到业主，业主同意但希望年后再出资。",
    "agree_on_paper": "业主在外地工作，通过亲属联系上，寄回纸质签字表。",
    "changed_mind": "第一次担心维修资金被挪用，解释资金监管流程后改变了意见。",
    "disagree": "住二楼，同意动用维修资金换电梯，但认为电梯对自家用处不大，不愿分摊自筹费用。",
    "two_flats": "业主住1001，1002也在他名下（儿子一家居住）。两套房一次签字，意见相同。",
    "undecided": "对分摊金额有疑问，想等协调会再决定。",
    "nobody_home": "连续两次上门无人应答，留了联系卡。",
}
FIRST = {"attitude": "undecided", "concerns": ["cost"], "notes": "首次上门讲解政策。"}
UNDECIDED_NEXT_STEP = "协调会后再上门"
NOBODY_HOME = {"channel": "door", "reached": "nobody", "next_step": "晚上再来"}  # 15 and 6 days ago
# The grid worker's search for an owner who lives elsewhere: days ago, method, result, note.
OWNER_FOUND = [
    (25, "tenant", "contact_found", "租户提供了业主的电话。"),
    (20, "phone", "reached", "电话联系上业主，约定再详谈。"),
]
OWNER_NOT_FOUND = [(12, "property", "unknown", "物业登记的电话已停机，继续通过邻居打听。")]

# Coordination meetings about the seed unit: days ago; decisions: text, a commitment?, status.
MEETINGS = [
    (26, {"title": "1栋1单元电梯更新第一次协调会", "place": "社区党群服务中心二楼会议室",
          "attendees": "社区党委、物业公司、电梯公司、施工单位、1栋1单元居民代表8人",
          "summary": "介绍更新方案和补贴政策，居民就施工时间、材料运输和费用分摊提出意见。"}, [
        ("中午12:00至14:00、晚上20:00以后不进行有噪音的施工。", True, "in_progress"),
        ("材料运输走北侧消防通道，不占用单元门口通道，安排专人看护。", True, "open"),
        ("完工后由施工单位负责恢复楼前草坪和绿化。", True, "open"),
    ]),
    (12, {"title": "费用分摊方案协商会", "place": "1栋架空层",
          "attendees": "社区书记、网格员、楼栋长、物业公司、居民代表12人",
          "summary": "确定“政府补贴 + 维修资金 + 居民自筹”的分摊方式，一楼住户免出资。"}, [
        ("采用楼层系数 × 建筑面积分摊居民自筹部分，一楼免出资。", False, "done"),
        ("维修资金使用部分按程序公示7天。", True, "done"),
        ("施工期间为高龄和行动不便的居民安排志愿者帮忙上下楼。", True, "open"),
    ]),
]
# Reverse-scheduled from the target opening date (倒排工期): title, days before opening,
# and for a milestone already reached, how many days after its plan it was reached.
MILESTONES = [
    ("完成全部入户走访", 151, 1), ("公示费用分摊方案", 138, 0), ("完成业主意愿征询签字", 106, None),
    ("律师审核更新合同", 101, None), ("街道办程序审核", 96, None), ("旧电梯拆除", 80, None),
    ("新电梯安装调试", 31, None), ("特种设备检验验收", 11, None), ("新电梯投入使用", 0, None),
]
# Progress updates: title, days ago (None: a draft), how many photos, body.
UPDATES = [
    ("入户走访全部完成", 23, 1, "网格员和楼栋长完成1栋1单元全部20户的走访，逐户讲解补贴政策和分摊金额。"),
    ("费用分摊方案公示", 10, 0, "经协商会讨论，费用分摊方案（第2版）已公示，一楼住户免出资。详情见本页“政策与费用”。"),
    ("今日进展：意愿征询签字过半", 0, 2, "今天又有两户业主签字同意。网格员晚上继续上门，和还有顾虑的住户再算一算账。"),
    ("施工单位进场准备（草稿）", None, 0, "待签字完成后发布。"),
]
# Residents' questions: body, room, status, days ago answered, answer.
QUESTIONS = [
    ("一楼也要出钱吗？", "101", "published", 5, "一楼住户不分摊居民自筹部分，二楼及以上按楼层系数和面积分摊；维修资金按面积从每户自己的维修资金账户列支，一楼也一样。"),
    ("施工期间怎么上下楼？", "", "published", 3, "施工期间约两个月，社区将安排志愿者为高龄和行动不便的居民提供帮助。"),
    ("中午能不能不施工？家里老人要午休。", "702", "published", 0, "协调会已经定下：中午12:00至14:00、晚上20:00以后不进行有噪音的施工。"),
    ("维修资金用了以后还够不够用？", "", "answered", 0, "使用前会公示7天，使用后账户余额会在项目页公布。"),
    ("电梯换好以后谁来维保？", "", "new", None, ""),
]
# fmt: on
