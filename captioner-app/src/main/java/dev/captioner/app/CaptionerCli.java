package dev.captioner.app;
public class CaptionerCli { public static void main(String[] a) {} }
