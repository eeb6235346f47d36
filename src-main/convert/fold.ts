/**
 * Folding per-channel affine maps into a neighbouring 1×1 convolution, so the converted graph makes
 * fewer passes over full feature maps than the module it reproduces (NAFNet: LayerNorm2d's weight
 * and bias into conv1/conv4, the block's β and γ into conv3/conv5: four element-wise passes per
 * block fewer). Exact in real arithmetic; computed in float64 and rounded once, so the float32
 * result differs from PyTorch's by rounding only.
 */
import { convNode } from './graph';
import { scopeOf, type Net } from './net';

/** State_dict keys of what is folded into the conv; any may be absent. */
export interface Fold {
  /** (inC,): multiplies the conv's input channels (before the conv). */
  scale?: string;
  /** (inC,): added to the conv's input channels, after `scale`. */
  shift?: string;
  /** [1, outC, 1, 1]: multiplies the conv's output channels. */
  gain?: string;
}

/**
 * The 1×1 conv `key` (inC → outC, with bias) applied to `scale·x + shift` and multiplied by `gain`:
 * W'[o,i] = gain[o]·W[o,i]·scale[i], b'[o] = gain[o]·(b[o] + Σ_i W[o,i]·shift[i]). The folded
 * tensors are initializers named after their parts, e.g. `e.0.conv3.weight*e.0.beta`.
 */
export function foldedConv1x1(net: Net, x: string, key: string, inC: number, outC: number, f: Fold): string {
  const { g, w } = net;
  const W = w.values(`${key}.weight`, [outC, inC, 1, 1]);
  const b = w.values(`${key}.bias`, [outC]);
  const scale = f.scale ? w.values(f.scale, [inC]) : new Float32Array(inC).fill(1);
  const shift = f.shift ? w.values(f.shift, [inC]) : new Float32Array(inC);
  const gain = f.gain ? w.values(f.gain, [1, outC, 1, 1]) : new Float32Array(outC).fill(1);
  const weightName = [`${key}.weight`, f.scale, f.gain].filter(Boolean).join('*');
  const biasName = [`${key}.bias`, f.shift && `+${f.shift}`, f.gain && `*${f.gain}`].filter(Boolean).join('');
  if (W && b && scale && shift && gain) {
    const w2 = new Float32Array(outC * inC);
    const b2 = new Float32Array(outC);
    for (let o = 0; o < outC; o++) {
      let acc = b[o];
      for (let i = 0; i < inC; i++) {
        w2[o * inC + i] = gain[o] * W[o * inC + i] * scale[i];
        acc += W[o * inC + i] * shift[i];
      }
      b2[o] = gain[o] * acc;
    }
    g.initializer(weightName, { type: 'float32', dims: [outC, inC, 1, 1], values: w2 });
    g.initializer(biasName, { type: 'float32', dims: [outC], values: b2 });
  }
  // Without values (a problem was recorded, or only the listing is known) the graph is never
  // written: the node only keeps the description going.
  return convNode(g, x, weightName, biasName, { kernel: [1, 1] }, scopeOf(key));
}
