"""Writes the PyTorch-made fixtures of tests/Studying.DeepLearning.Tests/ResNet/PyTorchWeightsTests.cs.

A CIFAR ResNet-8 (He et al. 2015 with n = 1: one BasicBlock per stage, 16/32/64 channels, option-A zero-padding
shortcuts without parameters), with the state-dict keys of akamaster/pytorch_resnet_cifar10 — the same keys as
Studying.DeepLearning's CifarResNet(8): conv1, bn1, layer1.0.conv1, …, linear. Seeded, so a re-run writes the same
numbers with the same torch version (written with Debian 12's python3-torch 1.13.1):

    /usr/bin/python3 make_fixtures.py   # Debian python3-torch; from this folder; writes the three files below next to this script

  resnet8.pt           torch.save(model.state_dict()) after three train-mode passes (non-trivial batch-norm statistics)
  resnet8.safetensors  the same tensors in the safetensors format (written below per its spec; no safetensors package)
  resnet8-io.pt        torch.save(OrderedDict(input=[4, 3, 32, 32] float32, logits=[4, 10] float32 in eval mode))
"""
import collections
import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.pad = (planes - in_planes) // 2 if stride != 1 or in_planes != planes else None

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        shortcut = x if self.pad is None else F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad))
        return F.relu(out + shortcut)


class CifarResNet(nn.Module):
    def __init__(self, n=1, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        planes = 16
        for i, width in enumerate([16, 32, 64]):
            blocks = []
            for b in range(n):
                blocks.append(BasicBlock(planes, width, 2 if i > 0 and b == 0 else 1))
                planes = width
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
        self.linear = nn.Linear(64, num_classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight)
            if isinstance(m, nn.BatchNorm2d):  # not 1 and 0, so that a loader that skips them is caught
                nn.init.uniform_(m.weight, 0.5, 1.5)
                nn.init.uniform_(m.bias, -0.2, 0.2)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        return self.linear(out.mean([2, 3]))


SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.int32: "I32", torch.uint8: "U8"}


def save_safetensors(state, path):
    """safetensors: u64 little-endian header size, JSON header {name: {dtype, shape, data_offsets}}, raw little-endian data."""
    header, chunks, offset = {}, [], 0
    for name, tensor in state.items():
        data = tensor.detach().contiguous().cpu().numpy().astype(tensor.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": SAFETENSORS_DTYPES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the spec allows trailing spaces; 8-byte alignment of the data
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for chunk in chunks:
            f.write(chunk)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    torch.manual_seed(2015)
    model = CifarResNet(n=1)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(16, 3, 32, 32) * 2 + 0.5)
    model.eval()
    x = torch.randn(4, 3, 32, 32)
    with torch.no_grad():
        logits = model(x)
    state = model.state_dict()
    torch.save(state, os.path.join(here, "resnet8.pt"))
    save_safetensors(state, os.path.join(here, "resnet8.safetensors"))
    torch.save(collections.OrderedDict(input=x, logits=logits), os.path.join(here, "resnet8-io.pt"))
    print(f"torch {torch.__version__}: {len(state)} tensors, {sum(p.numel() for p in model.parameters())} parameters; logits[0] = {logits[0].tolist()}")


if __name__ == "__main__":
    main()
