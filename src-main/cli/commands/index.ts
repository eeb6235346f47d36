import type { CliCommand } from '../command';
import { serveCommand } from './serve';
import { reserveCommand } from './reserve';
import { bookingsCommand } from './bookings';
import { devicesCommand } from './devices';
import { collectionCommand } from './collection';
import { configCommand } from './config';

/**
 * Every `hitmic` subcommand, in the order `hitmic --help` lists them.
 * Each domain adds its command module here.
 */
export const COMMANDS: CliCommand[] = [
  serveCommand,
  reserveCommand,
  bookingsCommand,
  devicesCommand,
  collectionCommand,
  configCommand,
];
