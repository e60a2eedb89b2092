package dev.spool.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The waiter entries on one real Redis: a wait that ended is never listed again. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WaitersTest extends TwoInstancesOnOneRedis {
    private static final int THREADS = 8;
    private static final int ROUNDS = 150;
    private static final int REFRESHES = 4;

    /**
     * The shape of a wait that a wake-up ends, a refresh sent at the end of a slice and the removal at once, in
     * several threads at a time so that the client's writes spread over its connections.
     */
    @Test
    void aRefreshSentJustBeforeTheWaitEndsNeverListsTheWaiterAgain() throws Exception {
        Waiters waiters = new Waiters(a, new Target(name, Target.EVENT), Keys.waiters(name));
        List<Background.Call<String>> calls = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            calls.add(Background.run("waiter-" + t, () -> {
                String self = a.holderName();
                for (int round = 0; round < ROUNDS; round++) {
                    Waiters.Waiter waiter = waiters.register();
                    for (int i = 0; i < REFRESHES; i++) {
                        waiters.refresh(waiter);
                    }
                    waiters.unregister(waiter, true);
                    if (waiters.names().contains(self)) {
                        return self + " listed after its wait ended, round " + round;
                    }
                }
                return "ok";
            }));
        }
        for (Background.Call<String> call : calls) {
            assertThat(call.get(50, TimeUnit.SECONDS)).isEqualTo("ok");
        }
        assertThat(waiters.names()).isEmpty();
    }
}
