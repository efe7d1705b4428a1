// startServer() runs the dispatcher in the background and stops it with the server.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testSecrets } from '../../../test/test-app.ts';
import { createCliDatabaseEnv } from '../../../test/test-database.ts';
import { startReceiver } from '../../../test/webhook-receiver.ts';
import { loadConfig } from '../../config.ts';
import { createLogger } from '../../http/logger.ts';
import { startServer } from '../../main.ts';
import { createOrganization } from '../organizations/organizations.service.ts';
import { emitEvent } from './outbox.ts';
import { createWebhook } from './webhooks.service.ts';

let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ env, cleanup } = await createCliDatabaseEnv());
});
afterAll(() => cleanup());

it('a started server delivers outbox events within seconds, and stop() ends it before the database closes', async () => {
  const receiver = await startReceiver();
  const server = await startServer({
    // The test key of testSecrets, so that this test can seal the subscription's secret.
    config: { ...loadConfig(env), port: 0, secretKey: Buffer.alloc(32, 7).toString('base64') },
    demo: false,
    print: () => {},
    logger: createLogger({ level: 'silent' }),
  });
  try {
    const org = await createOrganization({ db: server.db, principal: null, slug: 'hooks', name: 'Hooks' });
    await createWebhook({
      db: server.db,
      secrets: testSecrets,
      principal: null,
      orgId: org.id,
      url: receiver.url,
      events: ['supporter.created'],
    });
    await server.db.forOrg(org.id, (tx) => emitEvent(tx, 'supporter.created', { id: 's-1' }));
    await receiver.waitFor(1, 5000);
    expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({
      type: 'supporter.created',
      data: { id: 's-1' },
    });
  } finally {
    await server.stop();
    await receiver.close();
  }
});
