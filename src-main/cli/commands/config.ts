/**
 * `hitmic config validate CONFIG [--strict] [--json] [--channels N]`: diagnostics with
 * line:column and a fix for a HiTMicTools run config.
 */
import { formatDiagnostic } from '../../../src-shared/config';
import { ConfigFileError, loadRunConfig } from '../../config';
import { numberOption, parseArgs } from '../args';
import { CliError, type CliCommand, type CliIo } from '../command';

const USAGE = `Usage: hitmic config validate CONFIG.yml [--strict] [--json] [--channels N]

Checks a HiTMicTools run config (input_data, pipeline_setup, models, model sections, tracking)
as HiTMicTools 0.5.15 reads it, accepting the documented guide variants with warnings.
Every finding has a severity, a YAML path, line:column and a suggested fix.

Options:
  --strict        warnings are errors (accept only what HiTMicTools itself reads the same way)
  --json          print {ok, diagnostics:[{severity, message, path, line, column, fix}]}
  --channels N    the movies have N channels: channel indices must be below N
  --cwd DIR       the folder HiTMicTools would be run from (default: the current folder)

Exit status: 0 when there is no error, 1 when there are errors, 2 when the file cannot be read.
`;

async function run(argv: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'validate')
    throw new CliError(
      action
        ? `unknown action '${action}' for 'config' (expected 'validate')`
        : "'config' needs an action: validate",
    );
  const { options: o, positionals } = parseArgs(
    rest,
    {
      strict: { type: 'boolean' },
      json: { type: 'boolean' },
      channels: { type: 'string' },
      cwd: { type: 'string' },
    },
    'config',
  );
  const file = positionals[0];
  if (!file) throw new CliError("'config validate' needs a config file");
  let loaded;
  try {
    loaded = await loadRunConfig(file, {
      cwd: typeof o.cwd === 'string' ? o.cwd : io.cwd,
      strict: o.strict === true,
      channelCount: numberOption(o.channels, 'channels', { min: 1, integer: true }),
    });
  } catch (err) {
    if (err instanceof ConfigFileError) throw new CliError(err.message, 2);
    throw err;
  }
  const { ok, diagnostics } = loaded;
  if (o.json === true) io.stdout.write(`${JSON.stringify({ ok, diagnostics }, null, 2)}\n`);
  else {
    for (const d of diagnostics) io.stdout.write(`${formatDiagnostic(file, d)}\n`);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
    io.stdout.write(`${ok ? 'OK' : 'INVALID'}: ${errors} error(s), ${warnings} warning(s)\n`);
  }
  if (!ok) {
    const first = diagnostics.find((d) => d.severity === 'error');
    throw new CliError(
      `config ${file} has errors; first at line ${first?.line}:${first?.column}: ${first?.message}`,
      1,
    );
  }
  return 0;
}

export const configCommand: CliCommand = {
  name: 'config',
  summary: 'validate a HiTMicTools run config (diagnostics with line:column)',
  usage: USAGE,
  run,
};
