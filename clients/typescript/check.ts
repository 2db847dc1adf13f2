// A typed SPA snippet compiled by `make test` against the types generated from
// openapi/gateway.json (openapi-typescript): response enums catch misspelt states.
import type { components, operations } from "./generated/gateway";

type Schemas = components["schemas"];
type Disbursement = Schemas["DisbursementRead"];
type Demand = Schemas["DemandRead"];
type Problem = Schemas["Problem"];

export function label(d: Disbursement): string {
  switch (d.status) {
    case "pending_approval":
      return "待复核";
    case "paid":
      return "已拨付";
    case "cancelled":
      return "已取消";
  }
}

export function isDraft(demand: Demand): boolean {
  return demand.status === "draft";
}

// @ts-expect-error "payed" is not a state the API answers: the enum refuses it.
export const typo: Disbursement["status"] = "payed";

// @ts-expect-error "archived" is not a demand state.
export const unknownDemand: Demand["status"] = "archived";

export const amount: Disbursement["amount"] = "1600000.00";
export const bilingual = (p: Problem): [string, string] => [p.detail, p.detail_zh];

type SubmitDemand = operations["demands_submit"];
export type SubmitAnswer =
  SubmitDemand["responses"][200]["content"]["application/json"];
