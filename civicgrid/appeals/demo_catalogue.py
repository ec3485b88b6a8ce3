"""Demo category catalogue (派单目录) and reply templates for 东嘎街道.

Pure data, loaded by the demo seed. ``CATALOGUE`` is a list of groups, each with
leaf categories in ``children``. A leaf carries what its first CategoryVersion
needs: ``kind`` (a Kind value), ``unit`` ("grid", "community" or a demo
department code, which means UnitType.DEPARTMENT with that default department),
``response_hours`` (working hours), ``handling_days`` (working days) and
``notice`` (the public notice residents see before they submit). ``questions``
are optional CategoryQuestion rows; ``choices`` only for single and multiple.

``RESPONSE_TEMPLATES`` are ResponseTemplate rows; ``category`` is a leaf code, or
None for a template that applies to every category. 【  】 marks what the handler
fills in.

The street sits at about 3,650 m: long cold winters (frozen pipes, heating),
villages with pasture and yaks, and many stray dogs; hence some of the entries.
"""

CATALOGUE: list[dict] = [
    {
        "code": "city-appearance",
        "name": "市容环卫",
        "children": [
            {
                "code": "street-lamp",
                "name": "路灯不亮",
                "kind": "help",
                "unit": "chengguan",
                "response_hours": 2,
                "handling_days": 3,
                "notice": (
                    "请说明路灯所在的道路或小区位置，有灯杆编号的请一并填写。"
                    "小区内部的楼道灯、庭院灯请联系物业。"
                ),
                "questions": [
                    {
                        "code": "lamp-number",
                        "label": "路灯杆编号（如有）",
                        "datatype": "string",
                        "required": False,
                    },
                ],
            },
            {
                "code": "garbage-uncollected",
                "name": "生活垃圾未清运",
                "kind": "complaint",
                "unit": "huanwei",
                "response_hours": 2,
                "handling_days": 2,
                "notice": (
                    "请写明垃圾堆放的具体位置和大约几天没有清运。"
                    "请不要在垃圾堆旁焚烧垃圾。"
                ),
            },
            {
                "code": "bin-overflow",
                "name": "垃圾桶满溢",
                "kind": "complaint",
                "unit": "grid",
                "response_hours": 2,
                "handling_days": 1,
                "notice": "网格员会尽快到现场协调清理，请写明垃圾桶所在位置。",
            },
            {
                "code": "public-toilet",
                "name": "公厕脏乱或未开放",
                "kind": "complaint",
                "unit": "huanwei",
                "response_hours": 3,
                "handling_days": 3,
                "notice": (
                    "请写明公厕的位置，以及是卫生、设施损坏还是未按时开放的问题。"
                ),
            },
            {
                "code": "stall-occupation",
                "name": "占道经营",
                "kind": "complaint",
                "unit": "chengguan",
                "response_hours": 2,
                "handling_days": 3,
                "notice": (
                    "请写明摊点所在路段和经常出现的时间段，方便执法人员到场核实。"
                ),
            },
        ],
    },
    {
        "code": "noise-dust",
        "name": "噪声扬尘",
        "children": [
            {
                "code": "construction-noise",
                "name": "施工噪声扰民",
                "kind": "complaint",
                "unit": "chengguan",
                "response_hours": 2,
                "handling_days": 3,
                "notice": (
                    "夜间22时至次日6时禁止产生噪声的施工，抢修抢险除外。"
                    "请写明工地名称或位置。"
                ),
                "questions": [
                    {
                        "code": "noise-period",
                        "label": "噪声主要出现在什么时段",
                        "datatype": "single",
                        "required": True,
                        "choices": ["白天", "夜间（22时以后）", "凌晨", "全天"],
                    },
                    {
                        "code": "noise-since",
                        "label": "从哪天开始",
                        "datatype": "date",
                        "required": False,
                    },
                ],
            },
            {
                "code": "square-dance-noise",
                "name": "广场舞噪声",
                "kind": "complaint",
                "unit": "grid",
                "response_hours": 2,
                "handling_days": 2,
                "notice": (
                    "网格员会与活动组织者沟通调低音量、调整时间。"
                    "请写明广场位置和时间段。"
                ),
            },
            {
                "code": "night-market-noise",
                "name": "夜市及商铺噪声",
                "kind": "complaint",
                "unit": "chengguan",
                "response_hours": 2,
                "handling_days": 3,
                "notice": (
                    "请写明夜市或商铺的名称、位置，以及噪声来自音响、喇叭还是人员聚集。"
                ),
            },
            {
                "code": "construction-dust",
                "name": "工地扬尘",
                "kind": "complaint",
                "unit": "zhujian",
                "response_hours": 3,
                "handling_days": 3,
                "notice": (
                    "拉萨春季风大干燥，工地应覆盖裸土、冲洗车辆。"
                    "请写明工地名称或位置，可附上照片。"
                ),
            },
        ],
    },
    {
        "code": "urban-management",
        "name": "城建管理",
        "children": [
            {
                "code": "illegal-building",
                "name": "违章建筑",
                "kind": "report",
                "unit": "chengguan",
                "response_hours": 4,
                "handling_days": 15,
                "notice": (
                    "请写明违建的具体位置和情况。举报人信息严格保密，您也可以选择匿名。"
                ),
                "questions": [
                    {
                        "code": "building-stage",
                        "label": "目前的建设状态",
                        "datatype": "single",
                        "required": True,
                        "choices": ["正在施工", "已经建成", "不清楚"],
                    },
                    {
                        "code": "building-area",
                        "label": "估计面积（平方米）",
                        "datatype": "number",
                        "required": False,
                    },
                ],
            },
            {
                "code": "manhole-cover",
                "name": "井盖缺失或破损",
                "kind": "report",
                "unit": "chengguan",
                "response_hours": 1,
                "handling_days": 2,
                "notice": "请先在周围设置醒目标记提醒行人车辆，有人跌落受伤请拨打120。",
            },
            {
                "code": "drain-blocked",
                "name": "下水道堵塞",
                "kind": "help",
                "unit": "gongshui",
                "response_hours": 2,
                "handling_days": 3,
                "notice": (
                    "户内管道堵塞请联系物业或维修人员；"
                    "小区和道路上的排水管网由供排水公司处理。"
                ),
            },
            {
                "code": "sewage-overflow",
                "name": "污水外溢",
                "kind": "help",
                "unit": "gongshui",
                "response_hours": 1.5,
                "handling_days": 2,
                "notice": "请写明污水外溢的位置和范围，并提醒行人绕行。",
            },
            {
                "code": "road-pothole",
                "name": "道路坑洼破损",
                "kind": "report",
                "unit": "jiaotong",
                "response_hours": 4,
                "handling_days": 5,
                "notice": (
                    "请写明路段和大致位置，可附上照片。"
                    "路面塌陷等危险情况请同时拨打110。"
                ),
            },
        ],
    },
    {
        "code": "utilities",
        "name": "水电气暖",
        "children": [
            {
                "code": "water-cut",
                "name": "停水",
                "kind": "help",
                "unit": "gongshui",
                "response_hours": 1,
                "handling_days": 1,
                "notice": (
                    "计划停水会提前在小区公告。"
                    "请写明停水范围是本户、整栋楼还是整个小区。"
                ),
            },
            {
                "code": "low-water-pressure",
                "name": "水压低、高楼层上水难",
                "kind": "help",
                "unit": "gongshui",
                "response_hours": 2,
                "handling_days": 3,
                "notice": "请写明楼栋、楼层和水压低的时间段。",
            },
            {
                "code": "frozen-pipe",
                "name": "冬季水管冻裂",
                "kind": "help",
                "unit": "gongshui",
                "response_hours": 1,
                "handling_days": 2,
                "notice": (
                    "水管冻裂漏水时请先关闭入户总阀。"
                    "冬季夜间气温低，请提前为室外和楼道水管做好保温。"
                ),
                "questions": [
                    {
                        "code": "pipe-location",
                        "label": "冻裂或冻住的管道在哪里",
                        "datatype": "single",
                        "required": True,
                        "choices": ["户内", "楼道公共管道", "室外管道", "水表处"],
                    },
                ],
            },
            {
                "code": "power-cut",
                "name": "停电",
                "kind": "help",
                "unit": "gongdian",
                "response_hours": 1,
                "handling_days": 1,
                "notice": (
                    "请先检查家中空气开关是否跳闸。"
                    "发现电线落地请远离现场，并立即拨打110。"
                ),
                "questions": [
                    {
                        "code": "outage-scope",
                        "label": "停电范围",
                        "datatype": "single",
                        "required": True,
                        "choices": ["仅本户", "整栋楼", "整个小区或片区", "不清楚"],
                    },
                ],
            },
            {
                "code": "heating-not-warm",
                "name": "供暖不热",
                "kind": "complaint",
                "unit": "zhujian",
                "response_hours": 2,
                "handling_days": 3,
                "notice": (
                    "供暖期内如室温明显偏低，请写明小区、楼栋和房号。"
                    "可先检查暖气片阀门是否打开、是否需要排气。"
                ),
                "questions": [
                    {
                        "code": "indoor-temperature",
                        "label": "室内温度（摄氏度）",
                        "datatype": "number",
                        "required": False,
                    },
                    {
                        "code": "heating-type",
                        "label": "采暖方式",
                        "datatype": "single",
                        "required": False,
                        "choices": ["集中供暖", "燃气壁挂炉", "电采暖", "其他"],
                    },
                ],
            },
            {
                "code": "gas-safety",
                "name": "燃气安全隐患",
                "kind": "report",
                "unit": "zhujian",
                "response_hours": 1,
                "handling_days": 2,
                "notice": (
                    "闻到燃气异味请立即关阀、开窗，不要开关电器，"
                    "到室外拨打119或燃气抢修电话。本平台不处理紧急抢险。"
                ),
            },
        ],
    },
    {
        "code": "housing",
        "name": "住房物业",
        "children": [
            {
                "code": "property-dispute",
                "name": "物业服务纠纷",
                "kind": "complaint",
                "unit": "community",
                "response_hours": 4,
                "handling_days": 5,
                "notice": (
                    "社区会协调物业公司和业主沟通解决。请写明小区名称和具体问题。"
                ),
            },
            {
                "code": "lift-fault",
                "name": "电梯故障",
                "kind": "help",
                "unit": "shichang",
                "response_hours": 1,
                "handling_days": 2,
                "notice": (
                    "有人被困电梯请按轿厢内的紧急呼叫按钮或拨打119。"
                    "电梯内张贴有注册代码，请尽量填写。"
                ),
                "questions": [
                    {
                        "code": "lift-code",
                        "label": "电梯注册代码或编号",
                        "datatype": "string",
                        "required": False,
                    },
                ],
            },
            {
                "code": "ebike-corridor",
                "name": "楼道内电动车停放充电",
                "kind": "report",
                "unit": "grid",
                "response_hours": 2,
                "handling_days": 1.5,
                "notice": (
                    "楼道和室内给电动车充电容易引发火灾。发现起火请立即拨打119。"
                ),
            },
            {
                "code": "facility-damage",
                "name": "小区公共设施损坏",
                "kind": "help",
                "unit": "community",
                "response_hours": 4,
                "handling_days": 5,
                "notice": "请写明小区名称和损坏的设施，如门禁、健身器材、围栏等。",
            },
        ],
    },
    {
        "code": "welfare",
        "name": "民生保障",
        "children": [
            {
                "code": "elderly-home-visit",
                "name": "独居老人探访",
                "kind": "help",
                "unit": "community",
                "response_hours": 2,
                "handling_days": 3,
                "notice": (
                    "社区会安排工作人员或志愿者上门探访。老人突发疾病请立即拨打120。"
                ),
                "questions": [
                    {
                        "code": "elder-age",
                        "label": "老人年龄",
                        "datatype": "number",
                        "required": False,
                    },
                    {
                        "code": "elder-needs",
                        "label": "需要哪些帮助",
                        "datatype": "multiple",
                        "required": True,
                        "choices": [
                            "定期探望",
                            "助餐送餐",
                            "就医陪同",
                            "家政保洁",
                            "代购代办",
                            "精神慰藉",
                        ],
                    },
                ],
            },
            {
                "code": "elderly-care",
                "name": "居家养老服务",
                "kind": "inquiry",
                "unit": "community",
                "response_hours": 4,
                "handling_days": 3,
                "notice": (
                    "可咨询高龄津贴、日间照料、老年食堂等服务，社区工作人员会电话答复。"
                ),
            },
            {
                "code": "disability-aid",
                "name": "残疾人辅具申领",
                "kind": "help",
                "unit": "community",
                "response_hours": 4,
                "handling_days": 10,
                "notice": (
                    "助听器、轮椅等辅具一般需持残疾人证申请。"
                    "还没有办证的，社区可协助办理。"
                ),
                "questions": [
                    {
                        "code": "aid-types",
                        "label": "需要的辅具",
                        "datatype": "multiple",
                        "required": True,
                        "choices": ["助听器", "轮椅", "拐杖", "助行器", "其他"],
                    },
                    {
                        "code": "disability-card",
                        "label": "是否持有残疾人证",
                        "datatype": "single",
                        "required": True,
                        "choices": ["有", "没有", "正在办理"],
                    },
                ],
            },
            {
                "code": "dibao-inquiry",
                "name": "低保政策咨询",
                "kind": "inquiry",
                "unit": "community",
                "response_hours": 4,
                "handling_days": 3,
                "notice": (
                    "可咨询最低生活保障的申请条件、所需材料和办理流程。"
                    "个人收入等信息仅用于答复。"
                ),
                "questions": [
                    {
                        "code": "household-size",
                        "label": "家庭共同生活人数",
                        "datatype": "number",
                        "required": False,
                    },
                ],
            },
            {
                "code": "temporary-assistance",
                "name": "临时救助",
                "kind": "help",
                "unit": "minzheng",
                "response_hours": 2,
                "handling_days": 5,
                "notice": (
                    "因突发事件、意外或重病导致生活困难的，"
                    "可申请临时救助。请简要说明情况。"
                ),
            },
            {
                "code": "medical-insurance",
                "name": "医疗保险咨询",
                "kind": "inquiry",
                "unit": "community",
                "response_hours": 4,
                "handling_days": 2,
                "notice": "可咨询城乡居民医保参保缴费、异地就医备案和报销等问题。",
            },
            {
                "code": "health-service",
                "name": "卫生院及诊所服务",
                "kind": "complaint",
                "unit": "weijian",
                "response_hours": 4,
                "handling_days": 5,
                "notice": "请写明医疗机构名称和就诊时间。急危重症请直接拨打120。",
            },
        ],
    },
    {
        "code": "disputes",
        "name": "矛盾纠纷",
        "children": [
            {
                "code": "neighbour-dispute",
                "name": "邻里纠纷",
                "kind": "help",
                "unit": "grid",
                "response_hours": 2,
                "handling_days": 3,
                "notice": (
                    "网格员会上门了解情况并组织调解。发生打架斗殴等情况请拨打110。"
                ),
            },
            {
                "code": "family-dispute",
                "name": "家庭纠纷",
                "kind": "help",
                "unit": "community",
                "response_hours": 2,
                "handling_days": 5,
                "notice": (
                    "社区调解员会与您联系，您的信息严格保密。"
                    "遭受家庭暴力请立即拨打110。"
                ),
            },
            {
                "code": "wage-arrears",
                "name": "拖欠农民工工资",
                "kind": "complaint",
                "unit": "zhujian",
                "response_hours": 2,
                "handling_days": 10,
                "notice": (
                    "请写明工程项目或用工单位名称、拖欠时间和金额。"
                    "劳动合同、考勤记录等材料请妥善保存。"
                ),
                "questions": [
                    {
                        "code": "project-name",
                        "label": "工程项目或用工单位名称",
                        "datatype": "text",
                        "required": True,
                    },
                    {
                        "code": "worker-count",
                        "label": "被拖欠工资的人数",
                        "datatype": "number",
                        "required": True,
                    },
                    {
                        "code": "amount-owed",
                        "label": "拖欠总金额（元）",
                        "datatype": "number",
                        "required": False,
                    },
                ],
            },
        ],
    },
    {
        "code": "market",
        "name": "市场监管",
        "children": [
            {
                "code": "price-complaint",
                "name": "价格问题",
                "kind": "complaint",
                "unit": "shichang",
                "response_hours": 4,
                "handling_days": 5,
                "notice": "请写明商户名称、商品和价格，保留好购物小票等凭证。",
            },
            {
                "code": "short-weight",
                "name": "缺斤短两",
                "kind": "complaint",
                "unit": "shichang",
                "response_hours": 2,
                "handling_days": 3,
                "notice": "请写明商户或摊位位置、购买的商品和短缺的重量。",
            },
            {
                "code": "food-safety",
                "name": "食品安全",
                "kind": "report",
                "unit": "shichang",
                "response_hours": 2,
                "handling_days": 5,
                "notice": (
                    "请保留问题食品和购物凭证。出现食物中毒症状请立即就医或拨打120。"
                ),
                "questions": [
                    {
                        "code": "purchase-date",
                        "label": "购买或就餐日期",
                        "datatype": "date",
                        "required": False,
                    },
                    {
                        "code": "food-problems",
                        "label": "发现的问题",
                        "datatype": "multiple",
                        "required": True,
                        "choices": [
                            "过期",
                            "变质",
                            "有异物",
                            "无证经营",
                            "加工环境脏乱",
                            "其他",
                        ],
                    },
                ],
            },
        ],
    },
    {
        "code": "public-safety",
        "name": "治安与流浪犬",
        "children": [
            {
                "code": "suspicious-person",
                "name": "可疑人员",
                "kind": "report",
                "unit": "paichusuo",
                "response_hours": 1,
                "handling_days": 2,
                "notice": (
                    "正在发生的违法犯罪或紧急情况请立即拨打110，不要在此等待回复。"
                ),
            },
            {
                "code": "security-hazard",
                "name": "治安隐患",
                "kind": "report",
                "unit": "paichusuo",
                "response_hours": 2,
                "handling_days": 5,
                "notice": (
                    "如小区监控损坏、门禁失灵、偏僻路段缺少照明等，请写明具体位置。"
                ),
            },
            {
                "code": "stray-dog",
                "name": "流浪犬",
                "kind": "help",
                "unit": "chengguan",
                "response_hours": 2,
                "handling_days": 5,
                "notice": (
                    "请不要驱赶或激怒犬只。被咬伤请立即用肥皂水冲洗伤口，"
                    "尽快到狂犬病暴露处置门诊就诊，紧急时拨打120。"
                ),
                "questions": [
                    {
                        "code": "dog-count",
                        "label": "大约有几只",
                        "datatype": "number",
                        "required": False,
                    },
                    {
                        "code": "dog-bite",
                        "label": "是否有人被咬伤",
                        "datatype": "single",
                        "required": True,
                        "choices": ["是", "否"],
                    },
                ],
            },
        ],
    },
    {
        "code": "transport-education",
        "name": "出行与教育",
        "children": [
            {
                "code": "bus-stop-route",
                "name": "公交站点与线路",
                "kind": "suggestion",
                "unit": "jiaotong",
                "response_hours": 8,
                "handling_days": 10,
                "notice": "请写明希望增设或调整的站点、线路，以及主要的出行需求。",
            },
            {
                "code": "school-enrolment",
                "name": "入学咨询",
                "kind": "inquiry",
                "unit": "jiaoyu",
                "response_hours": 4,
                "handling_days": 2,
                "notice": "可咨询入园、小学和初中招生的片区划分、报名时间和所需材料。",
                "questions": [
                    {
                        "code": "school-stage",
                        "label": "孩子要办理",
                        "datatype": "single",
                        "required": True,
                        "choices": [
                            "入幼儿园",
                            "小学一年级",
                            "初中一年级",
                            "转学插班",
                        ],
                    },
                ],
            },
            {
                "code": "school-surroundings",
                "name": "校园周边安全",
                "kind": "report",
                "unit": "paichusuo",
                "response_hours": 2,
                "handling_days": 5,
                "notice": (
                    "如上下学时段交通混乱、周边有可疑人员或无证摊贩，请写明学校名称。"
                ),
            },
        ],
    },
    {
        "code": "rural-affairs",
        "name": "乡村事务",
        "children": [
            {
                "code": "village-road",
                "name": "村道损坏",
                "kind": "report",
                "unit": "jiaotong",
                "response_hours": 4,
                "handling_days": 10,
                "notice": (
                    "请写明村名和路段，如东嘎村、南嘎村、桑木村的某段村道，可附照片。"
                ),
            },
            {
                "code": "grassland",
                "name": "草场保护与草场纠纷",
                "kind": "report",
                "unit": "ziran",
                "response_hours": 4,
                "handling_days": 10,
                "notice": (
                    "如草场乱挖乱占、违规取土或草场界线争议，请写明村名和大致位置。"
                ),
            },
            {
                "code": "livestock",
                "name": "牲畜散放",
                "kind": "complaint",
                "unit": "community",
                "response_hours": 2,
                "handling_days": 3,
                "notice": "牦牛等牲畜上路容易引发交通事故，村委会会提醒畜主圈养看管。",
                "questions": [
                    {
                        "code": "livestock-types",
                        "label": "牲畜种类",
                        "datatype": "multiple",
                        "required": False,
                        "choices": ["牦牛", "黄牛", "羊", "马", "猪", "其他"],
                    },
                ],
            },
            {
                "code": "ditch-cleaning",
                "name": "灌溉水渠淤堵",
                "kind": "help",
                "unit": "community",
                "response_hours": 4,
                "handling_days": 5,
                "notice": (
                    "请写明水渠所在村名和位置。春灌前后请尽早反映，便于组织清淤。"
                ),
            },
            {
                "code": "river-cleaning",
                "name": "河道垃圾与清淤",
                "kind": "report",
                "unit": "huanwei",
                "response_hours": 4,
                "handling_days": 5,
                "notice": "请写明河段位置和垃圾情况。汛期请远离河边，不要下河打捞。",
            },
            {
                "code": "tree-felling",
                "name": "砍伐树木",
                "kind": "report",
                "unit": "ziran",
                "response_hours": 4,
                "handling_days": 5,
                "notice": (
                    "擅自砍伐树木的请写明位置和数量；确需修剪或移除树木的也可在此咨询。"
                ),
            },
        ],
    },
    {
        "code": "services-feedback",
        "name": "服务与建议",
        "children": [
            {
                "code": "rider-station",
                "name": "快递外卖骑手驿站",
                "kind": "suggestion",
                "unit": "community",
                "response_hours": 8,
                "handling_days": 10,
                "notice": (
                    "骑手驿站提供歇脚、热水、充电和避寒服务，欢迎提出选址和服务建议。"
                ),
            },
            {
                "code": "rider-charging",
                "name": "骑手电动车充电难",
                "kind": "help",
                "unit": "community",
                "response_hours": 4,
                "handling_days": 5,
                "notice": "请写明常跑的区域和需要的充电时段，社区会协调集中充电点。",
            },
            {
                "code": "tibetan-language",
                "name": "藏语服务需求",
                "kind": "help",
                "unit": "community",
                "response_hours": 4,
                "handling_days": 3,
                "notice": (
                    "街道和社区可以提供藏语接待与翻译，请写明需要在什么事情上帮忙。"
                ),
                "questions": [
                    {
                        "code": "language-needs",
                        "label": "需要的服务",
                        "datatype": "multiple",
                        "required": True,
                        "choices": [
                            "藏语接待",
                            "藏语电话回访",
                            "藏文材料",
                            "陪同翻译",
                        ],
                    },
                ],
            },
            {
                "code": "community-suggestion",
                "name": "社区服务建议",
                "kind": "suggestion",
                "unit": "community",
                "response_hours": 8,
                "handling_days": 10,
                "notice": "欢迎对社区活动、便民服务和办事流程提出建议。",
            },
            {
                "code": "praise-grid-worker",
                "name": "表扬网格员",
                "kind": "praise",
                "unit": "grid",
                "response_hours": 8,
                "handling_days": 3,
                "notice": "请写明网格或网格员，以及让您满意的事情。",
            },
            {
                "code": "praise-department",
                "name": "表扬部门及工作人员",
                "kind": "praise",
                "unit": "community",
                "response_hours": 8,
                "handling_days": 3,
                "notice": "请写明部门或单位名称和具体事情，我们会转达给相关单位。",
            },
        ],
    },
]

