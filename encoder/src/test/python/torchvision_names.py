"""Writes the state_dict names and shapes of torchvision's ResNet and VGG models, one file per
model, into ../resources/torchvision-names/<model>.txt as "name [d0,d1,...]" lines in state_dict
order (a scalar is "[]"). Every key is listed, num_batches_tracked and fc.* / classifier.* included:
the Java tests apply the importer's own ignore rule to them.

Run once with a Python that has torch and torchvision (made with Debian's torch 1.13,
torchvision 0.14), from this directory:

    /usr/bin/python3 torchvision_names.py
"""

import os

import torchvision

MODELS = ("resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
          "vgg11", "vgg13", "vgg16", "vgg19")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "torchvision-names")


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in MODELS:
        state = getattr(torchvision.models, name)(weights=None).state_dict()
        with open(os.path.join(OUT, name + ".txt"), "w", encoding="utf-8") as f:
            for key, tensor in state.items():
                f.write("%s [%s]\n" % (key, ",".join(str(d) for d in tensor.shape)))
        print(name, len(state), "keys")


if __name__ == "__main__":
    main()
