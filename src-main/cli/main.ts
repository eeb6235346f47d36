import { appVersion } from '../version';
import { CliError, type CliCommand, type CliIo } from './command';
import { COMMANDS } from './commands';

/** The order of DESIGN.md's command table. */
const DESIGN_ORDER = [
  'demo',
  'run',
  'infer',
  'track',
  'evaluate-tracking',
  'collection',
  'config',
  'reserve',
  'bookings',
  'devices',
  'serve',
];

function helpText(commands: CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'hitmic — HiTMic Studio command line: model collections, inference and memory reservations',
    'for time-lapse movies of bacteria.',
    '',
    'Usage: hitmic <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --help, -h     show help (also: hitmic <command> --help)',
    '  --version, -V  print the version',
    '',
  ].join('\n');
}

/** All commands, in the order of DESIGN.md's command table. */
export function allCommands(): CliCommand[] {
  const rank = (name: string) => {
    const i = DESIGN_ORDER.indexOf(name);
    return i < 0 ? DESIGN_ORDER.length : i;
  };
  return [...COMMANDS].sort((a, b) => rank(a.name) - rank(b.name));
}

/**
 * Runs `hitmic` with the given arguments and resolves to the exit code.
 * Failures print exactly one line `hitmic: <message>` on stderr.
 */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const commands = allCommands();
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const target = first === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    io.stdout.write(target ? `${target.usage.trimEnd()}\n` : helpText(commands));
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-V') {
    io.stdout.write(`${appVersion()}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    const hint = first.startsWith('-') ? 'unknown option' : 'unknown command';
    io.stderr.write(`hitmic: ${hint} '${first}' (see 'hitmic --help')\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    const dashDash = rest.indexOf('--');
    const helpAt = rest.findIndex((a) => a === '--help' || a === '-h');
    if (dashDash < 0 || helpAt < dashDash) {
      const action = rest[0] && !rest[0].startsWith('-') ? command.actionUsage?.(rest[0]) : undefined;
      io.stdout.write(`${(action ?? command.usage).trimEnd()}\n`);
      return 0;
    }
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr.write(`hitmic: ${err.message}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`hitmic: ${message.split('\n')[0]}\n`);
    if (io.env.HITMIC_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}
