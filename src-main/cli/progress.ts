import type { MovieProgress } from '../pipeline';
import type { CliIo } from './command';

/**
 * Per-movie progress on stderr: a redrawn bar with stage and ETA when stderr is a TTY, else one
 * line per stage change (logs and CI stay readable).
 */
export function progressReporter(io: CliIo): { update(p: MovieProgress): void; done(): void } {
  const tty = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  const started = new Map<string, number>();
  const lastStage = new Map<string, string>();
  let drawn = false;
  return {
    update(p) {
      if (!started.has(p.movie)) started.set(p.movie, Date.now());
      if (p.waiting) {
        // A silent wait looks like a hang: say what the stage waits for and who holds it.
        const line = waitingLine(p);
        if (lastStage.get(p.movie) === line) return;
        lastStage.set(p.movie, line);
        io.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
        drawn = tty;
        return;
      }
      if (!tty) {
        const key =
          p.stage === 'frames' ? `${p.stage}:${Math.floor((p.done / Math.max(1, p.total)) * 4)}` : p.stage;
        if (lastStage.get(p.movie) === key) return;
        lastStage.set(p.movie, key);
        if (['bf_focus', 'fl_focus', 'segmentation', 'classification'].includes(p.stage)) return;
        io.stderr.write(`${p.movie}: ${p.stage} ${p.done}/${p.total}\n`);
        return;
      }
      if (p.stage !== 'frames' && p.stage !== 'align') return;
      const frac = p.total ? p.done / p.total : 0;
      const width = 30;
      const elapsed = (Date.now() - started.get(p.movie)!) / 1000;
      const eta = frac > 0 ? Math.round((elapsed / frac) * (1 - frac)) : NaN;
      const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
      io.stderr.write(
        `\r${p.movie} ${p.stage === 'align' ? 'aligning' : 'frames'} ${bar} ${p.done}/${p.total}${Number.isFinite(eta) ? ` ETA ${eta}s` : ''}   `,
      );
      drawn = true;
    },
    done() {
      if (drawn) io.stderr.write('\n');
    },
  };
}

/** "pos01: segmentation waits for 4 GB on cuda_0 (1.5 GB free) — held by pid 123 (…); 2 ahead in the queue" */
export function waitingLine(p: MovieProgress): string {
  const w = p.waiting!;
  const ahead = w.position > 1 ? `; ${w.position - 1} ahead in the queue` : '';
  const held = w.holders.length ? ` — held by ${w.holders.join('; ')}` : '';
  return `${p.movie}: ${p.stage} waits for ${w.gb} GB on ${w.device} (${w.freeGb} GB free)${held}${ahead}`;
}
