package io.berth.broker.store.rocksdb;

/**
 * Waits for the store's own threads to end when it closes: an interrupt does not cut the wait short (the
 * thread still has committed work or a flush to finish), and is passed on to the caller afterwards.
 *
 * <p>Threading: stateless; any thread.
 */
final class Uninterruptibly {
    private Uninterruptibly() {}

    /** Waits for {@code thread} to end; the calling thread's interrupt status is kept for after. */
    static void join(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
