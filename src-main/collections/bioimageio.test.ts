import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBioimageioChecksums } from './bioimageio';

const onnx = path.resolve(__dirname, '../../../shared/fixtures/onnx');
const have = fs.existsSync(onnx);
if (!have) console.warn(`SKIPPED bioimage.io checksum tests: ${onnx} not found`);

describe.skipIf(!have)('bioimage.io declared sha256 (real fixtures)', () => {
  it('the nuclei U-Net weights match their declared sha256; remote and absent sources are not checked', async () => {
    const r = await checkBioimageioChecksums(path.join(onnx, 'nuclei_unet_opset12/bioimageio.yaml'));
    expect(r.files).toEqual([
      {
        path: 'weights.onnx',
        ok: true,
        expected: 'f1f086d5e340f9d4d7001a1b62a2b835f9b87a2fb5452c4fe7d8cc821bdf539c',
        actual: 'f1f086d5e340f9d4d7001a1b62a2b835f9b87a2fb5452c4fe7d8cc821bdf539c',
      },
    ]);
    expect(r.ok).toBe(true);
    expect(r.notChecked.some((n) => n.includes('(remote)'))).toBe(true);
  });
  it('the tiktorch export has a wrong declared sha256: a checksum failure', async () => {
    const r = await checkBioimageioChecksums(
      path.join(onnx, 'tiktorch_unet2d_onnx_opset9_upsample/UNet2DNucleiBroad.model.yaml'),
    );
    expect(r.ok).toBe(false);
    expect(r.files).toEqual([
      {
        path: './weights.onnx',
        ok: false,
        expected: '6d180e39527789d8a17b39a6eb78405bdeb58c3e6c2cf8d5a2c6dcc3ac5dcc7f',
        actual: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
    expect(r.files[0].actual).not.toBe(r.files[0].expected);
  });
});
