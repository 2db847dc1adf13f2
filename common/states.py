"""The states and outcomes the API answers, one ``Literal`` each, so the OpenAPI document lists
them as enums and a typed client catches ``"payed"``.

Add a value here in the same change that first writes it: a response holding a value missing
here fails response validation (500) in the tests at once, never silently in a client.
Codes that come from a city's rule set (bands, categories, document kinds) are not here: they
are listed in the document from the loaded rule sets (``common.app``).
Filters that share a set keep it beside their router (``DisbursementStatus``, ``ClawbackStatus``).
"""

from typing import Literal

DemandStatus = Literal["draft", "submitted", "published"]
ApplicationStatus = Literal["draft", "submitted", "withdrawn"]
PanelStatus = Literal["open", "closed"]
ResultsStatus = Literal["reviewing", "public", "reopened"]
ObjectionStatus = Literal["open", "answered", "upheld", "dismissed"]
ProjectStatus = Literal["active", "accepted", "closed", "failed"]
ChangeStatus = Literal["pending", "approved", "rejected"]
DeliveryStatus = Literal["pending", "delivered", "dead"]
FundingStatus = Literal["awaiting_budget", "active", "accepted", "settled"]
TrancheStatus = Literal["awaiting_budget", "planned", "due", "paying", "paid", "cancelled"]
VettingVerdict = Literal["pass", "fail"]
ProposalStatus = Literal["joint_review_passed", "joint_review_failed", "proposed", "rejected"]
ChainBreak = Literal["link", "content", "head", "checkpoint", "checkpoint_signature"]
