"""Reference outputs of torchvision backbones for the Java cross-framework test
(dev.captioner.encoder.backbone.TorchvisionParityTest), without committing any weights.

Both sides compute the same weights and input from a closed formula, so only the outputs are
stored. For the tensor at position k of the model's state_dict (the line index in
torchvision-names/<model>.txt, num_batches_tracked lines counted), element i in row-major order:

    running_var          1 + 0.5 * (1 + cos(0.37 i + k))      in [1, 2]
    running_mean, bias   0.1 * sin(0.37 i + k)
    other 1-d (bn gamma) 1 + 0.2 * sin(0.37 i + k)
    conv weight          sqrt(2 / fan_in) * sqrt(2) * sin(0.37 i + k),  fan_in = numel / shape[0]

computed in float64 and rounded to float32. The input (1, 3, S, S) is x[i] = cos(0.013 i).

Writes into ../resources/torchvision-reference/:
  expected.npz             resnet18_64: layer4 output at 64x64, (1, 512, 2, 2)
                           vgg11_32: features[:-1] output (conv5 before the last max-pool) at
                           32x32, (1, 512, 2, 2)
  resnet18-stem.safetensors  conv1.*, bn1.* (num_batches_tracked as I64) and fc.bias of the
                           formula ResNet-18, in the safetensors layout (written by hand: the
                           safetensors package is not installed here)
  resnet18-stem.npz        the same tensors with numpy.savez

Run once with a Python that has torch and torchvision (made with Debian's torch 1.13,
torchvision 0.14), from this directory:

    /usr/bin/python3 torchvision_reference.py
"""

import json
import math
import os
import struct

import numpy as np
import torch
import torchvision

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "torchvision-reference")
STEM = ("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
        "bn1.num_batches_tracked", "fc.bias")


def formula(name, shape, k):
    """The value of tensor number k of a state_dict (see the module docstring)."""
    n = int(np.prod(shape)) if len(shape) else 1
    i = np.arange(n, dtype=np.float64)
    if name.endswith("running_var"):
        v = 1.0 + 0.5 * (1.0 + np.cos(0.37 * i + k))
    elif name.endswith("running_mean") or name.endswith("bias"):
        v = 0.1 * np.sin(0.37 * i + k)
    elif len(shape) == 1:
        v = 1.0 + 0.2 * np.sin(0.37 * i + k)
    else:
        v = math.sqrt(2.0 / (n // shape[0])) * math.sqrt(2.0) * np.sin(0.37 * i + k)
    return v.astype(np.float32).reshape(shape)


def formula_model(name):
    model = getattr(torchvision.models, name)(weights=None).eval()
    state = model.state_dict()
    new = {}
    for k, (key, tensor) in enumerate(state.items()):
        if key.endswith("num_batches_tracked"):
            new[key] = tensor
        else:
            new[key] = torch.from_numpy(formula(key, tuple(tensor.shape), k))
    model.load_state_dict(new)
    return model, new


def formula_input(size):
    n = 3 * size * size
    return torch.from_numpy(np.cos(0.013 * np.arange(n, dtype=np.float64)).astype(np.float32)
                            .reshape(1, 3, size, size))


def save_safetensors(path, tensors):
    """The safetensors format: u64 little-endian header length, a JSON header
    {name: {dtype, shape, data_offsets: [begin, end]}} padded with spaces to 8 bytes, raw
    little-endian data."""
    dtypes = {np.dtype("float32"): "F32", np.dtype("int64"): "I64"}
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtypes[array.dtype], "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    resnet, state = formula_model("resnet18")
    vgg, _ = formula_model("vgg11")
    with torch.no_grad():
        x = formula_input(64)
        for module in (resnet.conv1, resnet.bn1, resnet.relu, resnet.maxpool,
                       resnet.layer1, resnet.layer2, resnet.layer3, resnet.layer4):
            x = module(x)
        resnet_out = x.numpy()
        vgg_out = vgg.features[:-1](formula_input(32)).numpy()
    np.savez(os.path.join(OUT, "expected.npz"), resnet18_64=resnet_out, vgg11_32=vgg_out)
    print("resnet18_64", resnet_out.shape, float(np.abs(resnet_out).max()))
    print("vgg11_32", vgg_out.shape, float(np.abs(vgg_out).max()))

    stem = {key: state[key].numpy() for key in STEM}
    save_safetensors(os.path.join(OUT, "resnet18-stem.safetensors"), stem)
    np.savez(os.path.join(OUT, "resnet18-stem.npz"), **stem)


if __name__ == "__main__":
    main()
