#!/usr/bin/env python3
"""Generates the fixtures of the PyTorch → ONNX converter's tests (test-support/converter/).

Run with the Debian Python that has torch 1.13:  /usr/bin/python3 scripts/make-converter-fixtures.py

For each case: <name>.pth (a raw state_dict of random weights, as HiTMicTools saves it), <name>.json
(metadata as HiTMicTools reads it: model_type, model_args), <name>_input.npy and <name>_output.npy
(float32; the output of the PyTorch module's forward in eval mode on that input). cases.json lists
every case with its architecture and what it exercises, and the refused checkpoints with the tensor
the converter must name.

Architectures: NAFNet from scripts/demo_world/nets.py (HiTMicTools' nafnet.py), MONAI 1.5 UNet and
HiTMicTools' FlexResNet from scripts/converter_fixtures/monai_like.py (MONAI rebuilt in plain torch
with every option the converter builds). Before writing anything the script checks monai_like's UNet
and FlexResNet against demo_world/nets.py on the demo collection's own weights (same keys, same
outputs), so the fixtures rest on the same structure as the demo models.

Deterministic: seed 0, one thread.
"""
import json
import os
import sys
import zipfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "demo_world"))
sys.path.insert(0, os.path.join(HERE, "converter_fixtures"))
import monai_like as ml  # noqa: E402
import nets  # noqa: E402

ROOT = os.path.join(HERE, "..")
OUT = os.path.join(ROOT, "test-support", "converter")
DEMO = os.path.join(ROOT, "models", "demo-collection")

torch.set_num_threads(1)


