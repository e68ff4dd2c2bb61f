package io.etcdkit.micrometer;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.CompactedException;
import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.observe.CallInfo;
import io.etcdkit.testing.EtcdClusterExtension;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With an ObservationRegistry, each call of a real client is one observation, child of the caller's. */
class CallObservationTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    /** Records which etcdkit call observations started (and on which thread) and stopped. */
    static final class Recorder implements ObservationHandler<EtcdCallContext> {
        final List<String> started = new CopyOnWriteArrayList<>();
        final List<String> stopped = new CopyOnWriteArrayList<>();

        @Override
        public void onStart(EtcdCallContext context) {
            started.add(context.call().fullName() + " on " + Thread.currentThread().getName());
        }

        @Override
        public void onStop(EtcdCallContext context) {
            stopped.add(context.getContextualName() + " " + context.outcome());
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof EtcdCallContext;
        }
    }

    @Test
    void eachCallIsAnObservationStartedUnderTheCallersAndStoppedWithItsOutcome() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        Recorder recorder = new Recorder();
        observations.observationConfig().observationHandler(recorder);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EtcdMetrics metrics = EtcdMetrics.builder(meters).observationRegistry(observations).build();
        String member = ETCD.clientEndpoints().get(0);
        Observation request = Observation.start("test.request", observations);
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(metrics).build();
                Observation.Scope scope = request.openScope()) {
            client.kv().put("observed/a", "1");
            assertThat(client.kv().get("observed/a")).isPresent();
        }
        request.stop();

        assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("etcdkit.call", 2)
                .forAllObservationsWithNameEqualTo("etcdkit.call", call -> call
                        .hasParentObservationEqualTo(request)
                        .hasLowCardinalityKeyValue("service", "KV")
                        .hasLowCardinalityKeyValue("outcome", "ok")
                        .hasHighCardinalityKeyValue("member", member)
                        .doesNotHaveError());
        String caller = Thread.currentThread().getName();
        assertThat(recorder.started).containsExactly("KV/Put on " + caller, "KV/Range on " + caller);
        assertThat(recorder.stopped).containsExactly("etcd KV/Put OK", "etcd KV/Range OK");
        assertThat(observations).hasAnObservation(call -> call.hasContextualNameEqualTo("etcd KV/Put")
                        .hasLowCardinalityKeyValue("method", "Put").hasLowCardinalityKeyValue("write", "true"))
                .hasAnObservation(call -> call.hasContextualNameEqualTo("etcd KV/Range")
                        .hasLowCardinalityKeyValue("method", "Range").hasLowCardinalityKeyValue("write", "false"));
        // the calls are still timed, once each
        assertThat(meters.get("etcdkit.calls").tag("method", "Put").timer().count()).isEqualTo(1);
        assertThat(meters.get("etcdkit.calls").tag("method", "Range").timer().count()).isEqualTo(1);
    }

    @Test
    void aRefusedCallsObservationCarriesTheCallersError() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        EtcdMetrics metrics = EtcdMetrics.builder(new SimpleMeterRegistry()).observationRegistry(observations)
                .build();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(metrics).build()) {
            long rev = client.kv().put("observed/compacted", "1").revision();
            client.kv().put("observed/compacted", "2");
            client.maintenance().compact(rev + 1, false);
            assertThatThrownBy(() -> client.kv().range(Range.key("observed/compacted").atRevision(rev)))
                    .isInstanceOf(CompactedException.class);
        }
        assertThat(observations).hasNumberOfObservationsWithNameEqualTo("etcdkit.call", 4)
                .hasAnObservation(call -> call.hasContextualNameEqualTo("etcd KV/Range")
                        .hasLowCardinalityKeyValue("outcome", "refused")
                        .doesNotHaveParentObservation()
                        .assertThatError().isInstanceOf(CompactedException.class));
    }

    @Test
    void aMeterHandlerOnTheObservationRegistryDoesNotTimeCallsTwiceWithTheFilter() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        meters.config().meterFilter(EtcdMetrics.denyObservationMeters());
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        EtcdMetrics metrics = EtcdMetrics.builder(meters).observationRegistry(observations).build();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(metrics).build()) {
            for (int i = 0; i < 3; i++) {
                client.kv().put("observed/handler/" + i, "v");
            }
        }
        assertThat(meters.get("etcdkit.calls").tag("method", "Put").timer().count()).isEqualTo(3);
        assertThat(meters.getMeters()).extracting(m -> m.getId().getName())
                .doesNotContain("etcdkit.call", "etcdkit.call.active");
        // the filter denies only the observation's own timers
        Observation.start("other.work", observations).stop();
        assertThat(meters.find("other.work").timer()).isNotNull();
    }

    @Test
    void withoutAnObservationRegistryOrWithANoopOneThereIsNoObservation() {
        CallInfo put = new CallInfo("KV", "Put", true);
        EtcdMetrics plain = EtcdMetrics.builder(new SimpleMeterRegistry()).build();
        EtcdMetrics noop = EtcdMetrics.builder(new SimpleMeterRegistry()).observationRegistry(ObservationRegistry.NOOP)
                .build();
        assertThat(plain.callStarted(put)).isInstanceOf(CallMeters.class);
        assertThat(noop.callStarted(put)).isInstanceOf(CallMeters.class);
        EtcdMetrics observed = EtcdMetrics.builder(new SimpleMeterRegistry())
                .observationRegistry(TestObservationRegistry.create()).build();
        assertThat(observed.callStarted(put)).isInstanceOf(ObservedCall.class);
    }
}
