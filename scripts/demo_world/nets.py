"""Architectures with HiTMicTools-compatible state_dict keys.

* NAFNet           -- HiTMicTools model_arch/nafnet.py (reference §5.1)
* MonaiUNet        -- monai.networks.nets.UNet 1.5 structure (reference §5.3)
* FlexResNet       -- HiTMicTools model_arch/flexresnet.py (reference §5.2)
* PIClassifierNet  -- standardise + logistic/MLP head on FL features (ONNX only)
* OofGridDetector  -- small conv net with the RF-DETR output contract (ONNX only)
"""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F


# ==========================================================================
# NAFNet
# ==========================================================================
class LayerNorm2d(nn.Module):
    def __init__(self, channels, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.eps = eps

    def forward(self, x):
        mu = x.mean(1, keepdim=True)
        var = (x - mu).pow(2).mean(1, keepdim=True)
        y = (x - mu) / torch.sqrt(var + self.eps)
        return self.weight.view(1, -1, 1, 1) * y + self.bias.view(1, -1, 1, 1)


class SimpleGate(nn.Module):
    def forward(self, x):
        x1, x2 = x.chunk(2, dim=1)
        return x1 * x2


class NAFBlock(nn.Module):
    def __init__(self, c, DW_Expand=2, FFN_Expand=2, drop_out_rate=0.0):
        super().__init__()
        dw = c * DW_Expand
        self.conv1 = nn.Conv2d(c, dw, 1, padding=0, stride=1, groups=1, bias=True)
        self.conv2 = nn.Conv2d(dw, dw, 3, padding=1, stride=1, groups=dw, bias=True)
        self.conv3 = nn.Conv2d(dw // 2, c, 1, padding=0, stride=1, groups=1, bias=True)
        self.sca = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(dw // 2, dw // 2, 1, padding=0, stride=1, groups=1, bias=True))
        self.sg = SimpleGate()
        ffn = FFN_Expand * c
        self.conv4 = nn.Conv2d(c, ffn, 1, padding=0, stride=1, groups=1, bias=True)
        self.conv5 = nn.Conv2d(ffn // 2, c, 1, padding=0, stride=1, groups=1, bias=True)
        self.norm1 = LayerNorm2d(c)
        self.norm2 = LayerNorm2d(c)
        self.dropout1 = nn.Identity()
        self.dropout2 = nn.Identity()
        self.beta = nn.Parameter(torch.zeros((1, c, 1, 1)))
        self.gamma = nn.Parameter(torch.zeros((1, c, 1, 1)))

    def forward(self, inp):
        x = self.norm1(inp)
        x = self.conv1(x)
        x = self.conv2(x)
        x = self.sg(x)
        x = x * self.sca(x)
        x = self.conv3(x)
        x = self.dropout1(x)
        y = inp + x * self.beta
        x = self.conv4(self.norm2(y))
        x = self.sg(x)
        x = self.conv5(x)
        x = self.dropout2(x)
        return y + x * self.gamma


class NAFNet(nn.Module):
    def __init__(self, img_channel=3, width=16, middle_blk_num=1, enc_blk_nums=(), dec_blk_nums=()):
        super().__init__()
        self.intro = nn.Conv2d(img_channel, width, 3, padding=1, stride=1, groups=1, bias=True)
        self.ending = nn.Conv2d(width, img_channel, 3, padding=1, stride=1, groups=1, bias=True)
        self.encoders = nn.ModuleList()
        self.decoders = nn.ModuleList()
        self.middle_blks = nn.ModuleList()
        self.ups = nn.ModuleList()
        self.downs = nn.ModuleList()
        chan = width
        for num in enc_blk_nums:
            self.encoders.append(nn.Sequential(*[NAFBlock(chan) for _ in range(num)]))
            self.downs.append(nn.Conv2d(chan, 2 * chan, 2, 2))
            chan = chan * 2
        self.middle_blks = nn.Sequential(*[NAFBlock(chan) for _ in range(middle_blk_num)])
        for num in dec_blk_nums:
            self.ups.append(nn.Sequential(nn.Conv2d(chan, chan * 2, 1, bias=False), nn.PixelShuffle(2)))
            chan = chan // 2
            self.decoders.append(nn.Sequential(*[NAFBlock(chan) for _ in range(num)]))
        self.padder_size = 2 ** len(self.encoders)

    def check_image_size(self, x):
        _, _, h, w = x.shape
        p = self.padder_size
        if isinstance(h, int) and isinstance(w, int) and h % p == 0 and w % p == 0 and not torch.jit.is_tracing():
            return x
        mod_pad_h = (p - h % p) % p
        mod_pad_w = (p - w % p) % p
        return F.pad(x, (0, mod_pad_w, 0, mod_pad_h))

    def forward(self, inp):
        B, C, H, W = inp.shape
        inp = self.check_image_size(inp)
        x = self.intro(inp)
        encs = []
        for encoder, down in zip(self.encoders, self.downs):
            x = encoder(x)
            encs.append(x)
            x = down(x)
        x = self.middle_blks(x)
        for decoder, up, enc_skip in zip(self.decoders, self.ups, encs[::-1]):
            x = up(x)
            x = x + enc_skip
            x = decoder(x)
        x = self.ending(x)
        x = x + inp
        return x[:, :, :H, :W]


# ==========================================================================
# MONAI building blocks (Convolution / ADN / ResidualUnit), MONAI 1.5 semantics
# ==========================================================================
class ADN(nn.Sequential):
    """norm -> dropout -> act ("NDA"), InstanceNorm2d(affine=False), PReLU."""

    def __init__(self, channels, act=True, norm=True):
        super().__init__()
        if norm:
            self.add_module("N", nn.InstanceNorm2d(channels))
        if act:
            self.add_module("A", nn.PReLU())


class _FastConvTranspose2d(nn.ConvTranspose2d):
    """nn.ConvTranspose2d (same parameters / state_dict) whose forward, while training, runs as
    zero insertion + a regular convolution. Debian's torch has no optimised BLAS and transposed
    convolutions fall back to a slow generic GEMM; regular ones use oneDNN. Same maths."""

    def forward(self, x, output_size=None):
        if not self.training or torch.jit.is_tracing():
            return super().forward(x, output_size)
        s, p, op, k = self.stride[0], self.padding[0], self.output_padding[0], self.kernel_size[0]
        n, c, h, w = x.shape
        if s > 1:
            up = x.new_zeros((n, c, (h - 1) * s + 1, (w - 1) * s + 1))
            up[:, :, ::s, ::s] = x
        else:
            up = x
        a = k - 1 - p
        up = F.pad(up, (a, a + op, a, a + op))
        wgt = self.weight.flip(-1, -2).transpose(0, 1)
        return F.conv2d(up, wgt, self.bias)


class Convolution(nn.Sequential):
    def __init__(self, in_ch, out_ch, strides=1, kernel_size=3, conv_only=False, is_transposed=False,
                 padding=None, output_padding=None, bias=True):
        super().__init__()
        if padding is None:
            padding = (kernel_size - 1) // 2
        if is_transposed:
            if output_padding is None:
                output_padding = strides - 1
            conv = _FastConvTranspose2d(in_ch, out_ch, kernel_size, stride=strides, padding=padding,
                                      output_padding=output_padding, bias=bias)
        else:
            conv = nn.Conv2d(in_ch, out_ch, kernel_size, stride=strides, padding=padding, bias=bias)
        self.add_module("conv", conv)
        if not conv_only:
            self.add_module("adn", ADN(out_ch))


class ResidualUnit(nn.Module):
    def __init__(self, in_ch, out_ch, strides=1, kernel_size=3, subunits=2, last_conv_only=False, bias=True):
        super().__init__()
        self.conv = nn.Sequential()
        padding = (kernel_size - 1) // 2
        schannels, sstrides = in_ch, strides
        subunits = max(1, subunits)
        for su in range(subunits):
            conv_only = last_conv_only and su == (subunits - 1)
            unit = Convolution(schannels, out_ch, strides=sstrides, kernel_size=kernel_size,
                               conv_only=conv_only, padding=padding, bias=bias)
            self.conv.add_module(f"unit{su:d}", unit)
            schannels, sstrides = out_ch, 1
        self.residual = nn.Identity()
        if strides != 1 or in_ch != out_ch:
            rk, rp = kernel_size, padding
            if strides == 1:
                rk, rp = 1, 0
            self.residual = nn.Conv2d(in_ch, out_ch, rk, strides, rp, bias=bias)

    def forward(self, x):
        return self.conv(x) + self.residual(x)


class SkipConnection(nn.Module):
    def __init__(self, submodule):
        super().__init__()
        self.submodule = submodule

    def forward(self, x):
        return torch.cat([x, self.submodule(x)], dim=1)


class MonaiUNet(nn.Module):
    """monai.networks.nets.UNet (2D, PReLU, instance norm, NDA, no dropout)."""

    def __init__(self, spatial_dims=2, in_channels=1, out_channels=1, channels=(16, 32, 64), strides=(2, 2),
                 kernel_size=3, up_kernel_size=3, num_res_units=0):
        super().__init__()
        assert spatial_dims == 2
        self.kernel_size, self.up_kernel_size, self.num_res_units = kernel_size, up_kernel_size, num_res_units

        def _create_block(inc, outc, chans, strs, is_top):
            c, s = chans[0], strs[0]
            if len(chans) > 2:
                sub = _create_block(c, c, chans[1:], strs[1:], False)
                upc = c * 2
            else:
                sub = self._down(c, chans[1], 1, False)
                upc = c + chans[1]
            down = self._down(inc, c, s, is_top)
            up = self._up(upc, outc, s, is_top)
            return nn.Sequential(down, SkipConnection(sub), up)

        self.model = _create_block(in_channels, out_channels, list(channels), list(strides), True)

    def _down(self, inc, outc, strides, is_top):
        if self.num_res_units > 0:
            return ResidualUnit(inc, outc, strides=strides, kernel_size=self.kernel_size, subunits=self.num_res_units)
        return Convolution(inc, outc, strides=strides, kernel_size=self.kernel_size)

    def _up(self, inc, outc, strides, is_top):
        conv = Convolution(inc, outc, strides=strides, kernel_size=self.up_kernel_size,
                           conv_only=is_top and self.num_res_units == 0, is_transposed=True)
        if self.num_res_units > 0:
            ru = ResidualUnit(outc, outc, strides=1, kernel_size=self.kernel_size, subunits=1, last_conv_only=is_top)
            conv = nn.Sequential(conv, ru)
        return conv

    def forward(self, x):
        return self.model(x)


# ==========================================================================
# FlexResNet
# ==========================================================================
class FlexResNet(nn.Module):
    def __init__(self, num_classes, in_channels=1, min_size=32, initial_filters=64, num_blocks=2,
                 use_global_pool=True):
        super().__init__()
        self.min_size = min_size
        layers = []
        cin = in_channels
        for i in range(num_blocks):
            cout = initial_filters * 2 ** i
            layers.append(ResidualUnit(cin, cout, strides=2 if i == 0 else 1, kernel_size=3,
                                       subunits=2 if i == 0 else 3))
            cin = cout
        layers.append(nn.AdaptiveAvgPool2d((1, 1)) if use_global_pool else nn.Flatten())
        self.features = nn.Sequential(*layers)
        # HiTMicTools uses LazyLinear; with global pooling its in_features is the last block's channels.
        self.classifier = nn.Sequential(nn.Linear(cin, num_classes))

    def forward(self, x):
        h, w = x.shape[-2:]
        if isinstance(h, int) and (h < self.min_size or w < self.min_size):
            x = F.pad(x, (0, max(0, self.min_size - w), 0, max(0, self.min_size - h)))
        x = self.features(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)


# ==========================================================================
# PI classifier (ONNX only)
# ==========================================================================
class PIClassifierNet(nn.Module):
    def __init__(self, n_features, hidden=16):
        super().__init__()
        self.register_buffer("mean", torch.zeros(n_features))
        self.register_buffer("std", torch.ones(n_features))
        self.net = nn.Sequential(nn.Linear(n_features, hidden), nn.Tanh(), nn.Linear(hidden, 2))

    def logits(self, x):
        return self.net((x - self.mean) / self.std)

    def forward(self, x):
        lg = self.logits(x)
        prob = torch.softmax(lg, dim=1)
        label = torch.argmax(prob, dim=1)
        return label, prob


# ==========================================================================
# OOF detector with RF-DETR output contract (ONNX only)
# ==========================================================================
class OofGridDetector(nn.Module):
    """Input [N,3,S,S] in [0,1]; ImageNet normalisation happens inside.

    Outputs pred_boxes [N,G*G,4] (cx,cy,w,h normalised; constant grid cells) and
    pred_logits [N,G*G,1] (one class, "oof").
    """

    def __init__(self, tile=128, grid=8, width=16):
        super().__init__()
        self.tile, self.grid = tile, grid
        self.register_buffer("im_mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("im_std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))
        n_down = 0
        s = tile
        while s > grid:
            s //= 2
            n_down += 1
        layers = []
        cin = 3
        for i in range(n_down):
            cout = width if i == 0 else min(width * 2, 64)
            layers += [nn.Conv2d(cin, cout, 3, stride=2, padding=1), nn.ReLU()]
            cin = cout
        layers += [nn.Conv2d(cin, cin, 3, padding=1), nn.ReLU(), nn.Conv2d(cin, 1, 1)]
        self.body = nn.Sequential(*layers)
        g = torch.arange(grid, dtype=torch.float32)
        cy, cx = torch.meshgrid((g + 0.5) / grid, (g + 0.5) / grid, indexing="ij")
        boxes = torch.stack([cx.reshape(-1), cy.reshape(-1), torch.full((grid * grid,), 1.0 / grid),
                             torch.full((grid * grid,), 1.0 / grid)], dim=1)
        self.register_buffer("boxes", boxes)

    def grid_logits(self, x):
        x = (x - self.im_mean) / self.im_std
        return self.body(x)  # [N,1,G,G]

    def forward(self, x):
        lg = self.grid_logits(x)
        n = x.shape[0]
        pred_logits = lg.flatten(2).transpose(1, 2)  # [N,G*G,1]
        pred_boxes = self.boxes.unsqueeze(0).expand(n, -1, -1)
        return pred_boxes, pred_logits
