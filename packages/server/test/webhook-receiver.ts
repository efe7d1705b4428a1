// A real HTTP endpoint on 127.0.0.1 for webhook tests: it records every
// request with its raw body and answers what the test tells it to.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedRequest = { path: string; headers: IncomingHttpHeaders; body: string };
/** A status code, or 'hang' to never answer (timeouts). */
export type Answer = number | 'hang';

export type Receiver = {
  url: string;
  requests: ReceivedRequest[];
  /** Answers for the next requests, in order; then `otherwise` (default 200). */
  answer(...answers: Answer[]): void;
  otherwise(answer: Answer): void;
  /** Resolves when `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const queue: Answer[] = [];
  let fallback: Answer = 200;
  const waiters: (() => void)[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      for (const wake of waiters.splice(0)) wake();
      const answer = queue.shift() ?? fallback;
      if (answer === 'hang') return;
      if (answer >= 300 && answer < 400) response.setHeader('location', '/redirected');
      response.writeHead(answer).end('receiver says hello');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    answer: (...answers) => queue.push(...answers),
    otherwise: (answer) => {
      fallback = answer;
    },
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${requests.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The README's verify-webhook.mjs block, imported as the module an integrator would save. */
export async function loadReadmeVerifier(): Promise<{
  source: string;
  verifyWebhookSignature: (
    header: string,
    body: string,
    secret: string,
    toleranceSeconds?: number,
    nowSeconds?: number,
  ) => boolean;
}> {
  const { readFileSync, mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { pathToFileURL } = await import('node:url');
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^## Webhooks$/m)[1]?.split(/^## /m)[0] ?? '';
  const source = [...section.matchAll(/```js\n([\s\S]*?)```/g)]
    .map((match) => match[1] as string)
    .find((block) => block.includes('export function verifyWebhookSignature'));
  if (!source) throw new Error('README: no verify-webhook.mjs block in the Webhooks section');
  const file = join(mkdtempSync(join(tmpdir(), 'centralino-readme-')), 'verify-webhook.mjs');
  writeFileSync(file, source);
  return { source, ...(await import(pathToFileURL(file).href)) };
}
