// Entry point of the `centralino` bin (packages/server/bin/centralino.js).
import { text } from 'node:stream/consumers';
import { runCli } from './cli.ts';

// `centralino … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readStdin: () => text(process.stdin),
  env: process.env,
});
// `start` keeps running on its open server; everything else exits with its code.
process.exitCode = code;
