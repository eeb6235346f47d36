import { expect, screenshot, test } from './serve-fixture';

test('the app frame renders with navigation and a connected status bar', async ({ app }) => {
  await expect(app.getByText('HiTMic Studio').first()).toBeVisible();
  await expect(app.getByTestId('backend-status')).toHaveText('Backend connected');
  // The device line comes from app.info: a real backend round trip.
  await expect(app.getByTestId('device')).toContainText('CPU');
  await expect(app.getByRole('navigation', { name: 'Views' })).toBeVisible();
  await screenshot(app, 'app-frame');
});

test('navigation reaches every view, and the URL keeps the place', async ({ app }) => {
  const marks: [string, string][] = [
    ['collections', 'collection-list'],
    ['config', 'yaml-editor'],
    ['viewer', 'viewer-path-input'],
    ['qc', 'qc-empty'],
    ['runs', 'run-config-path'],
    ['resources', 'device-cpu'],
    ['results', 'results-empty'],
  ];
  for (const [id, mark] of marks) {
    await app.getByTestId(`nav-${id}`).click();
    await expect(app.getByTestId(`view-${id}`)).toBeVisible();
    await expect(app.getByTestId(mark)).toBeVisible();
    await expect(app).toHaveURL(new RegExp(`#/${id}$`));
  }
  await app.reload();
  await expect(app.getByTestId('view-results')).toBeVisible();
});

test('the Resources view shows devices, bookings and memory over time', async ({ app }) => {
  await app.getByTestId('nav-resources').click();
  await expect(app.getByTestId('device-cpu')).toContainText('System RAM');
  await expect(app.getByTestId('holders-cpu')).toBeVisible();
  await expect(app.getByTestId('memory-chart')).toContainText('HiTMic Studio', { timeout: 15_000 });
  await screenshot(app, 'view-resources');
});

test('backend calls round-trip, and errors arrive with their code and a readable message', async ({
  app,
}) => {
  const echoed = await app.evaluate(async () => {
    const r = (await window.hitmic!.invoke('app', 'echo', ['frame 7'])) as { message: string };
    return r.message;
  });
  expect(echoed).toBe('frame 7');
  const missing = await app.evaluate(() =>
    window.hitmic!.invoke('qc', 'crops', ['/nonexistent/results', 'movie']).then(
      () => 'answered',
      (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
    ),
  );
  expect(missing).toMatch(/^NOT_FOUND: .*\/nonexistent\/results/);
  const outside = await app.evaluate(() =>
    window.hitmic!.invoke('app', 'constructor', []).then(
      () => 'answered',
      (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
    ),
  );
  expect(outside).toBe("BAD_INPUT: unknown API method 'app.constructor'");
});

test('a killed worker is reported and the backend keeps serving', async ({ app }) => {
  const probe = (await app.evaluate(() => window.hitmic!.invoke('workers', 'probe', []))) as { pid: number };
  expect(probe.pid).toBeGreaterThan(0);
  const failure = app.evaluate(() =>
    window.hitmic!.invoke('workers', 'sleep', [30000]).then(
      () => 'resolved',
      (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
    ),
  );
  await new Promise((r) => setTimeout(r, 300));
  process.kill(probe.pid, 'SIGKILL');
  expect(await failure).toMatch(/^WORKER_CRASHED: .*SIGKILL/);
  const again = (await app.evaluate(() => window.hitmic!.invoke('workers', 'probe', []))) as { pid: number };
  expect(again.pid).not.toBe(probe.pid);
  await expect(app.getByTestId('backend-status')).toHaveText('Backend connected');
});

test('? lists the keyboard shortcuts', async ({ app }) => {
  await app.locator('body').press('?');
  await expect(app.getByTestId('shortcuts-dialog')).toContainText('relabel the selected crop');
  await screenshot(app, 'shortcuts');
});

test('the about dialog shows the version', async ({ app }) => {
  await app.getByRole('button', { name: 'About' }).click();
  await expect(app.getByTestId('about-version')).toContainText('Version');
  await screenshot(app, 'about');
});
