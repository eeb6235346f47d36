#!/usr/bin/env python3
"""Make the tiny ONNX models the inference tests run (test-support/models/*.onnx).

Run from the repository root:  /usr/bin/python3 scripts/make-test-models.py
Needs torch (>= 1.13) and onnx. Every model is a fixed function of its input (no trained weights),
so tests can compute the expected output by formula:

* identity.onnx            x -> x                                [N,1,H,W] dynamic
* double.onnx              x -> 2x                               [N,1,H,W] dynamic
* double_2ch.onnx          x -> concat(2x, -x) on channels       [N,1,H,W] -> [N,2,H,W]
* double_fixed_b4_16.onnx  x -> 2x, fixed shape [4,1,16,16] (a model with a fixed window and batch)
* window_mean.onnx         x -> mean of each window, broadcast ([N,1,H,W] dynamic): blending weights show
* double_fp16.onnx        x -> 2x in float16 (input and output float16) [N,1,H,W] dynamic
* classifier_s8.onnx       [N,1,8,8] -> logits [N,3]: sum of the top half, sum of the bottom half, 0
* pi_plain.onnx            features [N,3] (area, mean_intensity, rel_mean_intensity) ->
                           label int64 [N] = mean_intensity > 100, probabilities [N,2] =
                           (1-p, p), p = sigmoid((mean_intensity - 100) / 10); metadata feature_names
* pi_zipmap.onnx           the same with ONNX-ML ZipMap on the probabilities (a sequence of maps)
* pi_strlabel.onnx         the same with string labels 'piNEG'/'piPOS' (ONNX-ML LabelEncoder), as sklearn
* prelu_mixed.onnx         [N,2,H,W] -> PRelu chain for the graph rewrite (see make_prelu_mixed): scalar
                           slopes s_shared (0.25, two nodes) and s_kept (0.125, also read by a Mul), a
                           per-channel slope s_channel ([0.5, -2]); output = PRelu(PRelu(PRelu(-PRelu(x,
                           s_shared), s_shared), s_channel), s_kept) * s_kept
* detr_tiny.onnx           DETR contract on 32x32 tiles (see make_detr): input [B,3,32,32],
                           outputs dets [B,4,4] (cxcywh, normalised), labels [B,4,3] (logits),
                           masks [B,4,16,16] (logits)

For the fp16 graph transform (src-main/inference/float16/), written alone by `make-test-models.py fp16`:

* fp16_resize.onnx         x [N,1,H,W] -> Resize(Resize(2x, scales [1,1,2,2] initializer), scales
                           Concat([1,1], [13]/[10]) computed in the graph): 1.3 becomes 1.2998 in float16,
                           which would change the output size (20 -> 25 instead of 26)
* fp16_mixed.onnx          x [N,4] -> a = x*w (w = [0.5, 1e-9, 1e6, -2]: one value to raise, one to clamp),
                           c = CumSum(a) (kept fp32), y = c + ConstantOfShape(Shape(x)) + Cast(float)(N of
                           columns); outputs y, a (also read inside) and c; value_info declares b = c + 0
* fp16_value_floats.onnx   x [3] -> x * Constant(value_floats=[1, 2, 3]) + Constant(value_float=0.5)
* fp16_if.onnx             an If node with two branches (a subgraph: refused)
* fp16_external.onnx       x -> x*w with w in fp16_external.onnx.data (external data: refused)
* fp16_custom_op.onnx      x -> com.example::Mystery(x) with no declared output type (refused)
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test-support', 'models')
OPSET = 13


def export(model, example, name, input_names, output_names, dynamic=True, metadata=None):
    path = os.path.join(OUT, name)
    axes = None
    if dynamic:
        axes = {input_names[0]: {0: 'batch', 2: 'height', 3: 'width'}}
        for o in output_names:
            axes[o] = {0: 'batch', 2: 'height', 3: 'width'}
    torch.onnx.export(model.eval(), example, path, input_names=input_names, output_names=output_names,
                      dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)
    m = onnx.load(path)
    for k, v in (metadata or {}).items():
        entry = m.metadata_props.add()
        entry.key, entry.value = k, v
    m.producer_name = 'hitmic-studio scripts/make-test-models.py'
    onnx.checker.check_model(m)
    onnx.save(m, path)
    print('wrote', name, os.path.getsize(path), 'bytes')


class Identity(nn.Module):
    def forward(self, x):
        return x * 1.0


class Double(nn.Module):
    def forward(self, x):
        return x * 2.0


class WindowMean(nn.Module):
    def forward(self, x):
        return x * 0.0 + x.mean(dim=(2, 3), keepdim=True)


class Double2(nn.Module):
    def forward(self, x):
        return torch.cat([x * 2.0, -x], dim=1)


class Classifier(nn.Module):
    """logits = [sum(rows 0..3), sum(rows 4..7), 0] per sample."""

    def forward(self, x):
        top = x[:, 0, 0:4, :].sum(dim=(1, 2))
        bottom = x[:, 0, 4:8, :].sum(dim=(1, 2))
        return torch.stack([top, bottom, torch.zeros_like(top)], dim=1)


class DetrTiny(nn.Module):
    """A fixed 'detector' with the RF-DETR output contract, on 32x32 tiles.

    The tile is split into 4 quadrant queries (q = 2*row + col, 16x16 pixels each). The input is first
    un-normalised with the ImageNet mean/std of channel 0; pixels > 0.5 are foreground. For query q:
      * box: the tight box of the foreground inside quadrant q (x2 = max_x + 1), as normalised cxcywh;
      * mask logits (16x16, half resolution): 20 * (avgpool2(fg) - 0.5) inside quadrant q, -10 outside;
      * class logits: area = foreground pixels in q; debris (2) if 0 < area < 40, single-cell (0) if
        40 <= area < 150, clump (1) if area >= 150: +8 for that class, -8 for the others
        (all -8 when area = 0).
    """

    def __init__(self):
        super().__init__()
        q = torch.zeros(4, 32, 32)
        for i in range(4):
            r, c = divmod(i, 2)
            q[i, r * 16:(r + 1) * 16, c * 16:(c + 1) * 16] = 1
        self.register_buffer('quad', q)
        self.register_buffer('quad_half', q[:, ::2, ::2].clone())
        self.register_buffer('coords', torch.arange(32, dtype=torch.float32))

    def forward(self, x):
        x0 = x[:, 0] * 0.229 + 0.485  # [B,32,32]
        fg = (x0 > 0.5).float()
        m = fg.unsqueeze(1) * self.quad.unsqueeze(0)  # [B,4,32,32]
        area = m.sum(dim=(2, 3))  # [B,4]
        cols = m.amax(dim=2)  # [B,4,32] any over rows
        rows = m.amax(dim=3)
        big = 1000.0
        x1 = (cols * self.coords + (1 - cols) * big).amin(dim=2)
        x2 = (cols * (self.coords + 1)).amax(dim=2)
        y1 = (rows * self.coords + (1 - rows) * big).amin(dim=2)
        y2 = (rows * (self.coords + 1)).amax(dim=2)
        has = (area > 0).float()
        x1 = x1 * has
        y1 = y1 * has
        dets = torch.stack([(x1 + x2) / 64.0, (y1 + y2) / 64.0, (x2 - x1) / 32.0, (y2 - y1) / 32.0], dim=2)
        pooled = nn.functional.avg_pool2d(fg.unsqueeze(1), 2)  # [B,1,16,16]
        qh = self.quad_half.unsqueeze(0)
        masks = (20.0 * (pooled - 0.5)) * qh + (-10.0) * (1 - qh)
        debris = has * (area < 40).float()
        single = (area >= 40).float() * (area < 150).float()
        clump = (area >= 150).float()
        labels = torch.stack([single, clump, debris], dim=2) * 16.0 - 8.0
        return dets, labels, masks


def make_pi(name, zipmap, string_label=False):
    """A hand-built ONNX (and ONNX-ML) 'PI classifier' on 3 named features."""
    X = helper.make_tensor_value_info('features', TensorProto.FLOAT, ['N', 3])
    label = helper.make_tensor_value_info('output_label', TensorProto.INT64, ['N'])
    nodes = [
        helper.make_node('Constant', [], ['idx'], value=helper.make_tensor('idx', TensorProto.INT64, [1], [1])),
        helper.make_node('Gather', ['features', 'idx'], ['mean'], axis=1),  # [N,1]
        helper.make_node('Constant', [], ['c100'], value=helper.make_tensor('c100', TensorProto.FLOAT, [], [100.0])),
        helper.make_node('Constant', [], ['c10'], value=helper.make_tensor('c10', TensorProto.FLOAT, [], [10.0])),
        helper.make_node('Constant', [], ['one'], value=helper.make_tensor('one', TensorProto.FLOAT, [], [1.0])),
        helper.make_node('Sub', ['mean', 'c100'], ['centred']),
        helper.make_node('Div', ['centred', 'c10'], ['z']),
        helper.make_node('Sigmoid', ['z'], ['p']),
        helper.make_node('Sub', ['one', 'p'], ['q']),
        helper.make_node('Concat', ['q', 'p'], ['probs'], axis=1),
        helper.make_node('Greater', ['mean', 'c100'], ['gt']),
        helper.make_node('Cast', ['gt'], ['gt64'], to=TensorProto.INT64),
        helper.make_node('Constant', [], ['shape1'], value=helper.make_tensor('shape1', TensorProto.INT64, [1], [-1])),
        helper.make_node('Reshape', ['gt64', 'shape1'], ['label_index' if string_label else 'output_label']),
    ]
    opsets = [helper.make_opsetid('', OPSET)]
    if string_label:
        nodes.append(helper.make_node('LabelEncoder', ['label_index'], ['output_label'], domain='ai.onnx.ml',
                                      keys_int64s=[0, 1], values_strings=['piNEG', 'piPOS']))
        label = helper.make_tensor_value_info('output_label', TensorProto.STRING, ['N'])
        opsets.append(helper.make_opsetid('ai.onnx.ml', 2))
    if zipmap:
        nodes.append(helper.make_node('ZipMap', ['probs'], ['output_probability'], domain='ai.onnx.ml',
                                      classlabels_int64s=[0, 1]))
        map_type = onnx.TypeProto()
        map_type.map_type.key_type = TensorProto.INT64
        map_type.map_type.value_type.CopyFrom(helper.make_tensor_type_proto(TensorProto.FLOAT, []))
        prob = helper.make_value_info('output_probability', helper.make_sequence_type_proto(map_type))
        if not string_label:
            opsets.append(helper.make_opsetid('ai.onnx.ml', 1))
    else:
        nodes.append(helper.make_node('Identity', ['probs'], ['output_probability']))
        prob = helper.make_tensor_value_info('output_probability', TensorProto.FLOAT, ['N', 2])
    graph = helper.make_graph(nodes, 'pi', [X], [label, prob])
    m = helper.make_model(graph, opset_imports=opsets, producer_name='hitmic-studio scripts/make-test-models.py')
    m.ir_version = 8
    entry = m.metadata_props.add()
    entry.key, entry.value = 'feature_names', 'area,mean_intensity,rel_mean_intensity'
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(OUT, name))
    print('wrote', name, os.path.getsize(os.path.join(OUT, name)), 'bytes')


def make_fp16_double(name):
    X = helper.make_tensor_value_info('input', TensorProto.FLOAT16, ['N', 1, 'H', 'W'])
    Y = helper.make_tensor_value_info('output', TensorProto.FLOAT16, ['N', 1, 'H', 'W'])
    two = helper.make_tensor('two', TensorProto.FLOAT16, [], [2.0])  # make_tensor converts floats to half bits
    nodes = [helper.make_node('Constant', [], ['c2'], value=two), helper.make_node('Mul', ['input', 'c2'], ['output'])]
    m = helper.make_model(helper.make_graph(nodes, 'double_fp16', [X], [Y]), opset_imports=[helper.make_opsetid('', OPSET)],
                          producer_name='hitmic-studio scripts/make-test-models.py')
    m.ir_version = 8
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(OUT, name))
    print('wrote', name, os.path.getsize(os.path.join(OUT, name)), 'bytes')


def make_prelu_mixed(name):
    X = helper.make_tensor_value_info('input', TensorProto.FLOAT, ['N', 2, 'H', 'W'])
    Y = helper.make_tensor_value_info('output', TensorProto.FLOAT, ['N', 2, 'H', 'W'])
    inits = [
        helper.make_tensor('s_shared', TensorProto.FLOAT, [1, 1, 1], [0.25]),
        helper.make_tensor('s_kept', TensorProto.FLOAT, [1], [0.125]),
        helper.make_tensor('s_channel', TensorProto.FLOAT, [2, 1, 1], [0.5, -2.0]),
    ]
    nodes = [
        helper.make_node('PRelu', ['input', 's_shared'], ['a'], name='prelu_a'),
        helper.make_node('Neg', ['a'], ['na']),
        helper.make_node('PRelu', ['na', 's_shared'], ['b'], name='prelu_b'),
        helper.make_node('PRelu', ['b', 's_channel'], ['c'], name='prelu_channel'),
        helper.make_node('PRelu', ['c', 's_kept'], ['d'], name='prelu_d'),
        helper.make_node('Mul', ['d', 's_kept'], ['output']),
    ]
    m = helper.make_model(helper.make_graph(nodes, 'prelu_mixed', [X], [Y], inits),
                          opset_imports=[helper.make_opsetid('', OPSET)],
                          producer_name='hitmic-studio scripts/make-test-models.py')
    m.ir_version = 8
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(OUT, name))
    print('wrote', name, os.path.getsize(os.path.join(OUT, name)), 'bytes')


def save_plain(m, name):
    m.ir_version = 8
    m.producer_name = 'hitmic-studio scripts/make-test-models.py'
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(OUT, name))
    print('wrote', name, os.path.getsize(os.path.join(OUT, name)), 'bytes')


def make_fp16_cases():
    f32 = TensorProto.FLOAT
    opset = [helper.make_opsetid('', OPSET)]

    X = helper.make_tensor_value_info('input', f32, ['N', 1, 'H', 'W'])
    Y = helper.make_tensor_value_info('output', f32, ['N', 1, 'H2', 'W2'])
    inits = [helper.make_tensor('two', f32, [1], [2.0]),
             helper.make_tensor('scales_x2', f32, [4], [1.0, 1.0, 2.0, 2.0])]
    const = lambda name, vals: helper.make_node('Constant', [], [name], value=helper.make_tensor(name, f32, [len(vals)], vals))
    nodes = [
        helper.make_node('Mul', ['input', 'two'], ['doubled']),
        helper.make_node('Resize', ['doubled', '', 'scales_x2'], ['up2'], mode='nearest', name='resize_x2'),
        const('ones', [1.0, 1.0]), const('thirteen', [13.0, 13.0]), const('ten', [10.0, 10.0]),
        helper.make_node('Div', ['thirteen', 'ten'], ['s13'], name='div_scale'),
        helper.make_node('Concat', ['ones', 's13'], ['scales_13'], axis=0, name='concat_scales'),
        helper.make_node('Resize', ['up2', '', 'scales_13'], ['output'], mode='nearest', name='resize_x13'),
    ]
    save_plain(helper.make_model(helper.make_graph(nodes, 'fp16_resize', [X], [Y], inits), opset_imports=opset),
               'fp16_resize.onnx')

    X = helper.make_tensor_value_info('x', f32, ['N', 4])
    outs = [helper.make_tensor_value_info(n, f32, ['N', 4]) for n in ('y', 'a', 'c')]
    inits = [helper.make_tensor('w', f32, [4], [0.5, 1e-9, 1e6, -2.0]),
             helper.make_tensor('axis', TensorProto.INT64, [], [1]),
             helper.make_tensor('one', TensorProto.INT64, [], [1])]
    nodes = [
        helper.make_node('Mul', ['x', 'w'], ['a'], name='scale'),
        helper.make_node('CumSum', ['a', 'axis'], ['c'], name='cumsum'),
        helper.make_node('Shape', ['x'], ['shape'], name='shape'),
        helper.make_node('ConstantOfShape', ['shape'], ['zeros'], name='zeros'),
        helper.make_node('Add', ['c', 'zeros'], ['b'], name='add_zeros'),
        helper.make_node('Gather', ['shape', 'one'], ['columns'], axis=0, name='columns'),
        helper.make_node('Cast', ['columns'], ['columns_f'], to=f32, name='columns_float'),
        helper.make_node('Add', ['b', 'columns_f'], ['y'], name='add_columns'),
    ]
    vi = [helper.make_tensor_value_info('b', f32, ['N', 4])]
    save_plain(helper.make_model(helper.make_graph(nodes, 'fp16_mixed', [X], outs, inits, value_info=vi),
                                 opset_imports=opset), 'fp16_mixed.onnx')

    X = helper.make_tensor_value_info('x', f32, [3])
    Y = helper.make_tensor_value_info('y', f32, [3])
    nodes = [helper.make_node('Constant', [], ['k'], value_floats=[1.0, 2.0, 3.0], name='k'),
             helper.make_node('Constant', [], ['half'], value_float=0.5, name='half'),
             helper.make_node('Mul', ['x', 'k'], ['xk']),
             helper.make_node('Add', ['xk', 'half'], ['y'])]
    save_plain(helper.make_model(helper.make_graph(nodes, 'fp16_value_floats', [X], [Y]), opset_imports=opset),
               'fp16_value_floats.onnx')

    X = helper.make_tensor_value_info('x', f32, [2])
    Y = helper.make_tensor_value_info('y', f32, [2])
    branch = lambda name, k: helper.make_graph(
        [helper.make_node('Constant', [], [name], value=helper.make_tensor(name, f32, [2], [k, k]))],
        name, [], [helper.make_tensor_value_info(name, f32, [2])])
    nodes = [helper.make_node('ReduceSum', ['x'], ['s'], keepdims=0),
             helper.make_node('Constant', [], ['zero'], value=helper.make_tensor('zero', f32, [], [0.0])),
             helper.make_node('Greater', ['s', 'zero'], ['positive']),
             helper.make_node('If', ['positive'], ['y'], name='branch', then_branch=branch('pos', 1.0),
                              else_branch=branch('neg', -1.0))]
    save_plain(helper.make_model(helper.make_graph(nodes, 'fp16_if', [X], [Y]), opset_imports=opset), 'fp16_if.onnx')

    X = helper.make_tensor_value_info('x', f32, [4])
    Y = helper.make_tensor_value_info('y', f32, [4])
    m = helper.make_model(helper.make_graph([helper.make_node('Mul', ['x', 'w'], ['y'])], 'fp16_external', [X], [Y],
                                            [helper.make_tensor('w', f32, [4], np.array([1, 2, 3, 4], np.float32).tobytes(),
                                                                raw=True)]),
                          opset_imports=opset)
    m.ir_version = 8
    m.producer_name = 'hitmic-studio scripts/make-test-models.py'
    onnx.save_model(m, os.path.join(OUT, 'fp16_external.onnx'), save_as_external_data=True,
                    all_tensors_to_one_file=True, location='fp16_external.onnx.data', size_threshold=0)
    print('wrote fp16_external.onnx (+ .data)')

    X = helper.make_tensor_value_info('x', f32, [4])
    Y = helper.make_tensor_value_info('y', f32, [4])
    nodes = [helper.make_node('Mystery', ['x'], ['m'], domain='com.example'),
             helper.make_node('Identity', ['m'], ['y'])]
    m = helper.make_model(helper.make_graph(nodes, 'fp16_custom_op', [X], [Y]),
                          opset_imports=opset + [helper.make_opsetid('com.example', 1)])
    m.ir_version = 8
    m.producer_name = 'hitmic-studio scripts/make-test-models.py'
    onnx.save(m, os.path.join(OUT, 'fp16_custom_op.onnx'))  # the checker does not know com.example
    print('wrote fp16_custom_op.onnx')


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    ex = torch.rand(2, 1, 16, 16)
    export(Identity(), ex, 'identity.onnx', ['input'], ['output'])
    export(Double(), ex, 'double.onnx', ['input'], ['output'])
    export(Double2(), ex, 'double_2ch.onnx', ['input'], ['output'])
    export(WindowMean(), ex, 'window_mean.onnx', ['input'], ['output'])
    export(Double(), torch.rand(4, 1, 16, 16), 'double_fixed_b4_16.onnx', ['input'], ['output'], dynamic=False)
    make_fp16_double('double_fp16.onnx')
    path = os.path.join(OUT, 'classifier_s8.onnx')
    torch.onnx.export(Classifier().eval(), torch.rand(2, 1, 8, 8), path, input_names=['input'],
                      output_names=['logits'], dynamic_axes={'input': {0: 'N'}, 'logits': {0: 'N'}},
                      opset_version=OPSET)
    print('wrote classifier_s8.onnx', os.path.getsize(path), 'bytes')
    make_pi('pi_plain.onnx', zipmap=False)
    make_pi('pi_zipmap.onnx', zipmap=True)
    make_pi('pi_strlabel.onnx', zipmap=False, string_label=True)
    make_prelu_mixed('prelu_mixed.onnx')
    path = os.path.join(OUT, 'detr_tiny.onnx')
    torch.onnx.export(DetrTiny().eval(), torch.rand(2, 3, 32, 32), path, input_names=['input'],
                      output_names=['dets', 'labels', 'masks'],
                      dynamic_axes={'input': {0: 'B'}, 'dets': {0: 'B'}, 'labels': {0: 'B'}, 'masks': {0: 'B'}},
                      opset_version=OPSET)
    print('wrote detr_tiny.onnx', os.path.getsize(path), 'bytes')
    # A file that is not ONNX, for the error tests.
    with open(os.path.join(OUT, 'not-a-model.onnx'), 'wb') as f:
        f.write(b'this is not an ONNX protobuf\n' + np.arange(16, dtype=np.uint8).tobytes())


if __name__ == '__main__':
    import sys
    if sys.argv[1:] == ['fp16']:
        make_fp16_cases()
    else:
        main()
        make_fp16_cases()
