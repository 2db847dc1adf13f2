"""Chinese for every problem: the caller's language, and a ``detail_zh`` on every refusal.

A refusal raised with its own ``detail_zh`` (rule-set refusals carry the rule set's wording)
keeps it; any other gets one from its ``code`` (``demand.not_found`` → 未找到该需求), else from
its HTTP status. ``Accept-Language`` picks the language of ``detail`` and ``title``; both
languages stay in the body (``detail_zh`` always Chinese).
"""

from collections.abc import Iterable
from contextvars import ContextVar

# "en" or "zh": set per request from Accept-Language by the request middleware.
language_var: ContextVar[str] = ContextVar("language", default="en")

TITLES_ZH = {
    400: "请求错误",
    401: "未认证",
    403: "无权操作",
    404: "未找到",
    405: "不支持该请求方法",
    409: "状态冲突",
    412: "前提条件不满足",
    413: "请求内容过大",
    415: "不支持的文件类型",
    416: "请求的范围无效",
    422: "无法处理的请求",
    429: "请求过于频繁",
    500: "内部错误",
    502: "上游服务应答无效",
    503: "服务暂不可用",
}

ENTITIES_ZH = {
    "demand": "需求",
    "challenge": "榜单",
    "application": "揭榜申请",
    "round": "征集批次",
    "organization": "单位",
    "panel": "评审专家组",
    "results": "评审结果",
    "objection": "异议",
    "funding": "资助计划",
    "disbursement": "拨付",
    "tranche": "拨付批次",
    "project": "项目",
    "project_change": "项目变更",
    "clawback": "追回",
    "expert": "专家",
    "vetting": "论证",
    "settlement": "结算",
    "notice": "公示",
    "report": "报告",
    "document": "文件",
}

CODES_ZH = {
    "auth.unauthorized": "需要有效的访问令牌（Bearer）",
    "auth.invalid_token": "访问令牌无效或已过期",
    "auth.role": "当前角色无权执行此操作",
    "auth.forbidden": "无权执行此操作",
    "auth.no_org": "令牌未指明所代表的单位",
    "not_found": "未找到请求的对象",
    "method_not_allowed": "该路径不支持此请求方法",
    "request.validation": "请求不符合接口定义",
    "request.nul_byte": "请求中不得包含 NUL 字符",
    "request.too_large": "请求内容超过大小上限",
    "request.cursor": "分页游标无效",
    "request.rate_limited": "请求过于频繁，请稍后再试",
    "rate_limited": "请求过于频繁，请稍后再试",
    "conflict.integrity": "该修改与已有数据冲突",
    "db.unavailable": "数据库暂不可用，请稍后重试",
    "db.conflict": "与同时进行的另一项修改冲突，请稍后重试",
    "delivery.delivered": "该投递已送达",
    "fault.refused": "注入的故障拒绝了该请求（仅测试）",
    "upstream.unavailable": "内部服务暂不可用，请稍后重试",
    "upstream.timeout": "内部服务未及时应答，请稍后重试",
    "upstream.bad_answer": "内部服务应答无效",
    "service.unavailable": "服务暂不可用，请稍后重试",
    "internal": "内部错误",
    "city.unknown": "平台未服务该城市",
    "four_eyes.same_user": "申请人不得复核本人提交的拨付",
    "idempotency.key_reused": "该幂等键已用于内容不同的请求",
    "precondition.etag": "对象已被修改，请重新读取",
}

# pydantic error types → Chinese, for the field list of a validation refusal.
FIELD_TYPES_ZH = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不允许的字段",
    "string_too_long": "内容过长",
    "string_too_short": "内容过短或为空",
    "string_type": "应为字符串",
    "string_pattern_mismatch": "格式不符",
    "uuid_parsing": "应为 UUID",
    "uuid_type": "应为 UUID",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_type": "应为布尔值",
    "datetime_from_date_parsing": "应为带时区的日期时间",
    "datetime_parsing": "应为日期时间",
    "timezone_aware": "日期时间须带时区",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "too_short": "条目过少",
    "too_long": "条目过多",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为对象",
    "dict_type": "应为对象",
    "list_type": "应为数组",
    "value_error": "取值无效",
}


def detail_zh_for(code: str, status: int) -> str:
    if code in CODES_ZH:
        return CODES_ZH[code]
    entity, _, what = code.partition(".")
    if what == "not_found" and entity in ENTITIES_ZH:
        return f"未找到该{ENTITIES_ZH[entity]}"
    if what == "null_field":
        return "该字段不能为空"
    if status in TITLES_ZH:
        return f"{TITLES_ZH[status]}（{code}）" if status in (409, 422) else TITLES_ZH[status]
    return "请求未能完成"


def fields_zh(items: Iterable[tuple[str, str]]) -> str:
    """``(location, pydantic type)`` pairs → '字段 body.title：内容过长；…'."""
    parts = [f"{loc}：{FIELD_TYPES_ZH.get(kind, '取值无效')}" for loc, kind in items]
    return "请求不符合接口定义：" + "；".join(parts)


def preferred_language(accept_language: str | None) -> str:
    """``zh`` when the caller ranks any Chinese above English (RFC 9110 q-values), else ``en``."""
    best, best_q = "en", 0.0
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        tag = tag.strip().lower()
        language = "zh" if tag.startswith("zh") else "en" if tag.startswith("en") else None
        # equal q: the earlier one wins (a tiny tie-break by position)
        if language and q - position * 1e-6 > best_q:
            best, best_q = language, q - position * 1e-6
    return best
