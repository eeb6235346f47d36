#!/usr/bin/env node
// Run every test tensor of a HiTMic collection manifest through onnxruntime-node (CPU)
// and compare with the stored PyTorch output. Usage: node verify_onnx.cjs <collection-dir> [tol]
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.readUInt32BE(0) !== 0x934e554d || buf[4] !== 0x50 || buf[5] !== 0x59)
    throw new Error(`${file}: not .npy`);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const off = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', off, off + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)[1] === 'True';
  const shape = /'shape':\s*\(([^)]*)\)/
    .exec(header)[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (descr !== '<f4' || fortran)
    throw new Error(`${file}: expected little-endian float32, C order (got ${descr})`);
  const start = off + hlen;
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + buf.length));
  return { data, shape, major };
}

// which session output each test's "output" file holds when the manifest gives no output_name
const OUTPUT_FOR = { pi_classification: 'probabilities', oof_detector: 'pred_logits' };

async function main() {
  const dir = process.argv[2];
  const tol = Number(process.argv[3] || '1e-4');
  const man = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const cfg = fs.readFileSync(path.join(dir, 'config.yml'), 'utf8');
  let failed = false;
  for (const [key, t] of Object.entries(man.tests)) {
    const m = new RegExp(`^${key}:\\n(?:  .*\\n)*?  model_path: (\\S+)`, 'm').exec(cfg);
    if (!m) throw new Error(`no model_path for ${key}`);
    const sess = await ort.InferenceSession.create(path.join(dir, m[1]), {
      executionProviders: ['cpu'],
      intraOpNumThreads: 2,
    });
    const inp = readNpy(path.join(dir, t.input));
    const exp = readNpy(path.join(dir, t.output));
    const feeds = { [sess.inputNames[0]]: new ort.Tensor('float32', inp.data, inp.shape) };
    const res = await sess.run(feeds);
    const outName = t.output_name || OUTPUT_FOR[key] || sess.outputNames[0];
    const got = res[outName];
    let maxErr = 0;
    if (got.data.length !== exp.data.length)
      throw new Error(`${key}: size ${got.data.length} != ${exp.data.length}`);
    for (let i = 0; i < exp.data.length; i++) maxErr = Math.max(maxErr, Math.abs(got.data[i] - exp.data[i]));
    const ok = maxErr <= tol;
    if (!ok) failed = true;
    let extra = '';
    if (key === 'pi_classification') {
      extra = ` label=[${Array.from(res.label.data).join(',')}] inputs=${sess.inputNames} outputs=${sess.outputNames}`;
    }
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${key.padEnd(18)} ${m[1].padEnd(44)} in=[${inp.shape}] out=${outName}[${got.dims}] max|err|=${maxErr.toExponential(2)}${extra}`,
    );
  }
  if (failed) {
    console.error(`some outputs differ by more than ${tol}`);
    process.exit(1);
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
