package io.etcdkit.recipes.atomic;

import io.etcdkit.EtcdClient;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Kv;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client whose write transactions can be made to fail with {@link OutcomeUnknownException} in chosen ways,
 * the way a dying leader makes them fail, but on cue. Reads and everything else go to the real client. Faults
 * are used up one per write transaction, in the order queued; with none queued, writes go through unchanged.
 */
final class FaultyClient {

    /** What happens to one write transaction. */
    enum Fault {
        /** Applied by etcd, but the answer is lost. */
        APPLY_THEN_LOSE_ANSWER,
        /** Never reaches etcd (yet): held back, see {@link #sendHeld()}. */
        LOSE_REQUEST,
        /** Runs the fault's action first, then goes through normally. */
        ACTION_FIRST
    }

    private record Queued(Fault fault, Runnable action) {
    }

    private final EtcdClient real;
    private final EtcdClient proxy;
    private final Deque<Queued> faults = new ArrayDeque<>();
    private final List<Transaction> held = new ArrayList<>();
    private final AtomicInteger writesSent = new AtomicInteger();
    private final AtomicInteger unknownAnswers = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "faulty-client");
        t.setDaemon(true);
        return t;
    });

    FaultyClient(EtcdClient real) {
        this.real = real;
        Kv kv = (Kv) Proxy.newProxyInstance(Kv.class.getClassLoader(), new Class<?>[] {Kv.class}, this::onKv);
        InvocationHandler client = (p, m, args) -> m.getName().equals("kv") && m.getParameterCount() == 0
                ? kv : invoke(real, m, args);
        this.proxy = (EtcdClient) Proxy.newProxyInstance(EtcdClient.class.getClassLoader(),
                new Class<?>[] {EtcdClient.class}, client);
    }

    /** The client to give to the code under test. */
    EtcdClient client() {
        return proxy;
    }

    /**
     * Queues a fault for the next write transaction; {@code action} runs (on another thread) after the real
     * commit for {@link Fault#APPLY_THEN_LOSE_ANSWER}, instead of it for {@link Fault#LOSE_REQUEST}, and before it
     * for {@link Fault#ACTION_FIRST}.
     */
    synchronized FaultyClient then(Fault fault, Runnable action) {
        faults.add(new Queued(fault, action));
        return this;
    }

    synchronized FaultyClient then(Fault fault) {
        return then(fault, () -> { });
    }

    /** Sends the transactions held back by {@link Fault#LOSE_REQUEST}, as a late network would; their results. */
    List<TxnResult> sendHeld() {
        List<Transaction> late;
        synchronized (this) {
            late = List.copyOf(held);
            held.clear();
        }
        return late.stream().map(t -> real.kv().commit(t)).toList();
    }

    /** How many write transactions reached etcd through this client. */
    int writesSent() {
        return writesSent.get();
    }

    /** How many writes sent without a fault got a real {@link OutcomeUnknownException} from the client. */
    int unknownAnswers() {
        return unknownAnswers.get();
    }

    synchronized int faultsLeft() {
        return faults.size();
    }

    private Object onKv(Object p, Method m, Object[] args) throws Throwable {
        if (m.getName().equals("commitAsync") && args[0] instanceof Transaction txn && writes(txn)) {
            Queued q;
            synchronized (this) {
                q = faults.poll();
            }
            if (q == null) {
                writesSent.incrementAndGet();
                return real.kv().commitAsync(txn).whenComplete((r, e) -> {
                    if (e != null && unwrap(e) instanceof OutcomeUnknownException) {
                        unknownAnswers.incrementAndGet();
                    }
                });
            }
            return inject(q, txn);
        }
        return invoke(real.kv(), m, args);
    }

    private CompletableFuture<TxnResult> inject(Queued q, Transaction txn) {
        return CompletableFuture.supplyAsync(() -> {
            switch (q.fault()) {
                case APPLY_THEN_LOSE_ANSWER -> {
                    writesSent.incrementAndGet();
                    real.kv().commit(txn);
                    q.action().run();
                    throw unknown();
                }
                case LOSE_REQUEST -> {
                    synchronized (this) {
                        held.add(txn);
                    }
                    q.action().run();
                    throw unknown();
                }
                default -> {
                    q.action().run();
                    writesSent.incrementAndGet();
                    return real.kv().commit(txn);
                }
            }
        }, executor);
    }

    private static OutcomeUnknownException unknown() {
        return new OutcomeUnknownException("injected by the test: the transaction's answer was lost");
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static boolean writes(Transaction txn) {
        for (Op op : txn.thenOps()) {
            if (op instanceof Put || op instanceof Delete) {
                return true;
            }
        }
        return false;
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
