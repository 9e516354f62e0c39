package io.corral.http;

import io.corral.app.InvalidInput;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker's one Jackson mapper (immutable, thread-safe), and the translation of Jackson's failures into the
 * answers the app API promises: malformed JSON is {@link MalformedJson} (400), a body that does not fit the type is
 * {@link InvalidInput} (422) with the field's location.
 */
final class Json {
    /** Unknown fields are ignored, as FastAPI (pydantic's default) does. */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    /** The body could not be read as JSON at all. */
    static final class MalformedJson extends RuntimeException {
        MalformedJson(String message) {
            super(message, null, false, false);
        }
    }

    static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw new InvalidInput(List.of(new InvalidInput.FieldError(List.of("body"), "Field required", "missing")));
        }
        try {
            return MAPPER.readValue(body, type);
        } catch (StreamReadException e) {
            throw new MalformedJson("malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        } catch (DatabindException e) {
            InvalidInput fromRecord = findCause(e, InvalidInput.class);
            if (fromRecord != null) {
                throw prefixed(fromRecord);
            }
            throw new InvalidInput(List.of(new InvalidInput.FieldError(location(e), mismatch(e), "type_error")));
        } catch (JacksonException e) {
            throw new MalformedJson("malformed JSON");
        }
    }

    private static InvalidInput prefixed(InvalidInput input) {
        var errors = new ArrayList<InvalidInput.FieldError>();
        for (InvalidInput.FieldError error : input.errors()) {
            var loc = new ArrayList<>();
            loc.add("body");
            loc.addAll(error.loc());
            errors.add(new InvalidInput.FieldError(loc, error.msg(), error.type()));
        }
        return new InvalidInput(errors);
    }

    private static List<Object> location(DatabindException e) {
        var loc = new ArrayList<>();
        loc.add("body");
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                loc.add(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                loc.add(ref.getIndex());
            }
        }
        return loc;
    }

    /** Jackson's own messages name Java classes; the client gets the expected JSON type instead. */
    private static String mismatch(DatabindException e) {
        if (e instanceof tools.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
            return "Input should be " + jsonTypeOf(m.getTargetType());
        }
        return "Input does not match the expected shape";
    }

    private static String jsonTypeOf(Class<?> type) {
        if (type == String.class || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type.isArray() || Iterable.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }

    private static <E extends Throwable> E findCause(Throwable t, Class<E> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
