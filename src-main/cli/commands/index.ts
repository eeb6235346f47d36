import type { CliCommand } from '../command';
import { demoCommand } from './demo';
import { inferCommand } from './infer';
import { runCommand } from './run';
import { serveCommand } from './serve';
import { reserveCommand } from './reserve';
import { bookingsCommand } from './bookings';
import { devicesCommand } from './devices';
import { collectionCommand } from './collection';
import { configCommand } from './config';
import { submitCommand } from './submit';
import { statusCommand } from './status';
import { collectCommand } from './collect';
import { trackCommand } from './track';
import { evaluateTrackingCommand } from './evaluate-tracking';

/**
 * Every `hitmic` subcommand (main.ts orders them as DESIGN.md lists them). Each domain adds its
 * command module here.
 */
export const COMMANDS: CliCommand[] = [
  demoCommand,
  runCommand,
  inferCommand,
  serveCommand,
  reserveCommand,
  bookingsCommand,
  devicesCommand,
  collectionCommand,
  configCommand,
  submitCommand,
  statusCommand,
  collectCommand,
  trackCommand,
  evaluateTrackingCommand,
];
