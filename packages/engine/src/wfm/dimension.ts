// Dimensioning of a supporter-care center: from supporters, their movements and
// the contact cycles to run, the monthly contacts, attempts, hours, operators and
// seats per organization and in total (issue 3 §4, DOMAIN.md §5).
import type {
  CycleAudience,
  CycleKind,
  CycleMonth,
  DimensionFigures,
  DimensionPlan,
  DimensionResult,
  InboundMonth,
  OrganizationMonth,
} from './dimension.types.ts';
import { requiredAgents } from './staffing.ts';
import { checkNumber, checkObject, describe, IssueList } from './wfm.errors.ts';

const CYCLES: readonly CycleKind[] = [
  'welcome',
  'thank_you',
  'loyalty',
  'upgrade',
  'conversion',
  'recapture',
  'one_off',
];
const AUDIENCES: readonly CycleAudience[] = [
  'new_regular',
  'new_one_off',
  'new_lapsed',
  'regular',
  'one_off',
  'lapsed',
];
const DEFAULT_AUDIENCE: Record<CycleKind, CycleAudience> = {
  welcome: 'new_regular',
  thank_you: 'regular',
  loyalty: 'regular',
  upgrade: 'regular',
  conversion: 'one_off',
  recapture: 'new_lapsed',
  one_off: 'regular',
};
const DAYS_PER_MONTH = 30;

