import { type DimensionResult, dimensionCenter } from '@centralino/engine';
import { type Command, EXIT, requireString } from '../command.ts';
import { readInputFile, table } from '../output.ts';

export const dimensionCommand: Command = {
  path: ['dimension'],
  summary: 'Dimension the center month by month: contacts, hours, operators, seats',
  help: `Usage: centralino dimension --plan FILE.json [--json]

From the supporters by kind and their growth, the contact cycles to run, reach
rates, talk and wrap times, inbound lines and e-mail, computes per month and
organization the contacts, attempts, productive hours, operators and seats.
The plan format is in the README (example: examples/dimension-plan.json).

Options:
  --plan FILE   the plan (JSON)
  --json        print the full result as JSON`,
  options: { plan: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, io) {
    const path = requireString(args, 'plan');
    let plan: unknown;
    try {
      plan = JSON.parse(readInputFile(path));
    } catch (error) {
      if (error instanceof SyntaxError) throw new Error(`${path} is not valid JSON: ${error.message}`);
      throw error;
    }
    const result = dimensionCenter(plan as never);
    if (args.values.json === true) io.out(JSON.stringify(result, null, 2));
    else printDimension(result, io.out);
    return EXIT.ok;
  },
};

const whole = (value: number) => Math.round(value).toLocaleString('en-US');

function printDimension(result: DimensionResult, print: (line: string) => void) {
  const headers = ['month', 'contacts', 'attempts', 'productive h', 'paid h', 'FTE', 'operators', 'seats'];
  const rows = (months: DimensionResult['total']) =>
    months.map((m) => [
      m.month,
      whole(m.contacts),
      whole(m.attempts),
      whole(m.productiveHours),
      whole(m.paidHours),
      m.operatorsFte.toFixed(1),
      String(m.operators),
      String(m.seats),
    ]);
  for (const organization of result.organizations) {
    print(`${organization.name}`);
    print(table(headers, rows(organization.months)));
    print('');
  }
  print('All organizations');
  print(table(headers, rows(result.total)));
}
