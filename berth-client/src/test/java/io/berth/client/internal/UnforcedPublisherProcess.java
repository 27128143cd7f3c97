package io.berth.client.internal;

import io.berth.client.Message;
import io.berth.client.MqttClient;
import io.berth.client.PublishFuture;
import io.berth.codec.QoS;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The application of {@code KilledClientProcessBeforeForceIT}, run in a child JVM: a client on a file store whose
 * forces never end (every record is written to the operating system, none is reported forced), which
 * publishes {@code q1a} and {@code q1b} at QoS 1 and then {@code q2} at QoS 2, prints {@code stored <payload>}
 * and {@code acknowledged <payload>} as the futures say so, and waits to be killed.
 *
 * <p>Arguments: broker port, store file.
 */
public final class UnforcedPublisherProcess {
    private UnforcedPublisherProcess() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path file = Path.of(args[1]);
        FailingFileChannel[] channel = new FailingFileChannel[1];
        FileClientSessionStore store = FileClientSessionStore.open(file, c -> {
            channel[0] = new FailingFileChannel(c);
            return channel[0];
        });
        CountDownLatch never = new CountDownLatch(1);
        channel[0].onForce = () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        MqttClient client = MqttClient.builder()
                .serverAddress("127.0.0.1", port)
                .clientId("unforced-publisher")
                .cleanStart(false)
                .sessionExpiry(Duration.ofMinutes(5))
                .keepAlive(Duration.ZERO)
                .sessionStore(store)
                .build();
        client.connect().join();
        for (Message m : new Message[] {
            Message.of("unforced/1", "q1a", QoS.AT_LEAST_ONCE),
            Message.of("unforced/1", "q1b", QoS.AT_LEAST_ONCE),
            Message.of("unforced/2", "q2", QoS.EXACTLY_ONCE)
        }) {
            PublishFuture f = client.publish(m);
            String payload = m.payloadAsString();
            f.stored().thenRun(() -> System.out.println("stored " + payload));
            f.thenRun(() -> System.out.println("acknowledged " + payload));
        }
        System.out.println("published");
        never.await(); // until killed
    }
}
