import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { addRunFolder, demoRunForThisFile, DEMO_RUN_MOVIE as MOVIE } from './demo-run';
import { expect, ROOT, screenshot, test } from './serve-fixture';

// A real run: the bundled demo through the real CLI, once for this file.
const demoRun = demoRunForThisFile('results');

const rowsOf = (file: string) => fs.readFileSync(file, 'utf8').trim().split(/\r?\n/).slice(1);

test('Results shows the per-cell table and the plots of a real run', async ({ app }) => {
  const objects = rowsOf(path.join(demoRun(), `${MOVIE}_fl.csv`)).length;
  await addRunFolder(app, demoRun());
  await app.getByTestId('nav-results').click();
  // The run and its movie are picked from lists (the newest run and its first movie to begin with).
  await expect(app.getByTestId('results-run')).toHaveValue(demoRun());
  await expect(app.getByTestId('results-movie')).toHaveValue(MOVIE);
  await app.getByTestId('results-load').click();
  await expect(app.getByTestId('results-facts')).toContainText(`${objects} objects in frames 0–19`);
  await expect(app.getByTestId('table-count')).toHaveText(`${objects} of ${objects} rows`);
  for (const id of ['class-counts', 'kill-curve', 'area-histogram']) {
    await expect(app.getByTestId(`plot-${id}`).locator('svg polyline, svg rect').first()).toBeAttached();
  }
  await expect(app.getByTestId('plot-class-counts')).toContainText('single-cell');

  // Sorting by area (descending) puts the largest object first.
  const areas = rowsOf(path.join(demoRun(), `${MOVIE}_fl.csv`)).map((l) => Number(l.split(',')[9]));
  await app.getByTestId('sort-area').click();
  await app.getByTestId('sort-area').click();
  const areaCol = await app.getByTestId('cell-table').locator('thead th').allInnerTexts();
  const firstRow = await app
    .getByTestId('cell-table')
    .locator('tbody tr')
    .first()
    .locator('td')
    .allInnerTexts();
  expect(Number(firstRow[areaCol.findIndex((t) => t.trim() === 'area')])).toBe(Math.max(...areas));

  // Filtering to one class and a frame range.
  await app.getByTestId('table-frame-min').fill('3');
  await app.getByTestId('table-frame-max').fill('4');
  const inRange = rowsOf(path.join(demoRun(), `${MOVIE}_fl.csv`)).filter((l) =>
    ['3', '4'].includes(l.split(',')[1]),
  ).length;
  await expect(app.getByTestId('table-count')).toHaveText(`${inRange} of ${objects} rows`);

  // CSV export of a plot is a real download.
  const download = app.waitForEvent('download');
  await app.getByTestId('plot-kill-curve-csv').click();
  const file = await (await download).path();
  expect(fs.readFileSync(file, 'utf8').split('\n')[0]).toBe('frame,hours,pi_positive,total,fraction');
  // PNG export draws the SVG on a canvas: a real PNG of twice the plot's drawn size.
  const pngDownload = app.waitForEvent('download');
  await app.getByTestId('plot-class-counts-png').click();
  const png = fs.readFileSync(await (await pngDownload).path());
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.readUInt32BE(16)).toBeGreaterThan(400); // width from the IHDR chunk
  await screenshot(app, 'view-results');
  await app.getByTestId('plot-area-histogram').scrollIntoViewIfNeeded();
  await screenshot(app, 'view-results-histogram');
  await app.getByTestId('cell-table').scrollIntoViewIfNeeded();
  await screenshot(app, 'view-results-table');
});