RESPONSE_TEMPLATES: list[dict] = [
    {
        "category": None,
        "title": "通用：已办结",
        "body": (
            "您好，您反映的【  】问题，经现场核实，已于【  】处理完毕。"
            "处理情况：【  】。感谢您对街道工作的关心和支持，"
            "如还有问题，欢迎继续反映。"
        ),
    },
    {
        "category": None,
        "title": "通用：政策解答",
        "body": (
            "您好，关于您咨询的【  】问题，答复如下：【  】。"
            "如需办理，请携带【  】到【  】办理。"
            "如有疑问，可再次通过本平台咨询。"
        ),
    },
    {
        "category": None,
        "title": "通用：暂时无法解决",
        "body": (
            "您好，您反映的【  】问题，经核实，因【  】暂时无法解决。"
            "我们已将情况报送【  】，预计于【  】前给出处理意见，"
            "届时再与您联系。给您带来不便，敬请谅解。"
        ),
    },
    {
        "category": None,
        "title": "通用：多次联系未果",
        "body": (
            "您好，为核实您反映的【  】问题，工作人员于【  】多次"
            "电话联系您均未接通，现场也未能找到具体位置。"
            "如问题仍然存在，请再次提交并补充详细地址。"
        ),
    },
    {
        "category": "street-lamp",
        "title": "路灯已修复",
        "body": (
            "您好，您反映的【  】路段路灯不亮问题，经现场核实为【  】，"
            "已于【  】修复，目前照明正常。感谢您的反映。"
        ),
    },
    {
        "category": "garbage-uncollected",
        "title": "垃圾已清运",
        "body": (
            "您好，您反映的【  】处生活垃圾未清运问题，"
            "环卫所已于【  】清运完毕，并已调整该点位的清运频次为【  】。"
        ),
    },
    {
        "category": "construction-noise",
        "title": "施工噪声已制止",
        "body": (
            "您好，您反映的【  】工地施工噪声扰民问题，执法人员于【  】"
            "到现场检查，已责令施工单位停止夜间施工，并依法作出【  】处理。"
            "后续我们将加强巡查。"
        ),
    },
    {
        "category": "illegal-building",
        "title": "违建已立案查处",
        "body": (
            "您好，您举报的【  】处违章建筑，经现场核查，"
            "属于未取得规划许可擅自建设。我局已于【  】立案，"
            "下达【  】通知，限期【  】日内自行拆除，逾期将依法处理。"
        ),
    },
    {
        "category": "heating-not-warm",
        "title": "供暖已恢复",
        "body": (
            "您好，您反映的【  】小区【  】栋供暖不热问题，"
            "经检查原因为【  】，已于【  】完成排气和管道调试，"
            "复测室温为【  】摄氏度。"
        ),
    },
    {
        "category": "water-cut",
        "title": "停水原因及恢复时间",
        "body": (
            "您好，您反映的【  】停水问题，原因为【  】，"
            "供排水公司已安排抢修，预计于【  】恢复供水。"
            "给您带来不便，敬请谅解。"
        ),
    },
    {
        "category": "stray-dog",
        "title": "流浪犬已收容",
        "body": (
            "您好，您反映的【  】处流浪犬问题，工作人员已于【  】"
            "到现场收容犬只【  】只，送往收容点统一管理。"
            "请您在日常出行中注意安全。"
        ),
    },
    {
        "category": "dibao-inquiry",
        "title": "低保申请答复",
        "body": (
            "您好，关于您咨询的低保申请问题：申请以家庭为单位，"
            "由户主向户籍所在社区（村）提出，需提供【  】等材料。"
            "社区工作人员【  】将于【  】与您联系，协助办理。"
        ),
    },
    {
        "category": "neighbour-dispute",
        "title": "邻里纠纷已调解",
        "body": (
            "您好，您反映的与邻居【  】问题，网格员已于【  】"
            "上门组织双方调解，双方达成一致意见：【  】。"
            "如再次发生矛盾，请及时联系网格员。"
        ),
    },
    {
        "category": "praise-grid-worker",
        "title": "感谢表扬",
        "body": (
            "您好，感谢您对【  】网格工作的肯定和表扬，"
            "我们已将您的表扬转达给网格员本人并在社区通报。"
            "我们将继续努力，为居民做好服务。"
        ),
    },
]
