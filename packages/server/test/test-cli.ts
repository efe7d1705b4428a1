// Runs `centralino` in-process with captured output.
import { runCli } from '../src/cli/cli.ts';

export async function runCliCaptured(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string } = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readStdin: async () => options.stdin ?? '',
    env: options.env ?? {},
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