/** Checks a plan (as read from JSON) and throws one WfmError naming every failing field. */
export function validateDimensionPlan(plan: unknown): DimensionPlan {
  const issues = new IssueList();
  if (!checkObject(issues, '(plan)', plan)) issues.throwIfAny();
  const p = plan as Record<string, unknown>;
  if (typeof p.startMonth !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(p.startMonth)) {
    issues.add('startMonth', `must be a month YYYY-MM, got ${describe(p.startMonth)}`);
  }
  const months = checkNumber(issues, 'months', p.months, { min: 1, max: 60, integer: true });
  const share = { min: 0, max: 1 };
  const positive = { min: 0, minExclusive: true };
  const nonNegative = { min: 0 };
  const perMonth = (field: string, value: unknown, optional: boolean) => {
    if (value === undefined && optional) return;
    if (Array.isArray(value)) {
      if (!Number.isNaN(months) && value.length !== months) {
        issues.add(field, `has ${value.length} monthly figures, the plan has ${months} months`);
      }
      for (const [i, v] of value.entries()) checkNumber(issues, `${field}[${i}]`, v, nonNegative);
    } else {
      checkNumber(issues, field, value, nonNegative);
    }
  };
  if (checkObject(issues, 'workforce', p.workforce)) {
    const w = p.workforce;
    checkNumber(issues, 'workforce.paidHoursPerOperatorMonth', w.paidHoursPerOperatorMonth, {
      min: 1,
      max: 744,
    });
    checkNumber(issues, 'workforce.shrinkage', w.shrinkage, { min: 0, max: 1, maxExclusive: true });
    if (w.occupancy !== undefined)
      checkNumber(issues, 'workforce.occupancy', w.occupancy, { min: 0, max: 1, minExclusive: true });
    if (w.operatorsPerSeat !== undefined)
      checkNumber(issues, 'workforce.operatorsPerSeat', w.operatorsPerSeat, { min: 1 });
  }
  if (!Array.isArray(p.organizations) || p.organizations.length === 0) {
    issues.add('organizations', 'must be a non-empty array');
  } else {
    const ids = new Set<string>();
    p.organizations.forEach((o: unknown, i: number) => {
      const at = `organizations[${i}]`;
      if (!checkObject(issues, at, o)) return;
      if (typeof o.id !== 'string' || o.id === '') issues.add(`${at}.id`, 'must be a non-empty string');
      else if (ids.has(o.id)) issues.add(`${at}.id`, `repeats ${o.id}`);
      else ids.add(o.id);
      if (typeof o.name !== 'string' || o.name === '') issues.add(`${at}.name`, 'must be a non-empty string');
      if (checkObject(issues, `${at}.supporters`, o.supporters)) {
        for (const kind of ['regular', 'oneOff', 'lapsed']) {
          checkNumber(issues, `${at}.supporters.${kind}`, o.supporters[kind], nonNegative);
        }
      }
      if (o.growth !== undefined && checkObject(issues, `${at}.growth`, o.growth)) {
        const g = o.growth;
        perMonth(`${at}.growth.newRegularPerMonth`, g.newRegularPerMonth, true);
        perMonth(`${at}.growth.newOneOffPerMonth`, g.newOneOffPerMonth, true);
        for (const rate of ['regularAttritionPerMonth', 'oneOffAttritionPerMonth', 'lapsedExitPerMonth']) {
          if (g[rate] !== undefined) checkNumber(issues, `${at}.growth.${rate}`, g[rate], share);
        }
      }
      if (!Array.isArray(o.cycles)) {
        issues.add(`${at}.cycles`, 'must be an array (may be empty)');
      } else {
        o.cycles.forEach((c: unknown, j: number) => {
          const cat = `${at}.cycles[${j}]`;
          if (!checkObject(issues, cat, c)) return;
          if (!CYCLES.includes(c.cycle as CycleKind)) {
            issues.add(`${cat}.cycle`, `must be one of ${CYCLES.join(', ')}, got ${describe(c.cycle)}`);
          }
          if (c.audience !== undefined && !AUDIENCES.includes(c.audience as CycleAudience)) {
            issues.add(
              `${cat}.audience`,
              `must be one of ${AUDIENCES.join(', ')}, got ${describe(c.audience)}`,
            );
          }
          if (c.share !== undefined) checkNumber(issues, `${cat}.share`, c.share, share);
          if (c.perYear !== undefined) checkNumber(issues, `${cat}.perYear`, c.perYear, { min: 0, max: 365 });
          checkNumber(issues, `${cat}.withinDays`, c.withinDays, { min: 1, max: 365, integer: true });
          const reach = checkNumber(issues, `${cat}.reachRate`, c.reachRate, share);
          const attempts = checkNumber(issues, `${cat}.attemptsPerRecord`, c.attemptsPerRecord, {
            min: 1,
            max: 100,
          });
          if (reach > attempts) issues.add(`${cat}.reachRate`, 'cannot exceed attemptsPerRecord');
          checkNumber(issues, `${cat}.talkSeconds`, c.talkSeconds, positive);
          checkNumber(issues, `${cat}.wrapSeconds`, c.wrapSeconds, nonNegative);
          if (c.attemptSeconds !== undefined)
            checkNumber(issues, `${cat}.attemptSeconds`, c.attemptSeconds, nonNegative);
          if (c.successRate !== undefined) checkNumber(issues, `${cat}.successRate`, c.successRate, share);
          if (c.activeMonths !== undefined) {
            if (!Array.isArray(c.activeMonths))
              issues.add(`${cat}.activeMonths`, 'must be an array of YYYY-MM');
            else
              c.activeMonths.forEach((m: unknown, k: number) => {
                if (typeof m !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(m)) {
                  issues.add(`${cat}.activeMonths[${k}]`, `must be a month YYYY-MM, got ${describe(m)}`);
                }
              });
          }
        });
      }
      if (o.inbound !== undefined) {
        if (!Array.isArray(o.inbound)) issues.add(`${at}.inbound`, 'must be an array');
        else
          o.inbound.forEach((line: unknown, j: number) => {
            const lat = `${at}.inbound[${j}]`;
            if (!checkObject(issues, lat, line)) return;
            if (typeof line.name !== 'string' || line.name === '')
              issues.add(`${lat}.name`, 'must be a non-empty string');
            perMonth(`${lat}.callsPerMonth`, line.callsPerMonth, false);
            checkNumber(issues, `${lat}.ahtSeconds`, line.ahtSeconds, positive);
            checkNumber(issues, `${lat}.openHoursPerMonth`, line.openHoursPerMonth, { min: 1, max: 744 });
            if (line.targetServiceLevel !== undefined) {
              checkNumber(issues, `${lat}.targetServiceLevel`, line.targetServiceLevel, {
                min: 0,
                max: 1,
                minExclusive: true,
                maxExclusive: true,
              });
            }
            if (line.thresholdSeconds !== undefined) {
              checkNumber(issues, `${lat}.thresholdSeconds`, line.thresholdSeconds, { min: 0, max: 3600 });
            }
            if (line.patienceSeconds !== undefined)
              checkNumber(issues, `${lat}.patienceSeconds`, line.patienceSeconds, positive);
            if (line.peakFactor !== undefined)
              checkNumber(issues, `${lat}.peakFactor`, line.peakFactor, { min: 1, max: 20 });
          });
      }
      if (o.email !== undefined && checkObject(issues, `${at}.email`, o.email)) {
        perMonth(`${at}.email.emailsPerMonth`, o.email.emailsPerMonth, false);
        checkNumber(issues, `${at}.email.handleSeconds`, o.email.handleSeconds, positive);
      }
    });
  }
  issues.throwIfAny();
  return plan as DimensionPlan;
}

