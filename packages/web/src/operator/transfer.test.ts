import { describe, expect, it } from 'vitest';
import { messages } from '../i18n.ts';
import { availableColleagues, transferErrorKey, transferTarget } from './transfer.ts';

const op = (userId: string, displayName: string, state: string) => ({
  userId,
  displayName,
  state,
  presence: state === 'offline' ? 'offline' : 'available',
  reason: null,
  since: '2026-12-01T10:00:00Z',
});

describe('operator transfer', () => {
  it('turns the chosen option into the request body', () => {
    expect(transferTarget('queue:6f1c2b0e-0000-4000-8000-000000000001')).toEqual({
      queueId: '6f1c2b0e-0000-4000-8000-000000000001',
    });
    expect(transferTarget('operator:u-2')).toEqual({ operatorId: 'u-2' });
    expect(transferTarget(null)).toBeNull();
    expect(transferTarget('queue:')).toBeNull();
    expect(transferTarget('team:x')).toBeNull();
    expect(transferTarget('no-colon')).toBeNull();
  });

  it('offers only available colleagues, never the operator themself, by name', () => {
    const list = availableColleagues(
      [
        op('me', 'Anna', 'available'),
        op('u-3', 'Zeno', 'available'),
        op('u-2', 'Bruno', 'available'),
        op('u-4', 'Carla', 'on_call'),
        op('u-5', 'Dario', 'offline'),
        op('u-6', 'Elsa', 'not_ready'),
        op('u-7', 'Fabio', 'idle'),
      ],
      'me',
    );
    expect(list.map((o) => o.userId)).toEqual(['u-2', 'u-7', 'u-3']);
  });

  it('explains the server refusals in Italian and English', () => {
    const key = transferErrorKey(409, 'LIVE_OPERATOR_UNAVAILABLE');
    expect(key).toBe('desk.transfer.error.unavailable');
    expect(messages.it[key!]).toMatch(/non è più disponibile/);
    expect(messages.en[key!]).toMatch(/no longer available/);
    expect(transferErrorKey(404, 'LIVE_TRANSFER_TARGET_UNKNOWN')).toBe('desk.transfer.error.unknown');
    expect(transferErrorKey(409, 'LIVE_INVALID_STATE')).toBe('desk.transfer.error.state');
    expect(transferErrorKey(404, undefined)).toBe('desk.transfer.error.gone');
    expect(transferErrorKey(400, 'BODY_INVALID')).toBeNull();
  });
});
