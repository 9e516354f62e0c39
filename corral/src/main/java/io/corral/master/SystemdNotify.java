package io.corral.master;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify without libsystemd or JNI: one datagram of {@code KEY=VALUE} lines to {@code $NOTIFY_SOCKET}, sent with
 * libc's {@code socket}/{@code sendto} through the FFM API (the JDK's own DatagramChannel refuses AF_UNIX). A no-op
 * when the variable is unset, as outside systemd. Only the master notifies (NotifyAccess=main).
 */
final class SystemdNotify {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotify.class);
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM_CLOEXEC = 2 | 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SUN_PATH_MAX = 108;

    private final String socket;

    private SystemdNotify(String socket) {
        this.socket = socket;
    }

    static SystemdNotify fromEnvironment() {
        String socket = System.getenv("NOTIFY_SOCKET");
        return new SystemdNotify(socket == null || socket.isEmpty() ? null : socket);
    }

    boolean enabled() {
        return socket != null;
    }

    /** Sends {@code state} ({@code "READY=1\nSTATUS=..."}); failures are logged, never thrown. */
    void send(String state) {
        if (socket == null) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            byte[] path = socket.getBytes(StandardCharsets.UTF_8);
            if (path.length >= SUN_PATH_MAX) {
                log.warn("NOTIFY_SOCKET path is too long: {}", socket);
                return;
            }
            MemorySegment address = arena.allocate(2 + SUN_PATH_MAX);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(path, 0, address, ValueLayout.JAVA_BYTE, 2, path.length);
            if (path[0] == '@') {
                address.set(ValueLayout.JAVA_BYTE, 2, (byte) 0); // abstract namespace: no trailing NUL counted
            }
            int addressLength = 2 + path.length + (path[0] == '@' ? 0 : 1);
            byte[] message = state.getBytes(StandardCharsets.UTF_8);
            MemorySegment buffer = arena.allocate(message.length);
            MemorySegment.copy(message, 0, buffer, ValueLayout.JAVA_BYTE, 0, message.length);
            int fd = (int) Libc.SOCKET.invokeExact(AF_UNIX, SOCK_DGRAM_CLOEXEC, 0);
            if (fd < 0) {
                log.warn("sd_notify: socket() failed");
                return;
            }
            try {
                long sent = (long) Libc.SENDTO.invokeExact(fd, buffer, (long) message.length, MSG_NOSIGNAL, address,
                        addressLength);
                if (sent < 0) {
                    log.warn("sd_notify to {} failed; is systemd listening?", socket);
                }
            } finally {
                int ignored = (int) Libc.CLOSE.invokeExact(fd);
            }
        } catch (Throwable e) {
            log.warn("sd_notify failed: {}", e.toString());
        }
    }

    /** The libc functions, bound once. */
    private static final class Libc {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final SymbolLookup C = LINKER.defaultLookup();
        static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        static final MethodHandle SENDTO = bind("sendto", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT));

        private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
            return LINKER.downcallHandle(C.find(name).orElseThrow(), descriptor);
        }
    }
}
