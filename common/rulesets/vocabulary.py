"""The platform's own vocabulary that a rule set may refer to, with its Chinese words.

A rule set names facts (organisation kinds, demand fields, money facts) by these codes; the
load-time cross-checks (``common.rulesets.checks``) refuse a file naming one the platform does
not know, since such a rule would silently never apply. Messages are built from these names
and the rule set's own values, never from one city's wording.
"""

# Organisation kinds intake accepts (services/intake/organizations/schemas.py ``OrgKind``).
ORG_KINDS: dict[str, str] = {
    "enterprise": "企业",
    "university": "高校",
    "institute": "科研院所",
    "other": "其他单位",
}

# Demand facts a rule set may require before submission (HZ 三(一), URC 二(一)).
DEMAND_FIELDS: dict[str, str] = {
    "problem": "主要技术难题",
    "core_indicators": "核心指标",
    "due_months": "完成时限",
    "expected_results": "预期成果",
    "end_users": "最终用户",
    "field": "所属领域",
    "total_investment": "项目总投入",
    "bounty_amount": "揭榜金额",
}

# Who may issue the evaluation opinion of an achievement-transfer demand (URC 二(一)).
OPINION_ISSUERS: dict[str, str] = {
    "qualified_evaluator": "有资质的科技成果评价机构",
    "industry_association": "相关行业协会",
    "academic_committee": "学术委员会",
    "university_tech_transfer_office": "高校、科研院所设立的知识产权管理机构或技术转移中心",
}

# Money facts a funding rule may name: (English, Chinese).
MONEY_FACTS: dict[str, tuple[str, str]] = {
    "bounty_amount": ("bounty amount", "揭榜金额"),
    "total_investment": ("total project funding", "项目总投入"),
    "equity_contribution_valuation": (
        "valuation of technology contributed as equity",
        "技术入股作价",
    ),
    "owner_other_rd_spend": ("the owner's other R&D spend", "发榜方其他研发投入"),
    "audited_total_investment": ("audited total investment", "审计确认的项目总投入"),
    "audited_bounty_paid": ("audited bounty paid", "审计确认的揭榜金额"),
}

# When a tranche falls due: (English, Chinese).
DUE_LABELS: dict[str, tuple[str, str]] = {
    "approval": ("on approval", "立项后拨付"),
    "midterm": ("after the mid-term check", "中期检查通过后拨付"),
    "acceptance": ("after acceptance", "验收后拨付"),
}

# The steps of the procedure from review to the project (``procedure.steps``).
PROCEDURE_STEPS: dict[str, tuple[str, str]] = {
    "expert_review": ("expert review", "专家评审"),
    "joint_review": ("joint review by the bureau's divisions", "处室联审"),
    "decision_meeting": ("collective decision of the director meeting", "局长办公会议立项决策"),
    "publicity": ("publicity", "公示"),
    "agreement": ("agreement signed by the owner and the solver", "签订揭榜协议"),
    "establishment": ("project established", "立项"),
    "contract": ("project contract signed", "签订项目合同书"),
}

# The joint review's checks (HZ 三(四)4).
JOINT_REVIEW_CHECKS: dict[str, tuple[str, str]] = {
    "conditions": ("application conditions on current facts", "项目申报条件"),
    "quota": ("the bureau's project quota for the year", "立项控制数"),
    "budget": ("the annual budget", "年度预算"),
    "credit": ("credit check", "信用核查"),
}


def zh_list(codes: list[str], names: dict[str, str], last: str = "、") -> str:
    """「企业、高校」 (or 「企业或高校」 with ``last="或"``): the Chinese names of ``codes`` in
    order, unknown codes as themselves."""
    words = [names.get(c, c) for c in codes]
    if len(words) < 2:
        return "".join(words)
    return "、".join(words[:-1]) + last + words[-1]
