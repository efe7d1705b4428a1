// One entry for the Erlang calculators, shared by `centralino erlang` and
// POST /api/wfm/erlang: evaluate a number of agents (or lines), or find the
// fewest that meet the targets.
import {
  erlangA,
  erlangB,
  erlangC,
  requiredAgents,
  requiredLines,
  scheduledAgents,
} from '@centralino/engine';
import { AppError } from '../../http/errors.ts';

export type ErlangModel = 'b' | 'c' | 'a';

export type ErlangRequest = {
  model: ErlangModel;
  calls?: number;
  intervalSeconds?: number;
  trafficErlangs?: number;
  ahtSeconds?: number;
  patienceSeconds?: number;
  agents?: number;
  lines?: number;
  thresholdSeconds?: number;
  targetServiceLevel?: number;
  targetAsaSeconds?: number;
  maxOccupancy?: number;
  maxAbandonRate?: number;
  maxBlocking?: number;
  shrinkage?: number;
};

const invalid = (field: string, message: string) =>
  new AppError('WFM_INVALID_INPUT', 400, `${field}: ${message}`, [{ field, message }]);

export function evaluateErlang(request: ErlangRequest): Record<string, unknown> {
  const traffic = {
    ...(request.calls !== undefined ? { calls: request.calls } : {}),
    ...(request.intervalSeconds !== undefined ? { intervalSeconds: request.intervalSeconds } : {}),
    ...(request.trafficErlangs !== undefined ? { trafficErlangs: request.trafficErlangs } : {}),
  };
  if (request.model === 'b') {
    const aht = request.ahtSeconds !== undefined ? { ahtSeconds: request.ahtSeconds } : {};
    if (request.maxBlocking !== undefined)
      return requiredLines({ ...traffic, ...aht, maxBlocking: request.maxBlocking });
    const lines = request.lines ?? request.agents;
    if (lines === undefined) throw invalid('lines', 'give lines, or maxBlocking to find the lines needed');
    return erlangB({ ...traffic, ...aht, lines });
  }
  if (request.ahtSeconds === undefined) throw invalid('ahtSeconds', 'is required');
  if (request.model === 'a' && request.patienceSeconds === undefined) {
    throw invalid('patienceSeconds', 'is required for Erlang A (mean patience before abandoning)');
  }
  if (request.model === 'c' && request.maxAbandonRate !== undefined) {
    throw invalid('maxAbandonRate', 'needs Erlang A (model a with patienceSeconds)');
  }
  const queue = {
    ...traffic,
    ahtSeconds: request.ahtSeconds,
    ...(request.thresholdSeconds !== undefined ? { thresholdSeconds: request.thresholdSeconds } : {}),
  };
  const patience = request.model === 'a' ? { patienceSeconds: request.patienceSeconds! } : {};
  const targets = {
    ...(request.targetServiceLevel !== undefined ? { targetServiceLevel: request.targetServiceLevel } : {}),
    ...(request.targetAsaSeconds !== undefined ? { targetAsaSeconds: request.targetAsaSeconds } : {}),
    ...(request.maxOccupancy !== undefined ? { maxOccupancy: request.maxOccupancy } : {}),
    ...(request.maxAbandonRate !== undefined ? { maxAbandonRate: request.maxAbandonRate } : {}),
  };
  const hasTargets = Object.keys(targets).length > 0;
  if (request.agents !== undefined) {
    if (hasTargets) throw invalid('agents', 'give either agents or targets, not both');
    const agents = request.agents;
    const metrics =
      request.model === 'a'
        ? erlangA({ ...queue, patienceSeconds: request.patienceSeconds!, agents })
        : erlangC({ ...queue, agents });
    return request.shrinkage === undefined
      ? metrics
      : { ...metrics, scheduledAgents: scheduledAgents({ agents, shrinkage: request.shrinkage }) };
  }
  if (!hasTargets) {
    throw invalid(
      'agents',
      'give agents, or a target: targetServiceLevel, targetAsaSeconds, maxOccupancy, maxAbandonRate',
    );
  }
  return requiredAgents({
    ...queue,
    ...patience,
    ...targets,
    ...(request.shrinkage !== undefined ? { shrinkage: request.shrinkage } : {}),
  }) as unknown as Record<string, unknown>;
}
