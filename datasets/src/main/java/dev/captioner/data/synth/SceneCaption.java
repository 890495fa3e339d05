package dev.captioner.data.synth;

/** One reference caption of a scene and the template it was made from. */
public record SceneCaption(CaptionTemplate template, String text) {}
