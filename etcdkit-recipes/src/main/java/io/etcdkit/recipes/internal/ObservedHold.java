package io.etcdkit.recipes.internal;

import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionListener;
import io.etcdkit.recipes.session.SessionState;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * Something held through a session (a lock, a permit, a leadership) as the client's listener hears of it: its end
 * is reported exactly once, whether the holder gives it up or it is lost with the session. Recipes create one only
 * when the client has a listener, so without one nothing is allocated or registered.
 *
 * <p>Internal to etcdkit's recipes; not an API.
 */
public final class ObservedHold implements SessionListener {
    private final Session session;
    private final long startNanos = System.nanoTime();
    private final LongConsumer onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();

    private ObservedHold(Session session, LongConsumer onEnd) {
        this.session = session;
        this.onEnd = onEnd;
    }

    /**
     * Starts following a hold; {@code onEnd} gets how long it lasted, in nanoseconds, once.
     *
     * @param session the session the hold depends on
     * @param onEnd told the hold's duration when it ends
     * @return the hold, to {@link #end()} when given up
     */
    public static ObservedHold begin(Session session, LongConsumer onEnd) {
        ObservedHold h = new ObservedHold(session, onEnd);
        session.addListener(h); // told the current state at once: an already ended session ends the hold
        return h;
    }

    @Override
    public void stateChanged(SessionState previous, SessionState current, String reason) {
        if (current.isTerminal()) {
            end();
        }
    }

    /** The hold was given up (or lost); only the first call reports. */
    public void end() {
        if (ended.compareAndSet(false, true)) {
            session.removeListener(this);
            onEnd.accept(System.nanoTime() - startNanos);
        }
    }
}
