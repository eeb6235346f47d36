import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel, releaseAll } from '../../workers/ort';
import { MissingFeaturesError } from '../errors';
import { classifyPi } from './classify-pi';

// pi_*.onnx: label = mean_intensity > 100, P(piPOS) = sigmoid((mean_intensity − 100)/10),
// feature_names metadata 'area,mean_intensity,rel_mean_intensity' (scripts/make-test-models.py).
const MODELS = path.resolve(__dirname, '../../../test-support/models');
const cpu = { prefer: 'cpu' as const, threads: 1 };
afterAll(() => releaseAll());

const table = {
  rel_mean_intensity: new Float32Array([1, 2, 3]),
  label: new Float32Array([1, 2, 3]),
  mean_intensity: new Float32Array([90, 130, 100]),
  area: new Float32Array([50, 60, 70]),
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('classifyPi', () => {
  it('plain ONNX: columns picked by the model feature_names, label and probability kept', async () => {
    const { runner } = await loadModel(path.join(MODELS, 'pi_plain.onnx'), cpu);
    const res = await classifyPi(table, runner);
    expect(res.featureNames).toEqual(['area', 'mean_intensity', 'rel_mean_intensity']);
    expect(res.piClass).toEqual(['piNEG', 'piPOS', 'piNEG']);
    expect(Array.from(res.label)).toEqual([0, 1, 0]);
    expect(res.probability[0]).toBeCloseTo(sigmoid(-1), 6);
    expect(res.probability[1]).toBeCloseTo(sigmoid(3), 6);
    expect(res.probability[2]).toBeCloseTo(0.5, 6);
  });

  it('ONNX-ML with ZipMap: only the tensor label is fetched, probability NaN', async () => {
    const { runner } = await loadModel(path.join(MODELS, 'pi_zipmap.onnx'), cpu);
    const res = await classifyPi(table, runner);
    expect(res.piClass).toEqual(['piNEG', 'piPOS', 'piNEG']);
    expect(Number.isNaN(res.probability[0])).toBe(true);
  });

  it('string labels (sklearn-style): skips them and takes the argmax of the probabilities', async () => {
    const { runner } = await loadModel(path.join(MODELS, 'pi_strlabel.onnx'), cpu);
    const res = await classifyPi(table, runner);
    expect(res.piClass).toEqual(['piNEG', 'piPOS', 'piNEG']);
    expect(res.probability[1]).toBeCloseTo(sigmoid(3), 6);
  });

  it('names the missing feature columns', async () => {
    const { runner } = await loadModel(path.join(MODELS, 'pi_plain.onnx'), cpu);
    const err = await classifyPi({ area: new Float32Array(1) }, runner).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingFeaturesError);
    expect((err as MissingFeaturesError).missing).toEqual(['mean_intensity', 'rel_mean_intensity']);
    expect((err as Error).message).toMatch(/pi_plain\.onnx.*'mean_intensity', 'rel_mean_intensity'/);
  });

  it('accepts the feature list from the collection metadata, and errors without any', async () => {
    const { runner } = await loadModel(path.join(MODELS, 'pi_plain.onnx'), cpu);
    // A different (given) order changes which column is read as mean_intensity.
    const res = await classifyPi(table, runner, 'area, rel_mean_intensity, mean_intensity');
    expect(res.piClass).toEqual(['piNEG', 'piNEG', 'piNEG']);
    const other = (await loadModel(path.join(MODELS, 'double.onnx'), cpu)).runner;
    await expect(classifyPi(table, other)).rejects.toThrow(/double\.onnx.*feature_names/);
    await expect(classifyPi(table, runner, ['area', 'mean_intensity'])).rejects.toThrow(
      /3 features per row.*2 feature names/,
    );
  });
});
