// CDR rows of a history import: what each row means, which phases are inferred,
// and the per-row errors the importer reports.

import { describe, expect, it } from 'vitest';
import { interactionFromCdrRow } from './kpi.cdr.ts';
import { computeKpis } from './kpi.rollup.ts';

const row = (extra: Record<string, string>) => ({
  id: 'cdr-1',
  channel: 'Voice',
  direction: 'inbound',
  queue: 'care',
  ...extra,
});

describe('interactionFromCdrRow', () => {
  it('a complete inbound row keeps its phases', () => {
    const result = interactionFromCdrRow(
      row({
        supporter_external_id: 'S-77',
        created_at: '2026-03-02T09:00:00+01:00',
        queued_at: '2026-03-02T09:00:20+01:00',
        answered_at: '2026-03-02T09:00:35+01:00',
        ended_at: '2026-03-02T09:05:35+01:00',
        wrap_ended_at: '2026-03-02T09:06:05+01:00',
        hold_seconds: '30,5',
        transferred: 'sì',
        outcome: 'informazioni',
      }),
      'org-1',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.inferred).toEqual([]);
    expect(result.record).toMatchObject({
      channel: 'voice',
      supporterId: 'S-77',
      holdSeconds: 30.5,
      transferred: true,
    });
    const [all] = computeKpis({ records: [result.record] });
    expect(all!.figures.asa.value).toBe(15); // 09:00:35 − 09:00:20
    expect(all!.figures.aht.value).toBe(330); // talk 300 − 30.5 + hold 30.5 + wrap 30
  });

  it('infers queued_at from created_at (a longer wait, never a shorter one) and created_at from the earliest time', () => {
    const result = interactionFromCdrRow(
      row({ answered_at: '2026-03-02T09:00:35+01:00', abandoned_at: '' }),
      'org-1',
    );
    expect(result.ok && result.inferred).toEqual(['created_at', 'queued_at']);
    const noQueue = interactionFromCdrRow(
      row({ created_at: '2026-03-02T09:00:00+01:00', answered_at: '2026-03-02T09:00:35+01:00' }),
      'org-1',
    );
    expect(noQueue.ok && noQueue.record.queuedAt).toBe(Date.parse('2026-03-02T09:00:00+01:00'));
  });

  it('outbound rows are dialed when they were created', () => {
    const result = interactionFromCdrRow(
      {
        id: 'o-1',
        channel: 'voice',
        direction: 'outbound',
        campaign: 'upgrade-2026',
        created_at: '2026-03-02T10:00:00Z',
        answered_by: 'HUMAN',
        right_party_contact: '1',
        cycle_type: 'upgrade',
        outcome_amount_cents: '500',
      },
      'org-1',
    );
    expect(result.ok && result.inferred).toEqual(['dialed_at']);
    expect(result.ok && result.record).toMatchObject({
      answeredBy: 'human',
      rightPartyContact: true,
      outcomeAmountCents: 500,
    });
  });

  it('reports every bad column of a row', () => {
    const result = interactionFromCdrRow(
      {
        id: '',
        channel: 'voice',
        direction: 'sideways',
        created_at: '2026-03-02 09:00',
        transferred: 'maybe',
        hold_seconds: '-3',
      },
      'org-1',
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => i.column)).toEqual([
      'id',
      'direction',
      'created_at',
      'hold_seconds',
      'transferred',
    ]);
  });

  it('phase contradictions come back by column', () => {
    const result = interactionFromCdrRow(
      row({ queued_at: '2026-03-02T09:01:00+01:00', answered_at: '2026-03-02T09:00:00+01:00' }),
      'org-1',
    );
    expect(!result.ok && result.issues).toEqual([{ column: 'answered_at', message: 'is before queued_at' }]);
  });
});
