package io.berth.client.internal;

import io.berth.client.ConnectResult;
import io.berth.client.Message;
import io.berth.client.MessageHandler;
import io.berth.client.MqttClientException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls application code (message handlers, listeners) on the client's callback thread, so that a slow
 * handler never stalls the event loop, and so that handlers see messages one at a time, in order.
 *
 * <p>Threading: tasks are submitted from the event loop and run on the single callback thread.
 */
final class Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final ClientConfig config;
    private final ExecutorService callbacks;

    Notifier(ClientConfig config) {
        this.config = config;
        String name = "berth-client-callbacks " + config.clientId();
        this.callbacks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Hands a message to its handlers (the default handler when none matched), then runs {@code
     * afterHandled} (which sends the acknowledgement) on the callback thread.
     */
    void deliver(Message message, List<MessageHandler> handlers, Runnable afterHandled) {
        run(() -> {
            if (handlers.isEmpty()) {
                if (config.defaultHandler() != null) {
                    call(config.defaultHandler(), message);
                } else {
                    LOG.debug("{}: no handler for a message on {}", config.clientId(), message.topic());
                }
            }
            for (MessageHandler h : handlers) {
                call(h, message);
            }
            afterHandled.run();
        });
    }

    private void call(MessageHandler handler, Message message) {
        try {
            handler.onMessage(message);
        } catch (RuntimeException e) {
            LOG.warn("{}: message handler failed on {}", config.clientId(), message.topic(), e);
        }
    }

    void dropped(Message message, String reason) {
        run(() -> config.droppedListener().onDropped(message, reason));
    }

    void connected(ConnectResult result) {
        run(() -> config.connectionListener().onConnected(result));
    }

    void disconnected(MqttClientException cause) {
        run(() -> config.connectionListener().onDisconnected(cause));
    }

    private void run(Runnable task) {
        try {
            callbacks.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("{}: callback failed", config.clientId(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: client closed, callback skipped", config.clientId());
        }
    }

    /** Lets queued callbacks finish (up to a few seconds), then stops the thread. */
    void close() {
        callbacks.shutdown();
        try {
            callbacks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
