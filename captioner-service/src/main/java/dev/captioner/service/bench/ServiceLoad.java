package dev.captioner.service.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The load a benchmark puts on a running {@code captioner serve}, from separate client threads on the loopback
 * address, each sending one request at a time (a closed loop):
 * <pre>
 *   throughput CLIENTS... : images/s and p50/p99 latency at each number of concurrent clients
 *   soak N                : N requests, every tenth a bad upload (empty, text, truncated), each answer checked
 * </pre>
 * Good answers are checked against the caption the server gave each image when it was alone (the first pass), so
 * a mix-up across a batch is a wrong answer. The server's resident memory is read from {@code /proc/PID/status}.
 * Prints one JSON line a measurement. Usage:
 * {@code java -cp captioner.jar dev.captioner.service.bench.ServiceLoad URL IMAGE_DIR SERVER_PID throughput 1 4 16}
 * or {@code ... soak 10000}.
 */
public final class ServiceLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI captions;
    private final List<byte[]> images;
    private final long serverPid;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<String> expected = new ArrayList<>();

    ServiceLoad(URI server, List<byte[]> images, long serverPid) {
        this.captions = server.resolve("/v1/captions");
        this.images = images;
        this.serverPid = serverPid;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ServiceLoad URL IMAGE_DIR SERVER_PID throughput CLIENTS... | soak N");
            System.exit(2);
        }
        List<byte[]> images = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(args[1]))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList()) {
                images.add(Files.readAllBytes(file));
            }
        }
        ServiceLoad load = new ServiceLoad(URI.create(args[0]), images, Long.parseLong(args[2]));
        load.firstPass();
        if (args[3].equals("throughput")) {
            for (int i = 4; i < args.length; i++) {
                int clients = Integer.parseInt(args[i]);
                load.throughput(clients, images.size(), false); // warm-up at this concurrency, not reported
                load.throughput(clients, images.size() * 10, true);
            }
        } else {
            load.soak(Integer.parseInt(args[4]), 16);
        }
    }

    /** Each image alone, once: the caption every later answer for it must repeat. */
    void firstPass() throws IOException, InterruptedException {
        for (byte[] image : images) {
            HttpResponse<String> answer = post(image);
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("the first pass got " + answer.statusCode() + ": " + answer.body());
            }
            expected.add(JSON.readTree(answer.body()).at("/captions/0/text").asText());
        }
    }

    /** {@code requests} requests from {@code clients} closed-loop clients over the images in turn. */
    void throughput(int clients, int requests, boolean report) throws Exception {
        long rssBefore = residentKb();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    int k = i % images.size();
                    long sent = System.nanoTime();
                    HttpResponse<String> answer = post(images.get(k));
                    latencies.add((System.nanoTime() - sent) / 1e6);
                    if (answer.statusCode() != 200 || !expected.get(k).equals(JSON.readTree(answer.body()).at("/captions/0/text").asText())) {
                        wrong.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("measure", "throughput");
        figures.put("clients", clients);
        figures.put("requests", requests);
        figures.put("images_per_s", round(requests / seconds));
        figures.put("p50_ms", round(percentile(sorted, 0.50)));
        figures.put("p99_ms", round(percentile(sorted, 0.99)));
        figures.put("wrong", wrong.get());
        figures.put("rss_kb_before", rssBefore);
        figures.put("rss_kb_after", residentKb());
        if (report) {
            System.out.println(JSON.writeValueAsString(figures));
        }
    }

    /** {@code total} requests from {@code clients} clients, every tenth a bad upload; counts wrong answers and server errors. */
    void soak(int total, int clients) throws Exception {
        byte[][] bad = {new byte[0], "not an image at all".getBytes(StandardCharsets.UTF_8), Arrays.copyOf(images.get(0), 300)};
        int[] badStatus = {400, 422, 422};
        AtomicInteger next = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        AtomicInteger serverErrors = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicLong rssWarm = new AtomicLong();
        List<Long> rss = java.util.Collections.synchronizedList(new ArrayList<>());
        int warmUp = Math.min(1000, total / 10);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    if (i == warmUp) {
                        rssWarm.set(residentKb());
                    }
                    if (i % 1000 == 0) {
                        rss.add(residentKb());
                    }
                    HttpResponse<String> answer;
                    if (i % 10 == 9) {
                        int b = (i / 10) % bad.length;
                        answer = post(bad[b]);
                        JsonNode body = JSON.readTree(answer.body());
                        if (answer.statusCode() != badStatus[b] || !body.has("error") || body.get("error").asText().contains("\n")) {
                            wrong.incrementAndGet();
                        }
                    } else {
                        int k = i % images.size();
                        answer = post(images.get(k));
                        if (answer.statusCode() == 200) {
                            if (!expected.get(k).equals(JSON.readTree(answer.body()).at("/captions/0/text").asText())) {
                                wrong.incrementAndGet();
                            }
                        } else if (answer.statusCode() == 503) {
                            refused.incrementAndGet();
                        } else {
                            wrong.incrementAndGet();
                        }
                    }
                    if (answer.statusCode() >= 500 && answer.statusCode() != 503) {
                        serverErrors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long end = residentKb();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("measure", "soak");
        figures.put("requests", total);
        figures.put("bad_uploads", total / 10);
        figures.put("clients", clients);
        figures.put("seconds", round(seconds));
        figures.put("wrong", wrong.get());
        figures.put("server_errors", serverErrors.get());
        figures.put("refused_503", refused.get());
        figures.put("rss_kb_after_warmup", rssWarm.get());
        figures.put("rss_kb_end", end);
        figures.put("rss_change_pct", rssWarm.get() == 0 ? null : round(100.0 * (end - rssWarm.get()) / rssWarm.get()));
        figures.put("rss_kb_every_1000", rss);
        System.out.println(JSON.writeValueAsString(figures));
    }

    private HttpResponse<String> post(byte[] image) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(captions).header("Content-Type", "image/jpeg").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The server's resident set in kB (VmRSS), or 0 where it cannot be read. */
    private long residentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + serverPid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ServiceLoad(%s, %d images)", captions, images.size());
    }
}
