/**
 * Worker method `execution-providers`: which onnxruntime execution providers really work here,
 * found by creating a session of a small real model with each one (onnxruntime-node does not fall
 * back by itself, so this is the only honest answer). Used by `hitmic devices`.
 */
import * as ort from 'onnxruntime-node';
import type { ProviderProbe } from '../jobs';
import { registerWorkerMethod } from './handlers';
import { providerOrder } from './ort';

registerWorkerMethod('execution-providers', async ({ modelPath: model }) => {
  const probes: ProviderProbe[] = [];
  for (const provider of providerOrder('auto')) {
    try {
      const session = await ort.InferenceSession.create(model, { executionProviders: [provider] });
      await session.release();
      probes.push({ provider, ok: true });
    } catch (err) {
      probes.push({
        provider,
        ok: false,
        error: (err instanceof Error ? err.message : String(err)).split('\n')[0],
      });
    }
  }
  return probes;
});
