package io.repostream.schemas.json;

import java.util.List;

/** A record that breaks its JSON Schema or its record invariants. The message names the fields. */
public class RecordValidationException extends RuntimeException {
    private final List<String> problems;

    public RecordValidationException(String recordType, List<String> problems) {
        super(recordType + " is invalid: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public RecordValidationException(String recordType, String problem, Throwable cause) {
        super(recordType + " is invalid: " + problem, cause);
        this.problems = List.of(problem);
    }

    /** One entry per violation, each starting with the JSON path of the field. */
    public List<String> problems() {
        return problems;
    }
}
