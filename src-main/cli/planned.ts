import { CliError, type CliCommand } from './command';

/**
 * Commands of DESIGN.md whose implementation lands in a later issue. They answer `--help`
 * with what they will do and fail clearly (exit 3) instead of pretending to work.
 * A command disappears from here as soon as its real module is registered in commands/index.ts.
 */
function planned(name: string, summary: string, usage: string, issue: string): CliCommand {
  return {
    name,
    summary,
    usage: `${usage}\n\nStatus: not available yet — arrives with ${issue}.\n`,
    async run() {
      throw new CliError(`'${name}' is not available yet in this version (arrives with ${issue})`, 3);
    },
  };
}

export const PLANNED_COMMANDS: CliCommand[] = [
  planned(
    'demo',
    'run the full pipeline on the bundled demo movie and collection',
    'Usage: hitmic demo [--output DIR] [--evaluate] [--json]\n\nRuns ASCT_focusrestore on resources/demo/demo_movie.tif with the bundled demo\ncollection, writes tables, labels and preview PNGs to ./hitmic-demo-output/.',
    'the analysis-pipeline issue (#7)',
  ),
  planned(
    'run',
    'run a pipeline config (HiTMicTools YAML) over its input movies',
    'Usage: hitmic run CONFIG.yml [--input FILE] [--output DIR] [--frames A:B] [--force] [--json]',
    'the analysis-pipeline issue (#7)',
  ),
  planned(
    'infer',
    'run one model of a collection on one frame (parity and debugging)',
    'Usage: hitmic infer --collection C --model KEY --input MOVIE [--frame N] [--channel C] --output OUT [--json]',
    'the inference-engine issue (#5)',
  ),
  planned(
    'collection',
    'inspect, verify, create, import, list and remove model collections',
    'Usage: hitmic collection inspect|verify|create|import|list|remove ... [--json]',
    'the collections issue (#4)',
  ),
  planned(
    'config',
    'validate a HiTMicTools run config with line:column diagnostics',
    'Usage: hitmic config validate CONFIG.yml [--strict] [--json]',
    'the collections issue (#4)',
  ),
  planned(
    'reserve',
    'run a command while holding a memory reservation (like flock, for GPU memory)',
    'Usage: hitmic reserve --device D --gb X [--timeout S] [--capacity-gb C] -- CMD ARGS...',
    'the resource-control issue (#6)',
  ),
  planned(
    'bookings',
    'show who holds and who waits for memory, per device',
    'Usage: hitmic bookings [--device D] [--json] [--watch]',
    'the resource-control issue (#6)',
  ),
  planned(
    'devices',
    'list devices, their memory and the execution providers available',
    'Usage: hitmic devices [--json]',
    'the resource-control issue (#6)',
  ),
];
