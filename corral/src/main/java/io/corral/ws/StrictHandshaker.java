package io.corral.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;

/**
 * Netty's RFC 6455 handshaker with one change in its frame decoder: the body of a close frame reaches
 * {@link WsConnection} unchecked, which judges it ({@link ReceivedClose}) and answers a broken one with 1002 or 1007.
 * Netty's decoder would drop the connection with an empty close frame instead. Every other frame check (masking,
 * reserved bits, opcodes, control frame size and fragmentation) stays Netty's.
 */
final class StrictHandshaker extends WebSocketServerHandshaker13 {

    StrictHandshaker(String url, String subprotocols, WebSocketDecoderConfig config) {
        super(url, subprotocols, config);
    }

    @Override
    protected WebSocketFrameDecoder newWebsocketDecoder() {
        return new WebSocket13FrameDecoder(decoderConfig()) {
            @Override
            protected void checkCloseFrameBody(ChannelHandlerContext ctx, ByteBuf buffer) {
                // judged by WsConnection, which can still answer with a close code
            }
        };
    }
}
