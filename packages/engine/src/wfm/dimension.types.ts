// The plan of a supporter-care center (issue 3, section 4): JSON-able input read
// from a plan file by the CLI, and the monthly dimensioning it produces.

/** Contact cycles of DOMAIN.md §5 (inbound has its own `inbound` lines). */
export type CycleKind =
  | 'welcome'
  | 'thank_you'
  | 'loyalty'
  | 'upgrade'
  | 'conversion'
  | 'recapture'
  | 'one_off';

/**
 * Who a cycle calls. Flows are the supporters who entered a state that month and
 * are called once; stocks are everyone in a state, called `perYear` times a year.
 */
export type CycleAudience = 'new_regular' | 'new_one_off' | 'new_lapsed' | 'regular' | 'one_off' | 'lapsed';

export type DimensionCycle = {
  cycle: CycleKind;
  /** Default by cycle: welcome → new_regular, conversion → one_off, recapture → new_lapsed, others → regular. */
  audience?: CycleAudience;
  /** Share of the audience put in the call lists, 0–1; default 1. */
  share?: number;
  /** Calls a year per supporter, for stock audiences (regular, one_off, lapsed); default 1. */
  perYear?: number;
  /** Days within which a record must be worked after it arises (DOMAIN.md §5, e.g. welcome 1–7). */
  withinDays: number;
  /** Share of records reached (right-party contact) within the attempts, 0–1. */
  reachRate: number;
  /** Average dial attempts per record, ≥ 1. */
  attemptsPerRecord: number;
  /** Talk time per reached contact, seconds. */
  talkSeconds: number;
  /** After-contact work per reached contact, seconds. */
  wrapSeconds: number;
  /** Operator time of an attempt that does not reach the supporter (dial, ring, message); default 25 s. */
  attemptSeconds?: number;
  /** Share of reached contacts with the cycle's success outcome, 0–1; optional, for reporting. */
  successRate?: number;
  /** Months (`YYYY-MM`) in which the cycle runs, e.g. an emergency appeal; default every month. */
  activeMonths?: string[];
};

export type DimensionInbound = {
  /** A line such as `toll_free` or `drtv`. */
  name: string;
  /** Calls per month: one figure for every month, or one per month of the plan. */
  callsPerMonth: number | number[];
  ahtSeconds: number;
  /** Hours per month the line is staffed, e.g. 22 days × 10 h = 220. */
  openHoursPerMonth: number;
  /** Service target for the Erlang staffing of the line; default 0.8 within 20 s. */
  targetServiceLevel?: number;
  thresholdSeconds?: number;
  /** Mean caller patience: staffs with Erlang A instead of Erlang C. */
  patienceSeconds?: number;
  /** Busiest hour over the average hour, for seats; default 1.6. */
  peakFactor?: number;
};

export type DimensionEmail = {
  /** E-mails to handle per month (fulfilment: information packs, receipts, replies). */
  emailsPerMonth: number | number[];
  handleSeconds: number;
};

export type DimensionOrganization = {
  id: string;
  name: string;
  /** Supporters at the start of the plan. */
  supporters: { regular: number; oneOff: number; lapsed: number };
  /** Monthly movements; all default 0. Regular donors who leave become lapsed. */
  growth?: {
    newRegularPerMonth?: number | number[];
    newOneOffPerMonth?: number | number[];
    /** Share of regular donors who stop each month (they become lapsed), e.g. 0.01. */
    regularAttritionPerMonth?: number;
    /** Share of one-off donors who leave the base each month. */
    oneOffAttritionPerMonth?: number;
    /** Share of lapsed supporters who leave the lapsed base each month (e.g. deep lapsed after 24 months). */
    lapsedExitPerMonth?: number;
  };
  cycles: DimensionCycle[];
  inbound?: DimensionInbound[];
  email?: DimensionEmail;
};

export type DimensionPlan = {
  /** First month of the plan, `YYYY-MM`. */
  startMonth: string;
  /** Number of months, 1–60. */
  months: number;
  workforce: {
    /** Paid hours of one full-time operator in a month, e.g. 38 h × 52 / 12 ≈ 165. */
    paidHoursPerOperatorMonth: number;
    /** Share of paid time not available for contacts (breaks, training, absence), 0–1. */
    shrinkage: number;
    /** Productive share of outbound and e-mail hours (the rest is waiting, list handling), 0–1; default 0.85. */
    occupancy?: number;
    /** Operators sharing one seat across shifts, e.g. 1.4; default 1. */
    operatorsPerSeat?: number;
  };
  organizations: DimensionOrganization[];
};

export type CycleMonth = {
  cycle: CycleKind;
  audience: CycleAudience;
  records: number;
  attempts: number;
  contacts: number;
  successes: number | null;
  productiveHours: number;
};

export type InboundMonth = {
  name: string;
  calls: number;
  productiveHours: number;
  /** Operator hours on the line: Erlang-staffed agents at the average load × open hours. */
  staffedHours: number;
  agentsAtAverageLoad: number;
  agentsAtPeak: number;
  occupancy: number;
};

export type DimensionFigures = {
  /** Reached outbound contacts + inbound calls + e-mails. */
  contacts: number;
  /** Outbound dial attempts. */
  attempts: number;
  /** Handling time: talk, wrap, unanswered attempts, inbound handle time, e-mails. */
  productiveHours: number;
  /** Productive hours / occupancy (outbound, e-mail) plus Erlang-staffed inbound hours. */
  staffedHours: number;
  /** Staffed hours / (1 − shrinkage). */
  paidHours: number;
  /** Full-time equivalents: paid hours / paid hours per operator. */
  operatorsFte: number;
  /** Operators to hire: ⌈FTE⌉ (per organization; the total pools the FTE first). */
  operators: number;
  /** ⌈operators' FTE / operators per seat⌉, at least the peak inbound agents' seats. */
  seats: number;
};

export type OrganizationMonth = DimensionFigures & {
  month: string;
  supporters: { regular: number; oneOff: number; lapsed: number };
  cycles: CycleMonth[];
  inbound: InboundMonth[];
  emails: number;
};

export type DimensionResult = {
  months: string[];
  organizations: { id: string; name: string; months: OrganizationMonth[] }[];
  /** All organizations together, month by month: one pool of operators and seats. */
  total: (DimensionFigures & { month: string })[];
};
