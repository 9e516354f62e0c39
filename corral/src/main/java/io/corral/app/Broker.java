package io.corral.app;

/**
 * Publish/subscribe across every worker of the service: through the master on one host ({@code --broker local}),
 * through Redis across hosts ({@code --broker redis://...}). A message reaches each subscriber of its topic once,
 * in the order its publisher published. Listeners run on the worker's one broker thread, one message at a time:
 * they should be quick ({@link WsSession#send} is) and hand slow work to a thread of their own.
 *
 * <p>Delivery is at most once: what is published while Redis is unreachable may be lost, so apps that must not
 * lose messages keep them in a database and let clients resume from it (as Corral Chat does).
 */
public interface Broker {

    /** Sends {@code message} to every subscriber of {@code topic}, in this worker and in every other. */
    void publish(String topic, byte[] message);

    /** Calls {@code listener} with every message published to {@code topic} from now on, until unsubscribed. */
    Subscription subscribe(String topic, Listener listener);

    @FunctionalInterface
    interface Listener {
        void onMessage(String topic, byte[] message);
    }

    interface Subscription extends AutoCloseable {
        /** Stops the deliveries to this listener; idempotent. */
        void unsubscribe();

        @Override
        default void close() {
            unsubscribe();
        }
    }
}
