/**
 * One `hitmic` subcommand. Each lives in its own file under `src-main/cli/commands/` and is
 * registered in `src-main/cli/commands/index.ts`. The dispatcher handles `--help` for every
 * command (printing `usage`), so `run` only sees real invocations.
 */
export interface CliCommand {
  /** The word after `hitmic`, e.g. `collection`. */
  name: string;
  /** One line for `hitmic --help`. */
  summary: string;
  /** Full help text printed by `hitmic <name> --help` (usage line, options, examples). */
  usage: string;
  /** Help of one action of a command with actions (`hitmic collection verify --help`). */
  actionUsage?(action: string): string | undefined;
  /**
   * Runs the command with the arguments after the command name.
   * Resolves to the process exit code. Throw a `CliError` for a clean one-line failure.
   */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Where a command writes; tests pass their own. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  /** Working directory for relative paths. */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A failure the user caused or can fix: printed as one line `hitmic: <message>` on stderr. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
