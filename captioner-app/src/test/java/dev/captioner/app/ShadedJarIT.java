package dev.captioner.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, run as a user runs it: {@code java -jar captioner.jar} from another folder, with an
 * empty DJL cache, so the engine can come only from the jar itself.
 */
class ShadedJarIT {
    private static Path jar;

    @TempDir
    Path workDir;

    @BeforeAll
    static void findJar() {
        jar = Paths.get(System.getProperty("captioner.jar", "target/captioner.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "the build made " + jar);
    }

    private record Run(int exit, String out, String err) {}

    private Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        Path cache = Files.createDirectories(workDir.resolve("empty-djl-cache"));
        builder.environment().put("DJL_CACHE_DIR", cache.toString());
        builder.environment().put("ENGINE_CACHE_DIR", cache.toString());
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "finished in time");
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpWorksFromAnyFolder() throws Exception {
        Run run = run("--help");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("Usage: captioner"), run.out());
        for (String command : List.of("caption", "train", "evaluate", "synth", "score", "info", "bench")) {
            assertTrue(run.out().contains(command), command + " is listed");
        }
    }

    @Test
    void engineLoadsFromTheJarWithAnEmptyCacheAndOfflineMode() throws Exception {
        Run run = run("info");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("engine:        PyTorch 2.7.1"), run.out());
        assertTrue(run.out().contains("= [5.0, 14.0, 14.0, 50.0]"), "a real tensor product ran: " + run.out());
        assertTrue(run.out().contains(workDir.resolve("empty-djl-cache").toString()), "natives went to the new cache: " + run.out());
    }

    /**
     * README's main job: the bundled model, carried in the jar, captions the sample images, offline, from
     * a folder that is not the repository (no --model).
     */
    @Test
    void theBundledModelCaptionsTheSamplesFromAnyFolder() throws Exception {
        Path root = jar.getParent().getParent().getParent(); // captioner-app/target/captioner.jar
        Path samples = root.resolve("samples");
        Run run = run("caption", samples.toString());
        assertEquals(0, run.exit(), run.err());
        long images;
        try (java.util.stream.Stream<Path> files = Files.list(samples)) {
            images = files.filter(f -> f.toString().endsWith(".jpg")).count();
        }
        assertEquals(images, run.out().strip().lines().count(), run.out());
        assertFalse(run.err().contains("AutoNonVariableTypeMode"), "libtorch's deprecation warning stays off the screen: " + run.err());
        assertEquals("", run.err().strip(), "nothing on standard error");
        for (String line : run.out().strip().split("\n")) {
            assertTrue(line.matches(".+\\.jpg: [a-z]+( [a-z]+)*"), "a caption of words: " + line);
        }
    }

    /**
     * {@code captioner serve} from the jar: it answers a caption, and on SIGTERM (what {@link Process#destroy()} sends
     * on Linux) it stops taking requests, finishes and exits 0.
     */
    @Test
    void serveAnswersThenStopsCleanlyOnSigterm() throws Exception {
        List<String> command = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "serve", "--port", "0");
        Path out = workDir.resolve("serve.txt");
        Process server = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            java.util.regex.Matcher port = null;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (System.nanoTime() < deadline && server.isAlive()) {
                port = java.util.regex.Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(Files.readString(out));
                if (port.find()) {
                    break;
                }
                port = null;
                Thread.sleep(100);
            }
            assertTrue(port != null, "serve printed its address: " + Files.readString(out));
            Path image = jar.getParent().getParent().getParent().resolve("samples").resolve("009006.jpg");
            java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port.group(1) + "/v1/captions"))
                            .header("Content-Type", "image/jpeg").POST(java.net.http.HttpRequest.BodyPublishers.ofFile(image)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"captions\""), answer.body());
        } finally {
            server.destroy(); // SIGTERM
        }
        assertTrue(server.waitFor(1, TimeUnit.MINUTES), "stopped");
        assertEquals(0, server.exitValue(), "exit 0 after SIGTERM: " + Files.readString(out));
        assertTrue(Files.readString(out).contains("stopped; images captioned: 1, batches: 1"), Files.readString(out));
    }

    @Test
    void unknownFlagIsAUsageErrorOnOneLine() throws Exception {
        Run run = run("score", "--no-such-flag");
        assertEquals(2, run.exit());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("Unknown option: '--no-such-flag'"), run.err());
    }

    @Test
    void jarMergesServiceFilesAndCarriesTheNativeLibraries() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            ZipEntry engines = file.getEntry("META-INF/services/ai.djl.engine.EngineProvider");
            String providers = new String(file.getInputStream(engines).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(providers.contains("ai.djl.pytorch.engine.PtEngineProvider"), providers);
            assertTrue(file.getEntry("pytorch/cpu/linux-x86_64/libtorch_cpu.so") != null, "libtorch is inside");
            assertTrue(file.getEntry("native/lib/pytorch.properties") != null, "libtorch's version file is inside");
            assertTrue(file.getEntry("jnilib/linux-x86_64/cpu/libdjl_torch.so") != null, "DJL's JNI bridge is inside");
            assertTrue(file.getEntry("nu/pattern/opencv/linux/x86_64/libopencv_java490.so") != null, "OpenCV is inside");
            assertEquals("dev.captioner.app.CaptionerCli", file.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }
}
