import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  dropFile,
  expect,
  launchChromium,
  screenshot,
  startServe,
  test,
  zipDemoCollection,
} from './serve-fixture';

test('dropping a collection ZIP on the window imports it and shows its model cards', async () => {
  test.setTimeout(180_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-e2e-lib-'));
  const zipFile = path.join(tmp, 'demo_collection_20261126.zip');
  await zipDemoCollection(zipFile);
  const serve = await startServe([], { HITMIC_LIBRARY: path.join(tmp, 'library') });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(serve.url);
    await expect(page.getByTestId('backend-status')).toHaveText('Backend connected');
    await dropFile(page.getByTestId('view-collections'), zipFile, 'application/zip');
    await expect(page.getByTestId('collection-list')).toContainText('6 models', { timeout: 30_000 });
    await expect(page.getByTestId('model-bf_focus')).toContainText('NAFNet');
    await expect(page.getByTestId('model-cell_classifier')).toContainText('runnable');
    await expect(page.getByTestId('file-tree')).toContainText('config.yml');
    await page.getByTestId('verify-collection').click();
    await expect(page.getByTestId('verify-result')).toContainText('Verified', { timeout: 60_000 });
    await screenshot(page, 'view-collections');
  } finally {
    await browser.close();
    await serve.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
