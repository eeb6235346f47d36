#!/usr/bin/env python3
"""Generates the small real model files the collection tests use (test-support/collections/).

Run with the Debian Python that has torch 1.13 and onnx:  /usr/bin/python3 scripts/make-test-collections.py

Writes, deterministically (seed 0):
  nafnet_tiny.pth / .json / .onnx    NAFNet(img_channel=1, width=4, middle_blk_num=1, enc=[1], dec=[1]),
                                     a raw state_dict as HiTMicTools saves it, its metadata, and an
                                     ONNX export (opset 17, dynamic H/W: the conversion recipe we print)
  nafnet_tiny_input.npy / _output.npy  a test tensor pair (1x1x32x32 float32), output from PyTorch
  flexresnet_tiny.pth / .json        FlexResNet(num_classes=5, initial_filters=4, num_blocks=2)
  unet_tiny.pth / .json              MONAI UNet(2D, channels=(4,8,16), strides=(2,2), num_res_units=2)
  unet_tiny_nores.pth / .json        the same with num_res_units=0
  pi_classifier_tiny.onnx            a 3-feature linear classifier with feature_names metadata and an
                                     initializer also listed as a graph input (old exporters do that)
  nafnet_tiny_wrong.pth              the NAFNet state_dict with 'intro.weight' renamed to 'intro.weights'
                                     and 'ending.bias' of shape (2,) instead of (1,)
  pi_stand_in.pkl                    a plain pickle standing in for a scikit-learn model (recognised
                                     by extension only; never loaded)

MONAI is not needed: FlexResNet and UNet are rebuilt here from the MONAI 1.5 module structure
(Convolution = conv + ADN(N, A); ResidualUnit = conv.unit{k} + residual; SkipConnection.submodule),
which fixes the state_dict key names and shapes (reference §5.2, §5.3).
"""
import json
import os
import pickle

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test-support', 'collections')


# ---------------------------------------------------------------- NAFNet (reference §5.1)
class LayerNorm2d(nn.Module):
    def __init__(self, c, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c))
        self.bias = nn.Parameter(torch.zeros(c))
        self.eps = eps

    def forward(self, x):
        mu = x.mean(1, keepdim=True)
        var = (x - mu).pow(2).mean(1, keepdim=True)
        y = (x - mu) / (var + self.eps).sqrt()
        return self.weight.view(1, -1, 1, 1) * y + self.bias.view(1, -1, 1, 1)


class SimpleGate(nn.Module):
    def forward(self, x):
        a, b = x.chunk(2, dim=1)
        return a * b


class NAFBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        dw = 2 * c
        self.conv1 = nn.Conv2d(c, dw, 1)
        self.conv2 = nn.Conv2d(dw, dw, 3, padding=1, groups=dw)
        self.conv3 = nn.Conv2d(dw // 2, c, 1)
        self.sca = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(dw // 2, dw // 2, 1))
        self.sg = SimpleGate()
        self.conv4 = nn.Conv2d(c, 2 * c, 1)
        self.conv5 = nn.Conv2d(c, c, 1)
        self.norm1 = LayerNorm2d(c)
        self.norm2 = LayerNorm2d(c)
        # HiTMicTools initialises these to zeros; small random values make the test tensor non-trivial.
        self.beta = nn.Parameter(torch.randn(1, c, 1, 1) * 0.1)
        self.gamma = nn.Parameter(torch.randn(1, c, 1, 1) * 0.1)

    def forward(self, inp):
        x = self.conv2(self.conv1(self.norm1(inp)))
        x = self.sg(x)
        x = x * self.sca(x)
        y = inp + self.conv3(x) * self.beta
        x = self.conv5(self.sg(self.conv4(self.norm2(y))))
        return y + x * self.gamma


class NAFNet(nn.Module):
    def __init__(self, img_channel=3, width=16, middle_blk_num=1, enc_blk_nums=(), dec_blk_nums=()):
        super().__init__()
        self.intro = nn.Conv2d(img_channel, width, 3, padding=1)
        self.ending = nn.Conv2d(width, img_channel, 3, padding=1)
        self.encoders, self.decoders, self.ups, self.downs = nn.ModuleList(), nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        chan = width
        for n in enc_blk_nums:
            self.encoders.append(nn.Sequential(*[NAFBlock(chan) for _ in range(n)]))
            self.downs.append(nn.Conv2d(chan, 2 * chan, 2, 2))
            chan *= 2
        self.middle_blks = nn.Sequential(*[NAFBlock(chan) for _ in range(middle_blk_num)])
        for n in dec_blk_nums:
            self.ups.append(nn.Sequential(nn.Conv2d(chan, chan * 2, 1, bias=False), nn.PixelShuffle(2)))
            chan //= 2
            self.decoders.append(nn.Sequential(*[NAFBlock(chan) for _ in range(n)]))

    def forward(self, inp):
        x = self.intro(inp)
        skips = []
        for enc, down in zip(self.encoders, self.downs):
            x = enc(x)
            skips.append(x)
            x = down(x)
        x = self.middle_blks(x)
        for dec, up, skip in zip(self.decoders, self.ups, skips[::-1]):
            x = dec(up(x) + skip)
        return self.ending(x) + inp


# ---------------------------------------------------------------- MONAI structure (reference §5.2, §5.3)
class ADN(nn.Sequential):
    def __init__(self, c):
        super().__init__()
        self.add_module('N', nn.InstanceNorm2d(c))  # affine=False: no parameters
        self.add_module('A', nn.PReLU())


class Convolution(nn.Sequential):
    def __init__(self, cin, cout, k=3, stride=1, transposed=False, conv_only=False):
        super().__init__()
        if transposed:
            self.add_module('conv', nn.ConvTranspose2d(cin, cout, k, stride, padding=k // 2, output_padding=stride - 1))
        else:
            self.add_module('conv', nn.Conv2d(cin, cout, k, stride, padding=k // 2))
        if not conv_only:
            self.add_module('adn', ADN(cout))


class ResidualUnit(nn.Module):
    def __init__(self, cin, cout, stride=1, k=3, subunits=2, last_conv_only=False):
        super().__init__()
        self.conv = nn.Sequential()
        sin, sstride = cin, stride
        for su in range(max(1, subunits)):
            self.conv.add_module(f'unit{su}', Convolution(sin, cout, k, sstride, conv_only=last_conv_only and su == subunits - 1))
            sin, sstride = cout, 1
        if stride != 1 or cin != cout:
            rk = k if stride != 1 else 1
            self.residual = nn.Conv2d(cin, cout, rk, stride, padding=rk // 2)
        else:
            self.residual = nn.Identity()


class SkipConnection(nn.Module):
    def __init__(self, submodule):
        super().__init__()
        self.submodule = submodule


class UNet(nn.Module):
    def __init__(self, in_channels, out_channels, channels, strides, num_res_units=0):
        super().__init__()
        self.nres = num_res_units

        def down(i, o, s):
            return ResidualUnit(i, o, s, 3, num_res_units) if num_res_units > 0 else Convolution(i, o, 3, s)

        def up(i, o, s, top):
            conv = Convolution(i, o, 3, s, transposed=True, conv_only=top and num_res_units == 0)
            if num_res_units > 0:
                return nn.Sequential(conv, ResidualUnit(o, o, 1, 3, 1, last_conv_only=top))
            return conv

        def block(inc, outc, ch, st, top):
            c = ch[0]
            if len(ch) > 2:
                sub = block(c, c, ch[1:], st[1:], False)
                upc = 2 * c
            else:
                sub = down(c, ch[1], 1)
                upc = c + ch[1]
            return nn.Sequential(down(inc, c, st[0]), SkipConnection(sub), up(upc, outc, st[0], top))

        self.model = block(in_channels, out_channels, list(channels), list(strides), True)


class FlexResNet(nn.Module):
    def __init__(self, num_classes, in_channels=1, min_size=32, initial_filters=64, num_blocks=2, use_global_pool=True):
        super().__init__()
        layers, cin = [], in_channels
        for i in range(num_blocks):
            cout = initial_filters * 2 ** i
            layers.append(ResidualUnit(cin, cout, 2 if i == 0 else 1, 3, 2 if i == 0 else 3))
            cin = cout
        layers.append(nn.AdaptiveAvgPool2d((1, 1)))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Linear(cin, num_classes))


def save(model, name, metadata):
    torch.save(model.state_dict(), os.path.join(OUT, f'{name}.pth'))
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump(metadata, f, indent=2)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    np.random.seed(0)

    naf_args = {'img_channel': 1, 'width': 4, 'middle_blk_num': 1, 'enc_blk_nums': [1], 'dec_blk_nums': [1]}
    naf = NAFNet(**naf_args).eval()
    save(naf, 'nafnet_tiny', {'original_name': 'nafnet_tiny.pth', 'model_type': 'NAFNet', 'model_args': naf_args})
    x = torch.from_numpy(np.random.rand(1, 1, 32, 32).astype(np.float32))
    with torch.no_grad():
        y = naf(x)
    np.save(os.path.join(OUT, 'nafnet_tiny_input.npy'), x.numpy())
    np.save(os.path.join(OUT, 'nafnet_tiny_output.npy'), y.numpy().astype(np.float32))
    torch.onnx.export(naf, x, os.path.join(OUT, 'nafnet_tiny.onnx'), opset_version=17, input_names=['input'],
                      output_names=['output'], dynamic_axes={'input': {0: 'N', 2: 'H', 3: 'W'}, 'output': {0: 'N', 2: 'H', 3: 'W'}})

    fr_args = {'num_classes': 5, 'in_channels': 1, 'min_size': 32, 'initial_filters': 4, 'num_blocks': 2, 'use_global_pool': True}
    save(FlexResNet(**fr_args), 'flexresnet_tiny', {'original_name': 'flexresnet_tiny.pth', 'model_args': fr_args})

    un_args = {'spatial_dims': 2, 'in_channels': 1, 'out_channels': 1, 'channels': [4, 8, 16], 'strides': [2, 2], 'num_res_units': 2}
    save(UNet(1, 1, (4, 8, 16), (2, 2), 2), 'unet_tiny', {'original_name': 'unet_tiny.pth', 'model_args': un_args})
    un0_args = dict(un_args, num_res_units=0)
    save(UNet(1, 1, (4, 8, 16), (2, 2), 0), 'unet_tiny_nores', {'original_name': 'unet_tiny_nores.pth', 'model_args': un0_args})

    w = helper.make_tensor('W', TensorProto.FLOAT, [3, 2], np.random.rand(6).astype(np.float32).tolist())
    graph = helper.make_graph(
        [helper.make_node('MatMul', ['features', 'W'], ['scores']), helper.make_node('ArgMax', ['scores'], ['label'], axis=1, keepdims=0)],
        'pi_classifier',
        [helper.make_tensor_value_info('features', TensorProto.FLOAT, ['N', 3]), helper.make_tensor_value_info('W', TensorProto.FLOAT, [3, 2])],
        [helper.make_tensor_value_info('label', TensorProto.INT64, ['N'])],
        [w],
    )
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='make-test-collections')
    m.ir_version = 7
    helper.set_model_props(m, {'feature_names': 'mean_intensity,area,rel_mean_intensity'})
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(OUT, 'pi_classifier_tiny.onnx'))

    with open(os.path.join(OUT, 'pi_stand_in.pkl'), 'wb') as f:
        pickle.dump({'stand_in_for': 'sklearn.ensemble.RandomForestClassifier'}, f, protocol=2)

    # A deliberately wrong NAFNet checkpoint: one key renamed, one tensor with the wrong shape.
    sd = naf.state_dict()
    sd['intro.weights'] = sd.pop('intro.weight')
    sd['ending.bias'] = torch.zeros(2)
    torch.save(sd, os.path.join(OUT, 'nafnet_tiny_wrong.pth'))


if __name__ == '__main__':
    main()
