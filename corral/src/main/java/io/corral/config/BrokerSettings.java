package io.corral.config;

import java.util.List;

/** Where the publish/subscribe broker of the app API runs. */
public final class BrokerSettings {
    private BrokerSettings() {
    }

    public static final Setting<BrokerAddress> BROKER = Setting.of("broker", Section.BROKER, "URL",
            BrokerAddress::parse, "local",
            "'local': workers of this service exchange messages through the master; redis://HOST:PORT/DB: through "
                    + "Redis pub/sub, so services on several hosts form one.");

    static final List<Setting<?>> ALL = List.of(BROKER);
}