def randomise(model):
    """Random weights everywhere, away from the trivial initialisations (NAFNet's zero beta/gamma,
    unit norm weights, zero running means) so every tensor changes the output."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith(("beta", "gamma")):
                p.copy_(torch.randn_like(p) * 0.3)
            elif ".N." in name or "norm" in name:
                p.copy_(1 + 0.2 * torch.randn_like(p) if name.endswith("weight") else 0.1 * torch.randn_like(p))
            elif ".A." in name:
                p.copy_(0.1 + 0.2 * torch.rand_like(p))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn_like(p))
        for name, b in model.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(0.1 * torch.randn_like(b))
            elif name.endswith("running_var"):
                b.copy_(0.5 + torch.rand_like(b))


def build(arch, args):
    if arch == "NAFNet":
        return nets.NAFNet(**args)
    if arch == "MonaiUnet":
        return ml.UNet(**args)
    return ml.FlexResNet(**args)


CASES = []


def case(name, arch, args, shape, note, store=None, dump=()):
    """Builds, randomises, runs and writes one case. `store` may rewrite the state_dict before saving
    (dtype, strides) and returns the state_dict whose values the reference forward must use. The
    tensors named in `dump` are also written as <name>.<key>.npy (float32, row-major), for the
    checkpoint reader's own tests."""
    model = build(arch, args)
    x = torch.randn(*shape)
    model.eval()
    with torch.no_grad():
        model(x)  # initialises FlexResNet's LazyLinear
    randomise(model)
    sd = model.state_dict()
    saved = store(sd) if store else sd
    model.load_state_dict({k: v.float() for k, v in saved.items()} if store else sd)
    with torch.no_grad():
        y = model(x)
    torch.save(saved, os.path.join(OUT, f"{name}.pth"))
    for key in dump:
        np.save(os.path.join(OUT, f"{name}.{key}.npy"), saved[key].float().numpy())
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump({"original_name": f"{name}.pth", "model_type": arch, "model_args": args}, f, indent=1)
    np.save(os.path.join(OUT, f"{name}_input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(OUT, f"{name}_output.npy"), y.numpy().astype(np.float32))
    CASES.append({"name": name, "architecture": arch, "input": list(shape), "output": list(y.shape), "note": note})
    return sd


def refused(name, base_sd, arch, args, edit, tensor, note):
    sd = {k: v.clone() for k, v in base_sd.items()}
    edit(sd)
    torch.save(sd, os.path.join(OUT, f"{name}.pth"))
    CASES.append({"name": name, "architecture": arch, "model_args": args, "refused": True, "tensor": tensor,
                  "note": note})


def rewrite_zip(src, dst, edit, extra=None):
    """Copies a torch ZIP entry by entry (stored, as torch writes them), `edit(name, bytes)` deciding
    each entry's new bytes; `extra` entries are appended."""
    with zipfile.ZipFile(os.path.join(OUT, src)) as zin, \
            zipfile.ZipFile(os.path.join(OUT, dst), "w", zipfile.ZIP_STORED) as zout:
        entries = [(i.filename, edit(i.filename, zin.read(i.filename))) for i in zin.infolist()]
        for name, data in entries + list((extra or {}).items()):
            zout.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)


def check_against_demo_nets():
    """monai_like's UNet and FlexResNet = demo_world/nets.py's on the demo weights."""
    for stem, ours, theirs, shape in [
        ("MonaiUnet-segmentation", ml.UNet, nets.MonaiUNet, (2, 1, 32, 48)),
        ("FlexResNet-cell_classifier", ml.FlexResNet, nets.FlexResNet, (3, 1, 32, 32)),
    ]:
        args = json.load(open(os.path.join(DEMO, "metadata", f"{stem}.json")))["model_args"]
        sd = torch.load(os.path.join(DEMO, "models", f"{stem}.pth"), map_location="cpu")
        a, b = ours(**args), theirs(**args)
        x = torch.randn(*shape)
        a.eval()
        b.eval()
        with torch.no_grad():
            a(x)
        a.load_state_dict(sd)
        b.load_state_dict(sd)
        with torch.no_grad():
            d = (a(x) - b(x)).abs().max().item()
        assert d < 1e-6, f"{stem}: monai_like differs from demo_world/nets.py by {d}"
        print(f"check: {stem}: monai_like = demo_world/nets.py (max |diff| {d:.1e})")


def main():
    torch.manual_seed(0)
    check_against_demo_nets()
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith((".pth", ".json", ".npy")):
            os.remove(os.path.join(OUT, f))

    # ---------------------------------------------------------------- NAFNet
    def naf(width=4, middle=1, enc=(), dec=(), img=1):
        return {"img_channel": img, "width": width, "middle_blk_num": middle, "enc_blk_nums": list(enc),
                "dec_blk_nums": list(dec)}

    def strided_and_shared(sd):
        # A transposed view (non-contiguous strides) and two tensors sharing one storage at offsets.
        out = dict(sd)
        w = sd["ending.weight"]
        out["ending.weight"] = w.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)
        b, g = sd["middle_blks.0.beta"], sd["middle_blks.0.gamma"]
        both = torch.cat([b.flatten(), g.flatten()])
        out["middle_blks.0.beta"] = both[: b.numel()].view(b.shape)
        out["middle_blks.0.gamma"] = both[b.numel():].view(g.shape)
        assert not out["ending.weight"].is_contiguous() and out["middle_blks.0.gamma"].storage_offset() > 0
        return out

    case("nafnet_l0", "NAFNet", naf(middle=2), (2, 1, 13, 17),
         "no encoder level (no padding), middle_blk_num 2; saved with a non-contiguous tensor and two "
         "tensors sharing one storage", store=strided_and_shared,
         dump=("ending.weight", "middle_blks.0.beta", "middle_blks.0.gamma"))
    l2 = case("nafnet_l2", "NAFNet", naf(middle=2, enc=(1, 2), dec=(2, 1)), (1, 1, 21, 30),
              "2 levels, blocks (1,2)/(2,1), middle 2; H, W padded to multiples of 4 and cropped back")
    case("nafnet_l3", "NAFNet", naf(enc=(1, 1, 1), dec=(1, 1, 1)), (2, 1, 20, 28),
         "3 levels: multiples of 8")
    case("nafnet_img2_fp16", "NAFNet", naf(img=2, enc=(1,), dec=(1,)), (1, 2, 15, 16),
         "img_channel 2; saved as float16 (the reference uses the same float16 values)",
         store=lambda sd: {k: v.half() for k, v in sd.items()}, dump=("intro.weight",))
    case("nafnet_fp64", "NAFNet", naf(enc=(1,), dec=(1,)), (1, 1, 16, 16),
         "saved as float64 (the reference rounds to float32 as the converter does)",
         store=lambda sd: {k: v.double() for k, v in sd.items()}, dump=("intro.weight",))

    # The same float64 checkpoint as a big-endian machine writes it (torch ≥ 2.1 adds `byteorder`).
    def swap8(name, data):
        if "/data/" not in name:
            return data
        return np.frombuffer(data, dtype="<f8").astype(">f8").tobytes()

    rewrite_zip("nafnet_fp64.pth", "nafnet_fp64_bigendian.pth", swap8, {"nafnet_fp64/byteorder": b"big"})
    CASES.append({"name": "nafnet_fp64_bigendian", "same_as": "nafnet_fp64", "architecture": "NAFNet",
                  "note": "nafnet_fp64 with byte-swapped storages and byteorder 'big'"})

    naf_l2_args = naf(middle=2, enc=(1, 2), dec=(2, 1))
    refused("nafnet_l2_wrong_shape", l2, "NAFNet", naf_l2_args,
            lambda sd: sd.__setitem__("encoders.1.0.conv2.bias", torch.zeros(17)), "encoders.1.0.conv2.bias",
            "one bias of 17 values where the architecture has 16")
    refused("nafnet_l2_missing", l2, "NAFNet", naf_l2_args,
            lambda sd: sd.pop("decoders.0.1.norm2.weight"), "decoders.0.1.norm2.weight", "one tensor dropped")
    refused("nafnet_l2_extra", l2, "NAFNet", naf_l2_args,
            lambda sd: sd.__setitem__("middle_blks.2.beta", torch.zeros(1, 16, 1, 1)), "middle_blks.2.beta",
            "a third middle block's beta the architecture does not have")

    l0 = torch.load(os.path.join(OUT, "nafnet_l0.pth"))
    torch.save({f"module.{k}": v for k, v in l0.items()}, os.path.join(OUT, "nafnet_l0_dataparallel.pth"))
    CASES.append({"name": "nafnet_l0_dataparallel", "architecture": "NAFNet", "model_args": naf(middle=2),
                  "refused": True, "tensor": "module.intro.weight",
                  "note": "saved from a DataParallel wrapper: every key starts with 'module.'"})

    # data/0 is the first storage pickled: intro.weight's. Cut it short.
    rewrite_zip("nafnet_l0.pth", "nafnet_l0_truncated.pth",
                lambda name, data: data[:20] if name.endswith("/data/0") else data)
    CASES.append({"name": "nafnet_l0_truncated", "architecture": "NAFNet", "model_args": naf(middle=2),
                  "refused": True, "tensor": "intro.weight", "note": "intro.weight's storage cut to 20 bytes"})

    # ---------------------------------------------------------------- MONAI UNet
    def unet(channels, strides, **kw):
        return {"spatial_dims": 2, "in_channels": 1, "out_channels": 1, "channels": list(channels),
                "strides": list(strides), **kw}

    case("unet_r0_l3", "MonaiUnet", unet((4, 8, 16), (2, 2), num_res_units=0), (2, 1, 16, 24),
         "num_res_units 0, 3 levels (the demo segmenter's structure)")
    case("unet_r2_l4", "MonaiUnet", unet((4, 8, 8, 16), (2, 2, 2), num_res_units=2), (1, 1, 24, 32),
         "num_res_units 2, 4 levels")
    case("unet_k5_up3_nobias", "MonaiUnet",
         unet((4, 8, 16), (2, 2), kernel_size=5, up_kernel_size=3, num_res_units=1, bias=False), (1, 1, 16, 20),
         "kernel_size 5, up_kernel_size 3, num_res_units 1, bias false")
    case("unet_stride1_level", "MonaiUnet", unet((4, 8, 16), (2, 1), num_res_units=2), (1, 1, 12, 18),
         "a stride-1 level (transposed conv without output padding)")
    case("unet_r0_up5_stride_pair", "MonaiUnet", unet((4, 8, 8), ([2, 1], 2), up_kernel_size=5), (1, 1, 16, 12),
         "a (2,1) stride pair and up_kernel_size 5, num_res_units 0")
    case("unet_batch_leaky", "MonaiUnet",
         unet((4, 8, 16), (2, 2), num_res_units=1, norm="BATCH", act=["LeakyReLU", {"negative_slope": 0.1}],
              dropout=0.2), (2, 1, 16, 16),
         "norm BATCH (running statistics), act LeakyReLU 0.1, dropout 0.2")
    case("unet_group_elu_an", "MonaiUnet",
         {**unet((4, 8, 16), (2, 2), num_res_units=2, norm=["group", {"num_groups": 2}], act="elu",
                 adn_ordering="AN"), "out_channels": 2}, (1, 1, 16, 16),
         "norm group (2 groups), act elu, adn_ordering AN, 2 output channels")
    case("unet_prelu4_affine", "MonaiUnet",
         {**unet((4, 4, 4), (2, 2), num_res_units=1, act=["prelu", {"num_parameters": 4}],
                 norm=["instance", {"affine": True}]), "out_channels": 4}, (1, 1, 16, 16),
         "PReLU with one slope per channel, affine instance norm, 4 output channels")
    case("unet_no_norm_relu", "MonaiUnet", unet((4, 8, 16), (2, 2), norm=None, act="relu"), (1, 1, 16, 16),
         "norm None, act relu")

    # ---------------------------------------------------------------- FlexResNet
    def flex(**kw):
        return {"num_classes": 3, "in_channels": 1, "min_size": 16, "initial_filters": 4, **kw}

    case("flex_b1", "FlexResNet", flex(num_blocks=1), (3, 1, 16, 16), "1 block, global pooling")
    case("flex_b2_nopool", "FlexResNet", flex(num_blocks=2, use_global_pool=False), (2, 1, 16, 16),
         "2 blocks, use_global_pool false (flatten; the Linear's in_features fixes the crop size)")
    case("flex_b3_pad", "FlexResNet", flex(num_blocks=3, min_size=20), (2, 1, 12, 15),
         "3 blocks; a 12x15 crop zero-padded to min_size 20")
    case("flex_kwargs", "FlexResNet",
         flex(num_blocks=2, act="gelu", norm="batch", dropout=0.3, adn_ordering="NA", bias=False,
              last_conv_only=True), (2, 1, 16, 16),
         "ResidualUnit kwargs: act gelu, norm batch, dropout, adn_ordering NA, bias false, last_conv_only")
    case("flex_padding_dropout_dim", "FlexResNet", flex(num_blocks=2, padding=[1, 1], dropout=0.1, dropout_dim=2),
         (2, 1, 18, 18), "padding given explicitly, dropout with dropout_dim 2 (any other padding or a dilation "
         "makes the first block's conv path and residual differ in size: PyTorch fails too)")
    case("flex_layernorm_nopool", "FlexResNet",
         flex(num_blocks=1, use_global_pool=False, norm=["layer", {"normalized_shape": [4, 8, 8]}]),
         (2, 1, 16, 16), "LayerNorm over (C, H, W), no global pooling")
    case("flex_instance_tracked", "FlexResNet",
         flex(num_blocks=1, norm=["instance", {"affine": True, "track_running_stats": True}]), (2, 1, 16, 16),
         "instance norm with running statistics (eval uses them)")
    case("flex_in3", "FlexResNet", flex(num_blocks=1, in_channels=3), (2, 3, 16, 16), "in_channels 3")
    for act in [["prelu", {"num_parameters": 4}], "relu6", "selu", ["celu", {"alpha": 0.5}], "mish", "swish",
                "memswish", "tanh", "sigmoid", ["gelu", {"approximate": "tanh"}], ["softmax", {"dim": 1}],
                "logsoftmax"]:
        label = act if isinstance(act, str) else act[0]
        case(f"flex_act_{label}", "FlexResNet", flex(num_blocks=1, act=act), (2, 1, 16, 16), f"act {act}")

    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"generator": "scripts/make-converter-fixtures.py", "torch": torch.__version__,
                   "cases": CASES}, f, indent=1)
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(CASES)} cases to {OUT} ({total / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
