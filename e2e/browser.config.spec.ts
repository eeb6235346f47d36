import { expect, screenshot, test } from './serve-fixture';

test('a broken config shows its diagnostic at the right line, in the editor and the form', async ({
  app,
}) => {
  await app.getByTestId('nav-config').click();
  await app.getByTestId('config-new').click();
  // The template's paths are checked on disk as `hitmic config validate` does (its model collection
  // is in the library or not, depending on the machine): count from what that finds.
  await expect(app.getByTestId('config-checked')).toHaveText('files checked');
  const errorsOf = async () =>
    Number(/^(\d+) error/.exec(await app.getByTestId('config-status').innerText())![1]);
  const before = await errorsOf();
  const lines = await app.locator('.cm-line').allInnerTexts();
  const lineNo = lines.findIndex((l) => l.trimStart().startsWith('reference_channel:')) + 1;
  expect(lineNo).toBeGreaterThan(1);
  // Break it: a word where HiTMicTools needs an int.
  await app.getByTestId('cfg-pipeline_setup-reference_channel').fill('brightfield');
  await expect(app.getByTestId('config-status')).toHaveText(new RegExp(`^${before + 1} errors?,`));
  await expect(app.getByTestId('config-diagnostics')).toContainText(`${lineNo}:`);
  await expect(app.getByTestId('config-diagnostics')).toContainText('reference_channel');
  await expect(app.locator('.cm-lintRange-error').first()).toBeVisible();
  // The underline sits on the reference_channel line.
  const underlinedLine = await app
    .locator('.cm-line', { has: app.locator('.cm-lintRange-error') })
    .first()
    .innerText();
  expect(underlinedLine).toContain('reference_channel');
  await screenshot(app, 'view-config-diagnostic');
  // Fixing it in the form clears the error.
  await app.getByTestId('cfg-pipeline_setup-reference_channel').fill('0');
  await expect(app.getByTestId('config-status')).toHaveText(new RegExp(`^${before} errors?,`));
});