/** Monthly contacts, attempts, hours, operators and seats per organization and in total. */
export function dimensionCenter(plan: DimensionPlan): DimensionResult {
  const valid = validateDimensionPlan(plan);
  const months = monthList(valid.startMonth, valid.months);
  const w = valid.workforce;
  const occupancy = w.occupancy ?? 0.85;
  const perSeat = w.operatorsPerSeat ?? 1;
  const figures = (productiveOther: number, inbound: InboundMonth[], contacts: number, attempts: number) => {
    const staffed = productiveOther / occupancy + inbound.reduce((s, l) => s + l.staffedHours, 0);
    const paid = staffed / (1 - w.shrinkage);
    const fte = paid / w.paidHoursPerOperatorMonth;
    const peakInboundAgents = inbound.reduce((s, l) => s + l.agentsAtPeak, 0);
    return {
      contacts,
      attempts,
      productiveHours: productiveOther + inbound.reduce((s, l) => s + l.productiveHours, 0),
      staffedHours: staffed,
      paidHours: paid,
      operatorsFte: fte,
      operators: Math.ceil(fte - 1e-9),
      seats: Math.max(Math.ceil(fte / perSeat - 1e-9), peakInboundAgents),
    };
  };

  const organizations = valid.organizations.map((o) => {
    const g = o.growth ?? {};
    let regular = o.supporters.regular;
    let oneOff = o.supporters.oneOff;
    let lapsed = o.supporters.lapsed;
    // Records of a cycle worked after the month they arose in (see `spillShare`).
    const carried = new Map<number, number>();
    const rows: OrganizationMonth[] = [];
    months.forEach((month, m) => {
      const newRegular = monthly(g.newRegularPerMonth, m);
      const newOneOff = monthly(g.newOneOffPerMonth, m);
      const newLapsed = regular * (g.regularAttritionPerMonth ?? 0);
      const stocks = { regular, oneOff, lapsed };
      const audienceSize: Record<CycleAudience, number> = {
        new_regular: newRegular,
        new_one_off: newOneOff,
        new_lapsed: newLapsed,
        regular,
        one_off: oneOff,
        lapsed,
      };
      const cycles: CycleMonth[] = o.cycles.map((c, index) => {
        const audience = c.audience ?? DEFAULT_AUDIENCE[c.cycle];
        const active = !c.activeMonths || c.activeMonths.includes(month);
        const flow = audience.startsWith('new_');
        const arising = active
          ? audienceSize[audience] * (c.share ?? 1) * (flow ? 1 : (c.perYear ?? 1) / 12)
          : 0;
        const spill = spillShare(c.withinDays);
        const records = arising * (1 - spill) + (carried.get(index) ?? 0);
        carried.set(index, arising * spill);
        const attempts = records * c.attemptsPerRecord;
        const contacts = records * c.reachRate;
        const seconds =
          contacts * (c.talkSeconds + c.wrapSeconds) + (attempts - contacts) * (c.attemptSeconds ?? 25);
        return {
          cycle: c.cycle,
          audience,
          records,
          attempts,
          contacts,
          successes: c.successRate === undefined ? null : contacts * c.successRate,
          productiveHours: seconds / 3600,
        };
      });
      const inbound = (o.inbound ?? []).map((line) => inboundMonth(line, monthly(line.callsPerMonth, m)));
      const emails = o.email ? monthly(o.email.emailsPerMonth, m) : 0;
      const emailHours = o.email ? (emails * o.email.handleSeconds) / 3600 : 0;
      const outboundHours = cycles.reduce((s, c) => s + c.productiveHours, 0);
      const contacts =
        cycles.reduce((s, c) => s + c.contacts, 0) + inbound.reduce((s, l) => s + l.calls, 0) + emails;
      const attempts = cycles.reduce((s, c) => s + c.attempts, 0);
      rows.push({
        month,
        supporters: stocks,
        cycles,
        inbound,
        emails,
        ...figures(outboundHours + emailHours, inbound, contacts, attempts),
      });
      regular = regular - newLapsed + newRegular;
      oneOff = oneOff * (1 - (g.oneOffAttritionPerMonth ?? 0)) + newOneOff;
      lapsed = lapsed * (1 - (g.lapsedExitPerMonth ?? 0)) + newLapsed;
    });
    return { id: o.id, name: o.name, months: rows };
  });

  const total = months.map((month, m) => {
    const all = organizations.map((o) => o.months[m]!);
    const sum = (pick: (row: OrganizationMonth) => number) => all.reduce((s, row) => s + pick(row), 0);
    const staffed = sum((r) => r.staffedHours);
    const paid = staffed / (1 - w.shrinkage);
    const fte = paid / w.paidHoursPerOperatorMonth;
    const peakInboundAgents = sum((r) => r.inbound.reduce((s, l) => s + l.agentsAtPeak, 0));
    const figuresTotal: DimensionFigures = {
      contacts: sum((r) => r.contacts),
      attempts: sum((r) => r.attempts),
      productiveHours: sum((r) => r.productiveHours),
      staffedHours: staffed,
      paidHours: paid,
      operatorsFte: fte,
      operators: Math.ceil(fte - 1e-9),
      seats: Math.max(Math.ceil(fte / perSeat - 1e-9), peakInboundAgents),
    };
    return { month, ...figuresTotal };
  });
  return { months, organizations, total };
}

