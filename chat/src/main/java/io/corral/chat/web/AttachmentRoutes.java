package io.corral.chat.web;

import io.corral.app.Handler;
import io.corral.app.HttpError;
import io.corral.app.Response;
import io.corral.app.Routes;
import io.corral.chat.account.Accounts;
import io.corral.chat.account.Profiles;
import io.corral.chat.account.User;
import io.corral.chat.attachment.Attachments;
import io.corral.chat.room.Room;
import io.corral.chat.room.Rooms;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Uploads and downloads (docs/chat-protocol.md, "Attachments"). Uploads are streamed routes: the body is read while
 * it arrives, after the caller's right to post has been checked. A download is sent with the type its bytes showed,
 * {@code nosniff}, a sandboxing CSP, and as an attachment (saved, never rendered) unless it is a raster image.
 */
final class AttachmentRoutes {
    private final Accounts accounts;
    private final Rooms rooms;
    private final Attachments attachments;
    private final Profiles profiles;

    AttachmentRoutes(Accounts accounts, Rooms rooms, Attachments attachments, Profiles profiles) {
        this.accounts = accounts;
        this.rooms = rooms;
        this.attachments = attachments;
        this.profiles = profiles;
    }

    void declare(Routes routes) {
        routes.post("/api/rooms/{id}/attachments", Handler.streamed(attachments.maxBytes(),
                        DatabaseFailures.guard(request -> {
                            User user = accounts.authenticate(request);
                            Room room = rooms.writable(user, ApiRoutes.roomId(request));
                            if (room.archived()) {
                                throw new HttpError(409, "the room is archived: it can be read, not changed");
                            }
                            String name = Attachments.fileName(request.queryParam("name").orElse(null));
                            return Response.json(201, attachments.upload(user, room.id(), name,
                                    request.bodyStream()));
                        })))
                .get("/api/attachments/{id}", DatabaseFailures.guard(request -> {
                    User user = accounts.authenticate(request);
                    return download(attachments.open(user, request.pathParam("id"), rooms::mayRead));
                }))
                .put("/api/me/avatar", Handler.streamed(Profiles.AVATAR_MAX, DatabaseFailures.guard(request ->
                        profiles.setAvatar(accounts.authenticate(request), attachments, request.bodyStream()))))
                .delete("/api/me/avatar", DatabaseFailures.guard(request -> {
                    profiles.removeAvatar(accounts.authenticate(request), attachments);
                    return Response.empty(204);
                }));
    }

    private static Response download(Attachments.Download download) {
        var info = download.info();
        Response response;
        if (download.data() != null) {
            response = Response.bytes(200, info.contentType(), download.data());
        } else {
            if (!Files.isRegularFile(download.file())) {
                throw new HttpError(404, "no such attachment");  // its message was deleted meanwhile
            }
            response = Response.stream(info.contentType(), out -> Files.copy(download.file(), out));
        }
        return response
                .header("Content-Disposition", (download.isImage() ? "inline" : "attachment")
                        + "; filename=\"" + asciiFallback(info.name()) + "\"; filename*=UTF-8''"
                        + URLEncoder.encode(info.name(), StandardCharsets.UTF_8).replace("+", "%20")
                        .replace("*", "%2A"))
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                // Asked again each time: a deleted message's files must not live on in caches.
                .header("Cache-Control", "private, no-cache");
    }

    /** The name for clients that ignore {@code filename*}: ASCII, no quote or backslash to break the header. */
    private static String asciiFallback(String name) {
        var out = new StringBuilder();
        name.codePoints().forEach(cp -> out.append(cp >= 0x20 && cp < 0x7F && cp != '"' && cp != '\\'
                ? (char) cp : '_'));
        return out.toString();
    }
}
