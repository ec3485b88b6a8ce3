"""Demo: the sealed channel's three bodies — 拉萨市纪委监委 over 堆龙德庆区纪委监委
over 东嘎街道纪工委 — their roster, each post with a confirmed TOTP device on
one demo key (:data:`DEMO_TOTP_KEY`), and a year of reports, December 2025 to
November 2026: forty, over every channel and kind of matter, in every state
and with all four disposals; a third real-name, some with photos, messages
both ways, four not accepted with where to go instead, two sent up a level,
one about the district's principal (it lands at the city), an objection
reopened, one answered and one waiting, identity requests pending, approved
and refused.

Everything goes through the actions officers and reporters use, each step at
its own past moment (``clock.at``) and in the order they happened across all
reports, so the audit chain reads as the year went; a weekly sweep raises and
clears alerts as the worker would, and a last one runs now, so what is late
today is on the heads' desks. Afterwards only the rows' ``created_at`` and
``updated_at``, which the database stamps, are moved back to those moments.
A step that would lie in the future (a demo seeded before December 2026) is
left out.

Each report costs one Argon2id digest of its receipt at the real parameters
(some 0.2 s), which is why the year has forty and not four hundred.

Idempotent: bodies (by code), users (by username), posts and devices are
added where missing; the year is written only while the three bodies have no
report at all."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, ImageDraw

from civicgrid.core import clock, pii
from civicgrid.core.demo import demo_seed
from civicgrid.core.workcalendar import WorkCalendar, get_work_calendar
from civicgrid.org.demo import CITY, DISTRICT, STREET, demo_password
from civicgrid.org.models import Area

from .. import actions
from ..actions.reports import STAFF_CHANNELS, Redirect
from ..models import (
    Body,
    Channel,
    Code,
    Disposal,
    Grant,
    IdentityRequest,
    Matter,
    Post,
    Report,
)

# The one key of every demo login's authenticator (hex, as django-otp keeps
# it). It is public — the README prints it — so a device with this key is
# no second factor at all: it belongs to demo data only.
DEMO_TOTP_KEY = hashlib.sha256(b"civicgrid discipline demo totp").hexdigest()[:40]


def demo_totp_base32() -> str:
    """The demo key as an authenticator app takes it."""
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode("ascii")


# --- the bodies and their roster ------------------------------------------------

HOURS = "工作日 9:30-12:30、15:30-18:00"

# code, name, area code, the next level up, address for letters and visits.
BODIES = [
    ("ls", "拉萨市纪委监委", CITY[0], "", "拉萨市城关区"),
    ("dl", "堆龙德庆区纪委监委", DISTRICT[0], "ls", "堆龙德庆区东嘎镇"),
    ("dg", "东嘎街道纪工委", STREET[0], "dl", "东嘎街道办事处"),
]

K = Post.Kind
# username, full name, body, post. "discipline" (德吉) is the org demo's
# discipline officer, who gets the street's officer post here.
ROSTER = [
    ("dl_head", "次仁央宗", "dl", K.HEAD),
    ("dl_officer", "旦增尼玛", "dl", K.OFFICER),
    ("dl_officer2", "周海燕", "dl", K.OFFICER),
    ("dl_custodian", "拉巴卓嘎", "dl", K.CUSTODIAN),
    ("dl_principal", "罗布顿珠", "dl", K.PRINCIPAL),
    ("dl_office", "杨帆", "dl", K.PRINCIPAL_OFFICE),
    ("ls_head", "普布扎西", "ls", K.HEAD),
    ("ls_officer", "孙志强", "ls", K.OFFICER),
    ("ls_custodian", "格桑德吉", "ls", K.CUSTODIAN),
    ("dg_head", "索朗次仁", "dg", K.HEAD),
    ("discipline", "德吉", "dg", K.OFFICER),
]
HEAD = {"ls": "ls_head", "dl": "dl_head", "dg": "dg_head"}
CUSTODIAN = {"ls": "ls_custodian", "dl": "dl_custodian"}
PRINCIPAL_NAME = next(name for user, name, _b, _k in ROSTER if user == "dl_principal")

# The 码上巡 code of the district's inspection group, which its QR reports
# came in by.
QR_LABEL = "区委第一巡察组"

# The roster took up its posts here; the year's reports follow.
YEAR_STARTS = (2025, 12, 1, 9, 0)


# --- the year's reports ---------------------------------------------------------


@dataclass(frozen=True)
class Deed:
    """One step on a report, ``after`` working days after the one before:
    ``do`` names the action (see ``_Year.deeds``); ``who`` is the officer
    granted or withdrawn (otherwise the officer who holds the report acts,
    the head grants, the custodian decides, the reporter writes)."""

    after: float
    do: str
    text: str = ""
    who: str = ""
    disposal: str = ""
    go_to: str = ""
    go_to_detail: str = ""
    told_by: str = ""
    photos: int = 0
    approve: bool = False


@dataclass(frozen=True)
class Case:
    """A report: lodged ``at`` (local time) with ``body``; by a reporter
    online or by QR code, or entered by ``entered_by`` from a letter, a visit
    or a 12388 call; real-name when ``reporter`` (name, phone, ID number,
    address) is given; then its deeds."""

    key: str
    at: str
    body: str
    channel: str
    matter: str
    accused: tuple[str, str, str]
    when: str
    what: str
    deeds: tuple[Deed, ...] = ()
    reporter: tuple[str, str, str, str] | None = None
    entered_by: str = ""
    photos: int = 0
    about_principal: bool = False


def grant(after: float, who: str, reason: str = "按分工承办") -> Deed:
    return Deed(after, "grant", reason, who=who)


def revoke(after: float, who: str) -> Deed:
    return Deed(after, "revoke", who=who)


def register(after: float, note: str = "") -> Deed:
    return Deed(after, "register", note)


NOTICE = (
    "你反映的问题已受理。我们将依规依纪依法办理，办理结果将告知你，请凭回执码查看。"
)


def accept(after: float, notice: str = NOTICE, told_by: str = "") -> Deed:
    return Deed(after, "accept", notice, told_by=told_by)


def not_accept(
    after: float, reason: str, go_to: str, detail: str = "", told_by: str = ""
) -> Deed:
    return Deed(
        after, "not_accept", reason, go_to=go_to, go_to_detail=detail, told_by=told_by
    )


def refer(after: float, reason: str) -> Deed:
    return Deed(after, "refer", reason)


def dispose(after: float, disposal: str, note: str = "") -> Deed:
    return Deed(after, "dispose", note, disposal=disposal)


def conclude(after: float, result: str) -> Deed:
    return Deed(after, "conclude", result)


def feed_back(after: float, result: str, told_by: str = "") -> Deed:
    return Deed(after, "feed_back", result, told_by=told_by)


def object_to(after: float, text: str, photos: int = 0) -> Deed:
    return Deed(after, "object", text, photos=photos)


def reopen(after: float, reason: str) -> Deed:
    return Deed(after, "reopen", reason)


def uphold(after: float, answer: str) -> Deed:
    return Deed(after, "uphold", answer)


def say(after: float, text: str) -> Deed:
    """The officer writes to the reporter."""
    return Deed(after, "say", text)


def write(after: float, text: str, photos: int = 0) -> Deed:
    """The reporter writes to the officer, with the receipt."""
    return Deed(after, "write", text, photos=photos)


def ask_identity(after: float, reason: str) -> Deed:
    return Deed(after, "ask_identity", reason)


def decide_identity(after: float, approve: bool, reason: str) -> Deed:
    return Deed(after, "decide_identity", reason, approve=approve)


def reveal(after: float) -> Deed:
    return Deed(after, "reveal")


def id_number(born: str, sequence: int) -> str:
    """A made-up ID number of 堆龙德庆区 with a right check digit."""
    first = f"{DISTRICT[0]}{born}{sequence:03d}"
    return first + pii.id_check_digit(first)


C = Channel
M = Matter
D = Disposal
APPROVED = "核查需要，同意承办人知悉，限本案使用"

CASES = [
    # --- given their result (反馈) -------------------------------------------------
    Case(
        "低保优亲厚友",
        "2025-12-08 10:20",
        "dl",
        C.LETTER,
        M.DUTY_VIOLATION,
        ("扎西某某", "东嘎街道某村村委会", "村委会主任"),
        "2025年下半年",
        "我是某村村民。村委会主任扎西某某在2025年低保评议中优亲厚友，把他弟弟一家和"
        "他妻子的表妹一家纳入低保，这两户家里都有货车，在拉萨开了门面；村里两户因病"
        "致贫的老人申请了两次都没有评上。评议会没有公示名单，村民代表也没有都参加。"
        "附上我拍的村务公开栏照片，上面没有低保名单。",
        (
            register(0.5, "涉村干部优亲厚友，本委管辖"),
            accept(2, told_by="电话告知举报人"),
            ask_identity(1, "需约见举报人了解两户困难家庭的情况"),
            decide_identity(0.5, True, APPROVED),
            reveal(0.2),
            dispose(1, D.VERIFY, "成立初核组，调取低保评议材料"),
            conclude(
                14,
                "经初步核实，扎西某某在低保评议中为其弟弟一家违规提供便利属实，"
                "另一户符合条件。已责令重新评议，违规发放的低保金已追回；扎西某某"
                "受到党内警告处分。",
            ),
            feed_back(
                3,
                "你反映的问题部分属实：相关人员已受到党内警告处分，违规享受的低保已"
                "取消并追回资金，两户困难家庭已重新申请评议。",
                told_by="当面反馈",
            ),
        ),
        reporter=("王某某", "13900090001", id_number("19720415", 31), "东嘎街道某村"),
        entered_by="dl_officer",
        photos=1,
    ),
    Case(
        "公车私用",
        "2025-12-15 20:40",
        "dl",
        C.ONLINE,
        M.PARTY_DISCIPLINE,
        ("某某", "堆龙德庆区某局", "办公室主任"),
        "2025年12月的几个周末",
        "区某局的一辆白色越野公务用车，最近几个周末都停在拉萨市区某商场的地下车库，"
        "开车的是这个局的办公室主任，车上还有孩子。周日下午四点左右我在车库看到过"
        "两次，拍了照片。",
        (
            grant(0.4, "dl_officer2"),
            register(1),
            accept(1.5),
            dispose(1, D.TALK, "函询本人，调取车辆使用登记"),
            conclude(
                12,
                "经核查，该车12月有三个周末未经审批私用，情况属实。当事人已作出书面"
                "检查，受到批评教育并按里程退缴费用；该局已修订公务用车管理办法。",
            ),
            feed_back(
                2,
                "你反映的公车私用问题属实，当事人已受到批评教育并退缴相关费用，该局"
                "已整改车辆管理制度。感谢你的监督。",
            ),
        ),
        photos=1,
    ),
    Case(
        "处分申诉",
        "2026-01-06 11:00",
        "dl",
        C.VISIT,
        M.SANCTION_APPEAL,
        ("申诉人本人", "东嘎街道某社区", "原社区党支部委员"),
        "2025年9月",
        "本人原任某社区党支部委员，2025年9月因社区办公用品采购未按规定比价受到党内"
        "警告处分。本人认为采购是社区集体研究决定的，我只是经办人；处分时没有充分听"
        "取我的陈述，也没有考虑我主动退还差价的情况，申请复查。",
        (
            register(0.5, "处分申诉，调原案卷复查"),
            accept(1, "你的申诉已受理，我们将依规复查，结果将告知你。", "当面告知"),
            dispose(2, D.VERIFY, "调取原案卷宗复查"),
            conclude(
                20,
                "经复查，原处分认定事实清楚、证据确凿，定性准确，处理恰当，程序合法；"
                "申诉人退还差价的情节在原处分中已经考虑。维持原处分。",
            ),
            feed_back(
                2,
                "经复查，原处分事实清楚、定性准确、程序合法，决定维持。如不服，可向"
                "上一级纪委监委提出申诉。",
                told_by="当面送达复查决定",
            ),
        ),
        reporter=(
            "次仁某某",
            "13900090002",
            id_number("19800314", 52),
            "东嘎街道某社区",
        ),
        entered_by="dl_officer",
    ),
    Case(
        "窗口作风粗暴",
        "2026-02-20 14:10",
        "dg",
        C.ONLINE,
        M.DUTY_VIOLATION,
        ("某某", "东嘎街道便民服务中心", "窗口工作人员"),
        "2026年2月19日、20日",
        "2月19日上午我到街道便民服务中心给老人办高龄补贴，窗口一名男工作人员态度很差，"
        "材料只差一张复印件，他就把材料扔回来，大声说“看不懂就别来”，后面排队的群众"
        "都听到了。今天我又去了一次，还是他，推说系统坏了，让我下周再来。",
        (
            grant(0.5, "discipline"),
            register(1),
            accept(1),
            dispose(1, D.TALK, "约谈当事人及中心负责人"),
            conclude(
                6,
                "经调查，当事人工作态度生硬、推诿群众属实。已对其谈话提醒并调离窗口"
                "岗位，便民服务中心开展作风整顿并公开服务承诺。",
            ),
            feed_back(
                1.5,
                "你反映的问题属实，已对当事人谈话提醒并调整岗位，便民服务中心已开展"
                "作风整顿。老人的高龄补贴已于当周办结。",
            ),
        ),
    ),
    Case(
        "集体收入不公开",
        "2026-03-10 16:05",
        "dl",
        C.QR,
        M.DUTY_VIOLATION,
        ("某某", "东嘎街道某村", "村党支部书记"),
        "2025年全年",
        "区委巡察组在村里时我扫码反映：村集体经济合作社2025年出租厂房和砂石场的收入"
        "没有公开，年底分红每户只有三百多元，村民要看账目村干部不给看。听说有一部分"
        "收入由村党支部书记个人保管。附村务公开栏照片两张。",
        (
            grant(0.3, "dl_officer"),
            register(1, "巡察期间收到"),
            accept(1.5),
            dispose(1, D.VERIFY, "会同街道财政所审计合作社账目"),
            conclude(
                18,
                "经初步核实，该合作社收入均已入账，未发现个人保管集体资金；但财务"
                "公开不及时、分红方案未经村民代表会议通过，已责令整改，对村党支部"
                "书记批评教育。",
            ),
            feed_back(
                2,
                "经核实，未发现集体资金由个人保管；财务公开不及时、分红程序不规范属实，"
                "已责令整改并对相关人员批评教育。",
            ),
            object_to(
                5,
                "我不同意这个结果。砂石场2025年的收入至少有十几万元，账上只记了一半。"
                "我这里有砂石场经营户开的收款收据照片，收款人是村党支部书记本人。",
                photos=1,
            ),
            reopen(2, "举报人提供新证据，重新核查砂石场收入"),
            dispose(1, D.VERIFY, "调取砂石场经营户银行流水"),
            conclude(
                20,
                "经重新核查，砂石场约六万元收入未入合作社账、由村党支部书记个人收取，"
                "已全部追缴入账。村党支部书记受到党内严重警告处分，合作社财务改由"
                "街道代理记账。",
            ),
            feed_back(
                2,
                "经重新核查，你反映的砂石场收入未入账问题属实，资金已追缴，相关人员"
                "已受到党内严重警告处分。感谢你提供的证据。",
            ),
        ),
        photos=2,
    ),
    Case(
        "婚宴收受礼金",
        "2026-04-14 10:35",
        "dl",
        C.PHONE,
        M.PARTY_DISCIPLINE,
        ("李某某", "堆龙德庆区某局", "副局长"),
        "2026年3月",
        "来电反映：区某局副局长李某某3月为儿子操办婚宴，在拉萨市区某酒店摆了四十多桌，"
        "邀请了局里管理服务的多家企业负责人，收受礼金。来电人称是其中一家企业的员工，"
        "亲眼见到企业负责人随礼。",
        (
            register(0.3),
            accept(1, told_by="电话告知"),
            dispose(1, D.VERIFY, "调取婚宴报告材料，约谈相关企业负责人"),
            conclude(
                22,
                "经初步核实，李某某操办儿子婚宴未按规定报告，宴请范围超出亲属，收受"
                "管理服务对象礼金二万余元属实。李某某受到党内警告处分，违规收受的礼金"
                "已全部退还。",
            ),
            # Told late: the head's alert was up for a week.
            feed_back(
                20,
                "你反映的问题属实，当事人已受到党内警告处分，违规收受的礼金已退还。",
                told_by="电话告知",
            ),
        ),
        reporter=("王某某", "13900090003", "", ""),
        entered_by="dl_officer2",
    ),
    Case(
        "公示栏不更新",
        "2026-05-07 09:50",
        "dl",
        C.ONLINE,
        M.CRITICISM,
        ("不涉及具体人员", "东嘎街道各村（居）", ""),
        "",
        "建议：街道各村的惠民惠农补贴公示栏很久没有更新，有的还贴着前年的名单，群众"
        "想监督也看不到。建议每季度更新一次，把公示名单放到手机上也能查，同时公布"
        "12388举报电话。",
        (
            grant(0.5, "dl_officer2"),
            register(10),  # late, past the 5 working days
            accept(1),
            dispose(1, D.CLOSE, "建议转东嘎街道办理"),
            conclude(
                3,
                "已将建议转东嘎街道。街道已组织各村更新惠民补贴公示栏，公布12388举报"
                "电话，今后每季度更新一次。",
            ),
            feed_back(
                1,
                "感谢你的建议。东嘎街道已组织各村更新惠民补贴公示栏、公布12388举报"
                "电话，今后每季度更新。",
            ),
        ),
    ),
    Case(
        "草场补助不公",
        "2026-06-03 11:30",
        "dl",
        C.ONLINE,
        M.DUTY_VIOLATION,
        ("次仁某某", "东嘎街道某村", "村委会副主任"),
        "2026年春季",
        "今年春季发放草原生态保护补助奖励时，村委会副主任次仁某某负责统计，我家的"
        "草场面积被少算了四十多亩，他亲戚家的面积却比实际多。我找他核对，他说是按"
        "老数据算的，不给改。附我家草场承包证照片。",
        (
            grant(0.4, "dl_officer"),
            register(1),
            accept(1, told_by="电话告知"),
            dispose(1, D.VERIFY, "会同区农业农村部门核对确权面积"),
            conclude(
                15,
                "经初步核实，补助按2019年确权面积统计发放，次仁某某未擅自更改面积"
                "数据，其亲属家面积与确权证一致；举报人家面积差异系确权时漏登。反映"
                "问题不属实。",
            ),
            feed_back(
                2,
                "经核实，补助按确权面积发放，未发现相关人员擅自更改数据。你家草场"
                "面积差异系确权时漏登，可持承包证到街道农业服务中心申请更正，更正后"
                "补发差额。",
                told_by="电话告知",
            ),
            object_to(4, "我认为核查不彻底，他亲戚家多出来的面积没有解释清楚。"),
            uphold(
                3,
                "经复核，其亲属家的补助面积与确权证一致，原核查结论正确，予以维持。"
                "你家的面积更正申请已受理，更正后补发差额。",
            ),
        ),
        reporter=(
            "拉姆某某",
            "13900090004",
            id_number("19850621", 64),
            "东嘎街道某村",
        ),
        photos=1,
    ),
    Case(
        "村务监督不履职",
        "2026-07-16 10:15",
        "dg",
        C.LETTER,
        M.OTHER,
        ("某某", "东嘎街道某村村务监督委员会", "主任"),
        "2025年至今",
        "来信反映：村里修水渠的项目去年完工，村务监督委员会从来没有对工程量和付款"
        "进行监督；村民提意见时，村务监督委员会主任说“这不归我们管”。希望纪工委"
        "督促村务监督委员会履职。",
        (
            register(0.5),
            accept(1),
            dispose(1, D.CLOSE, "督促履职，予以了结"),
            conclude(
                5,
                "已约谈该村村务监督委员会，督促其补开监督会议，公开水渠工程量和付款"
                "情况；街道对各村村务监督委员会履职情况开展了一次检查。",
            ),
            feed_back(
                1.5,
                "已督促该村村务监督委员会补开监督会议并公开水渠工程量和付款情况，"
                "街道已对各村村务监督委员会履职开展检查。",
            ),
        ),
        entered_by="discipline",
    ),
    Case(
        "亲属承揽工程",
        "2026-06-22 15:40",
        "dg",
        C.VISIT,
        M.DUTY_VIOLATION,
        ("王某某", "堆龙德庆区某局", "副局长"),
        "2024年至2026年",
        "来访反映：区某局副局长王某某的妻弟开的建材公司，近两年承接了该局负责的多个"
        "村级道路硬化和安置点配套工程。来访人是参与竞标的施工队负责人，认为招标的"
        "评分标准是按这家公司量身定的。",
        (
            register(0.3, "被反映人为区管干部"),
            refer(1, "被反映人为区管干部，按管辖移送堆龙德庆区纪委监委"),
            grant(0.5, "dl_officer"),
            register(1),
            accept(1.5, told_by="电话告知"),
            dispose(1, D.VERIFY, "调取近两年招投标资料"),
            conclude(
                25,
                "经初步核实，王某某未如实报告其妻弟经商情况，并在两项工程招标中为其"
                "打招呼，问题属实。王某某受到党内严重警告、政务记过处分，相关工程已"
                "移交审计复核。",
            ),
            feed_back(
                2,
                "你反映的问题属实，当事人已受到党内严重警告、政务记过处分，相关工程"
                "已移交审计复核。",
                told_by="电话告知",
            ),
        ),
        reporter=("旦增某某", "13900090005", id_number("19781109", 75), ""),
        entered_by="discipline",
    ),
    Case(
        "指定供货商",
        "2026-04-22 10:00",
        "ls",
        C.LETTER,
        M.DUTY_VIOLATION,
        ("赵某某", "拉萨市某国有企业", "副总经理"),
        "2025年10月",
        "来信反映：市某国有企业副总经理赵某某在企业采购办公家具时，指定其同学开的"
        "家具公司供货，价格明显高于市场价。来信附采购合同复印件和同类产品报价单。",
        (
            register(0.5),
            accept(1, told_by="电话告知"),
            dispose(1.5, D.VERIFY, "调取采购合同和付款凭证"),
            ask_identity(2, "需向举报人核实报价单的来源"),
            decide_identity(0.5, True, APPROVED),
            reveal(0.3),
            conclude(
                25,
                "经初步核实，赵某某在采购中未执行比价程序、指定供货商属实，企业多"
                "支付约八万元。赵某某受到政务记过处分，多付款项已追回。",
            ),
            feed_back(
                2,
                "你反映的问题属实，当事人已受到政务记过处分，多付的款项已追回。",
                told_by="电话告知",
            ),
        ),
        reporter=("李某某", "13900090006", "", "拉萨市城关区"),
        entered_by="ls_officer",
        photos=1,
    ),
    Case(
        "干部参与赌博",
        "2026-03-25 22:10",
        "dl",
        C.ONLINE,
        M.PARTY_DISCIPLINE,
        ("某某", "堆龙德庆区某局", "干部"),
        "",
        "听说区某局有干部在东嘎镇参与赌博，数额不小，经常是周末晚上。",
        (
            grant(0.5, "dl_officer2"),
            register(1),
            accept(1),
            dispose(1, D.HOLD, "线索笼统，暂存待查，请举报人补充"),
            say(
                0.3,
                "你反映的线索较为笼统。如方便，请凭回执码补充被反映人的职务、时间和"
                "地点。",
            ),
            write(
                40,
                "补充：是区某局的一名科长，姓罗，每周六晚上在东嘎镇某茶馆二楼打麻将，"
                "输赢上千元。附茶馆门口照片。",
                photos=1,
            ),
            dispose(2, D.VERIFY, "举报人补充线索，转初步核实"),
            conclude(
                20,
                "经初步核实，该科长多次参与赌资较大的麻将赌博属实，受到党内严重警告"
                "处分；公安机关已依法处理。",
            ),
            feed_back(
                2,
                "你反映的问题属实，相关人员已受到党纪处分，公安机关已依法处理。感谢你"
                "补充线索。",
            ),
        ),
    ),
    Case(
        "驻村不在岗",
        "2026-08-11 09:40",
        "dl",
        C.QR,
        M.PARTY_DISCIPLINE,
        ("某某", "区某局驻东嘎街道某村工作队", "队长"),
        "2026年7月至8月",
        "驻村工作队队长一个月只在村里住两三天，工作日志是其他队员代写的，村里有事"
        "找不到人。",
        (
            grant(0.3, "dl_officer"),
            register(1),
            accept(1),
            dispose(1, D.TALK, "约谈工作队队长及派出单位"),
            conclude(
                8,
                "经核实，该队长7月至8月在岗天数不足规定要求，工作日志由他人代写属实，"
                "已对其诫勉谈话；派出单位已调整工作队队长。",
            ),
            feed_back(
                1.5,
                "你反映的问题属实，当事人已受到诫勉谈话，派出单位已调整驻村工作队"
                "队长。",
            ),
        ),
    ),
    # --- an objection waiting for an answer (异议) ---------------------------------
    Case(
        "违规吃喝",
        "2026-09-08 19:20",
        "dl",
        C.ONLINE,
        M.PARTY_DISCIPLINE,
        ("某某", "堆龙德庆区某中心", "主任"),
        "2026年8月",
        "区某中心主任经常在工作日中午带单位几个人到东嘎镇一家藏餐馆吃饭喝酒，有时"
        "下午上班时间还没回来，费用据说由给中心做维修的一家公司结账。8月至少有三次。",
        (
            grant(0.3, "dl_officer2"),
            register(1),
            accept(1),
            dispose(1, D.TALK, "函询本人，核查餐馆结账记录"),
            conclude(
                15,
                "经函询和核查，该主任8月有一次工作日中午饮酒，费用由个人支付，未发现"
                "由企业结账。已对其诫勉谈话。",
            ),
            feed_back(
                2,
                "经核查，当事人工作日中午饮酒部分属实，已受到诫勉谈话；未发现由企业"
                "结账的情况。",
            ),
            object_to(
                10,
                "这个结果我不认可。我看到的不止一次，餐馆老板说是记在维修公司账上的，"
                "请再查一下餐馆的挂账本。",
            ),
        ),
    ),
    # --- not accepted, and where to go instead (不予受理) --------------------------
    Case(
        "民间借贷",
        "2026-01-12 15:50",
        "dl",
        C.PHONE,
        M.OTHER,
        ("某某", "个体经营户", ""),
        "2025年",
        "来电反映：来电人去年借给同村一名个体户五万元，对方一直不还，电话也不接，"
        "希望纪委帮忙要回来。对方不是党员，也不是公职人员。",
        (
            register(0.2),
            not_accept(
                0.5,
                "所反映问题为民间借贷纠纷，被反映人不是党员或公职人员，不属于纪检"
                "监察机关受理范围。",
                Redirect.LITIGATION,
                "可向堆龙德庆区人民法院起诉",
                told_by="电话告知来电人",
            ),
        ),
        entered_by="dl_officer2",
    ),
    Case(
        "拖欠工资",
        "2026-04-28 13:20",
        "dl",
        C.ONLINE,
        M.OTHER,
        ("某某", "拉萨某建筑劳务公司", "项目经理"),
        "2025年8月至11月",
        "我在一家建筑劳务公司的工地干了四个月，项目经理拖欠我和工友的工资共三万多元，"
        "去年底说过年前发，到现在还没发。",
        (
            grant(0.5, "dl_officer2"),
            register(1),
            not_accept(
                1,
                "所反映问题为用人单位拖欠劳动报酬，被反映人不是公职人员，不属于纪检"
                "监察机关受理范围。",
                Redirect.ARBITRATION,
                "可向堆龙德庆区劳动人事争议仲裁委员会申请仲裁，或拨打12333反映欠薪",
            ),
        ),
    ),
    Case(
        "不服罚款",
        "2026-06-15 11:10",
        "dg",
        C.VISIT,
        M.OTHER,
        ("某某", "堆龙德庆区某执法大队", "执法队员"),
        "2026年6月",
        "来访反映：来访人在东嘎街道开的小饭馆门口摆了两张桌子，被执法队罚款五百元。"
        "来访人认为罚得太重，执法时也没有说明理由，要求撤销罚款。执法人员没有索要"
        "财物。",
        (
            register(0.3),
            not_accept(
                0.5,
                "所反映问题为对行政处罚决定不服，未反映执法人员违纪违法问题，不属于"
                "纪检监察机关受理范围。",
                Redirect.REVIEW,
                "可自收到处罚决定书之日起六十日内申请行政复议，或六个月内提起行政诉讼",
                told_by="当面告知来访人",
            ),
        ),
        reporter=("格桑某某", "13900090007", "", "东嘎街道"),
        entered_by="discipline",
    ),
    Case(
        "过期食品",
        "2026-09-21 12:40",
        "dl",
        C.QR,
        M.OTHER,
        ("某某", "东嘎镇某超市", "店主"),
        "2026年9月",
        "东嘎镇某超市货架上卖过期的牛奶和饼干，我买到了，店主不给退。附照片。",
        (
            grant(0.3, "dl_officer"),
            register(0.5),
            not_accept(
                0.5,
                "所反映问题为商品质量和消费纠纷，不涉及党员、公职人员违纪违法，不属于"
                "纪检监察机关受理范围。",
                Redirect.OTHER_BODY,
                "堆龙德庆区市场监督管理局（或拨打12315）",
            ),
        ),
        photos=1,
    ),
    # --- being handled (处置中) -----------------------------------------------------
    Case(
        "道路工程质量",
        "2026-05-19 21:30",
        "dl",
        C.ONLINE,
        M.DUTY_VIOLATION,
        ("某某", "东嘎街道某村", "村干部"),
        "2025年",
        "村里去年的道路硬化工程，路面才一年就开裂了，听说施工方是村干部的亲戚，工程款"
        "比别的村高。",
        (
            grant(0.4, "dl_officer2"),
            revoke(3, "dl_officer2"),
            grant(0.05, "dl_officer", "工作调整，改由其承办"),
            register(1),
            accept(1),
            dispose(1, D.HOLD, "线索不具体，待区审计局村级工程专项审计结果后再查"),
        ),
    ),
    Case(
        "帮扶资金挪借",
        "2026-09-02 10:30",
        "dl",
        C.LETTER,
        M.DUTY_VIOLATION,
        ("某某", "堆龙德庆区某局", "科员"),
        "2024年",
        "来信反映：2024年有一笔产业帮扶资金拨到村里后迟迟没有用，听说被局里一名科员"
        "借给亲戚做生意，后来又还回去了。来信人不清楚具体金额。",
        (
            register(0.5),
            accept(1, told_by="电话告知"),
            dispose(1.5, D.HOLD, "相关资金在区审计整改范围内，暂存待审计结果"),
        ),
        reporter=("次旦某某", "13900090008", "", "东嘎街道某村"),
        entered_by="dl_officer",
    ),
    Case(
        "选房费",
        "2026-08-18 16:20",
        "dl",
        C.ONLINE,
        M.DUTY_VIOLATION,
        ("某某", "堆龙德庆区某中心", "工作人员"),
        "2026年7月",
        "易地搬迁安置点分房时，负责登记的工作人员让我家交两千元“选房费”，说交了"
        "可以选楼层好的房子，没交的只能分顶楼。我交了，没有收据。听说有十几户都交了。"
        "附转账截图。",
        (
            grant(0.3, "dl_officer2"),
            register(1),
            accept(1, told_by="电话告知"),
            say(
                0.5, "请问交费时还有哪些人在场？如方便，请补充其他交费住户的大致情况。"
            ),
            write(
                2,
                "当时还有两户邻居在场，都是在登记点办公室交的，一户两千，一户一千五。",
            ),
            ask_identity(1, "需与举报人当面核对转账记录原件"),
            decide_identity(0.5, True, APPROVED),
            reveal(0.3),
            dispose(1, D.VERIFY, "调取安置点登记和选房记录"),
        ),
        reporter=(
            "普琼某某",
            "13900090009",
            id_number("19690802", 86),
            "东嘎街道某安置点",
        ),
        photos=1,
    ),
    Case(
        "主要负责人干预办案",
        "2026-10-14 23:05",
        "dl",
        C.ONLINE,
        M.PARTY_DISCIPLINE,
        (PRINCIPAL_NAME, "堆龙德庆区纪委监委", "主要负责人"),
        "2026年9月至10月",
        "反映堆龙德庆区纪委监委主要负责人在一起工程领域案件办理中多次过问进展，并"
        "要求承办人员对其一名亲属从轻处理。因为反映的是区纪委监委主要负责人本人，"
        "请上级纪委监委处理。",
        (
            grant(0.5, "ls_officer"),
            register(1),
            accept(2),
            dispose(1.5, D.VERIFY, "调阅相关案卷，不通知被反映人"),
        ),
        about_principal=True,
    ),
    Case(
        "套取医保",
        "2026-10-21 17:05",
        "dl",
        C.QR,
        M.DUTY_VIOLATION,
        ("某某", "东嘎镇某卫生院", "副院长"),
        "2026年",
        "卫生院副院长让住院的老人多住几天、多开检查，住院单上的项目有的根本没有做过，"
        "用来多报医保。附一张费用清单照片。",
        (
            grant(0.3, "dl_officer"),
            register(1),
            accept(1),
            dispose(1, D.TALK, "函询本人，请区医保部门协助核查费用清单"),
        ),
        photos=1,
    ),
    Case(
        "网格员吃拿卡要",
        "2026-11-04 09:30",
        "dg",
        C.ONLINE,
        M.DUTY_VIOLATION,
        ("某某", "东嘎街道某社区居委会", "网格员"),
        "2026年10月",
        "社区一名网格员帮老人申请临时救助时，暗示要请他吃饭才能尽快报上去，有两户"
        "老人家里确实请了。",
        (
            grant(0.3, "discipline"),
            register(1),
            accept(1),
            dispose(1, D.TALK, "约谈当事网格员"),
        ),
    ),
    Case(
        "食堂配送",
        "2026-11-09 10:40",
        "dl",
        C.PHONE,
        M.DUTY_VIOLATION,
        ("某某", "堆龙德庆区某学校", "后勤负责人"),
        "2026年秋季学期",
        "来电反映：学校食堂的食材由后勤负责人指定一家配送公司供应，价格高、菜不新鲜，"
        "家长多次反映也没有改变，怀疑其中有利益输送。",
        (
            register(0.3),
            accept(1),
            dispose(1.5, D.VERIFY, "调取食堂采购合同和配送单"),
        ),
        entered_by="dl_officer2",
    ),
    Case(
        "护林补助已处理",
        "2026-11-03 20:15",
        "dl",
        C.ONLINE,
        M.DUTY_VIOLATION,
        ("某某", "东嘎街道某村", "村委会委员"),
        "2026年",
        "村委会委员某某去年被反映过违规领取护林员补助，听说已经处理过了，但我看今年"
        "的补助名单上还有他的名字。",
        (
            grant(0.4, "dl_officer"),
            register(1),
            accept(1),
            dispose(1, D.CLOSE, "该问题已于2025年查处，今年名单系公示未更新，予以了结"),
        ),
    ),
    # --- concluded, the result not yet given (办结待反馈) --------------------------
    Case(
        "会议费报销餐费",
        "2026-08-25 09:00",
        "dl",
        C.ONLINE,
        M.DUTY_VIOLATION,
        ("某某", "堆龙德庆区某局", "财务人员"),
        "2026年",
        "区某局财务人员把单位的加班餐费报销成会议费，一年好几次，报销单上的参会人员"
        "都是编的。",
        (
            grant(0.5, "dl_officer2"),
            register(1),
            accept(1),
            dispose(1, D.TALK, "函询当事人，调取报销凭证"),
            conclude(
                12,
                "经函询和核查，该局2026年有三笔加班餐费以会议费名义报销，属违规报销，"
                "已责令退回，并对财务人员和分管领导批评教育。",
            ),
        ),
    ),
    Case(
        "冒领地力补贴",
        "2026-10-09 11:20",
        "dl",
        C.LETTER,
        M.DUTY_VIOLATION,
        ("格桑某某", "东嘎街道某村", "村会计"),
        "2026年4月至6月",
        "来信反映：村会计格桑某某发放耕地地力保护补贴时，把几户外出多年、土地由别人"
        "耕种的人家的补贴领走了，名单上的签字笔迹一样。",
        (
            register(0.4),
            accept(1, told_by="电话告知"),
            ask_identity(1, "拟请举报人协助辨认签字"),
            decide_identity(
                0.5, False, "发放名单和银行代发记录足以核查，无需知悉举报人身份"
            ),
            dispose(0.5, D.VERIFY, "调取补贴发放名单和银行代发记录"),
            conclude(
                16,
                "经初步核实，格桑某某冒领五户耕地地力保护补贴共四千余元属实，已全部"
                "退还农户。格桑某某已被免去村会计职务，受到党内警告处分。",
            ),
        ),
        reporter=(
            "索朗某某",
            "13900090010",
            id_number("19750930", 97),
            "东嘎街道某村",
        ),
        entered_by="dl_officer",
    ),
    Case(
        "估抄水费",
        "2026-11-16 15:00",
        "dl",
        C.ONLINE,
        M.DUTY_VIOLATION,
        ("某某", "堆龙德庆区某国有公司", "抄表员"),
        "2026年10月",
        "自来水公司的抄表员每次来都不进门，按估计的数收费，我家上个月的水费比平时多了"
        "一倍，找他，他说去找公司。",
        (
            grant(0.5, "dl_officer2"),
            register(1),
            accept(1),
            dispose(1, D.CLOSE, "转供排水公司核查整改，予以了结"),
            conclude(
                4,
                "已转区供排水公司核查：该抄表员存在估抄问题，公司已按实际读数重新核算"
                "水费并退还多收部分，对抄表员通报批评。",
            ),
        ),
    ),
    Case(
        "指定中介",
        "2026-10-27 16:30",
        "dl",
        C.ONLINE,
        M.DUTY_VIOLATION,
        ("刘某某", "拉萨市某局驻堆龙德庆区办事机构", "负责人"),
        "2026年",
        "拉萨市某局驻区办事机构负责人刘某某在办理企业资质审核时，让企业到他指定的"
        "中介机构“代办”，代办费八千元，不代办就一直说材料不合格。",
        (
            grant(0.4, "dl_officer"),
            register(1),
            refer(1, "被反映人为市管单位负责人，按管辖移送拉萨市纪委监委"),
            grant(1, "ls_officer"),
            register(1),
            accept(1),
            dispose(1, D.TALK, "函询本人"),
            conclude(
                9,
                "经函询和核查，刘某某向办事企业推荐中介机构属实，未发现收受中介好处费。"
                "已对其诫勉谈话，并责令该机构公开办事指南，不得指定中介。",
            ),
        ),
    ),
    # --- received, registered, accepted: waiting (待办) ----------------------------
    Case(
        "取暖补贴",
        "2026-11-23 20:50",
        "dl",
        C.ONLINE,
        M.DUTY_VIOLATION,
        ("某某", "东嘎街道某社区", "社区干部"),
        "2026年11月",
        "社区发放冬季取暖补贴时，有的干部家属也领了，名单没有公示。",
    ),
    Case(
        "务工介绍费",
        "2026-11-27 09:15",
        "dg",
        C.ONLINE,
        M.DUTY_VIOLATION,
        ("某某", "东嘎街道某村", "村民小组长"),
        "2026年10月至今",
        "村民小组长组织村民外出务工，每人每天抽五十元“介绍费”，已经一个多月了。",
        (grant(0.3, "discipline"),),
    ),
    Case(
        "农机补贴",
        "2026-10-19 10:05",
        "dl",
        C.PHONE,
        M.DUTY_VIOLATION,
        ("某某", "堆龙德庆区某站所", "站长"),
        "2026年",
        "来电反映：某站所站长审核农机购置补贴时，要求农户到他指定的一家农机店购买，"
        "否则就拖着不审，这家店的价格比别处高不少。",
        entered_by="dl_officer2",
    ),
    Case(
        "购物卡",
        "2026-09-21 22:40",
        "dl",
        C.ONLINE,
        M.DUTY_VIOLATION,
        ("某某", "堆龙德庆区某局", "股长"),
        "2026年",
        "区某局一名股长在办理登记业务时，多次收受办事群众送的购物卡，每张五百到一千元"
        "不等。",
        (grant(0.5, "dl_officer"), register(1)),
    ),
    Case(
        "光伏分红",
        "2026-10-28 14:25",
        "dl",
        C.QR,
        M.PARTY_DISCIPLINE,
        ("某某", "东嘎街道某村", "村党支部书记"),
        "2026年",
        "巡察组进村时我扫码反映：村党支部书记把村里光伏发电的收益分红先发给了自己家"
        "和几户亲戚，其他村民到现在还没有领到。",
        (grant(0.3, "dl_officer2"), register(1)),
    ),
    Case(
        "耗材回扣",
        "2026-11-05 10:30",
        "dl",
        C.LETTER,
        M.DUTY_VIOLATION,
        ("某某", "堆龙德庆区某医院", "科室主任"),
        "2024年至今",
        "来信反映：区某医院一名科室主任长期在药品和耗材采购中收受供应商回扣。来信人"
        "称是医院职工，掌握部分供应商送钱的时间和地点。",
        (register(0.5), ask_identity(2, "需与举报人当面了解线索来源")),
        reporter=("白玛某某", "13900090011", "", ""),
        entered_by="dl_officer",
    ),
    Case(
        "评审打招呼",
        "2026-11-18 21:00",
        "ls",
        C.ONLINE,
        M.DUTY_VIOLATION,
        ("某某", "拉萨市某局", "处长"),
        "2026年10月",
        "市某局一名处长在项目评审中给评审专家打招呼，要求给某公司打高分，这家公司的"
        "实际控制人是他的大学同学。",
        (grant(0.5, "ls_officer"), register(1)),
    ),
    Case(
        "危房改造名额",
        "2026-10-13 15:40",
        "dl",
        C.VISIT,
        M.DUTY_VIOLATION,
        ("某某", "东嘎街道某村", "村党支部副书记"),
        "2026年",
        "来访反映：村党支部副书记在危房改造名额分配中，把名额给了自己的两个亲戚，他们"
        "的房子并不是危房；来访人家的房子墙体开裂多年，申请了两年都没有批。",
        (
            register(0.3),
            accept(1, told_by="当面告知"),
            write(10, "请问我反映的事情现在怎么样了？今年冬天以前能不能给个说法？"),
            say(
                1,
                "你反映的问题正在办理，我们已调取今年危房改造的评审材料，结果将及时"
                "告知你。",
            ),
            ask_identity(1, "需再次约见举报人核实房屋情况"),
        ),
        reporter=(
            "扎西某某",
            "13900090012",
            id_number("19620517", 18),
            "东嘎街道某村",
        ),
        entered_by="dl_officer",
    ),
    Case(
        "改造指定建材",
        "2026-11-10 08:10",
        "dl",
        C.ONLINE,
        M.DUTY_VIOLATION,
        ("某某", "东嘎街道某社区", "社区居委会主任"),
        "2026年",
        "社区居委会主任在老旧小区改造中，要求施工队到他亲戚开的建材店进货，不从这家"
        "进货就不给签验收单。",
        (grant(0.5, "dl_officer2"), register(1), accept(1)),
    ),
    Case(
        "清运虚报车次",
        "2026-09-14 10:20",
        "dg",
        C.LETTER,
        M.DUTY_VIOLATION,
        ("某某", "东嘎街道某村", "村委会委员"),
        "2026年",
        "来信反映：村委会委员在本村人居环境整治中，把清运垃圾的活包给自己家的车，"
        "按车次虚报费用。",
        (register(0.5), accept(1, told_by="电话告知")),
        reporter=("达娃某某", "13900090013", "", "东嘎街道某村"),
        entered_by="discipline",
    ),
]


# --- the seed ---------------------------------------------------------------------


def _local(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))  # noqa: DTZ001


def _photo(n: int) -> SimpleUploadedFile:
    """A photo of a notice board or a paper, made up: a few shapes on a
    background, 320×240."""
    rng = random.Random(f"discipline photo {n}")  # noqa: S311 - synthetic
    image = Image.new("RGB", (320, 240), (200 + n % 40, 190, 170 + n * 7 % 60))
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 20, 290, 220), fill=(245, 243, 235), outline=(90, 80, 70))
    for row in range(8):
        y = 40 + row * 22
        draw.line((50, y, 50 + rng.randrange(120, 220), y), fill=(60, 60, 60), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(
        f"IMG_{2026_0000 + n}.jpg", buffer.getvalue(), content_type="image/jpeg"
    )


class _Year:
    """The year's reports, written step by step in the order of their
    moments."""

    def __init__(self, bodies: dict[str, Body], users: dict[str, Any]) -> None:
        self.now = clock.now()
        self.bodies = bodies
        self.users = users
        self.calendar: WorkCalendar = get_work_calendar()
        self.reports: dict[str, Report] = {}
        self.holder: dict[str, str] = {}
        self.touched: dict[int, dt.datetime] = {}
        self.photos = 0
        self.code: Code | None = None

    # moments

    def received(self, case: Case) -> dt.datetime:
        moment = timezone.make_aware(dt.datetime.fromisoformat(case.at))
        day = moment.date()
        # Letters, visits and calls are entered on working days.
        while case.channel in STAFF_CHANNELS and not self.calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(day, moment.time()))

    def schedule(self) -> list[tuple[dt.datetime, int, Callable[[], None]]]:
        events: list[tuple[dt.datetime, int, Callable[[], None]]] = []
        for case in CASES:
            moment = self.received(case)
            events.append((moment, len(events), self._submitter(case)))
            for n, deed in enumerate(case.deeds):
                jitter = random.Random(f"{case.key} {n}").randrange(60, 2400)  # noqa: S311
                moment = self.calendar.add_working_seconds(
                    moment, deed.after * self.calendar.seconds_per_day + jitter
                )
                events.append((moment, len(events), self._doer(case, deed)))
        # The worker's sweep, as if it ran every Monday morning.
        monday = _local(*YEAR_STARTS) + dt.timedelta(days=7)
        monday -= dt.timedelta(days=monday.weekday())
        while monday < self.now:
            events.append((monday.replace(hour=8, minute=30), len(events), _sweep))
            monday += dt.timedelta(days=7)
        return sorted(events)

    def run(self) -> None:
        start = _local(*YEAR_STARTS)
        with clock.at(start + dt.timedelta(days=2)):
            self.code = actions.code_create(
                body=self.bodies["dl"],
                kind=Code.Kind.GROUP,
                label=QR_LABEL,
                acting_user=self.users[HEAD["dl"]],
            )
        for moment, _n, step in self.schedule():
            if moment >= self.now:
                continue  # not yet: the demo was seeded before it
            with clock.at(moment):
                step()
        actions.alerts_sweep()
        self._stamp(start)

    # intake

    def _uploads(self, count: int) -> list[SimpleUploadedFile]:
        files = []
        for _i in range(count):
            self.photos += 1
            files.append(_photo(self.photos))
        return files

    def _submitter(self, case: Case) -> Callable[[], None]:
        def submit() -> None:
            person: dict[str, Any] = {}
            if case.reporter:
                name, phone, number, address = case.reporter
                person = {
                    "real_name": True,
                    "name": name,
                    "phone": phone,
                    "id_number": number,
                    "address": address,
                }
            code = self.code if case.channel == C.QR else None
            if code is not None:
                scans = random.Random(case.key).randint(1, 4)  # noqa: S311
                for _i in range(scans):
                    actions.code_scanned(code=code)
            name, unit, post = case.accused
            submitted = actions.report_submit(
                body=self.bodies[case.body],
                channel=case.channel,
                matter=case.matter,
                accused_name=name,
                accused_unit=unit,
                accused_post=post,
                when=case.when,
                what=case.what,
                about_principal=case.about_principal,
                uploads=self._uploads(case.photos),
                code=code,
                acting_user=self.users[case.entered_by] if case.entered_by else None,
                **person,
            )
            # The receipt was shown to the reporter once; the demo keeps none.
            self.reports[case.key] = submitted.report
            self.touched[submitted.report.pk] = clock.now()
            if case.entered_by:
                self.holder[case.key] = case.entered_by

        return submit

    # handling

    def _doer(self, case: Case, deed: Deed) -> Callable[[], None]:
        def do() -> None:
            report = Report.objects.select_related("body").get(
                pk=self.reports[case.key].pk
            )
            self.deeds[deed.do](self, case, deed, report)
            self.touched[report.pk] = clock.now()

        return do

    def _officer(self, case: Case) -> Any:
        return self.users[self.holder[case.key]]

    def _head(self, report: Report) -> Any:
        return self.users[HEAD[report.body.code]]

    def _grant(self, case: Case, deed: Deed, report: Report) -> None:
        actions.grant_give(
            report=report,
            officer=self.users[deed.who],
            reason=deed.text,
            acting_user=self._head(report),
        )
        self.holder[case.key] = deed.who

    def _revoke(self, case: Case, deed: Deed, report: Report) -> None:
        held = Grant.objects.get(
            report=report, officer=self.users[deed.who], revoked_at__isnull=True
        )
        actions.grant_revoke(grant=held, acting_user=self._head(report))

    def _register(self, case: Case, deed: Deed, report: Report) -> None:
        officer = self._officer(case)
        # The officer reads the report and its evidence first.
        actions.report_open(report=report, acting_user=officer)
        for attachment in report.attachments.all():
            actions.attachment_open(attachment=attachment, acting_user=officer)
        actions.report_register(
            report=report, matter=report.matter, note=deed.text, acting_user=officer
        )

    def _accept(self, case: Case, deed: Deed, report: Report) -> None:
        actions.report_accept(
            report=report,
            notice=deed.text,
            told_by=deed.told_by,
            acting_user=self._officer(case),
        )

    def _not_accept(self, case: Case, deed: Deed, report: Report) -> None:
        actions.report_not_accept(
            report=report,
            reason=deed.text,
            go_to=deed.go_to,
            go_to_detail=deed.go_to_detail,
            told_by=deed.told_by,
            acting_user=self._officer(case),
        )

    def _refer(self, case: Case, deed: Deed, report: Report) -> None:
        actions.report_refer(
            report=report, reason=deed.text, acting_user=self._officer(case)
        )
        del self.holder[case.key]

    def _dispose(self, case: Case, deed: Deed, report: Report) -> None:
        actions.report_dispose(
            report=report,
            disposal=deed.disposal,
            note=deed.text,
            acting_user=self._officer(case),
        )

    def _conclude(self, case: Case, deed: Deed, report: Report) -> None:
        actions.report_conclude(
            report=report, result=deed.text, acting_user=self._officer(case)
        )

    def _feed_back(self, case: Case, deed: Deed, report: Report) -> None:
        actions.report_feed_back(
            report=report,
            result=deed.text,
            told_by=deed.told_by,
            acting_user=self._officer(case),
        )

    def _object(self, case: Case, deed: Deed, report: Report) -> None:
        actions.reporter_object(
            report=report, text=deed.text, uploads=self._uploads(deed.photos)
        )

    def _reopen(self, case: Case, deed: Deed, report: Report) -> None:
        actions.report_reopen(
            report=report, reason=deed.text, acting_user=self._officer(case)
        )

    def _uphold(self, case: Case, deed: Deed, report: Report) -> None:
        actions.objection_uphold(
            report=report, answer=deed.text, acting_user=self._officer(case)
        )

    def _say(self, case: Case, deed: Deed, report: Report) -> None:
        actions.officer_message(
            report=report, text=deed.text, acting_user=self._officer(case)
        )

    def _write(self, case: Case, deed: Deed, report: Report) -> None:
        actions.reporter_message(
            report=report, text=deed.text, uploads=self._uploads(deed.photos)
        )

    def _ask_identity(self, case: Case, deed: Deed, report: Report) -> None:
        actions.identity_request(
            report=report, reason=deed.text, acting_user=self._officer(case)
        )

    def _decide_identity(self, case: Case, deed: Deed, report: Report) -> None:
        request = IdentityRequest.objects.get(
            report=report, state=IdentityRequest.State.PENDING
        )
        actions.identity_decide(
            request=request,
            approve=deed.approve,
            reason=deed.text,
            acting_user=self.users[CUSTODIAN[report.body.code]],
        )

    def _reveal(self, case: Case, deed: Deed, report: Report) -> None:
        actions.identity_reveal(report=report, acting_user=self._officer(case))

    deeds: dict[str, Callable[[_Year, Case, Deed, Report], None]] = {
        "grant": _grant,
        "revoke": _revoke,
        "register": _register,
        "accept": _accept,
        "not_accept": _not_accept,
        "refer": _refer,
        "dispose": _dispose,
        "conclude": _conclude,
        "feed_back": _feed_back,
        "object": _object,
        "reopen": _reopen,
        "uphold": _uphold,
        "say": _say,
        "write": _write,
        "ask_identity": _ask_identity,
        "decide_identity": _decide_identity,
        "reveal": _reveal,
    }

    def _stamp(self, start: dt.datetime) -> None:
        """``created_at``/``updated_at`` back to the moments they stand for."""
        rows: list[tuple[type[models.Model], int, dt.datetime, dt.datetime]] = [
            (Report, report.pk, report.received_at, self.touched[report.pk])
            for report in self.reports.values()
        ]
        if self.code is not None:
            rows.append((Code, self.code.pk, start, start))
        for model in {row[0] for row in rows}:
            model._default_manager.bulk_update(
                [
                    model(pk=pk, created_at=created, updated_at=updated)
                    for kind, pk, created, updated in rows
                    if kind is model
                ],
                ["created_at", "updated_at"],
            )


def _sweep() -> None:
    actions.alerts_sweep()


def _seed_bodies(start: dt.datetime) -> dict[str, Body]:
    bodies: dict[str, Body] = {}
    for code, name, area_code, parent, address in BODIES:
        body = Body.objects.filter(code=code).first()
        if body is None:
            body = Body.objects.create(
                name=name,
                code=code,
                area=Area.objects.get(code=area_code),
                parent=bodies.get(parent),
                hotline="12388",
                address=address,
                visiting_hours=HOURS,
            )
            Body.objects.filter(pk=body.pk).update(created_at=start, updated_at=start)
        bodies[code] = body
    return bodies


def _seed_roster(bodies: dict[str, Body], start: dt.datetime) -> dict[str, Any]:
    User = get_user_model()  # noqa: N806
    users: dict[str, Any] = {}
    for username, full_name, code, kind in ROSTER:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name)
            user.password = demo_password()
            user.save()
        body = bodies[code]
        if not Post.objects.filter(
            body=body, user=user, kind=kind, ended_at__isnull=True
        ).exists():
            with clock.at(start):
                post = actions.post_add(body=body, user=user, kind=kind)
            Post.objects.filter(pk=post.pk).update(created_at=start, updated_at=start)
        if not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(
                user=user, name="demo", key=DEMO_TOTP_KEY, confirmed=True
            )
        users[username] = user
    return users


@demo_seed("discipline.reports", after=("org.street",))
def seed_reports() -> str:
    start = _local(*YEAR_STARTS)
    bodies = _seed_bodies(start)
    users = _seed_roster(bodies, start)
    if not Report.objects.filter(body__in=bodies.values()).exists():
        _Year(bodies, users).run()
    reports = Report.objects.filter(body__in=bodies.values()).count()
    return f"{len(bodies)} discipline bodies, {reports} reports"
