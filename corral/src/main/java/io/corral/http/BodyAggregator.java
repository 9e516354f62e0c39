package io.corral.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's aggregator with {@code --limit-request-body} as its bound, after {@link RequestGuard}. It answers
 * {@code Expect: 100-continue} itself (100, or 413 when the declared length is over the limit, or 417 for another
 * expectation); we only swap its empty 413/417 bodies for ours and close, since the body that follows cannot be
 * told apart from the next request. Installed instead of {@code HttpServerExpectContinueHandler}, never beside it.
 */
final class BodyAggregator extends HttpObjectAggregator {
    private final int limit;

    BodyAggregator(int limit) {
        super(limit, true);
        this.limit = limit;
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof HttpResponse r && r.status().code() >= 400) {
            HttpResponseStatus status = r.status();
            ReferenceCountUtil.release(response);
            return status.equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)
                    ? ErrorResponses.refusal(new BadRequest.BodyTooLarge("declared length > " + limit))
                    : ErrorResponses.plain(status, "unsupported expectation", true);
        }
        return response;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ctx.writeAndFlush(ErrorResponses.refusal(new BadRequest.BodyTooLarge("body > --limit-request-body " + limit)))
                .addListener(LingeringClose.AFTER_WRITE);
    }
}
