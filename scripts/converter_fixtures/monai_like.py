"""MONAI 1.5's 2D Convolution / ResidualUnit / UNet and HiTMicTools' FlexResNet in plain torch, with
every option the HiTMic Studio converter builds (act, norm, dropout, adn_ordering, bias, dilation,
padding, last_conv_only, kernel sizes, per-level strides), so the fixtures of
scripts/make-converter-fixtures.py can be made without MONAI installed.

Written from MONAI's source (monai/networks/blocks/convolutions.py, acti_norm.py,
layers/factories.py, layers/utils.py, nets/unet.py at 1.5): module names, registration order and
state_dict keys are MONAI's; the `__main__` check of make-converter-fixtures.py compares this UNet
with scripts/demo_world/nets.py on the demo collection's weights.
"""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F


class Swish(nn.Module):  # monai.networks.blocks.activation.Swish
    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = alpha

    def forward(self, x):
        return x * torch.sigmoid(self.alpha * x)


class MemSwish(nn.Module):  # MemoryEfficientSwish: same forward
    def __init__(self, inplace=False):
        super().__init__()

    def forward(self, x):
        return x * torch.sigmoid(x)


class Mish(nn.Module):  # monai_mish uses F.mish where torch has it
    def __init__(self, inplace=False):
        super().__init__()

    def forward(self, x):
        return F.mish(x)


ACTS = {
    "relu": nn.ReLU, "leakyrelu": nn.LeakyReLU, "prelu": nn.PReLU, "relu6": nn.ReLU6, "elu": nn.ELU,
    "selu": nn.SELU, "celu": nn.CELU, "gelu": nn.GELU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh,
    "softmax": nn.Softmax, "logsoftmax": nn.LogSoftmax, "swish": Swish, "memswish": MemSwish, "mish": Mish,
}


def split_args(a):
    if isinstance(a, str):
        return a, {}
    name, kw = a
    return name, dict(kw)


def get_act(a):
    name, kw = split_args(a)
    return ACTS[name.lower()](**kw)


def get_norm(n, channels):
    name, kw = split_args(n)
    name = name.lower()
    if name in ("instance", "instance_nvfuser"):
        cls = nn.InstanceNorm2d
    elif name == "batch":
        cls = nn.BatchNorm2d
    elif name == "group":
        cls = nn.GroupNorm
    elif name == "layer":
        cls = nn.LayerNorm
    else:
        raise ValueError(name)
    if cls in (nn.InstanceNorm2d, nn.BatchNorm2d) and "num_features" not in kw:
        kw["num_features"] = channels
    if cls is nn.GroupNorm and "num_channels" not in kw:
        kw["num_channels"] = channels
    return cls(**kw)


def get_dropout(d):
    if isinstance(d, (int, float)):
        return nn.Dropout(p=float(d))
    name, kw = split_args(d)
    return {"dropout": nn.Dropout, "alphadropout": nn.AlphaDropout}[name.lower()](**kw)


class ADN(nn.Sequential):
    def __init__(self, ordering="NDA", in_channels=None, act="RELU", norm=None, dropout=None):
        super().__init__()
        ops = {"A": None, "D": None, "N": None}
        if norm is not None:
            ops["N"] = get_norm(norm, in_channels)
        if act is not None:
            ops["A"] = get_act(act)
        if dropout is not None:
            ops["D"] = get_dropout(dropout)
        for item in ordering.upper():
            if ops[item] is not None:
                self.add_module(item, ops[item])


def same_padding(k, d=1):
    ks = k if isinstance(k, (tuple, list)) else (k, k)
    ds = d if isinstance(d, (tuple, list)) else (d, d)
    for a, b in zip(ks, ds):
        if (a - 1) * b % 2 == 1:
            raise NotImplementedError("even kernel")
    p = tuple(int((a - 1) / 2 * b) for a, b in zip(ks, ds))
    return p if p[0] != p[1] else p[0]


class Convolution(nn.Sequential):
    def __init__(self, in_channels, out_channels, strides=1, kernel_size=3, adn_ordering="NDA", act="PRELU",
                 norm="INSTANCE", dropout=None, dilation=1, bias=True, conv_only=False, is_transposed=False,
                 padding=None, output_padding=None):
        super().__init__()
        if padding is None:
            padding = same_padding(kernel_size, dilation)
        if is_transposed:
            if output_padding is None:
                s = strides if isinstance(strides, (tuple, list)) else (strides, strides)
                output_padding = tuple(v - 1 for v in s)
            conv = nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride=strides, padding=padding,
                                      output_padding=output_padding, bias=bias, dilation=dilation)
        else:
            conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride=strides, padding=padding,
                             dilation=dilation, bias=bias)
        self.add_module("conv", conv)
        if conv_only:
            return
        if act is None and norm is None and dropout is None:
            return
        self.add_module("adn", ADN(adn_ordering, out_channels, act, norm, dropout))


