"""Makes the TorchScript fixture of the encoder tests: a tiny CNN that returns a (B, C, H, W) grid.

Run with Debian's torch (apt-get install python3-torch), from the project root:

    /usr/bin/python3 encoder/src/test/python/make_tiny_torchscript.py

It writes, into encoder/src/test/resources/torchscript/:
  tiny_cnn.pt            the scripted model (torch.jit.script), weights from torch.manual_seed(0)
  tiny_cnn_expected.txt  its output for the fixed input below, one float per line ("%.9g"),
                         shape (1, 16, 8, 8) flattened in C order

The input is x[i] = sin(0.01 * i) over a (1, 3, 32, 32) tensor in C order, so the Java test can make
the same input without a file.
"""
import math
import os

import torch
import torch.nn as nn


class TinyCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, 3, stride=2, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.conv2(x))  # (B, 16, H/4, W/4)


def main():
    torch.manual_seed(0)
    model = TinyCnn()
    with torch.no_grad():  # non-trivial running statistics, so eval-mode batch norm is exercised
        model.bn1.running_mean.uniform_(-0.1, 0.1)
        model.bn1.running_var.uniform_(0.5, 1.5)
    model.eval()
    scripted = torch.jit.script(model)
    out_dir = os.path.join("encoder", "src", "test", "resources", "torchscript")
    os.makedirs(out_dir, exist_ok=True)
    scripted.save(os.path.join(out_dir, "tiny_cnn.pt"))

    n = 1 * 3 * 32 * 32
    x = torch.tensor([math.sin(0.01 * i) for i in range(n)], dtype=torch.float32).reshape(1, 3, 32, 32)
    with torch.no_grad():
        y = scripted(x)
    assert tuple(y.shape) == (1, 16, 8, 8), y.shape
    with open(os.path.join(out_dir, "tiny_cnn_expected.txt"), "w") as f:
        for v in y.flatten().tolist():
            f.write("%.9g\n" % v)
    print("torch", torch.__version__, "wrote", out_dir, "output sum %.6f" % float(y.sum()))


if __name__ == "__main__":
    main()
