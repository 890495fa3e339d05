/**
 * CNN backbones as DJL blocks in torchvision's layout, and an {@link
 * dev.captioner.encoder.ImageEncoder} over them.
 *
 * <ul>
 *   <li>{@link dev.captioner.encoder.backbone.Backbone}: a trunk {@code (B, 3, H, W) -> (B, C, H', W')}
 *       whose parameters carry torchvision's {@code state_dict} names;
 *   <li>{@link dev.captioner.encoder.backbone.ResNet} (18, 34 with basic units; 50, 101, 152 with
 *       bottlenecks, see {@link dev.captioner.encoder.backbone.ResidualUnit}), cut after
 *       {@code layer4}: 7x7 at 224;
 *   <li>{@link dev.captioner.encoder.backbone.Vgg} (11, 13, 16, 19), conv5 before the last max-pool:
 *       14x14 at 224;
 *   <li>{@link dev.captioner.encoder.backbone.Backbones}: by name;
 *   <li>{@link dev.captioner.encoder.backbone.SafetensorsImport}: torchvision weights from a
 *       safetensors or npz file;
 *   <li>{@link dev.captioner.encoder.backbone.BackboneEncoder}: the {@code ImageEncoder}.
 * </ul>
 *
 * <p>Checked against torchvision by the tests: names and shapes of every parameter, parameter
 * counts, and the output of ResNet-18 and VGG-11 with identical weights.
 */
package dev.captioner.encoder.backbone;
