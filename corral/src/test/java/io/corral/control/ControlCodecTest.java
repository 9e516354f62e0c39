package io.corral.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every control message survives framing and JSON both ways, split into single-byte reads or not. */
class ControlCodecTest {

    static List<ControlMessage> messages() {
        return List.of(new ControlMessage.Hello(3), new ControlMessage.Ready(), new ControlMessage.Heartbeat(42),
                new ControlMessage.BootFailed(4, "app start() failed: boom"),
                new ControlMessage.Configure("x.App", Map.of("bind", List.of("127.0.0.1:1", "unix:/s")),
                        List.of("tcp", "unix")),
                new ControlMessage.Stop(ControlMessage.StopMode.REPLACED), new ControlMessage.ReopenLogs());
    }

    @ParameterizedTest
    @MethodSource("messages")
    void roundTrips(ControlMessage message) {
        var sender = new EmbeddedChannel();
        ControlCodec.install(sender.pipeline());
        assertThat(sender.writeOutbound(message)).isTrue();
        var receiver = new EmbeddedChannel();
        ControlCodec.install(receiver.pipeline());
        for (ByteBuf frame; (frame = sender.readOutbound()) != null; ) {
            while (frame.isReadable()) {
                receiver.writeInbound(frame.readRetainedSlice(1));
            }
            frame.release();
        }
        assertThat((Object) receiver.readInbound()).isEqualTo(message);
        sender.finishAndReleaseAll();
        receiver.finishAndReleaseAll();
    }
}
