package io.etcdkit.testing.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.etcdkit.testing.check.RegisterOp.Kind;
import io.etcdkit.testing.check.RegisterOp.Outcome;

class RegisterHistoryTest {

    private final AtomicLong clock = new AtomicLong(1_000);
    private final RegisterHistory history = new RegisterHistory(() -> clock.addAndGet(10));

    @Test
    void recordsEachKindWithItsCompletionInInvocationOrder() {
        PendingOp write = history.invokeWrite(1, "k", "a");
        PendingOp read = history.invokeRead(2, "k");
        PendingOp cas = history.invokeCas(3, "k", null, "b");
        PendingOp lost = history.invokeWrite(4, "k", "c");
        PendingOp refused = history.invokeRead(5, "k");
        PendingOp open = history.invokeCas(6, "k", "a", "d");
        write.writeOk();
        read.readOk("a");
        cas.casOk(false);
        lost.unknown("deadline");
        refused.failed("not sent");

        List<RegisterOp> ops = history.operations();
        assertThat(history.size()).isEqualTo(6);
        assertThat(ops).extracting(RegisterOp::process).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(ops.get(0)).isEqualTo(new RegisterOp(1, Kind.WRITE, "k", null, "a", 1_010, 1_070, Outcome.OK, null,
                false, null));
        assertThat(ops.get(1)).isEqualTo(new RegisterOp(2, Kind.READ, "k", null, null, 1_020, 1_080, Outcome.OK, "a",
                false, null));
        assertThat(ops.get(2).casApplied()).isFalse();
        assertThat(ops.get(2).outcome()).isEqualTo(Outcome.OK);
        assertThat(ops.get(3).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(ops.get(3).note()).isEqualTo("deadline");
        assertThat(ops.get(4).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(ops.get(5).outcome()).isEqualTo(Outcome.PENDING);
        assertThat(ops.get(5).completeNanos()).isEqualTo(Long.MAX_VALUE);
        open.casOk(true);
        assertThat(ops.get(5).outcome()).as("a snapshot does not change").isEqualTo(Outcome.PENDING);
        assertThat(history.operations().get(5).casApplied()).isTrue();
    }

    @Test
    void anOperationCompletesExactlyOnceAndOnlyAsItsOwnKind() {
        PendingOp write = history.invokeWrite(1, "k", "a");
        assertThatThrownBy(() -> write.readOk("a")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WRITE").hasMessageContaining("cannot complete as a READ");
        assertThatThrownBy(() -> write.casOk(true)).isInstanceOf(IllegalStateException.class);
        write.writeOk();
        assertThatThrownBy(write::writeOk).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already completed as OK");
        assertThatThrownBy(() -> write.unknown("late")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> write.failed("late")).isInstanceOf(IllegalStateException.class);
        assertThat(history.operations()).singleElement().extracting(RegisterOp::outcome).isEqualTo(Outcome.OK);
    }

    @Test
    void nullKeysAndValuesAreRefused() {
        assertThatThrownBy(() -> history.invokeRead(1, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("key");
        assertThatThrownBy(() -> history.invokeWrite(1, "k", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("value");
        assertThatThrownBy(() -> history.invokeCas(1, "k", "a", null)).isInstanceOf(NullPointerException.class);
        assertThat(history.size()).isZero();
    }

    @Test
    void concurrentClientsRecordAHistoryTheCheckerAccepts() throws Exception {
        RegisterHistory real = new RegisterHistory();
        AtomicReference<String> register = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                int process = p;
                clients.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        switch (i % 3) {
                            case 0 -> {
                                PendingOp op = real.invokeWrite(process, "k", process + "-" + i);
                                register.set(process + "-" + i);
                                op.writeOk();
                            }
                            case 1 -> real.invokeRead(process, "k").readOk(register.get());
                            default -> {
                                String seen = register.get();
                                PendingOp op = real.invokeCas(process, "k", seen, process + "/" + i);
                                op.casOk(register.compareAndSet(seen, process + "/" + i));
                            }
                        }
                    }
                }));
            }
            for (Future<?> client : clients) {
                client.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(real.size()).isEqualTo(2_000);
        LinearizabilityReport report = LinearizabilityChecker.check(real.operations(), Duration.ofSeconds(30));
        assertThat(report.verdict()).as(report.toString()).isEqualTo(LinearizabilityReport.Verdict.LINEARIZABLE);
    }
}
