package io.corral.broker;

import io.corral.app.Broker;
import io.corral.app.Presence;
import io.corral.app.WsSession;
import io.corral.ws.WsConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Presence over the broker. Each worker owns the entries of its own sessions and announces them on
 * {@code presence:TOPIC} whenever they change, when another worker asks (it has just become interested), and every
 * {@value #REFRESH_SECONDS} s; everyone else keeps the latest announcement per worker. A worker's entries vanish
 * when the master reports it gone (local broker) or when its announcements stop for {@value #EXPIRY_SECONDS} s.
 * All state is guarded by one lock; watchers are called after it is released.
 */
public final class PresenceTracker implements Presence, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PresenceTracker.class);
    private static final String PREFIX = "presence:";
    static final long REFRESH_SECONDS = 10;
    static final long EXPIRY_SECONDS = 30;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What goes over the broker: a worker's users in a topic, or (ask) a request for everyone's. */
    record Announcement(String from, Map<String, Integer> users, boolean ask) {
    }

    private record Snapshot(Map<String, Integer> users, long seenAt) {
    }

    private final WorkerBroker broker;
    private final Object lock = new Object();
    private final Map<String, Map<String, String>> local = new HashMap<>();
    private final Map<String, Map<String, Snapshot>> remote = new HashMap<>();
    private final Map<String, Broker.Subscription> followed = new HashMap<>();
    private final Map<String, List<Listener>> watchers = new HashMap<>();
    private final Map<String, Map<String, Integer>> reported = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("presence").factory());

    public PresenceTracker(WorkerBroker broker) {
        this.broker = broker;
        broker.onInstanceGone(this::forget);
        timer.scheduleAtFixedRate(this::refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void join(String topic, String userId, WsSession session) {
        follow(topic);
        synchronized (lock) {
            local.computeIfAbsent(topic, t -> new HashMap<>()).put(session.id(), userId);
        }
        if (session instanceof WsConnection connection) {
            connection.whenEnded(() -> leave(topic, session));
        }
        announce(topic);
        changed(topic);
    }

    @Override
    public void leave(String topic, WsSession session) {
        synchronized (lock) {
            Map<String, String> sessions = local.get(topic);
            if (sessions == null || sessions.remove(session.id()) == null) {
                return;
            }
            if (sessions.isEmpty()) {
                local.remove(topic);
            }
        }
        announce(topic);
        changed(topic);
    }

    @Override
    public Map<String, Integer> online(String topic) {
        follow(topic);
        synchronized (lock) {
            return merged(topic);
        }
    }

    @Override
    public Broker.Subscription watch(String topic, Listener listener) {
        follow(topic);
        synchronized (lock) {
            watchers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
        }
        return () -> {
            synchronized (lock) {
                List<Listener> list = watchers.get(topic);
                if (list != null) {
                    list.remove(listener);
                }
            }
        };
    }

    /** Subscribes to a topic's announcements the first time this worker cares, and asks the others for theirs. */
    private void follow(String topic) {
        synchronized (lock) {
            if (followed.containsKey(topic)) {
                return;
            }
            followed.put(topic, null);
        }
        Broker.Subscription subscription = broker.subscribe(PREFIX + topic, this::onAnnouncement);
        synchronized (lock) {
            followed.put(topic, subscription);
        }
        send(topic, new Announcement(broker.instance(), Map.of(), true));
    }

    private void onAnnouncement(String brokerTopic, byte[] message) {
        String topic = brokerTopic.substring(PREFIX.length());
        Announcement announcement = JSON.readValue(message, Announcement.class);
        if (announcement.from().equals(broker.instance())) {
            return;  // Redis hands our own announcements back
        }
        if (announcement.ask()) {
            announce(topic);
            return;
        }
        synchronized (lock) {
            Map<String, Snapshot> byWorker = remote.computeIfAbsent(topic, t -> new HashMap<>());
            if (announcement.users().isEmpty()) {
                byWorker.remove(announcement.from());
            } else {
                byWorker.put(announcement.from(), new Snapshot(Map.copyOf(announcement.users()), System.nanoTime()));
            }
        }
        changed(topic);
    }

    /** Tells the others this worker's users in {@code topic}. */
    private void announce(String topic) {
        Map<String, Integer> users = new TreeMap<>();
        synchronized (lock) {
            local.getOrDefault(topic, Map.of()).values().forEach(u -> users.merge(u, 1, Integer::sum));
        }
        send(topic, new Announcement(broker.instance(), users, false));
    }

    private void send(String topic, Announcement announcement) {
        broker.publish(PREFIX + topic, JSON.writeValueAsBytes(announcement));
    }

    private void refresh() {
        List<String> topics;
        long now = System.nanoTime();
        List<String> expired = new ArrayList<>();
        synchronized (lock) {
            topics = List.copyOf(local.keySet());
            remote.forEach((topic, byWorker) -> {
                if (byWorker.values().removeIf(s -> now - s.seenAt() > TimeUnit.SECONDS.toNanos(EXPIRY_SECONDS))) {
                    expired.add(topic);
                }
            });
        }
        topics.forEach(this::announce);
        expired.forEach(this::changed);
    }

    /** A worker died: its entries go everywhere at once. */
    private void forget(String instance) {
        List<String> touched = new ArrayList<>();
        synchronized (lock) {
            remote.forEach((topic, byWorker) -> {
                if (byWorker.remove(instance) != null) {
                    touched.add(topic);
                }
            });
        }
        touched.forEach(this::changed);
    }

    /** Calls the topic's watchers if the merged view differs from what they last saw. */
    private void changed(String topic) {
        Map<String, Integer> now;
        List<Listener> toCall;
        synchronized (lock) {
            now = merged(topic);
            if (now.equals(reported.get(topic))) {
                return;
            }
            reported.put(topic, now);
            toCall = List.copyOf(watchers.getOrDefault(topic, List.of()));
        }
        for (Listener listener : toCall) {
            try {
                listener.onChange(topic, now);
            } catch (RuntimeException e) {  // one watcher's failure must not keep the change from the others
                log.warn("Presence: a watcher of {} failed", topic, e);
            }
        }
    }

    private Map<String, Integer> merged(String topic) {
        Map<String, Integer> users = new TreeMap<>();
        local.getOrDefault(topic, Map.of()).values().forEach(u -> users.merge(u, 1, Integer::sum));
        remote.getOrDefault(topic, Map.of()).values()
                .forEach(s -> s.users().forEach((u, n) -> users.merge(u, n, Integer::sum)));
        return Map.copyOf(users);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
