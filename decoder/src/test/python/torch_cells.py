"""Reference outputs of torch.nn.LSTMCell, torch.nn.GRUCell and the benchmark's soft attention with its
f_beta gate, for the Java tests dev.captioner.decoder.cell.TorchCellParityTest and
dev.captioner.decoder.attention.TorchAttentionParityTest, without committing any weights.

Both sides build the same weights, inputs and initial state from closed formulas, in float64
rounded to float32:

    tensor k of the cell's state_dict (weight_ih k=0, weight_hh k=1, bias_ih k=2, bias_hh k=3),
    element i in row-major order:          0.3 * sin(0.1 i + k)
    input x, shape (T, B, X), element i:   0.8 * cos(0.05 i + 0.5)
    initial h, shape (B, H), element i:    0.5 * sin(0.3 i + 1)
    initial c, shape (B, H), element i:    0.5 * cos(0.2 i)           (LSTM only)

The cells run T steps in float32 from that state.

Attention (SoftAttention of reference/decoders_torch.py, sizes AB, AL, AD, AH, AA below), with the
same weight formula over the tensors enc_att.weight k=0, enc_att.bias 1, dec_att.weight 2,
dec_att.bias 3, full_att.weight 4, full_att.bias 5, f_beta.weight 6, f_beta.bias 7:

    feature grid a, shape (B, L, D), element i:   0.5 * (1 + cos(0.07 i))      (non-negative)
    decoder state h, shape (B, H), element i:     0.5 * sin(0.3 i + 1)
    beta = sigmoid(f_beta(h)), vector gate (B, D)

Writes ../resources/torch-cells/expected.txt:

    sizes X H B T
    lstm h <t> <B*H values>     state after step t = 1 .. T, row-major
    lstm c <t> <B*H values>
    gru h <t> <B*H values>
    att_sizes B L D H A
    att context 0 <B*D values>
    att alpha 0 <B*L values>
    att beta 0 <B*D values>

Run with a Python that has torch (made with Debian's torch 1.13), from this directory:

    /usr/bin/python3 torch_cells.py
"""

import os

import numpy as np
import torch

X, H, B, T = 5, 4, 3, 4
AB, AL, AD, AH, AA = 2, 6, 4, 3, 5
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "torch-cells")


def formula(shape, scale, freq, phase, fn=np.sin):
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.float64)
    return torch.from_numpy((scale * fn(freq * i + phase)).astype(np.float32).reshape(shape))


def load_formula_weights(cell):
    with torch.no_grad():
        for k, (name, p) in enumerate(cell.state_dict().items()):
            assert name == ("weight_ih", "weight_hh", "bias_ih", "bias_hh")[k], name
            p.copy_(formula(tuple(p.shape), 0.3, 0.1, k))


def main():
    torch.set_num_threads(1)
    xs = formula((T, B, X), 0.8, 0.05, 0.5, np.cos)
    h0 = formula((B, H), 0.5, 0.3, 1.0)
    c0 = formula((B, H), 0.5, 0.2, 0.0, np.cos)
    lines = ["sizes %d %d %d %d" % (X, H, B, T)]

    def row(tag, t, a):
        lines.append("%s %d %s" % (tag, t, " ".join("%.9g" % v for v in a.reshape(-1).tolist())))

    lstm = torch.nn.LSTMCell(X, H)
    load_formula_weights(lstm)
    gru = torch.nn.GRUCell(X, H)
    load_formula_weights(gru)
    with torch.no_grad():
        h, c = h0, c0
        for t in range(T):
            h, c = lstm(xs[t], (h, c))
            row("lstm h", t + 1, h)
            row("lstm c", t + 1, c)
        h = h0
        for t in range(T):
            h = gru(xs[t], h)
            row("gru h", t + 1, h)
    lines.append("att_sizes %d %d %d %d %d" % (AB, AL, AD, AH, AA))
    enc_att = torch.nn.Linear(AD, AA)
    dec_att = torch.nn.Linear(AH, AA)
    full_att = torch.nn.Linear(AA, 1)
    f_beta = torch.nn.Linear(AH, AD)
    params = [enc_att.weight, enc_att.bias, dec_att.weight, dec_att.bias,
              full_att.weight, full_att.bias, f_beta.weight, f_beta.bias]
    a = formula((AB, AL, AD), 0.5, 0.07, 0.0, lambda v: 1.0 + np.cos(v))
    h = formula((AB, AH), 0.5, 0.3, 1.0)
    with torch.no_grad():
        for k, p in enumerate(params):
            p.copy_(formula(tuple(p.shape), 0.3, 0.1, k))
        # the reference's SoftAttention.forward and the decoder's gate, line for line
        e = full_att(torch.tanh(enc_att(a) + dec_att(h).unsqueeze(1))).squeeze(2)
        alpha = torch.softmax(e, dim=1)
        ctx = torch.bmm(alpha.unsqueeze(1), a).squeeze(1)
        beta = torch.sigmoid(f_beta(h))
    row("att context", 0, ctx)
    row("att alpha", 0, alpha)
    row("att beta", 0, beta)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "expected.txt"), "w") as f:
        f.write("# torch %s, made by src/test/python/torch_cells.py\n" % torch.__version__)
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
