package io.repostream.ml.data;

/**
 * Input the trainer cannot use, named by file, line and (where there is one) column, so a person
 * can open the file and fix it.
 */
public final class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final String column;

    public DataFormatException(String file, long line, String column, String problem) {
        this(file, line, column, problem, null);
    }

    public DataFormatException(
            String file, long line, String column, String problem, Throwable cause) {
        super(where(file, line, column) + ": " + problem, cause);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    private static String where(String file, long line, String column) {
        StringBuilder at = new StringBuilder(file);
        if (line > 0) {
            at.append(" line ").append(line);
        }
        if (column != null) {
            at.append(", column ").append(column);
        }
        return at.toString();
    }

    public String file() {
        return file;
    }

    /** 1-based line where the offending record starts, or 0 when the whole file is at fault. */
    public long line() {
        return line;
    }

    /** The column's header name (or its 1-based number if the header has none), or null. */
    public String column() {
        return column;
    }
}
