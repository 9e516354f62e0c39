package io.corral.config;

import java.util.List;

/** Where and how the server listens. */
public final class ServerSocketSettings {
    private ServerSocketSettings() {
    }

    public static final Setting<BindAddress> BIND = Setting.repeatable("bind", Section.SERVER_SOCKET, "ADDRESS",
            BindAddress::parse, "127.0.0.1:8000",
            "Socket to bind: HOST:PORT, [IPv6]:PORT or unix:PATH. Repeat to listen on several.", "-b");

    public static final Setting<Integer> BACKLOG = Setting.of("backlog", Section.SERVER_SOCKET, "INT",
            Parsers.intBetween(1, 65535), "2048",
            "Connections the kernel queues before accept (capped by net.core.somaxconn).");

    static final List<Setting<?>> ALL = List.of(BIND, BACKLOG);
}
