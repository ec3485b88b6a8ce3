"""The acceptance guide's words (《信访举报指南》): its sections, the default
texts in Chinese, Tibetan and English, and how a saved text is checked and
filled in.

The guide is a document in three languages, written by the head of a body's
reports office and versioned (:class:`~.models.GuideVersion`); the defaults
below follow the 2020 《纪检监察机关处理检举控告工作规则》 and serve every body
until its head saves a version of their own. The texts may name the body's
own facts — ``{body}``, ``{address}``, ``{visiting_hours}``, ``{hotline}``,
``{online}`` (the online form's address) — so that a new address shows at
once; a line naming ``{online}`` is left out for a body that takes no online
reports.

The Tibetan defaults were written for this software and want a reading by a
Tibetan-speaking officer before they are printed.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicgrid.core.errors import DomainError

# The guide's languages, as the public pages name them (the sealed channel's
# own three: Tibetan is not among settings.LANGUAGES yet).
LANGUAGES = (("zh-hans", "中文"), ("bo", "བོད་ཡིག"), ("en", "English"))
LANGUAGE_CODES = tuple(code for code, _name in LANGUAGES)
DEFAULT_LANGUAGE = "zh-hans"

# The numbered sections after the title and the preface; each has a heading.
BLOCKS = ("scope", "excluded", "channels", "process", "rights", "duties", "warning")
# Sections written one item a line (a list); the others are paragraphs.
LISTS = frozenset(BLOCKS) - {"warning"}
KEYS = ("title", "preface") + tuple(
    key for block in BLOCKS for key in (f"{block}_heading", block)
)
ONE_LINE = frozenset({"title"} | {f"{block}_heading" for block in BLOCKS})
MAX_LINE = 200
MAX_TEXT = 5000

PLACEHOLDERS = ("body", "address", "visiting_hours", "hotline", "online")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]*)\}")

SECTIONS = {
    "title": gettext_lazy("Title"),
    "preface": gettext_lazy("Preface"),
    "scope": gettext_lazy("What is accepted"),
    "excluded": gettext_lazy("What is not accepted"),
    "channels": gettext_lazy("How to report"),
    "process": gettext_lazy("How a report is handled"),
    "rights": gettext_lazy("The reporter's rights"),
    "duties": gettext_lazy("The reporter's duties"),
    "warning": gettext_lazy("Warning against false accusation"),
}


def field_name(language: str, key: str) -> str:
    """The form field (and the name a refusal gives) of one text."""
    return f"{language.replace('-', '_')}_{key}"


def label(key: str) -> str:
    if key.endswith("_heading"):
        section = SECTIONS[key.removesuffix("_heading")]
        return _("%(section)s: heading") % {"section": section}
    if key in LISTS:
        return _("%(section)s: one item a line") % {"section": SECTIONS[key]}
    return str(SECTIONS[key])


def default_texts() -> dict[str, dict[str, str]]:
    return copy.deepcopy(DEFAULTS)


def clean(texts: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """Every text of every language, trimmed; a refusal names the field."""
    cleaned: dict[str, dict[str, str]] = {}
    for language in LANGUAGE_CODES:
        given = texts.get(language) or {}
        cleaned[language] = {}
        for key in KEYS:
            field = field_name(language, key)
            value = str(given.get(key) or "").replace("\r\n", "\n").strip()
            if not value:
                raise DomainError(_("This field is required."), field=field)
            if key in ONE_LINE:
                if "\n" in value or len(value) > MAX_LINE:
                    raise DomainError(
                        _("One line of at most %(n)s characters.") % {"n": MAX_LINE},
                        field=field,
                    )
            elif len(value) > MAX_TEXT:
                raise DomainError(
                    _("At most %(n)s characters.") % {"n": MAX_TEXT}, field=field
                )
            unknown = sorted(set(_PLACEHOLDER.findall(value)) - set(PLACEHOLDERS))
            if unknown:
                raise DomainError(
                    _("Unknown placeholder {%(name)s}: use %(known)s.")
                    % {
                        "name": unknown[0],
                        "known": ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
                    },
                    field=field,
                )
            cleaned[language][key] = value
    return cleaned


def fill(text: str, facts: Mapping[str, str]) -> str:
    """The body's facts put in for their placeholders (nothing else is
    evaluated: a text is data, never a format string)."""
    return _PLACEHOLDER.sub(lambda m: facts.get(m.group(1), m.group(0)), text)


@dataclass(frozen=True)
class Block:
    key: str
    heading: str
    lines: tuple[str, ...]
    is_list: bool


@dataclass(frozen=True)
class Document:
    """A guide in one language, ready for the page."""

    language: str
    title: str
    preface: tuple[str, ...]
    blocks: tuple[Block, ...]


def document(
    texts: Mapping[str, Mapping[str, str]], language: str, facts: Mapping[str, str]
) -> Document:
    """The guide in ``language`` (Chinese where that language has no text),
    its placeholders filled with ``facts``."""
    if language not in texts:
        language = DEFAULT_LANGUAGE
    chosen = texts.get(language) or DEFAULTS[language]

    def lines(key: str) -> tuple[str, ...]:
        found = []
        for line in (chosen.get(key) or "").splitlines():
            if not line.strip():
                continue
            if "{online}" in line and not facts.get("online"):
                continue
            found.append(fill(line.strip(), facts))
        return tuple(found)

    return Document(
        language=language,
        title=fill(chosen.get("title", ""), facts),
        preface=lines("preface"),
        blocks=tuple(
            Block(
                key=block,
                heading=fill(chosen.get(f"{block}_heading", ""), facts),
                lines=lines(block),
                is_list=block in LISTS,
            )
            for block in BLOCKS
        ),
    )


# --- the default texts ------------------------------------------------------------

ZH = {
    "title": "信访举报指南",
    "preface": (
        "为方便广大群众依规依纪依法反映问题，保障检举控告人的合法权益，根据"
        "《中国共产党纪律检查机关监督执纪工作规则》《纪检监察机关处理检举控告工作规则》"
        "等规定，制定本指南。\n"
        "{body}欢迎广大群众对党组织、党员和监察对象的违纪违法行为进行监督。"
        "提倡实名检举控告，对实名检举控告优先办理。"
    ),
    "scope_heading": "一、受理范围",
    "scope": (
        "反映党组织、党员违反政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律、"
        "生活纪律等党的纪律行为的检举控告；\n"
        "反映监察对象不依法履职，违反秉公用权、廉洁从政从业以及道德操守等规定，"
        "涉嫌贪污贿赂、滥用职权、玩忽职守、权力寻租、利益输送、徇私舞弊以及浪费"
        "国家资财等职务违法犯罪行为的检举控告；\n"
        "党员、监察对象对所受党纪处分、政务处分或者其他处理不服提出的申诉；\n"
        "对党风廉政建设和反腐败工作提出的批评、建议；\n"
        "其他依照有关规定应当由纪检监察机关处理的问题。"
    ),
    "excluded_heading": "二、不予受理的事项",
    "excluded": (
        "已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决的；\n"
        "依法应当由其他国家机关处理，或者不属于纪检监察机关职责范围的"
        "（如反映非党员、非监察对象一般违法问题的）；\n"
        "没有具体事实、内容空泛、无实质内容，无法查核的；\n"
        "已经依规依纪依法办结，检举控告人没有提出新的事实和理由，仍然重复检举控告的。"
    ),
    "channels_heading": "三、检举控告方式",
    "channels": (
        "来信：{address}，信封上请注明“检举控告”字样；\n"
        "来访：{address}，接待时间：{visiting_hours}；多人反映同一问题的，"
        "请推选不超过5名代表；\n"
        "电话：{hotline}；\n"
        "网络：{online}，或者扫描下方二维码在线举报；匿名举报的，请妥善保管查询回执码。"
    ),
    "process_heading": "四、办理程序",
    "process": (
        "检举控告按照管理权限由有管辖权的纪检监察机关受理；反映本机关主要负责人"
        "问题的，请向上一级纪检监察机关反映。\n"
        "不属于本机关受理范围的，在5个工作日内转送有权处理的机关，"
        "并告知实名检举控告人向其反映。\n"
        "对实名检举控告，自收到之日起15个工作日内告知检举控告人是否受理。\n"
        "实名检举控告办结后，自办结之日起15个工作日内向检举控告人反馈处理结果，"
        "听取其意见。\n"
        "匿名检举控告人可以凭查询回执码了解受理情况和处理结果。"
    ),
    "rights_heading": "五、检举控告人的权利",
    "rights": (
        "检举控告人的姓名、工作单位、住址等有关情况以及检举控告内容依规依纪依法"
        "严格保密，未经本人同意不得公开；\n"
        "检举控告人受法律保护，任何单位和个人不得打击报复；受到威胁、打击报复的，"
        "可以向纪检监察机关请求保护；\n"
        "实名检举控告的，有权知悉受理情况和处理结果；\n"
        "对处理结果不满意的，可以提出异议，纪检监察机关应当认真核实并予以答复；\n"
        "承办人员与检举控告事项或者被检举控告人有利害关系的，可以申请其回避。"
    ),
    "duties_heading": "六、检举控告人的义务",
    "duties": (
        "如实反映问题，提供的事实和证据应当客观真实，不得捏造、歪曲事实；\n"
        "通过正当渠道、按照规定程序反映问题，不得采取围堵冲击机关、缠访闹访等方式"
        "扰乱正常工作秩序；\n"
        "不得诬告陷害他人；\n"
        "对检举控告的内容及有关情况注意保密，配合纪检监察机关核查。"
    ),
    "warning_heading": "七、严禁诬告陷害",
    "warning": (
        "检举控告应当实事求是。对故意捏造事实、伪造材料诬告陷害他人的，一经查实，"
        "依规依纪依法严肃处理；涉嫌犯罪的，移送司法机关依法追究刑事责任"
        "（《中华人民共和国刑法》第二百四十三条）。\n"
        "对受到诬告错告的党员干部，纪检监察机关将及时予以澄清正名。"
    ),
}

BO = {
    "title": "ཡིག་འཕྲིན་མཇལ་འཕྲད་དང་གསལ་སྟོན་ཁ་གཏད་ཀྱི་ལམ་སྟོན།",
    "preface": (
        "མང་ཚོགས་ཀྱིས་སྒྲིག་སྲོལ་དང་སྒྲིག་ཁྲིམས། བཅའ་ཁྲིམས་ལྟར་གནད་དོན་སྙན་སེང་ཞུ་བར་"
        "སྟབས་བདེ་བཟོ་བ་དང་། གསལ་སྟོན་ཁ་གཏད་བྱེད་མཁན་གྱི་ཁྲིམས་མཐུན་ཁེ་དབང་སྲུང་སྐྱོབ་"
        "ཆེད། ༼ཀྲུང་གོ་གུང་ཁྲན་ཏང་གི་སྒྲིག་ཁྲིམས་ཞིབ་དཔྱོད་ལས་ཁུངས་ཀྱི་ལྟ་ཞིབ་དང་སྒྲིག་"
        "ཁྲིམས་ལག་བསྟར་ལས་ཀའི་སྒྲིག་སྲོལ༽དང་༼སྒྲིག་ཁྲིམས་ཞིབ་དཔྱོད་ལྟ་ཞིབ་ལས་ཁུངས་ཀྱིས་"
        "གསལ་སྟོན་ཁ་གཏད་ཐག་གཅོད་བྱེད་པའི་ལས་ཀའི་སྒྲིག་སྲོལ༽སོགས་ལ་གཞིགས་ནས་ལམ་སྟོན་"
        "འདི་བཟོས།\n"
        "{body} ནས་མང་ཚོགས་ཀྱིས་ཏང་གི་སྒྲིག་འཛུགས་དང་ཏང་ཡོན། ལྟ་ཞིབ་བྱ་ཡུལ་གྱི་སྒྲིག་"
        "འགལ་ཁྲིམས་འགལ་གྱི་བྱ་སྤྱོད་ལ་ལྟ་ཞིབ་བྱེད་པར་དགའ་བསུ་ཞུ། མིང་ངོ་མས་གསལ་སྟོན་"
        "ཁ་གཏད་བྱེད་པར་སྐུལ་མ་གཏོང་ཞིང་། མིང་ངོ་མའི་གསལ་སྟོན་ཁ་གཏད་ལ་སྔོན་ལ་ཐག་གཅོད་"
        "བྱེད།"
    ),
    "scope_heading": "དང་པོ། ངོས་ལེན་བྱེད་པའི་ཁྱབ་ཁོངས།",
    "scope": (
        "ཏང་གི་སྒྲིག་འཛུགས་དང་ཏང་ཡོན་གྱིས་ཆབ་སྲིད་སྒྲིག་ཁྲིམས། སྒྲིག་འཛུགས་སྒྲིག་ཁྲིམས། "
        "གཙང་སྦྲའི་སྒྲིག་ཁྲིམས། མང་ཚོགས་སྒྲིག་ཁྲིམས། ལས་ཀའི་སྒྲིག་ཁྲིམས། འཚོ་བའི་སྒྲིག་"
        "ཁྲིམས་སོགས་ཏང་གི་སྒྲིག་ཁྲིམས་ལ་འགལ་བའི་བྱ་སྤྱོད་ཀྱི་གསལ་སྟོན་ཁ་གཏད།\n"
        "ལྟ་ཞིབ་བྱ་ཡུལ་གྱིས་ཁྲིམས་ལྟར་ལས་འགན་མི་སྒྲུབ་པ་དང་། ཟ་ཁྲམ་དང་ལག་ཡོན། དབང་ཆ་"
        "ནོར་སྤྱོད། ལས་འགན་ལ་སྣང་ཆུང་། ཁེ་ཕན་བརྗེ་རེས། སྒེར་ཕྱོགས་ཀྱིས་ཁྲམ་བཤད། རྒྱལ་"
        "ཁབ་ཀྱི་དངོས་ཟོག་ལ་ཆུད་ཟོས་གཏོང་བ་སོགས་ལས་འགན་ཐོག་གི་ཁྲིམས་འགལ་དང་ནག་ཉེས་"
        "ཀྱི་གསལ་སྟོན་ཁ་གཏད།\n"
        "ཏང་ཡོན་དང་ལྟ་ཞིབ་བྱ་ཡུལ་གྱིས་རང་ལ་ཕོག་པའི་ཏང་གི་སྒྲིག་ཁྲིམས་ཉེས་ཆད་དང་སྲིད་"
        "འཛིན་ཉེས་ཆད། ཐག་གཅོད་གཞན་དག་ལ་ཡིད་མ་ཚིམ་པའི་ཞུ་གཏུག\n"
        "ཏང་གི་གཤིས་ཀ་དང་སྲིད་འཛིན་གཙང་སྦྲ་འཛུགས་སྐྲུན། ཟ་ཁྲམ་ངོ་རྒོལ་གྱི་ལས་ཀར་"
        "དགག་པ་དང་བསམ་འཆར།\n"
        "སྒྲིག་སྲོལ་ལྟར་སྒྲིག་ཁྲིམས་ཞིབ་དཔྱོད་ལྟ་ཞིབ་ལས་ཁུངས་ཀྱིས་ཐག་གཅོད་བྱེད་དགོས་"
        "པའི་གནད་དོན་གཞན་དག"
    ),
    "excluded_heading": "གཉིས་པ། ངོས་ལེན་མི་བྱེད་པའི་དོན་དག",
    "excluded": (
        "ཁྲིམས་གཏུགས་དང་བར་བཅད། སྲིད་འཛིན་བསྐྱར་ཞིབ་སོགས་ཁྲིམས་ལམ་ནས་ཐག་གཅོད་བྱས་"
        "ཟིན་པའམ་བྱེད་དགོས་པའི་དོན་དག\n"
        "ཁྲིམས་ལྟར་རྒྱལ་ཁབ་ཀྱི་ལས་ཁུངས་གཞན་གྱིས་ཐག་གཅོད་བྱེད་དགོས་པའམ། སྒྲིག་ཁྲིམས་"
        "ཞིབ་དཔྱོད་ལྟ་ཞིབ་ལས་ཁུངས་ཀྱི་ལས་འགན་ཁྱབ་ཁོངས་སུ་མི་གཏོགས་པའི་དོན་དག\n"
        "དངོས་ཡོད་གནས་ཚུལ་མེད་པ། ནང་དོན་སྟོང་པ། ཞིབ་བཤེར་བྱེད་ཐབས་མེད་པའི་གསལ་སྟོན་"
        "ཁ་གཏད།\n"
        "སྒྲིག་སྲོལ་ལྟར་ཐག་གཅོད་བྱས་ཟིན་རྗེས། གནས་ཚུལ་དང་རྒྱུ་མཚན་གསར་པ་མེད་བཞིན་"
        "ཡང་བསྐྱར་གསལ་སྟོན་ཁ་གཏད་བྱེད་པ།"
    ),
    "channels_heading": "གསུམ་པ། གསལ་སྟོན་ཁ་གཏད་བྱེད་ཐབས།",
    "channels": (
        "ཡིག་འཕྲིན། {address} ལ་བསྐུར་རོགས། ཡིག་ཤུབས་སྟེང་དུ་“གསལ་སྟོན་ཁ་གཏད”ཅེས་འབྲི་"
        "རོགས།\n"
        "མཇལ་འཕྲད། {address}  མཇལ་འཕྲད་དུས་ཚོད། {visiting_hours}  མི་མང་པོས་གནད་དོན་"
        "གཅིག་སྙན་སེང་ཞུ་ན་མི་ལྔ་ལས་མི་མང་བའི་འཐུས་མི་འདེམས་རོགས།\n"
        "ཁ་པར། {hotline}\n"
        "དྲ་ཐོག {online}  ཡང་ན་གཤམ་གྱི་ཨང་རྟགས་བཤེར་ནས་དྲ་ཐོག་ནས་གསལ་སྟོན་ཁ་གཏད་བྱེད་"
        "ཆོག མིང་སྦས་ནས་སྙན་སེང་ཞུ་ན་བཤེར་འཚོལ་ཨང་གྲངས་ལེགས་པར་ཉར་རོགས།"
    ),
    "process_heading": "བཞི་པ། ཐག་གཅོད་བྱེད་རིམ།",
    "process": (
        "གསལ་སྟོན་ཁ་གཏད་ནི་དོ་དམ་དབང་ཚད་ལྟར་དབང་ཆ་ཡོད་པའི་སྒྲིག་ཁྲིམས་ཞིབ་དཔྱོད་ལྟ་"
        "ཞིབ་ལས་ཁུངས་ཀྱིས་ངོས་ལེན་བྱེད། ལས་ཁུངས་འདིའི་འགོ་འཛིན་གཙོ་བོའི་གནད་དོན་"
        "སྙན་སེང་ཞུ་ན་གོ་རིམ་གོང་མའི་ལས་ཁུངས་ལ་ཞུ་རོགས།\n"
        "ལས་ཁུངས་འདིའི་ངོས་ལེན་ཁྱབ་ཁོངས་སུ་མི་གཏོགས་པ་རྣམས་ལས་ཉིན་ ༥ ནང་དབང་ཆ་ཡོད་"
        "པའི་ལས་ཁུངས་ལ་བསྐུར།\n"
        "མིང་ངོ་མའི་གསལ་སྟོན་ཁ་གཏད་འབྱོར་ཉིན་ནས་ལས་ཉིན་ ༡༥ ནང་ངོས་ལེན་བྱེད་མིན་"
        "བརྡ་ཁྱབ་བྱེད།\n"
        "མིང་ངོ་མའི་གསལ་སྟོན་ཁ་གཏད་ཐག་གཅོད་ཚར་ཉིན་ནས་ལས་ཉིན་ ༡༥ ནང་ཐག་གཅོད་འབྲས་བུ་"
        "བརྡ་ཁྱབ་བྱེད་པ་དང་བསམ་ཚུལ་ཉན།\n"
        "མིང་སྦས་ནས་སྙན་སེང་ཞུ་མཁན་གྱིས་བཤེར་འཚོལ་ཨང་གྲངས་བརྒྱུད་ངོས་ལེན་གནས་ཚུལ་"
        "དང་ཐག་གཅོད་འབྲས་བུ་ཤེས་ཐུབ།"
    ),
    "rights_heading": "ལྔ་པ། གསལ་སྟོན་ཁ་གཏད་བྱེད་མཁན་གྱི་ཐོབ་ཐང་།",
    "rights": (
        "གསལ་སྟོན་ཁ་གཏད་བྱེད་མཁན་གྱི་མིང་དང་ལས་ཁུངས། སྡོད་གནས་སོགས་ཀྱི་གནས་ཚུལ་དང་"
        "གསལ་སྟོན་ཁ་གཏད་ཀྱི་ནང་དོན་ལ་གསང་རྒྱ་དམ་པོ་སྲུང་། རང་ཉིད་ཀྱིས་མ་ཆོག་ན་ཁྱབ་"
        "བསྒྲགས་མི་བྱེད།\n"
        "གསལ་སྟོན་ཁ་གཏད་བྱེད་མཁན་ལ་བཅའ་ཁྲིམས་ཀྱིས་སྲུང་སྐྱོབ་བྱེད། སུས་ཀྱང་ལན་ལེན་མི་"
        "ཆོག སྡིགས་སྐུལ་དང་ལན་ལེན་ཕོག་ན་སྒྲིག་ཁྲིམས་ཞིབ་དཔྱོད་ལྟ་ཞིབ་ལས་ཁུངས་ལ་སྲུང་"
        "སྐྱོབ་ཞུ་ཆོག\n"
        "མིང་ངོ་མས་གསལ་སྟོན་ཁ་གཏད་བྱས་ན་ངོས་ལེན་གནས་ཚུལ་དང་ཐག་གཅོད་འབྲས་བུ་ཤེས་པའི་"
        "ཐོབ་ཐང་ཡོད།\n"
        "ཐག་གཅོད་འབྲས་བུར་ཡིད་མ་ཚིམ་ན་མི་མཐུན་པའི་བསམ་ཚུལ་འདོན་ཆོག ལས་ཁུངས་ཀྱིས་"
        "ཡང་བསྐྱར་ཞིབ་བཤེར་བྱས་ནས་ལན་འདེབས།\n"
        "ལས་བྱེད་པ་དང་དོན་དག་གམ་གསལ་སྟོན་ཁ་གཏད་བྱས་ཡུལ་བར་ཁེ་ཕན་འབྲེལ་བ་ཡོད་ན། ལས་"
        "བྱེད་པ་དེ་ཟུར་དུ་བཞག་རྒྱུའི་རེ་བ་ཞུ་ཆོག"
    ),
    "duties_heading": "དྲུག་པ། གསལ་སྟོན་ཁ་གཏད་བྱེད་མཁན་གྱི་འགན་འཁྲི།",
    "duties": (
        "གནས་ཚུལ་དངོས་ལྟར་སྙན་སེང་ཞུ་དགོས། གནས་ཚུལ་རྫུན་བཟོ་དང་ལོག་བཤད་བྱེད་མི་ཆོག\n"
        "ལམ་ལུགས་ཡང་དག་པ་དང་སྒྲིག་སྲོལ་ལྟར་སྙན་སེང་ཞུ་དགོས། ལས་ཁུངས་ལ་བཀག་འགོག་"
        "དང་ཡང་ཡང་འཁྲིད་འཛིང་གིས་ལས་ཀའི་གོ་རིམ་ལ་དཀྲུག་སྐྱོན་གཏོང་མི་ཆོག\n"
        "མི་གཞན་ལ་རྫུན་ཁ་གཏད་བྱེད་མི་ཆོག\n"
        "གསལ་སྟོན་ཁ་གཏད་ཀྱི་ནང་དོན་ལ་གསང་རྒྱ་སྲུང་ཞིང་། ལས་ཁུངས་ཀྱི་ཞིབ་བཤེར་ལ་"
        "མཉམ་འགྲུལ་བྱེད་དགོས།"
    ),
    "warning_heading": "བདུན་པ། རྫུན་ཁ་གཏད་བྱེད་པ་དམ་བཀག",
    "warning": (
        "གསལ་སྟོན་ཁ་གཏད་ནི་དོན་དངོས་ལ་གཞིགས་དགོས། ཆེད་དུ་གནས་ཚུལ་རྫུན་བཟོ་དང་ཡིག་ཆ་"
        "རྫུན་མ་བཟོས་ནས་མི་གཞན་ལ་རྫུན་ཁ་གཏད་བྱེད་མཁན་ལ་ཞིབ་བཤེར་གྱིས་ར་སྤྲོད་བྱུང་"
        "ཚེ། སྒྲིག་སྲོལ་དང་སྒྲིག་ཁྲིམས། བཅའ་ཁྲིམས་ལྟར་ཚ་ཚ་དམ་དམ་ཐག་གཅོད་བྱེད། ནག་ཉེས་"
        "ཀྱི་དོགས་པ་ཡོད་ན་ཁྲིམས་ཐག་ལས་ཁུངས་ལ་སྤྲད་ནས་ཁྲིམས་ལྟར་ཉེས་འགན་འདྲི་གཅོད་"
        "བྱེད།(༼ཀྲུང་ཧྭ་མི་དམངས་སྤྱི་མཐུན་རྒྱལ་ཁབ་ཀྱི་ཉེས་ཁྲིམས༽དོན་ཚན་ ༢༤༣ པ།)\n"
        "རྫུན་ཁ་གཏད་དམ་ནོར་འཁྲུལ་གྱི་ཁ་གཏད་ཕོག་པའི་ཏང་ཡོན་ལས་བྱེད་པར་སྒྲིག་ཁྲིམས་"
        "ཞིབ་དཔྱོད་ལྟ་ཞིབ་ལས་ཁུངས་ཀྱིས་དུས་ཐོག་ཏུ་གསལ་བཤད་བྱས་ནས་མིང་དྭངས་གཙང་བཟོ།"
    ),
}

EN = {
    "title": "Guide to reporting",
    "preface": (
        "This guide helps the public raise matters according to the rules, "
        "discipline and law, and protects the lawful rights of those who report. "
        "It follows the Work Rules of the CPC Discipline Inspection Bodies on "
        "Supervision and Discipline Enforcement and the Rules of the Discipline "
        "Inspection and Supervision Bodies on Handling Reports and Accusations.\n"
        "{body} welcomes the public's oversight of Party organisations, Party "
        "members and public officials. Reports under your real name are "
        "encouraged and handled first."
    ),
    "scope_heading": "1. What we accept",
    "scope": (
        "Reports that a Party organisation or Party member broke Party "
        "discipline: political, organisational, integrity, mass, work or "
        "personal-conduct discipline;\n"
        "Reports that a public official failed to perform their duties lawfully, "
        "broke the rules on using power impartially, on integrity or on ethics, "
        "or is suspected of a duty-related violation or crime such as "
        "corruption, bribery, abuse of power, dereliction of duty, rent-seeking, "
        "transfer of benefits, favouritism or waste of state assets;\n"
        "Appeals by Party members or public officials against a Party "
        "disciplinary sanction, a governmental sanction or another decision "
        "concerning them;\n"
        "Criticism of and suggestions on the work for integrity and against "
        "corruption;\n"
        "Other matters that the rules assign to discipline inspection and "
        "supervision bodies."
    ),
    "excluded_heading": "2. What we do not accept",
    "excluded": (
        "Matters that have been, or by law must be, resolved through litigation, "
        "arbitration or administrative review;\n"
        "Matters that by law belong to other state bodies, or lie outside the "
        "remit of discipline inspection and supervision bodies (such as ordinary "
        "offences by people who are neither Party members nor public officials);\n"
        "Reports without concrete facts or substance, which cannot be checked;\n"
        "Matters already concluded according to the rules, reported again "
        "without new facts or reasons."
    ),
    "channels_heading": "3. How to report",
    "channels": (
        "By letter: {address}; please mark the envelope “Report”;\n"
        "In person: {address}, {visiting_hours}; when several people raise the "
        "same matter, please choose no more than five representatives;\n"
        "By phone: {hotline};\n"
        "Online: {online}, or scan the QR code below; if you report "
        "anonymously, keep your receipt code safe."
    ),
    "process_heading": "4. How a report is handled",
    "process": (
        "A report is accepted by the body in charge of the person concerned; a "
        "report about the principal of this body goes to the body one level up.\n"
        "A report outside this body's remit is passed within 5 working days to "
        "the body that may handle it.\n"
        "A reporter under their real name is told within 15 working days of "
        "receipt whether the report is accepted.\n"
        "When a real-name report is concluded, the reporter is told the result "
        "within 15 working days, and heard.\n"
        "An anonymous reporter follows the acceptance and the result with their "
        "receipt code."
    ),
    "rights_heading": "5. Your rights",
    "rights": (
        "Your name, workplace, address and other details, and what you "
        "reported, are kept strictly confidential and never made public without "
        "your consent;\n"
        "You are protected by law: nobody may retaliate against you; if you are "
        "threatened or retaliated against, you may ask the body for protection;\n"
        "If you report under your real name, you have the right to be told "
        "whether it was accepted and what the result was;\n"
        "If you disagree with the result, you may object; the body checks it "
        "again and answers you;\n"
        "You may ask that an officer with an interest in the matter or in the "
        "person reported step aside."
    ),
    "duties_heading": "6. Your duties",
    "duties": (
        "Report truthfully: the facts and evidence you give must be objective "
        "and true; do not invent or distort facts;\n"
        "Report through proper channels and procedures; do not disrupt public "
        "bodies' work by blockades, sit-ins or harassment;\n"
        "Do not make false accusations against anyone;\n"
        "Keep what you reported confidential, and help the body check it."
    ),
    "warning_heading": "7. False accusation is punished",
    "warning": (
        "Reports must be true to the facts. Whoever deliberately invents facts "
        "or forges material to falsely accuse another is, once it is "
        "established, dealt with strictly according to the rules, discipline "
        "and law; a suspected crime is passed to the judicial authorities "
        "(Criminal Law of the People's Republic of China, Article 243).\n"
        "Party members and officials who were falsely or wrongly accused are "
        "promptly cleared."
    ),
}

DEFAULTS: dict[str, dict[str, str]] = {"zh-hans": ZH, "bo": BO, "en": EN}
