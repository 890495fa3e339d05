package dev.captioner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.captioner.data.synth.SynthScenes;
import dev.captioner.pipeline.model.Captioner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The API end to end on the bundled model, over real HTTP on the loopback address: good images with and without
 * maps, each kind of bad input, a full queue, concurrent clients, and stopping with a request in flight.
 */
class CaptionServiceTest {
    static final Path BUNDLED = Path.of("../models/synth-att-lstm");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static List<Path> images;
    static Captioner captioner;
    static CaptionService service;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void serveTheBundledModel() throws IOException {
        SynthScenes.builder().setImages(20).optSeed(77).build().write(dir, done -> { });
        try (Stream<Path> files = Files.list(dir.resolve("images"))) {
            images = files.filter(f -> f.toString().endsWith(".jpg")).sorted().limit(16).toList();
        }
        captioner = Captioner.load(BUNDLED, Captioner.Options.builder().optBatchSize(16).build());
        service = new CaptionService(captioner, ServiceConfig.builder().optPort(0).optBatching(16, Duration.ofMillis(20))
                .optLimits(1 << 20, 4_000_000).build());
        service.start();
    }

    @AfterAll
    static void stop() {
        service.stop(Duration.ofSeconds(5));
        captioner.close();
    }

    static URI uri(CaptionService on, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + on.port() + pathAndQuery);
    }

    static HttpResponse<String> post(CaptionService on, String query, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(on, "/v1/captions" + query)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A multipart form with one file field and the given text fields. */
    static HttpRequest multipart(CaptionService on, String field, String filename, byte[] file, String... textFields) throws IOException {
        String boundary = "----captioner" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i + 1 < textFields.length; i += 2) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + textFields[i] + "\"\r\n\r\n" + textFields[i + 1]
                    + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(uri(on, "/v1/captions")).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    }

    /** The caption the library gives the file with the service's default search (beam 3). */
    static String expected(Path image) throws IOException {
        try (Captioner beam3 = Captioner.load(BUNDLED, Captioner.Options.builder().optBeamSize(3).build())) {
            return beam3.caption(image).text();
        }
    }

    @Test
    void aGoodImageGetsTheLibrarysCaptionAsRawBodyOrForm() throws Exception {
        byte[] jpeg = Files.readAllBytes(images.get(0));
        HttpResponse<String> raw = post(service, "", "image/jpeg", jpeg);
        assertEquals(200, raw.statusCode(), raw.body());
        JsonNode answer = JSON.readTree(raw.body());
        assertEquals(expected(images.get(0)), answer.at("/captions/0/text").asText());
        assertTrue(answer.at("/captions/0/log_prob").asDouble() < 0);
        assertFalse(answer.has("maps"), "no maps unless asked");

        HttpResponse<String> form = http.send(multipart(service, "image", "scene.jpg", jpeg, "n_best", "2", "beam", "3"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, form.statusCode(), form.body());
        JsonNode two = JSON.readTree(form.body());
        assertEquals(2, two.get("captions").size(), "n_best from a form field");
        assertEquals(answer.at("/captions/0/text"), two.at("/captions/0/text"));
        assertTrue(two.at("/captions/0/log_prob").asDouble() >= two.at("/captions/1/log_prob").asDouble(), "best first");
    }

    @Test
    void withAttentionEachWordHasItsGridAndItsPicture() throws Exception {
        HttpResponse<String> response = post(service, "?attention=true", "image/jpeg", Files.readAllBytes(images.get(1)));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        int words = answer.at("/captions/0/words").size();
        assertEquals(words, answer.at("/captions/0/attention").size(), "a grid per word");
        assertEquals(8, answer.at("/grid/rows").asInt());
        JsonNode grid = answer.at("/captions/0/attention/0");
        assertEquals(8, grid.size());
        assertEquals(8, grid.get(0).size());
        double sum = 0;
        for (JsonNode row : grid) {
            for (JsonNode weight : row) {
                sum += weight.asDouble();
            }
        }
        assertEquals(1.0, sum, 1e-3, "a word's weights sum to 1");
        assertEquals(words, answer.get("maps").size(), "a picture per word");
        String png = answer.get("maps").get(0).asText();
        assertTrue(png.startsWith("data:image/png;base64,"));
        Mat picture = Imgcodecs.imdecode(new MatOfByte(Base64.getDecoder().decode(png.substring(png.indexOf(',') + 1))),
                Imgcodecs.IMREAD_COLOR);
        assertEquals(224, picture.cols(), "the overlay has the image's size");
    }

    @Test
    void badInputsGetA4xxWithOneLineAndTheServerGoesOn() throws Exception {
        byte[] jpeg = Files.readAllBytes(images.get(2));
        assertError(post(service, "", "image/jpeg", new byte[0]), 400, "empty upload");
        assertError(post(service, "", "image/jpeg", "this is text".getBytes(StandardCharsets.UTF_8)), 422, "not an image");
        assertError(post(service, "", "image/jpeg", Arrays.copyOf(jpeg, jpeg.length / 3)), 422, "truncated");
        assertError(post(service, "", "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 415, "is not an image");
        assertError(post(service, "", null, jpeg), 415, "is not an image");
        assertError(post(service, "?beam=0", "image/jpeg", jpeg), 400, "beam must be between 1 and 10");
        assertError(post(service, "?beam=2&n_best=3", "image/jpeg", jpeg), 400, "n_best must be between 1 and 2");
        assertError(post(service, "?max_length=many", "image/jpeg", jpeg), 400, "max_length must be a whole number");
        assertError(post(service, "?attention=maybe", "image/jpeg", jpeg), 400, "attention must be true or false");
        assertError(post(service, "", "image/jpeg", new byte[(1 << 20) + 1]), 413, "too large");
        assertError(http.send(multipart(service, "photo", "scene.jpg", jpeg), HttpResponse.BodyHandlers.ofString()), 400,
                "no 'image' file field");
        assertError(http.send(HttpRequest.newBuilder(uri(service, "/v1/nothing")).GET().build(), HttpResponse.BodyHandlers.ofString()),
                404, "no such endpoint");
        assertError(http.send(HttpRequest.newBuilder(uri(service, "/v1/captions")).GET().build(), HttpResponse.BodyHandlers.ofString()),
                405, "not allowed");
        HttpResponse<String> still = post(service, "", "image/jpeg", jpeg);
        assertEquals(200, still.statusCode(), "still serving: " + still.body());
    }

    @Test
    void anImageOverThePixelLimitIsRefusedFromItsHeader() throws Exception {
        // A 2,100 x 2,100 PNG is 4.4 MP, over the 4 MP limit; it is refused before it is decoded or queued.
        Mat big = new Mat(2100, 2100, org.opencv.core.CvType.CV_8UC3, new org.opencv.core.Scalar(200, 100, 50));
        MatOfByte png = new MatOfByte();
        Imgcodecs.imencode(".png", big, png);
        assertError(post(service, "", "image/png", png.toArray()), 413, "image too large");
    }

    @Test
    void modelHealthAndTheApiDescriptionAnswer() throws Exception {
        JsonNode model = JSON.readTree(http.send(HttpRequest.newBuilder(uri(service, "/v1/model")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("att-lstm", model.get("decoder_type").asText());
        assertEquals(captioner.model().vocabulary().size(), model.get("vocabulary_size").asInt());
        assertTrue(model.get("attends").asBoolean());
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri(service, "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertTrue(JSON.readTree(health.body()).get("ready").asBoolean());
        JsonNode api = JSON.readTree(http.send(HttpRequest.newBuilder(uri(service, "/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("3.0.3", api.get("openapi").asText());
        assertTrue(api.at("/paths/~1v1~1captions/post/responses").has("503"));
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri(service, "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"/app.js\">"), "the page");
    }

    @Test
    void concurrentClientsEachGetTheirOwnImagesCaptionFromSharedBatches() throws Exception {
        List<String> wanted = new ArrayList<>();
        try (Captioner beam3 = Captioner.load(BUNDLED, Captioner.Options.builder().optBeamSize(3).build())) {
            for (Path image : images) {
                wanted.add(beam3.caption(image).text());
            }
        }
        long batchesBefore = service.stats().batches();
        ExecutorService clients = Executors.newFixedThreadPool(images.size());
        try {
            for (int round = 0; round < 2; round++) {
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (Path image : images) {
                    byte[] jpeg = Files.readAllBytes(image);
                    answers.add(clients.submit(() -> post(service, "", "image/jpeg", jpeg)));
                }
                for (int i = 0; i < images.size(); i++) {
                    HttpResponse<String> response = answers.get(i).get();
                    assertEquals(200, response.statusCode(), response.body());
                    assertEquals(wanted.get(i), JSON.readTree(response.body()).at("/captions/0/text").asText(), images.get(i) + "'s caption");
                }
            }
        } finally {
            clients.shutdownNow();
        }
        long batches = service.stats().batches() - batchesBefore;
        assertTrue(batches < 2L * images.size(), "requests shared batches: " + batches + " batches for " + 2 * images.size() + " images");
        assertTrue(service.stats().largestBatch() > 1, "a batch held several requests");
    }

    @Test
    void aFullQueueIs503WithRetryAfterAndStoppingFinishesWhatIsInFlight() throws Exception {
        try (Captioner own = Captioner.load(BUNDLED, Captioner.Options.builder().optBatchSize(1).build())) {
            CaptionService tiny = new CaptionService(own, ServiceConfig.builder().optPort(0).optBatching(1, Duration.ZERO)
                    .optQueueCapacity(1).build());
            tiny.start();
            byte[] jpeg = Files.readAllBytes(images.get(3));
            ExecutorService clients = Executors.newFixedThreadPool(12);
            try {
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    answers.add(clients.submit(() -> post(tiny, "?beam=5", "image/jpeg", jpeg)));
                }
                int ok = 0;
                int refused = 0;
                for (Future<HttpResponse<String>> answer : answers) {
                    HttpResponse<String> response = answer.get();
                    if (response.statusCode() == 503) {
                        refused++;
                        assertTrue(response.headers().firstValue("Retry-After").isPresent(), "Retry-After");
                        assertTrue(JSON.readTree(response.body()).get("error").asText().contains("queue is full"), response.body());
                    } else {
                        assertEquals(200, response.statusCode(), response.body());
                        ok++;
                    }
                }
                assertTrue(refused > 0, "12 requests at once against a queue of 1: some are refused");
                assertTrue(ok > 0, "and some are answered");

                Future<HttpResponse<String>> inFlight = clients.submit(() -> post(tiny, "?beam=5", "image/jpeg", jpeg));
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (tiny.stats().images() < ok + 1 && System.nanoTime() < deadline) {
                    Thread.sleep(2); // until the last request is with the batcher
                }
                tiny.stop(Duration.ofSeconds(10));
                assertEquals(200, inFlight.get().statusCode(), "a request in flight when stopping is answered");
            } finally {
                clients.shutdownNow();
            }
        }
    }

    static void assertError(HttpResponse<String> response, int status, String words) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertNotNull(body.get("error"), response.body());
        String message = body.get("error").asText();
        assertTrue(message.contains(words), "'" + message + "' should say '" + words + "'");
        assertFalse(message.contains("\n") || message.contains("\tat ") || message.contains("Exception"), "one line, no trace: " + message);
    }
}
