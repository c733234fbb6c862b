import { printJson } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { renderDoctor } from '../doctor/render-doctor.ts';
import { runDoctor } from '../doctor/run-doctor.ts';

/** `hybridstate doctor`: seed 004's checklist; exit 1 when a check fails. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary:
    'check variables, connections, a round trip through every tier, pub/sub, write-behind, TTLs',
  usage: 'doctor [--json]',
  help: ['Exit code 0 when healthy (warnings allowed), 1 when a check failed.'],
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  async run(context) {
    const report = await runDoctor({
      env: context.io.env,
      prefix: context.prefix,
      schema: context.schema,
    });
    if (context.json) printJson(context.io, report);
    else for (const line of renderDoctor(report)) context.io.out(line);
    return report.status === 'fail' ? 1 : 0;
  },
};
