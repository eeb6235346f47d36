/**
 * Checks of `pipeline_setup` that span several keys: the pipeline name (exact, then
 * case-insensitive, as HiTMicTools looks it up), keys the chosen pipeline needs, and channel
 * indices (distinct, and within the movie when its channel count is known).
 */
import { findPipeline, PIPELINE_REQUIRED_MODELS } from '../collections';
import { COMPUTE_DEVICE_HELP, parseComputeDevice } from './devices';
import type { Diagnostic } from './diagnostics';
import { STAGE_MEMORY_SPEC } from './schema';
import { checkSection, isMapping } from './section-check';
import { diag, type YamlSource } from './yaml-source';

const ASCT = /^ASCT_/;

/** Pipeline name lookup (exact, then case-insensitive), required keys per pipeline, channels. */
export function checkPipeline(
  src: YamlSource,
  raw: Record<string, unknown>,
  options: { channelCount?: number },
  ds: Diagnostic[],
): string | null {
  let pipeline: string | null = null;
  if (typeof raw.name === 'string') {
    pipeline = findPipeline(raw.name) ?? null;
    if (!pipeline) {
      ds.push(
        diag(
          src,
          'error',
          ['pipeline_setup', 'name'],
          `Unknown pipeline '${raw.name}'. Available pipelines: ${Object.keys(PIPELINE_REQUIRED_MODELS).join(', ')}`,
          'Use one of the listed names.',
        ),
      );
    } else if (pipeline !== raw.name) {
      ds.push(
        diag(
          src,
          'info',
          ['pipeline_setup', 'name'],
          `Pipeline '${raw.name}' matched '${pipeline}' case-insensitively`,
          `Write '${pipeline}'.`,
        ),
      );
    }
  }
  if (raw.parallel_processing === true && !('num_workers' in raw)) {
    ds.push(
      diag(
        src,
        'error',
        ['pipeline_setup', 'parallel_processing'],
        'parallel_processing is true but num_workers is missing: HiTMicTools then processes nothing (the executor gets {} as worker count)',
        'Add num_workers: 2 (or 0 for half the CPU cores).',
      ),
    );
  }
  if (pipeline && ASCT.test(pipeline)) {
    if (!('tracking' in raw))
      ds.push(
        diag(
          src,
          'warning',
          ['pipeline_setup'],
          `pipeline_setup.tracking is missing; the ${pipeline} pipeline reads it and every file fails with AttributeError`,
          'Add tracking: false (or true).',
          'key',
        ),
      );
    if (!('pi_channel' in raw))
      ds.push(
        diag(
          src,
          'error',
          ['pipeline_setup'],
          `pipeline_setup.pi_channel is missing; ${pipeline} measures PI staining on that channel`,
          'Add pi_channel: 1 (the fluorescence channel index).',
          'key',
        ),
      );
  }
  if (typeof raw.device === 'string' && !parseComputeDevice(raw.device))
    ds.push(
      diag(
        src,
        'error',
        ['pipeline_setup', 'device'],
        `Unknown device '${raw.device}'`,
        `Use one of ${COMPUTE_DEVICE_HELP}.`,
      ),
    );
  if (isMapping(raw.stage_memory_gb))
    ds.push(
      ...checkSection(src, ['pipeline_setup', 'stage_memory_gb'], raw.stage_memory_gb, STAGE_MEMORY_SPEC, {
        unknownKeys: 'error',
        unknownReason: ' (not a memory stage)',
      }),
    );
  const channels: [string, number][] = [];
  for (const k of ['reference_channel', 'pi_channel', 'gfp_channel']) {
    const v = raw[k];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) channels.push([k, v]);
  }
  for (let i = 0; i < channels.length; i++) {
    for (let j = 0; j < i; j++) {
      if (channels[i][1] === channels[j][1]) {
        ds.push(
          diag(
            src,
            'error',
            ['pipeline_setup', channels[i][0]],
            `${channels[i][0]} and ${channels[j][0]} are both channel ${channels[i][1]}`,
            'Each role needs its own channel index (0-based, as in the movie).',
          ),
        );
      }
    }
    if (options.channelCount !== undefined && channels[i][1] >= options.channelCount) {
      ds.push(
        diag(
          src,
          'error',
          ['pipeline_setup', channels[i][0]],
          `${channels[i][0]} is ${channels[i][1]} but the movie has ${options.channelCount} channel(s) (indices 0–${options.channelCount - 1})`,
          `Use an index below ${options.channelCount}.`,
        ),
      );
    }
  }
  return pipeline;
}
