package io.corral.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.app.Handler;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static final Handler ROOMS = request -> "rooms";
    private static final Handler ROOM = request -> "room";
    private static final Handler NEW_ROOM = request -> "new";
    private final RouteTable table = new RouteTable(null, null);

    RouteTableTest() {
        table.get("/api/rooms", ROOMS).post("/api/rooms", NEW_ROOM).get("/api/rooms/{id}", ROOM);
    }

    @Test
    void literalAndParameterRoutesMatch() {
        assertThat(table.match("GET", RoutePath.of("/api/rooms"))).isEqualTo(new RouteMatch.Found(ROOMS, Map.of()));
        assertThat(table.match("GET", RoutePath.of("/api/rooms/42")))
                .isEqualTo(new RouteMatch.Found(ROOM, Map.of("id", "42")));
    }

    @Test
    void headIsAnsweredByGet() {
        assertThat(table.match("HEAD", RoutePath.of("/api/rooms"))).isEqualTo(new RouteMatch.Found(ROOMS, Map.of()));
    }

    @Test
    void knownPathWithAnotherMethodListsTheAllowedOnes() {
        assertThat(table.match("DELETE", RoutePath.of("/api/rooms")))
                .isEqualTo(new RouteMatch.MethodNotAllowed(Set.of("GET", "HEAD", "POST")));
    }

    @Test
    void aParameterMatchesExactlyOneSegment() {
        assertThat(table.match("GET", RoutePath.of("/api/rooms/42/messages"))).isInstanceOf(RouteMatch.NotFound.class);
        assertThat(table.match("GET", RoutePath.of("/api/rooms/"))).isEqualTo(new RouteMatch.Found(ROOM,
                Map.of("id", "")));
        assertThat(table.match("GET", RoutePath.of("/api"))).isInstanceOf(RouteMatch.NotFound.class);
    }

    @Test
    void queryAndAbsoluteFormDoNotChangeTheMatch() {
        assertThat(table.match("GET", RoutePath.of("http://example.com/api/rooms/7?x=1")))
                .isEqualTo(new RouteMatch.Found(ROOM, Map.of("id", "7")));
    }

    @Test
    void declaringARouteTwiceIsAnError() {
        assertThatThrownBy(() -> table.get("/api/rooms/{other}", ROOM))
                .hasMessageContaining("declared twice");
    }

    @Test
    void pathsAreDecodedSegmentBySegment() {
        RoutePath path = RoutePath.of("/a%2Fb/c+d/%C3%A9");
        assertThat(path.segments()).containsExactly("a/b", "c+d", "é");
    }
}
