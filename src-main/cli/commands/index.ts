import type { CliCommand } from '../command';
import { serveCommand } from './serve';

/**
 * Every `hitmic` subcommand, in the order `hitmic --help` lists them.
 * Each domain adds its command module here.
 */
export const COMMANDS: CliCommand[] = [
  serveCommand,
];
