import { CliError } from './command';

/** Specification of one option for {@link parseArgs}. */
export interface OptionSpec {
  /** `string` takes a value (`--out X` or `--out=X`), `boolean` does not, `list` may repeat. */
  type: 'string' | 'boolean' | 'list';
  /** Single-letter alias, without the dash. */
  short?: string;
}

export interface ParsedArgs {
  options: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** Everything after a bare `--`, untouched (used by `hitmic reserve -- CMD ...`). */
  rest: string[];
}

/**
 * Small strict argument parser: unknown options are an error that names the option and the
 * command's help, so a typo never silently changes what a long run does.
 */
export function parseArgs(argv: string[], spec: Record<string, OptionSpec>, command: string): ParsedArgs {
  const options: ParsedArgs['options'] = {};
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(spec).flatMap(([k, s]) => (s.short ? [[s.short, k] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return { options, positionals, rest: argv.slice(i + 1) };
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else if (arg.startsWith('-') && arg.length === 2 && arg !== '-') {
      name = byShort.get(arg.slice(1));
      if (!name)
        throw new CliError(`unknown option '${arg}' for '${command}' (see 'hitmic ${command} --help')`);
    } else {
      positionals.push(arg);
      continue;
    }
    const s = spec[name];
    if (!s)
      throw new CliError(`unknown option '--${name}' for '${command}' (see 'hitmic ${command} --help')`);
    if (s.type === 'boolean') {
      if (inline !== undefined) throw new CliError(`option '--${name}' takes no value`);
      options[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined)
      throw new CliError(`option '--${name}' needs a value (see 'hitmic ${command} --help')`);
    if (s.type === 'list') options[name] = [...((options[name] as string[] | undefined) ?? []), value];
    else options[name] = value;
  }
  return { options, positionals, rest: [] };
}

/** Parses a number option, naming the option and the bad value on failure. */
export function numberOption(
  value: unknown,
  name: string,
  opts: { min?: number; integer?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (
    !Number.isFinite(n) ||
    (opts.integer && !Number.isInteger(n)) ||
    (opts.min !== undefined && n < opts.min)
  ) {
    const kind = opts.integer ? 'an integer' : 'a number';
    const bound = opts.min !== undefined ? ` ≥ ${opts.min}` : '';
    throw new CliError(`option '--${name}' must be ${kind}${bound}, got '${String(value)}'`);
  }
  return n;
}
