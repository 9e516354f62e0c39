package io.corral.app;

import java.util.List;

/**
 * Field errors in a request, answered 422 in the shape FastAPI users know:
 * {@code {"detail":[{"loc":["body","text"],"msg":"...","type":"..."}]}}.
 *
 * <p>Throw it from a record's compact constructor and {@link Request#bodyAs} reports it with the {@code "body"}
 * location prefix; throw it from a handler and it is reported as given.
 */
public class InvalidInput extends RuntimeException {

    /** One problem: where ({@code loc}), what ({@code msg}), and a stable machine-readable {@code type}. */
    public record FieldError(List<Object> loc, String msg, String type) {
        public FieldError {
            loc = List.copyOf(loc);
        }
    }

    private final List<FieldError> errors;

    public InvalidInput(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid input" : errors.getFirst().msg(), null, false, false);
        this.errors = List.copyOf(errors);
    }

    /** One error on one field, e.g. {@code InvalidInput.field("text", "Field required", "missing")}. */
    public static InvalidInput field(String field, String msg, String type) {
        return new InvalidInput(List.of(new FieldError(List.of(field), msg, type)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
