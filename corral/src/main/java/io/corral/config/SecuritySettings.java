package io.corral.config;

import java.util.List;

/** Which peers are trusted to tell us about the client behind them. */
public final class SecuritySettings {
    private SecuritySettings() {
    }

    public static final Setting<TrustedProxies> FORWARDED_ALLOW_IPS = Setting.of("forwarded-allow-ips",
            Section.SECURITY, "IPS", TrustedProxies::parse, "127.0.0.1,::1",
            "Comma-separated peer addresses or networks whose X-Forwarded-For is believed; '*' trusts all.");

    static final List<Setting<?>> ALL = List.of(FORWARDED_ALLOW_IPS);
}
