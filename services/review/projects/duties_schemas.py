"""Shapes of the duties the texts name on a project: the owner's responsibility letter and
project manager (URC 三(四)), the mid-term check, the contract (HZ 三(五))."""

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from common.schemas import Schema, ShortText

Text = Annotated[str, Field(min_length=1, max_length=20_000)]
Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


class TitledDocument(Schema):
    """A document named on a record: its kind and title, and the stored file's id once
    documents are stored."""

    kind: Code
    title: ShortText
    document_id: UUID | None = None


class ProjectManagerNamed(Schema):
    name: ShortText
    phone: ShortText | None = None
    experience: Text | None = Field(default=None, description="科研管理经验")


class OwnerDutiesCreate(Schema):
    """The owner signs the responsibility letter (业主责任书) and names the project manager."""

    letter_signed_on: date
    letter: TitledDocument | None = None
    project_manager: ProjectManagerNamed


class MidtermCheckCreate(Schema):
    """The mid-term check (中期检查) the bureau recorded; a passed one releases the plan's
    mid-term tranches."""

    outcome: Literal["passed", "failed"]
    checked_on: date
    opinion: Text
    report: TitledDocument | None = None


class ContractCreate(Schema):
    """The project contract (项目合同书) signed after 立项 (HZ 三(五))."""

    signed_on: date
    contract: TitledDocument | None = None


class AcceptedBy(Schema):
    """Who carried out the joint acceptance (URC 二(七)): the bureau or a commissioned third
    party."""

    kind: Literal["bureau", "third_party"]
    name: ShortText


class AuditReport(Schema):
    """The special audit report and the qualified accounting firm that issued it."""

    firm_name: ShortText
    firm_credit_code: ShortText | None = None
    report_no: ShortText | None = None
    report: TitledDocument | None = None