/**
 * Share of a month's records worked in the next month: records arise evenly over
 * a 30-day month and each is worked evenly within `withinDays` of arising, so on
 * average withinDays/60 of them cross the month end (at most half).
 */
function spillShare(withinDays: number): number {
  return Math.min(withinDays, DAYS_PER_MONTH) / (2 * DAYS_PER_MONTH);
}

/**
 * An inbound line staffed with Erlang (C, or A with a patience) at its average
 * load over the open hours; the peak (average × peakFactor) sets its seats.
 */
function inboundMonth(
  line: NonNullable<DimensionPlan['organizations'][number]['inbound']>[number],
  calls: number,
): InboundMonth {
  const productiveHours = (calls * line.ahtSeconds) / 3600;
  const averageErlangs = productiveHours / line.openHoursPerMonth;
  const targets = {
    ahtSeconds: line.ahtSeconds,
    targetServiceLevel: line.targetServiceLevel ?? 0.8,
    thresholdSeconds: line.thresholdSeconds ?? 20,
    ...(line.patienceSeconds === undefined ? {} : { patienceSeconds: line.patienceSeconds }),
  };
  const average = requiredAgents({ ...targets, trafficErlangs: averageErlangs }).agents;
  const peak = requiredAgents({
    ...targets,
    trafficErlangs: averageErlangs * (line.peakFactor ?? 1.6),
  }).agents;
  const staffedHours = average * line.openHoursPerMonth;
  return {
    name: line.name,
    calls,
    productiveHours,
    staffedHours,
    agentsAtAverageLoad: average,
    agentsAtPeak: peak,
    occupancy: staffedHours > 0 ? productiveHours / staffedHours : 0,
  };
}

function monthly(value: number | number[] | undefined, index: number): number {
  if (value === undefined) return 0;
  return Array.isArray(value) ? value[index]! : value;
}

function monthList(start: string, count: number): string[] {
  const [year, month] = start.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const total = year * 12 + (month - 1) + i;
    out.push(`${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}