test('QC: crops by class, relabel two with keys, export the corrections', async ({ app }) => {
  await addRunFolder(app, demoRun());
  await app.getByTestId('nav-qc').click();
  await app.getByTestId('qc-run').selectOption(demoRun());
  await app.getByTestId('qc-movie').selectOption(MOVIE);
  await app.getByTestId('qc-load').click();
  await expect(app.getByTestId('qc-facts')).toContainText('Restored bright field');
  await expect(app.getByTestId('qc-group-single-cell')).toBeVisible();
  await expect(app.getByTestId('qc-keys')).toContainText('single-cell');
  const first = app.getByTestId('qc-group-single-cell').locator('[data-testid^="crop-"]').first();
  const firstLabel = (await first.getAttribute('data-testid'))!.slice('crop-'.length);
  await first.click();
  await expect(first).toHaveAttribute('data-selected', 'true');
  await expect(app.getByTestId('qc-selected')).toContainText(`label ${firstLabel}`);
  await screenshot(app, 'view-qc');

  // Key 2 = clump; the selection moves to the next crop, key 3 = noise.
  await app.keyboard.press('2');
  await expect(first).toHaveAttribute('data-class', 'clump');
  const second = app.locator('[data-selected="true"]');
  const secondLabel = (await second.getAttribute('data-testid'))!.slice('crop-'.length);
  expect(secondLabel).not.toBe(firstLabel);
  await app.keyboard.press('3');
  await expect(app.getByTestId(`crop-${secondLabel}`)).toHaveAttribute('data-class', 'noise');
  await expect(app.getByTestId('qc-correction-count')).toHaveText('2 corrections');
  const saved = JSON.parse(fs.readFileSync(path.join(demoRun(), `${MOVIE}_qc_corrections.json`), 'utf8')) as {
    corrections: { label: number; newClass: string }[];
  };
  expect(saved.corrections.map((c) => [c.label, c.newClass]).sort()).toEqual(
    [
      [Number(firstLabel), 'clump'],
      [Number(secondLabel), 'noise'],
    ].sort(),
  );

  await app.getByTestId('qc-export').click();
  await expect(app.getByTestId('qc-export-result')).toContainText('Exported 2 corrections');
  const csv = fs
    .readFileSync(path.join(demoRun(), `${MOVIE}_qc_corrections.csv`), 'utf8')
    .trim()
    .split('\n');
  expect(csv[0]).toBe('frame,label,old_class,new_class');
  expect(
    csv
      .slice(1)
      .map((l) => l.split(',').slice(1).join(','))
      .sort(),
  ).toEqual([`${firstLabel},single-cell,clump`, `${secondLabel},single-cell,noise`].sort());
  await screenshot(app, 'view-qc-relabelled');

  // Results of the same run (the folder and movie are shared) count the relabelled objects.
  const clumps = rowsOf(path.join(demoRun(), `${MOVIE}_fl.csv`)).filter(
    (l) => l.split(',')[16] === 'clump',
  ).length;
  const objects = rowsOf(path.join(demoRun(), `${MOVIE}_fl.csv`)).length;
  await app.getByTestId('nav-results').click();
  await app.getByTestId('results-load').click();
  await expect(app.getByTestId('apply-corrections')).toContainText('Apply the 2 QC corrections');
  await app.getByRole('combobox', { name: 'Class' }).click();
  await app.getByRole('option', { name: 'clump' }).click();
  await expect(app.getByTestId('table-count')).toHaveText(`${clumps + 1} of ${objects} rows`);
  await app.getByLabel('apply QC corrections').uncheck();
  await expect(app.getByTestId('table-count')).toHaveText(`${clumps} of ${objects} rows`);
});

test('Results draws a lineage tree per colony and the divisions over time of a run with dividing cells', async ({
  app,
}) => {
  test.setTimeout(240_000);
  // The demo movie again, tracked with Hungarian v2: divisions come demoRun() in the CTC convention (the
  // mother's track ends, both daughters start with her as parent_track_id), for v2 inferred from
  // the cells' sizes and axes. (The demo's own v5 settings find no division in this movie.)
  const run2 = path.join(demoRun(), 'v2');
  fs.mkdirSync(run2);
  const config = fs
    .readFileSync(path.join(demoRun(), 'demo_config.yml'), 'utf8')
    .replace(/output_folder: .*/, `output_folder: ${JSON.stringify(run2)}`)
    .replace('version: v5', 'version: v2');
  expect(config).toContain('version: v2');
  fs.writeFileSync(path.join(run2, 'config.yml'), config);
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'bin', 'hitmic.js'), 'run', path.join(run2, 'config.yml')],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  expect(r.status, r.stderr).toBe(0);
  const table = fs
    .readFileSync(path.join(run2, `${MOVIE}_fl.csv`), 'utf8')
    .trim()
    .split(/\r?\n/);
  const header = table[0].split(',');
  const parentCol = header.indexOf('parent_track_id');
  const mothers = new Set(
    table
      .slice(1)
      .map((l) => l.split(',')[parentCol])
      .filter((p) => Number(p) >= 0),
  );
  expect(mothers.size).toBeGreaterThan(10);

  await addRunFolder(app, run2);
  await app.getByTestId('nav-results').click();
  await app.getByTestId('results-run').selectOption(run2);
  await app.getByTestId('results-movie').selectOption(MOVIE);
  await app.getByTestId('results-load').click();
  const plot = app.getByTestId('plot-divisions');
  await expect(plot.locator('svg polyline').first()).toBeAttached();
  await expect(plot).toContainText(`${mothers.size} divisions`);
  const panel = app.getByTestId('lineage-panel');
  await panel.scrollIntoViewIfNeeded();
  // The largest colony is shown first; it has divisions when any colony has.
  const tree = app.getByTestId('lineage-tree');
  await expect(tree.locator('[data-track]').first()).toBeAttached();
  await expect(tree.locator('circle[data-division]').first()).toBeAttached();
  await expect(app.getByTestId('lineage-facts')).toContainText(`${mothers.size} divisions in the movie`);
  // Every daughter drawn hangs off her mother: one bar per track, one connector per daughter.
  const drawn = await tree.locator('[data-track]').count();
  const lines = await tree.locator('[data-track] line').count();
  expect(lines).toBe(2 * drawn - 1);
  // The tree's CSV is the colony's tracks.
  const download = app.waitForEvent('download');
  await app.getByTestId('lineage-csv').click();
  const csv = fs
    .readFileSync(await (await download).path(), 'utf8')
    .trim()
    .split(/\r?\n/);
  expect(csv[0]).toBe('trackid,parent_track_id,first_frame,last_frame');
  expect(csv).toHaveLength(drawn + 1);
  await screenshot(app, 'view-results-lineage');
});
