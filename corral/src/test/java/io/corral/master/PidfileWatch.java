package io.corral.master;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a pidfile every 2 ms on its own thread and records every moment it was missing, unreadable or named a
 * process that is not alive, and which pids it named, in order.
 */
final class PidfileWatch implements AutoCloseable {
    private final Path pidfile;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<String> problems = new ArrayList<>();
    private final Set<Long> pids = new LinkedHashSet<>();
    private final Thread thread;

    PidfileWatch(Path pidfile) {
        this.pidfile = pidfile;
        this.thread = Thread.ofPlatform().daemon().name("pidfile-watch").start(this::watch);
    }

    private void watch() {
        while (running.get()) {
            String problem = read();
            if (problem != null) {
                synchronized (problems) {
                    problems.add(problem);
                }
            }
            try {
                Thread.sleep(2);  // sampling: the thing watched is the file, at any moment
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String read() {
        try {
            long pid = Long.parseLong(Files.readString(pidfile).strip());
            synchronized (pids) {
                pids.add(pid);
            }
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? null : "names " + pid
                    + ", which is not alive";
        } catch (NoSuchFileException e) {
            return "missing";
        } catch (IOException | NumberFormatException e) {
            return "unreadable: " + e;
        }
    }

    List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    List<Long> pidsSeen() {
        synchronized (pids) {
            return List.copyOf(pids);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
