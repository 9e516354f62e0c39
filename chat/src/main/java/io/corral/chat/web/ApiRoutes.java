package io.corral.chat.web;

import io.corral.app.HttpError;
import io.corral.app.InvalidInput;
import io.corral.app.Request;
import io.corral.app.Response;
import io.corral.app.Routes;
import io.corral.chat.account.Accounts;
import io.corral.chat.account.Profiles;
import io.corral.chat.account.User;
import io.corral.chat.attachment.Attachments;
import io.corral.chat.message.Messages;
import io.corral.chat.message.Reactions;
import io.corral.chat.message.RoomChanges;
import io.corral.chat.message.Search;
import io.corral.chat.room.Rooms;
import io.corral.chat.store.Database;
import java.sql.SQLException;
import java.util.Map;

/** The REST API of Corral Chat (docs/chat-protocol.md lists it). Every handler runs on a virtual thread. */
public final class ApiRoutes {
    private final Database database;
    private final Accounts accounts;
    private final Rooms rooms;
    private final Messages messages;
    private final Features features;

    /** The parts of the API beyond rooms and messages, in one argument. */
    public record Features(Reactions reactions, RoomChanges roomChanges, Search search, Profiles profiles,
                           Attachments attachments) {
    }

    public ApiRoutes(Database database, Accounts accounts, Rooms rooms, Messages messages, Features features) {
        this.database = database;
        this.accounts = accounts;
        this.rooms = rooms;
        this.messages = messages;
        this.features = features;
    }

    record Read(Long seq) {
        Read {
            if (seq == null || seq < 0) {
                throw InvalidInput.field("seq", "a sequence number", "value_error.missing");
            }
        }
    }

    record Invite(String username) {
    }

