import { loadConfig } from '../../config.ts';
import { startServer, stopOnSignals } from '../../main.ts';
import { type Command, EXIT, optionalString, UsageError } from '../command.ts';
import { DATA_HELP } from '../database-options.ts';

export const startCommand: Command = {
  path: ['start'],
  summary: 'Start the HTTP server (API, API docs, health)',
  help: `Usage: centralino start [--port N] [--host ADDRESS] [--data DIR] [--demo]

Starts the server, applying pending database migrations first.

Options:
  --port N         port to listen on (default: $PORT or 3000; 0 picks a free port)
  --host ADDRESS   address to listen on (default: $HOST or 127.0.0.1)
${DATA_HELP}
  --demo           create the demo organizations and users on first start; the demo
                   runs live on the simulated gateway (CENTRALINO_LIVE=off: not live)`,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    demo: { type: 'boolean' },
  },
  async run(args, io) {
    const config = loadConfig(io.env);
    const port = optionalString(args, 'port');
    if (port !== undefined) {
      const value = Number(port);
      if (!Number.isInteger(value) || value < 0 || value > 65535)
        throw new UsageError('--port must be 0–65535');
      config.port = value;
    }
    config.host = optionalString(args, 'host') ?? config.host;
    config.dataDir = optionalString(args, 'data') ?? config.dataDir;
    const server = await startServer({ config, demo: args.values.demo === true, print: io.out });
    stopOnSignals(server, io.out);
    return EXIT.ok;
  },
};
