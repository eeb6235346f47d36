/**
 * Messages between a ThreadedMovie (host side) and its reader thread (reader-thread.ts). Plain
 * data only: they cross by structured clone, plane pixels by transfer.
 */
import type { ChannelContrastStats } from '../../../src-shared/api';
import type { MovieInfo, Plane, PlaneSelection } from '../../../src-shared/io';
import { TiffError, type TiffErrorFields } from '../tiff/errors';
import type { MovieOptions } from './movie';

/** What the thread is started with (workerData). */
export interface ReaderThreadInit {
  path: string;
  options: MovieOptions;
}

export type HostMessage =
  | { type: 'read'; id: number; sel: PlaneSelection }
  | { type: 'stats'; id: number; channel: number; ts: number[] }
  | { type: 'cancel'; id: number }
  | { type: 'close' };

export type ThreadMessage =
  | { type: 'opened'; info: MovieInfo }
  | { type: 'open-failed'; error: WireError }
  | { type: 'plane'; id: number; plane: Plane }
  | { type: 'stats'; id: number; stats: ChannelContrastStats }
  | { type: 'failed'; id: number; error: WireError }
  | { type: 'closed' };

/** An error as it crosses the thread boundary: a TiffError keeps its fields, anything else its name and message. */
export type WireError =
  | { kind: 'tiff'; what: string; fields: Omit<TiffErrorFields, 'cause'> }
  | { kind: 'other'; name: string; message: string };

export function toWire(err: unknown): WireError {
  if (err instanceof TiffError) {
    const { code, path, page, tag, expected, actual, fix } = err;
    return { kind: 'tiff', what: err.what, fields: { code, path, page, tag, expected, actual, fix } };
  }
  if (err instanceof Error) return { kind: 'other', name: err.name, message: err.message };
  return { kind: 'other', name: 'Error', message: String(err) };
}

export function fromWire(w: WireError): Error {
  if (w.kind === 'tiff') return new TiffError(w.what, w.fields);
  const err = new Error(w.message);
  err.name = w.name;
  return err;
}
