package io.berth.broker.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Closing the store waits for its threads even when the closing thread is interrupted. */
class UninterruptiblyTest {
    @Test
    void join_waitsForTheThreadDespiteAnInterrupt_andKeepsTheInterruptStatus() {
        Thread caller = Thread.currentThread();
        boolean[] ended = {false};
        // ends only once the caller waits in join again, after the interrupt cut its first wait short
        Thread worker = new Thread(() -> {
            while (caller.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            ended[0] = true;
        });
        caller.interrupt();
        worker.start();

        Uninterruptibly.join(worker);

        assertThat(Thread.interrupted()).isTrue();
        assertThat(worker.isAlive()).isFalse();
        assertThat(ended[0]).isTrue();
    }

    @Test
    void join_ofAThreadNotRunning_returnsAtOnce() {
        Thread notStarted = new Thread(() -> {});

        Uninterruptibly.join(notStarted);

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