    public void declare(Routes routes) {
        new AttachmentRoutes(accounts, rooms, features.attachments(), features.profiles()).declare(routes);
        routes.get("/ready", request -> database.isReachable() ? Map.of("status", "ready")
                        : Response.json(503, Map.of("status", "database unavailable")))
                .post("/api/register", DatabaseFailures.guard(request -> Response.json(201,
                        accounts.register(request.bodyAs(Accounts.NewAccount.class), request.clientAddress()))))
                .post("/api/login", DatabaseFailures.guard(request -> {
                    var session = accounts.login(request.bodyAs(Accounts.Credentials.class), request.clientAddress(),
                            request.header("User-Agent").orElse(null));
                    return Map.of("token", session.token(), "user", session.user());
                }))
                .post("/api/logout", DatabaseFailures.guard(request -> {
                    accounts.logout(accounts.signedIn(request));
                    return Response.empty(204);
                }))
                .get("/api/me", DatabaseFailures.guard(accounts::authenticate))
                .delete("/api/me", DatabaseFailures.guard(request -> {
                    var who = accounts.signedIn(request);
                    accounts.remove(who, request.bodyAs(Accounts.Confirmation.class));
                    features.profiles().removeAvatar(who.user(), features.attachments());  // a picture of them
                    features.attachments().deletePending(who.user());
                    return Response.empty(204);
                }))
                .post("/api/me/password", DatabaseFailures.guard(request -> {
                    accounts.changePassword(accounts.signedIn(request),
                            request.bodyAs(Accounts.PasswordChange.class));
                    return Response.empty(204);
                }))
                .get("/api/sessions", DatabaseFailures.guard(request ->
                        accounts.sessions().list(accounts.signedIn(request))))
                .delete("/api/sessions", DatabaseFailures.guard(request -> {
                    accounts.revokeAll(accounts.signedIn(request));
                    return Response.empty(204);
                }))
                .delete("/api/sessions/{id}", DatabaseFailures.guard(request -> {
                    accounts.revokeSession(accounts.signedIn(request), request.pathParam("id"));
                    return Response.empty(204);
                }))
                .patch("/api/me", DatabaseFailures.guard(request -> features.profiles().change(
                        accounts.authenticate(request), request.bodyAs(Profiles.Change.class))))
                .get("/api/users", DatabaseFailures.guard(request -> {
                    accounts.authenticate(request);
                    return Map.of("users", features.profiles().find(request.queryParam("q").orElse("")));
                }))
                .get("/api/users/{username}", DatabaseFailures.guard(request -> {
                    accounts.authenticate(request);
                    return features.profiles().byName(request.pathParam("username"));
                }))
                .post("/api/dm", DatabaseFailures.guard(request ->
                        rooms.openDirect(accounts.authenticate(request), request.bodyAs(Rooms.NewDirect.class))))
                .get("/api/search", DatabaseFailures.guard(this::search))
                .get("/api/rooms", DatabaseFailures.guard(request -> rooms.list(accounts.authenticate(request))))
                .post("/api/rooms", DatabaseFailures.guard(request -> Response.json(201,
                        rooms.create(accounts.authenticate(request), request.bodyAs(Rooms.NewRoom.class)))))
                .get("/api/rooms/{id}", DatabaseFailures.guard(request ->
                        rooms.describe(accounts.authenticate(request), roomId(request))))
                .patch("/api/rooms/{id}", DatabaseFailures.guard(request -> {
                    User owner = accounts.authenticate(request);
                    long room = roomId(request);
                    features.roomChanges().apply(owner, room, request.bodyAs(RoomChanges.Change.class));
                    return rooms.describe(owner, room);
                }))
                .post("/api/rooms/{id}/join", DatabaseFailures.guard(request ->
                        rooms.join(accounts.authenticate(request), roomId(request))))
                .post("/api/rooms/{id}/leave", DatabaseFailures.guard(request -> {
                    rooms.leave(accounts.authenticate(request), roomId(request));
                    return Response.empty(204);
                }))
                .post("/api/rooms/{id}/invite", DatabaseFailures.guard(request -> {
                    rooms.invite(accounts.authenticate(request), roomId(request),
                            request.bodyAs(Invite.class).username());
                    return Response.empty(204);
                }))
                .get("/api/rooms/{id}/members", DatabaseFailures.guard(request ->
                        rooms.members(accounts.authenticate(request), roomId(request))))
                .put("/api/rooms/{id}/members/{user}/role", DatabaseFailures.guard(request -> {
                    rooms.setRole(accounts.authenticate(request), roomId(request), number(request, "user"),
                            request.bodyAs(Rooms.RoleChange.class));
                    return Response.empty(204);
                }))
                .post("/api/rooms/{id}/owner", DatabaseFailures.guard(request -> {
                    rooms.handOver(accounts.authenticate(request), roomId(request),
                            request.bodyAs(Rooms.Handover.class));
                    return Response.empty(204);
                }))
                .delete("/api/rooms/{id}/members/{user}", DatabaseFailures.guard(request -> {
                    rooms.remove(accounts.authenticate(request), roomId(request), number(request, "user"));
                    return Response.empty(204);
                }))
                .get("/api/rooms/{id}/messages", DatabaseFailures.guard(this::history))
                .post("/api/rooms/{id}/messages", DatabaseFailures.guard(request -> Response.json(201,
                        messages.send(accounts.authenticate(request), roomId(request),
                                request.bodyAs(Messages.NewMessage.class)))))
                .patch("/api/rooms/{id}/messages/{seq}", DatabaseFailures.guard(request ->
                        messages.edit(accounts.authenticate(request), roomId(request), number(request, "seq"),
                                request.bodyAs(Messages.Edit.class))))
                .delete("/api/rooms/{id}/messages/{seq}", DatabaseFailures.guard(request ->
                        messages.delete(accounts.authenticate(request), roomId(request), number(request, "seq"))))
                .put("/api/rooms/{id}/messages/{seq}/reactions/{emoji}", DatabaseFailures.guard(request -> {
                    var event = features.reactions().add(accounts.authenticate(request), roomId(request),
                            number(request, "seq"), request.pathParam("emoji"));
                    return event == null ? Response.empty(204) : Response.json(201, event);
                }))
                .delete("/api/rooms/{id}/messages/{seq}/reactions/{emoji}", DatabaseFailures.guard(request -> {
                    var event = features.reactions().remove(accounts.authenticate(request), roomId(request),
                            number(request, "seq"), request.pathParam("emoji"));
                    return event == null ? Response.empty(204) : event;
                }))
                .post("/api/rooms/{id}/read", DatabaseFailures.guard(request -> {
                    rooms.markRead(accounts.authenticate(request), roomId(request),
                            request.bodyAs(Read.class).seq());
                    return Response.empty(204);
                }));
    }

    private Object history(Request request) throws SQLException {
        User user = accounts.authenticate(request);
        Long before = optionalNumber(request, "before");
        Long after = optionalNumber(request, "after");
        Long limit = optionalNumber(request, "limit");
        return Map.of("events", messages.history(user, roomId(request), before, after,
                limit == null ? 50 : (int) Math.min(limit, Integer.MAX_VALUE)));
    }

    private Object search(Request request) throws SQLException {
        User user = accounts.authenticate(request);
        Long limit = optionalNumber(request, "limit");
        return features.search().search(user, request.queryParam("q").orElse(""),
                request.queryParam("before").orElse(null), limit == null ? 20 : (int) Math.min(limit, 1000));
    }

    static long roomId(Request request) {
        return number(request, "id");
    }

    private static long number(Request request, String param) {
        try {
            return Long.parseLong(request.pathParam(param));
        } catch (NumberFormatException e) {
            throw new HttpError(404, "no such " + switch (param) {
                case "id" -> "room";
                case "user" -> "member";
                default -> "message";
            });
        }
    }

    private static Long optionalNumber(Request request, String name) {
        var value = request.queryParam(name);
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value.get());
        } catch (NumberFormatException e) {
            throw new InvalidInput(java.util.List.of(new InvalidInput.FieldError(java.util.List.of("query", name),
                    "an integer", "type_error.integer")));
        }
    }
}
