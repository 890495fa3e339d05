package dev.captioner.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EncoderSpecTest {
    @Test
    void parsesEveryForm() {
        assertEquals(new EncoderSpec(EncoderSpec.Kind.BACKBONE, "resnet18", null, null, 0), EncoderSpec.parse("resnet18"));
        assertEquals(new EncoderSpec(EncoderSpec.Kind.BACKBONE, "vgg16", null, null, 128), EncoderSpec.parse("VGG16@128"));
        assertEquals(new EncoderSpec(EncoderSpec.Kind.SAFETENSORS, "resnet50", Path.of("w/r50.safetensors"), null, 0),
                EncoderSpec.parse("resnet50:w/r50.safetensors"));
        assertEquals(new EncoderSpec(EncoderSpec.Kind.TORCHSCRIPT, null, Path.of("/m/a@b.pt"), null, 224),
                EncoderSpec.parse("torchscript:/m/a@b.pt@224"));
        assertEquals(new EncoderSpec(EncoderSpec.Kind.ZOO, null, null, "resnet18_embedding", 0), EncoderSpec.parse("zoo:resnet18_embedding"));
        assertEquals(new EncoderSpec(EncoderSpec.Kind.PRETRAINED, null, Path.of("models/enc"), null, 0), EncoderSpec.parse("pretrained:models/enc"));
        assertEquals("resnet18:x.safetensors@96", EncoderSpec.parse("resnet18:x.safetensors@96").toString());
        assertEquals(224, EncoderSpec.parse("resnet18").inputSizeOr(224));
    }

    @Test
    void rejectsWithTheAcceptedForms() {
        for (String bad : new String[] {"resnet19", "alexnet:x.pt", "resnet18@big", "resnet18@8", "torchscript"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncoderSpec.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("encoder '" + bad + "': "), e.getMessage());
            assertTrue(e.getMessage().contains("torchscript:FILE.pt"), e.getMessage());
        }
    }
}