def _prod(s):
    return s[0] * s[1] if isinstance(s, (tuple, list)) else s


class ResidualUnit(nn.Module):
    def __init__(self, in_channels, out_channels, strides=1, kernel_size=3, subunits=2, adn_ordering="NDA",
                 act="PRELU", norm="INSTANCE", dropout=None, dropout_dim=1, dilation=1, bias=True,
                 last_conv_only=False, padding=None):
        super().__init__()
        self.conv = nn.Sequential()
        self.residual = nn.Identity()
        if not padding:
            padding = same_padding(kernel_size, dilation)
        schannels, sstrides = in_channels, strides
        subunits = max(1, subunits)
        for su in range(subunits):
            conv_only = last_conv_only and su == (subunits - 1)
            unit = Convolution(schannels, out_channels, strides=sstrides, kernel_size=kernel_size,
                               adn_ordering=adn_ordering, act=act, norm=norm, dropout=dropout, dilation=dilation,
                               bias=bias, conv_only=conv_only, padding=padding)
            self.conv.add_module(f"unit{su:d}", unit)
            schannels, sstrides = out_channels, 1
        if _prod(strides) != 1 or in_channels != out_channels:
            rk, rp = kernel_size, padding
            if _prod(strides) == 1:
                rk, rp = 1, 0
            self.residual = nn.Conv2d(in_channels, out_channels, rk, strides, rp, bias=bias)

    def forward(self, x):
        res = self.residual(x)
        return self.conv(x) + res


class SkipConnection(nn.Module):
    def __init__(self, submodule):
        super().__init__()
        self.submodule = submodule

    def forward(self, x):
        return torch.cat([x, self.submodule(x)], dim=1)


class UNet(nn.Module):
    def __init__(self, spatial_dims, in_channels, out_channels, channels, strides, kernel_size=3, up_kernel_size=3,
                 num_res_units=0, act="PRELU", norm="INSTANCE", dropout=0.0, bias=True, adn_ordering="NDA"):
        super().__init__()
        assert spatial_dims == 2
        self.kernel_size, self.up_kernel_size, self.num_res_units = kernel_size, up_kernel_size, num_res_units
        self.act, self.norm, self.dropout, self.bias, self.adn_ordering = act, norm, dropout, bias, adn_ordering

        def _create_block(inc, outc, chans, strs, is_top):
            c, s = chans[0], strs[0]
            if len(chans) > 2:
                sub = _create_block(c, c, chans[1:], strs[1:], False)
                upc = c * 2
            else:
                sub = self._down(c, chans[1], 1)
                upc = c + chans[1]
            down = self._down(inc, c, s)
            up = self._up(upc, outc, s, is_top)
            return nn.Sequential(down, SkipConnection(sub), up)

        self.model = _create_block(in_channels, out_channels, list(channels), list(strides), True)

    def _kw(self):
        return dict(act=self.act, norm=self.norm, dropout=self.dropout, bias=self.bias, adn_ordering=self.adn_ordering)

    def _down(self, inc, outc, strides):
        if self.num_res_units > 0:
            return ResidualUnit(inc, outc, strides=strides, kernel_size=self.kernel_size,
                                subunits=self.num_res_units, **self._kw())
        return Convolution(inc, outc, strides=strides, kernel_size=self.kernel_size, **self._kw())

    def _up(self, inc, outc, strides, is_top):
        conv = Convolution(inc, outc, strides=strides, kernel_size=self.up_kernel_size,
                           conv_only=is_top and self.num_res_units == 0, is_transposed=True, **self._kw())
        if self.num_res_units > 0:
            ru = ResidualUnit(outc, outc, strides=1, kernel_size=self.kernel_size, subunits=1,
                              last_conv_only=is_top, **self._kw())
            conv = nn.Sequential(conv, ru)
        return conv

    def forward(self, x):
        return self.model(x)


class FlexResNet(nn.Module):  # HiTMicTools model_arch/flexresnet.py
    def __init__(self, num_classes, in_channels=1, min_size=32, initial_filters=64, num_blocks=2,
                 use_global_pool=True, **residual_unit_kwargs):
        super().__init__()
        self.min_size = min_size
        layers = []
        current = in_channels
        for i in range(num_blocks):
            out = initial_filters * (2 ** i)
            layers.append(ResidualUnit(current, out, strides=2 if i == 0 else 1, kernel_size=3,
                                       subunits=2 if i == 0 else 3, **residual_unit_kwargs))
            current = out
        layers.append(nn.AdaptiveAvgPool2d((1, 1)) if use_global_pool else nn.Flatten())
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.LazyLinear(num_classes))

    def forward(self, x):
        if x.size(2) < self.min_size or x.size(3) < self.min_size:
            pad_h = max(0, self.min_size - x.size(2))
            pad_w = max(0, self.min_size - x.size(3))
            x = F.pad(x, (0, pad_w, 0, pad_h))
        x = self.features(x)
        x = x.view(x.size(0), -1)
        return self.classifier(x)
