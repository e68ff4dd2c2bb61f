package io.etcdkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Go's etcd client ({@code go.etcd.io/etcd/clientv3}, Debian's 3.4 sources) as a bench client named {@code go}:
 * the program of {@link GoProgram} runs as a child process in its {@code -serve} mode and runs each phase itself
 * (same key space, value, in-flight bound and closed loop as {@link PhaseRunner}; a goroutine per in-flight
 * operation, each call with a 10 s deadline like etcdkit's default), then reports its latencies, its own process
 * CPU time (getrusage, all threads, GC included), allocation and GCs. Runs put, the two ranges and txn-put;
 * other workloads, and every workload when Go or etcd's sources are absent, are skipped with the reason.
 */
final class GoTarget implements Target {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String whyNot;
    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;

    GoTarget(List<String> endpoints) {
        GoProgram.Located program = GoProgram.locate();
        this.whyNot = program.whyNot();
        if (whyNot != null) {
            System.err.println("go client skipped: " + whyNot);
            process = null;
            in = null;
            out = null;
            return;
        }
        try {
            process = new ProcessBuilder(program.binary().toString(), "-serve", "-endpoints",
                    String.join(",", endpoints)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + program.binary(), e);
        }
        in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public String name() {
        return "go";
    }

    @Override
    public Operation prepare(Workload workload, KeySpace keys) throws IOException {
        if (whyNot != null) {
            throw new UnsupportedOperationException(whyNot);
        }
        switch (workload) {
            case PUT, RANGE_LINEARIZABLE, RANGE_SERIALIZABLE, TXN_PUT -> {
            }
            default -> throw new UnsupportedOperationException("the Go client target runs put, range-* and txn-put");
        }
        ObjectNode c = JSON.createObjectNode().put("op", "prepare").put("workload", workload.id())
                .put("prefix", keys.prefix()).put("keys", keys.size()).put("value", keys.value());
        call(c);
        return (ExternalOperation) (first, count, inFlight) -> {
            JsonNode r = call(JSON.createObjectNode().put("op", "run").put("first", first).put("count", count)
                    .put("inFlight", inFlight)).get("result");
            Histogram latencies = Phase.newHistogram();
            for (JsonNode pair : r.get("latencies")) {
                latencies.recordValueWithCount(Math.min(Math.max(1, pair.get(0).asLong()), Phase.HIGHEST_NANOS),
                        pair.get(1).asLong());
            }
            String firstError = r.path("firstError").asText("");
            return new ExternalOperation.Run(r.get("ops").asInt(), r.get("errors").asLong(),
                    r.get("unexpected").asLong(), firstError.isEmpty() ? null : new IllegalStateException(firstError),
                    latencies, r.get("elapsedNanos").asLong(), r.get("cpuNanos").asLong(),
                    r.get("allocBytes").asLong(), r.get("gcCount").asLong(), r.get("gcPauseNanos").asLong() / 1_000_000);
        };
    }

    @Override
    public void verify(byte[] key, byte[] value) throws IOException {
        if (whyNot == null) {
            call(JSON.createObjectNode().put("op", "verify").put("key", key).put("value", value));
        }
    }

    /** Sends one command and returns its answer; throws when the program says it failed or has ended. */
    private synchronized JsonNode call(ObjectNode command) throws IOException {
        in.write(JSON.writeValueAsString(command));
        in.newLine();
        in.flush();
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the Go client program ended (exit " + (process.isAlive() ? "?" : process.exitValue())
                    + "); its error output is above");
        }
        JsonNode reply = JSON.readTree(line);
        if (!reply.path("ok").asBoolean()) {
            throw new IllegalStateException("the Go client program refused '" + command.get("op").asText() + "': "
                    + reply.path("error").asText());
        }
        return reply;
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        try {
            in.write("{\"op\":\"quit\"}");
            in.newLine();
            in.flush();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
